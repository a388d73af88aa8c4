from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.projects"
    verbose_name = _("项目库")

    def ready(self) -> None:
        from apps.core.api_deletions import register_removals
        from apps.projects import signals  # noqa: F401 — connects the event bridge
        from apps.projects.selectors import removed_since

        register_removals(removed_since)  # 出库 projects in /api/v1/deletions/
