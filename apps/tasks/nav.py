from apps.core.registry import NavItem

# Those who see every unit's work: the board is theirs (coordinators act on it, leaders read).
OVERSEERS = frozenset({"coordinator", "leader", "reviewer", "admin"})
UNIT_USERS = frozenset({"staff", "coordinator", "reviewer"})

NAV_ITEMS = [
    NavItem(
        "任务督办",
        "tasks:list",
        icon="list-check",
        order=40,
        children=(
            NavItem("我的任务", "tasks:mine", icon="person-check", roles=UNIT_USERS),
            NavItem("督办台账", "tasks:board", icon="kanban", roles=OVERSEERS),
            NavItem("任务分工", "tasks:list", icon="list-ol"),
            NavItem("专项工作组", "workgroups:list", icon="people"),
        ),
    )
]
