from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem

OVERSEERS = frozenset({"coordinator", "leader", "reviewer", "admin"})

NAV_ITEMS = [
    NavItem(
        _("通报考核"),
        "rankings:ranking",
        icon="trophy",
        order=55,
        roles=OVERSEERS,
        children=(
            NavItem(_("排名与红黑榜"), "rankings:ranking", icon="bar-chart-steps", roles=OVERSEERS),
            NavItem(_("已发布通报"), "rankings:bulletins", icon="megaphone", roles=OVERSEERS),
        ),
    )
]
