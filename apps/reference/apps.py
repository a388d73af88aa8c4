from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.reference"
    verbose_name = "基础数据"
