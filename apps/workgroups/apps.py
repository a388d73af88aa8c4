from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkgroupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.workgroups"
    verbose_name = _("专项工作组")
