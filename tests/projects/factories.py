"""Project factories built on the real reference data (regions, sectors, units)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from apps.accounts.models import Role
from apps.projects import selectors, services
from apps.projects.models import Campaign, EntryCriterion, LibraryStatus, Project, Tier
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
        # 省级 by default: the provincial reviewer (the `reviewer` fixture) reviews them.
        "tier": Tier.PROVINCE,
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


def fill_checklist(project: Project, actor, verdict: str = "meets") -> None:
    """Judge every condition of entry (creating a one-line checklist if none is configured)."""
    criteria = list(selectors.entry_criteria(project))
    if not criteria:
        campaign = (
            selectors.checklist_campaign(project)
            or Campaign.objects.get_or_create(name="测试谋划行动", defaults={"year": 2000})[0]
        )
        criteria = [
            EntryCriterion.objects.get_or_create(
                campaign=campaign,
                name="符合产业政策",
                defaults={"group": "符合国家宏观调控政策及产业政策"},
            )[0]
        ]
    services.judge_criteria(
        user=actor,
        project=project,
        judgements=[(c, verdict, "测试审查") for c in criteria],
    )


def make_project(
    unit: Organization,
    status: str = LibraryStatus.DRAFT,
    *,
    user=None,
    checklist: bool = False,
    **overrides: Any,
) -> Project:
    actor = user or workflow_admin()
    project = services.create_project(user=actor, data=project_data(unit, **overrides))
    for action, comment in PATH_TO[status]:
        if action == "approve":
            fill_checklist(project, actor)
        services.transition(user=actor, project=project, action=action, comment=comment)
    if checklist and project.library_status == LibraryStatus.IN_REVIEW:
        fill_checklist(project, actor)  # ready to be approved
    project.refresh_from_db()
    return project
