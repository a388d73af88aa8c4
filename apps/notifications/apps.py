from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.notifications"
    verbose_name = _("通知与提醒")

    def ready(self) -> None:
        from apps.notifications import subscribers  # noqa: F401 — the events and job notices
