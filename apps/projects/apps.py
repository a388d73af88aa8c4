from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.projects"
    verbose_name = "项目库"

    def ready(self) -> None:
        from apps.projects import signals  # noqa: F401 — connects the event bridge
