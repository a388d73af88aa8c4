from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.dashboard"
    verbose_name = _("领导驾驶舱")

    def ready(self) -> None:
        from apps.dashboard import cache

        cache.connect()  # writes to what the cockpit shows invalidate its cached figures
