from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.tasks"
    verbose_name = _("任务分工与督办")

    def ready(self) -> None:
        from apps.tasks import signals  # noqa: F401 — connects the event bridge
