from django.apps import AppConfig


class DashboardConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.dashboard"
    verbose_name = "领导驾驶舱"

    def ready(self) -> None:
        from apps.dashboard import cache

        cache.connect()  # writes to what the cockpit shows invalidate its cached figures
