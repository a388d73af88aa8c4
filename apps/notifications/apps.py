from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.notifications"
    verbose_name = "通知与提醒"

    def ready(self) -> None:
        from apps.notifications import subscribers  # noqa: F401 — subscribes to the events
