"""Project factories built on the real reference data (regions, sectors, units)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from apps.accounts.models import Role
from apps.projects import services
from apps.projects.models import LibraryStatus, Project, Tier
from apps.reference.models import Organization, Region, Sector
from tests.factories import UserFactory

# How to reach each status from a draft, step by step (admin acts as owner and reviewer).
PATH_TO: dict[str, list[tuple[str, str]]] = {
    LibraryStatus.DRAFT: [],
    LibraryStatus.SUBMITTED: [("submit", "")],
    LibraryStatus.IN_REVIEW: [("submit", ""), ("start_review", "专家论证")],
    LibraryStatus.APPROVED: [("submit", ""), ("start_review", ""), ("approve", "同意入库")],
    LibraryStatus.RETURNED: [("submit", ""), ("start_review", ""), ("return", "请补充资料")],
    LibraryStatus.REJECTED: [("submit", ""), ("start_review", ""), ("reject", "不符合政策")],
    LibraryStatus.REMOVED: [
        ("submit", ""),
        ("start_review", ""),
        ("approve", ""),
        ("remove", "前期工作难以推进"),
    ],
}

_counter = {"n": 0}


def workflow_admin():
    return UserFactory(
        username="workflow-admin", role=Role.ADMIN, organization=None, is_superuser=True
    )


def project_data(unit: Organization, **overrides: Any) -> dict[str, Any]:
    _counter["n"] += 1
    data: dict[str, Any] = {
        "name": f"测试项目{_counter['n']}",
        "tier": Tier.PREFECTURE,
        "region": Region.objects.get(name="西宁市"),
        "sector": Sector.objects.get(name="交通运输"),
        "responsible_unit": unit,
        "total_investment": Decimal("12.5000"),
        "plan_year": 2026,
        "planned_investment_year": Decimal("3.0000"),
        "scale_content": "新建道路 10 公里",
        "planned_start": dt.date(2026, 3, 1),
        "planned_end": dt.date(2028, 12, 31),
    }
    data.update(overrides)
    return data


def make_project(
    unit: Organization,
    status: str = LibraryStatus.DRAFT,
    *,
    user=None,
    **overrides: Any,
) -> Project:
    actor = user or workflow_admin()
    project = services.create_project(user=actor, data=project_data(unit, **overrides))
    for action, comment in PATH_TO[status]:
        services.transition(user=actor, project=project, action=action, comment=comment)
    project.refresh_from_db()
    return project
