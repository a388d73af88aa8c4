from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.problems"
    verbose_name = _("问题协调")

    def ready(self) -> None:
        from apps.problems import receivers  # noqa: F401 — answers projects' factor_difficulty
