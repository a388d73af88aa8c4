from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem

NAV_ITEMS = [
    NavItem(
        _("驾驶舱"),
        "dashboard:cockpit",
        icon="speedometer2",
        order=5,
    )
]
