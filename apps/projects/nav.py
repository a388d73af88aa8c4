from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem

NAV_ITEMS = [
    NavItem(
        _("项目库"),
        "projects:list",
        icon="collection",
        order=10,
        children=(
            NavItem(_("项目清单"), "projects:list", icon="list-ul"),
            NavItem(_("审核队列"), "projects:review", icon="clipboard-check"),
            NavItem(_("新建项目"), "projects:create", icon="plus-circle"),
            NavItem(_("Excel 导入"), "projects:import", icon="file-earmark-arrow-up"),
            NavItem(_("月度调度"), "projects:monthly", icon="calendar-check"),
            NavItem(_("目标对比"), "projects:targets", icon="bullseye"),
        ),
    )
]
