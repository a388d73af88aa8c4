from django.apps import AppConfig


class WorkgroupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.workgroups"
    verbose_name = "专项工作组"
