from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem

NAV_ITEMS = [
    NavItem(
        _("签约台账"),
        "contracts:ledger",
        icon="journal-check",
        order=30,
        children=(
            NavItem(_("签约项目台账"), "contracts:ledger", icon="table"),
            NavItem(_("月报填报"), "contracts:report", icon="pencil-square"),
            NavItem(_("报送情况"), "contracts:status", icon="list-check"),
            NavItem(_("履约率·开工率·资金到位率"), "contracts:rates", icon="graph-up"),
            NavItem(_("季度报告"), "contracts:quarterly", icon="journal-text"),
            NavItem(_("导入台账"), "contracts:import", icon="upload"),
        ),
    )
]
