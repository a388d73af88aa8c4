from django.utils.translation import gettext_lazy as _

from apps.core import permissions as policy
from apps.core.registry import NavItem

NAV_ITEMS = [
    NavItem(
        _("任务督办"),
        "tasks:list",
        icon="list-check",
        order=40,
        children=(
            NavItem(_("我的任务"), "tasks:mine", icon="person-check", when=policy.belongs_to_unit),
            NavItem(_("督办台账"), "tasks:board", icon="kanban"),
            NavItem(_("任务分工"), "tasks:list", icon="list-ol"),
            NavItem(_("来源文件"), "tasks:sources", icon="journal-text"),
            NavItem(_("单位办理情况"), "tasks:rates", icon="percent"),
            NavItem(_("专项工作组"), "workgroups:list", icon="people"),
        ),
    )
]
