from django.utils.translation import gettext_lazy as _

from apps.core import permissions as policy
from apps.core.registry import NavItem

NAV_ITEMS = [
    NavItem(
        _("通报考核"),
        "rankings:ranking",
        icon="trophy",
        order=55,
        when=policy.sees_everything,
        children=(
            NavItem(
                _("排名与红黑榜"),
                "rankings:ranking",
                icon="bar-chart-steps",
                when=policy.sees_everything,
            ),
            NavItem(
                _("已发布通报"), "rankings:bulletins", icon="megaphone", when=policy.sees_everything
            ),
        ),
    )
]
