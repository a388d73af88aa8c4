"""The library's approved projects (已入库) as an OC4IDS 0.9.5 project package (issue 14 point 7).

Mappings to the OC4IDS codelists (fixtures/oc4ids/0.9.5/codelists, the only source of codes):

- ``status`` (closed projectStatus): 谋划/签约 → preparation; 开工/在建/增资 → implementation;
  竣工 → completion; 投产 → maintenance (the asset is in operation).
- ``type`` (closed projectType): 增资 → expansion, otherwise construction.
- ``sector`` (open projectSector): per platform sector, below.
- ``budget.amount``: 总投资 in CNY, 亿元 × 10^8 (4 decimal places of 亿元 are whole yuan, so an
  exact integer).
- ``parties``: 责任单位 → publicAuthority; 行业主管部门 → reviewBody (it oversees the
  project); 实施主体 → payee (it receives the investment recorded as transactions).
- ``transactions``: each monthly report's 本月完成投资, dated at the end of its month.
- ``policyAlignment``: a 十四五 major project aligns with the nationalPlan (the 14th Five-Year
  Plan); every library project with the infrastructurePlan (万千百亿 infrastructure plan).
- ``identifiers``: the 项目代码 (GB/T 40058 scheme), else the platform's own id.

Project ids start with ``OC4IDS_PREFIX``. ``oc4ids-qh0000-`` is a documented placeholder: a
publisher registers its own six-character prefix with the Open Contracting Partnership
(https://standard.open-contracting.org/infrastructure/latest/en/guidance/identifiers/) and sets
``QH_OC4IDS_PREFIX``; ids must not change once published.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from apps.projects.models import LibraryStatus, Project, ProjectMonthlyUpdate, Stage

OC4IDS_VERSION = "0.9"
YUAN_PER_YI = Decimal(10) ** 8

STATUS = {
    Stage.PLANNING: "preparation",
    Stage.SIGNED: "preparation",
    Stage.STARTED: "implementation",
    Stage.UNDER_CONSTRUCTION: "implementation",
    Stage.EXPANSION: "implementation",
    Stage.COMPLETED: "completion",
    Stage.IN_OPERATION: "maintenance",
}
SECTOR = {
    "eco": ["naturalResources"],
    "transport": ["transport"],
    "water": ["waterAndWaste", "naturalResources"],
    "energy": ["energy"],
    "info": ["communications"],
    "industry": ["economy"],
    "urban": ["waterAndWaste", "socialHousing"],
    "livelihood": ["education", "health"],
}


def prefix() -> str:
    return getattr(settings, "QH_OC4IDS_PREFIX", "oc4ids-qh0000-")


def _instant(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    aware = timezone.make_aware(dt.datetime.combine(value, dt.time.min))
    return aware.isoformat(timespec="seconds")


def _cny(amount_yi: Decimal) -> int:
    return int(amount_yi * YUAN_PER_YI)


def _month_end(period: dt.date) -> dt.date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def approved_projects():
    return (
        Project.objects.filter(library_status=LibraryStatus.APPROVED)
        .select_related(
            "region", "region__parent", "sector", "responsible_unit", "supervising_department"
        )
        .prefetch_related(
            Prefetch(
                "monthly_updates",
                queryset=ProjectMonthlyUpdate.objects.order_by("period"),
            )
        )
        .order_by("id")
    )


def project_release(project: Project) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": f"{prefix()}{project.pk}",
        "updated": _instant(project.updated_at),
        "language": "zh",
        "title": project.name,
        "status": STATUS.get(project.stage, "preparation"),
        "type": "expansion" if project.stage == Stage.EXPANSION else "construction",
        "budget": {"amount": {"amount": _cny(project.total_investment), "currency": "CNY"}},
    }
    if project.code:
        data["identifiers"] = [{"id": project.code, "scheme": "CN-GB/T40058"}]
    else:
        data["identifiers"] = [{"id": str(project.pk), "scheme": "qhprojects"}]
    if project.scale_content.strip():
        data["description"] = project.scale_content.strip()
    if project.sector_id and project.sector.code in SECTOR:
        data["sector"] = SECTOR[project.sector.code]
    period = {}
    if project.planned_start:
        period["startDate"] = _instant(project.planned_start)
    if project.planned_end:
        period["endDate"] = _instant(project.planned_end)
    if period:
        data["period"] = period
    if project.region_id:
        region = project.region
        address = {"countryName": "中国", "region": "青海省"}
        if region.level != "province":
            address["locality"] = region.name
        data["locations"] = [
            {
                "id": "1",
                "description": region.name,
                "gazetteer": {"scheme": "CN-GB/T2260", "identifiers": [region.code]},
                "address": address,
            }
        ]
    parties: dict[str, dict[str, Any]] = {}

    def party(key: str, name: str, role: str) -> str:
        entry = parties.setdefault(key, {"id": key, "name": name, "roles": []})
        if role not in entry["roles"]:
            entry["roles"].append(role)
        return key

    authority = party(
        f"org-{project.responsible_unit_id}", project.responsible_unit.name, "publicAuthority"
    )
    data["publicAuthority"] = {"id": authority, "name": project.responsible_unit.name}
    if project.supervising_department_id:
        dept = project.supervising_department
        party(f"org-{dept.pk}", dept.name, "reviewBody")
    payee = None
    if project.implementing_entity.strip():
        name = project.implementing_entity.strip()
        payee = party(f"entity-{project.pk}", name, "payee")
    data["parties"] = list(parties.values())
    transactions = []
    for update in project.monthly_updates.all():
        tx: dict[str, Any] = {
            "id": f"{project.pk}-{update.period:%Y-%m}",
            "date": _instant(_month_end(update.period)),
            "value": {"amount": _cny(update.completed_this_month), "currency": "CNY"},
        }
        if payee:
            tx["payee"] = {"id": payee, "name": parties[payee]["name"]}
        transactions.append(tx)
    if transactions:
        data["transactions"] = transactions
    policies = ["infrastructurePlan"]
    description = "纳入青海省万千百亿项目库（基础设施建设项目库）。"
    if project.is_14th_fyp_major:
        policies.insert(0, "nationalPlan")
        description = "列入青海省“十四五”规划重大项目，并纳入万千百亿项目库。"
    data["policyAlignment"] = {"policies": policies, "description": description}
    return data


def project_package(*, uri: str, policy_uri: str) -> dict[str, Any]:
    return {
        "uri": uri,
        "publishedDate": _instant(timezone.now()),
        "version": OC4IDS_VERSION,
        "publisher": {"name": "青海省发展和改革委员会"},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "publicationPolicy": policy_uri,
        "projects": [project_release(p) for p in approved_projects()],
    }
