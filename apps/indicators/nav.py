from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem

NAV_ITEMS = [
    NavItem(
        _("十四五指标"),
        "indicators:board",
        icon="speedometer2",
        order=40,
        children=(
            NavItem(_("指标看板"), "indicators:board", icon="speedometer2"),
            NavItem(_("监测值填报"), "indicators:entry", icon="pencil-square"),
            NavItem(_("分年度目标"), "indicators:year-targets", icon="bullseye"),
            NavItem(_("中期评估（2023）"), "indicators:evaluation-midterm", icon="clipboard-data"),
            NavItem(_("总结评估（2025）"), "indicators:evaluation-final", icon="clipboard-check"),
        ),
    )
]
