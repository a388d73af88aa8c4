from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from apps.core import checks  # noqa: F401 — registers the calendar coverage check
