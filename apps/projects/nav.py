from apps.core.registry import NavItem

REVIEWERS = frozenset({"reviewer", "admin"})
CREATORS = frozenset({"staff", "reviewer", "coordinator", "admin"})

NAV_ITEMS = [
    NavItem(
        "项目库",
        "projects:list",
        icon="collection",
        order=10,
        children=(
            NavItem("项目清单", "projects:list", icon="list-ul"),
            NavItem("审核队列", "projects:review", icon="clipboard-check", roles=REVIEWERS),
            NavItem("新建项目", "projects:create", icon="plus-circle", roles=CREATORS),
            NavItem("Excel 导入", "projects:import", icon="file-earmark-arrow-up", roles=CREATORS),
            NavItem("月度调度", "projects:monthly", icon="calendar-check"),
            NavItem("目标对比", "projects:targets", icon="bullseye"),
        ),
    )
]
