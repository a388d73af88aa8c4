"""A small province in October 2026, for the reminder, digest and snapshot tests.

* 西宁市政府: 2 library projects and 3 contracts of the fair; files nothing for October.
* 海东市政府: 1 library project and 2 contracts; files everything for October.
* 省交通运输厅: 1 contract, no users and no robot (nobody to remind).
* 省经济和信息化委 coordinates the fair; 省发展改革委's reviewer runs the library's 调度.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from apps.accounts.models import Role
from apps.contracts.models import Contract, ContractReport, Fair
from apps.projects.models import LibraryStatus, Project, ProjectMonthlyUpdate, Stage, Tier
from apps.reference.models import Organization, Region, Sector
from tests.factories import UserFactory

OCTOBER = dt.date(2026, 10, 1)


@dataclass
class Scenario:
    xining: Organization
    haidong: Organization
    transport: Organization
    coordinating: Organization
    ndrc: Organization
    fair: Fair
    staff_xining: object
    staff_haidong: object
    coordinator: object
    reviewer: object
    projects: dict
    contracts: dict


def resolve(name: str) -> Organization:
    org = Organization.objects.resolve(name)
    assert org is not None, name
    return org


def library_project(
    unit: Organization,
    name: str,
    *,
    region: str,
    total: str,
    planned: str,
    sector: str = "交通运输",
    tier: str = Tier.PREFECTURE,
    approved_on: dt.date = dt.date(2026, 3, 31),
) -> Project:
    project = Project.objects.create(
        name=name,
        tier=tier,
        region=Region.objects.get(name=region),
        sector=Sector.objects.get(name=sector),
        responsible_unit=unit,
        total_investment=Decimal(total),
        plan_year=2026,
        planned_investment_year=Decimal(planned),
    )
    # Test data only: the review workflow is the projects app's business, not ours.
    Project.objects.filter(pk=project.pk).update(
        library_status=LibraryStatus.APPROVED, approved_on=approved_on
    )
    project.refresh_from_db()
    return project


def update(project: Project, period: dt.date, completed: str) -> ProjectMonthlyUpdate:
    return ProjectMonthlyUpdate.objects.create(
        project=project,
        period=period,
        completed_this_month=Decimal(completed),
        stage=Stage.PLANNING,
        progress="按计划推进",
    )


def contract(fair: Fair, seq: int, unit: Organization, total: str, region: str | None) -> Contract:
    return Contract.objects.create(
        fair=fair,
        seq=seq,
        name=f"签约项目{seq}",
        total_investment=Decimal(total),
        responsible_unit=unit,
        responsible_unit_label=unit.name,
        region=Region.objects.get(name=region) if region else None,
    )


def report(c: Contract, period: dt.date, *, performing=True, started=False, funds="0"):
    return ContractReport.objects.create(
        contract=c,
        period=period,
        is_performing=performing,
        is_started=started,
        funds_arrived_to_date=Decimal(funds),
    )


def build(*, haidong_files_october: bool = True) -> Scenario:
    xining, haidong = resolve("西宁市政府"), resolve("海东市政府")
    transport, coordinating = resolve("省交通运输厅"), resolve("省经济和信息化委")
    ndrc = resolve("省发展改革委")
    fair = Fair.objects.create(
        name="第十八届中国·青海绿色发展投资贸易洽谈会（测试）",
        short_name="测试青洽会",
        coordinating_unit=coordinating,
        first_period=dt.date(2017, 8, 1),
    )
    users = {
        "staff_xining": UserFactory(
            username="r_staff_xining",
            role=Role.STAFF,
            organization=xining,
            email="xining@example.gov.cn",
        ),
        "staff_haidong": UserFactory(
            username="r_staff_haidong",
            role=Role.STAFF,
            organization=haidong,
            email="haidong@example.gov.cn",
        ),
        "coordinator": UserFactory(
            username="r_coordinator",
            role=Role.COORDINATOR,
            organization=coordinating,
            email="jxw@example.gov.cn",
        ),
        "reviewer": UserFactory(
            username="r_reviewer",
            role=Role.REVIEWER,
            organization=ndrc,
            email="",
        ),
    }
    projects = {
        "xining_road": library_project(
            xining, "西宁快速路", region="西宁市", total="120", planned="20"
        ),
        "xining_water": library_project(
            xining, "湟水治理", region="西宁市", total="8", planned="2", sector="水利"
        ),
        "haidong_park": library_project(
            haidong, "海东产业园", region="海东市", total="15", planned="5", sector="产业发展"
        ),
    }
    contracts = {
        "x1": contract(fair, 1, xining, "10", "西宁市"),
        "x2": contract(fair, 2, xining, "20", "西宁市"),
        "x3": contract(fair, 3, xining, "30", "大通回族土族自治县"),
        "h1": contract(fair, 4, haidong, "40", "海东市"),
        "h2": contract(fair, 5, haidong, "50", "海东市"),
        "t1": contract(fair, 6, transport, "60", None),
    }
    # September: everybody filed (their state as of September).
    september = dt.date(2026, 9, 1)
    for p, done in (("xining_road", "3"), ("xining_water", "0.5"), ("haidong_park", "1")):
        update(projects[p], september, done)
    report(contracts["x1"], september, started=True, funds="2")
    report(contracts["x2"], september, performing=False)
    report(contracts["x3"], september, started=True, funds="6")
    report(contracts["h1"], september, funds="4")
    report(contracts["h2"], september, started=True, funds="10")
    report(contracts["t1"], september, performing=False)
    if haidong_files_october:
        update(projects["haidong_park"], OCTOBER, "1.5")
        report(contracts["h1"], OCTOBER, started=True, funds="8")
        report(contracts["h2"], OCTOBER, started=True, funds="12")
    return Scenario(
        xining=xining,
        haidong=haidong,
        transport=transport,
        coordinating=coordinating,
        ndrc=ndrc,
        fair=fair,
        projects=projects,
        contracts=contracts,
        **users,
    )
