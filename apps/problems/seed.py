"""Seed loader: who handles each category of problem (CategoryRoute), in working days.

The departments are those the plan (003 (七) 要素保障) and the monthly 调度 charge with each
element: land 省自然资源厅, forest and grassland 省林草局, energy 省能源局, environmental
assessment 省生态环境厅, funding 省财政厅, approvals 省政务服务监管局, water/power/road/telecom
省发展改革委 (it co-ordinates 水电路讯 配套 across the utilities), other 省发展改革委. The
administrator edits them (and the time limit) in the admin; a later load keeps their edits.
"""

from django.utils.translation import gettext

from apps.problems.models import Category, CategoryRoute
from apps.reference.models import Organization

ROUTES = {
    Category.LAND: "省自然资源厅",
    Category.FOREST: "省林草局",
    Category.GRASSLAND: "省林草局",
    Category.ENERGY: "省能源局",
    Category.ENVIRONMENT: "省生态环境厅",
    Category.FUNDING: "省财政厅",
    Category.APPROVAL: "省政务服务监管局",
    Category.UTILITIES: "省发展改革委",
    Category.OTHER: "省发展改革委",
}


def load_routes() -> int:
    created = 0
    for category, name in ROUTES.items():
        org = Organization.objects.resolve(name)
        if org is None:
            raise ValueError(gettext("问题分办：单位“%(name)s”不在参考数据中") % {"name": name})
        _, made = CategoryRoute.objects.get_or_create(
            category=category, defaults={"department": org, "working_days": 10}
        )
        created += made
    return created


def load(*, stdout) -> None:
    created = load_routes()
    stdout.write(f"  问题分办规则 {len(ROUTES)} 条（新建 {created} 条）")
