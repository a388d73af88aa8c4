from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data only: generators and the commands that load and remove them.

    No models and no pages; every generator refuses outside demo mode (``settings.DEMO_MODE``).
    The domain apps do not know this app exists: it depends on them, never the reverse.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.demo"
    verbose_name = _("演示数据")
