"""The leaders' cockpit: who may open it, that its figures are the lists' figures, and that it
costs the same number of queries however large the library is."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.dashboard import selectors
from apps.projects.filters import ProjectFilter
from apps.projects.models import LibraryStatus, Project
from apps.projects.seed import load_campaign
from apps.reference.models import Region
from tests.contracts.factories import ContractFactory, ContractReportFactory, RateTargetFactory
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(xining, haidong):
    load_campaign()  # the 001 targets
    haidong_region = Region.objects.get(name="海东市")
    return [
        make_project(xining, LibraryStatus.APPROVED, total_investment=Decimal("150")),
        make_project(xining, LibraryStatus.APPROVED, total_investment=Decimal("12.5")),
        make_project(
            haidong, LibraryStatus.APPROVED, total_investment=Decimal("5"), region=haidong_region
        ),
        make_project(xining, LibraryStatus.DRAFT, total_investment=Decimal("99")),
    ]


def test_the_cockpit_shows_the_goal_and_the_inferred_year(client, leader, library):
    client.force_login(leader)
    html = client.get(reverse("dashboard:cockpit")).content.decode()
    assert '<span id="library-goal">10,000</span>' in html
    assert "推定" in html and "2023" in html
    assert "remove_demo_projects" not in html  # developer instructions: administrators only


@pytest.mark.parametrize(
    ("fixture", "status"),
    [("leader", 200), ("reviewer", 200), ("coordinator", 200), ("staff_xining", 403)],
)
def test_who_may_open_the_cockpit(client, request, fixture, status):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("dashboard:cockpit")).status_code == status


def test_library_figures(library):
    overview = selectors.library_overview()
    assert overview["count"] == 3
    assert overview["total"] == Decimal("167.5")
    # 001: "谋划储备投资总量万亿元以上" — the goal is 10,000 亿元, not 22,500 (a sum of tiers).
    assert overview["goal"] == Decimal("10000")
    assert overview["goal_wording"] == "谋划储备投资总量万亿元以上"
    regions = {r["label"]: r for r in overview["by_region"]}
    assert regions["西宁市"]["total_investment"] == Decimal("162.5")
    assert regions["西宁市"]["target"] == Decimal("2500")
    assert regions["海东市"]["count"] == 1
    sizes = {s["label"]: s["count"] for s in overview["sizes"]}
    assert sizes == {"百亿项目": 1, "十亿项目": 1, "亿元项目": 1, "亿元以下": 0}
    pipeline = {s["key"]: s["count"] for s in overview["pipeline"]}
    assert pipeline["approved"] == 3 and pipeline["draft"] == 1


def test_every_drill_down_lists_the_projects_behind_the_figure(library):
    overview = selectors.library_overview()
    rows = [*overview["by_region"], *overview["by_tier"], *overview["by_sector"]]
    rows += [{**s, "count": s["count"]} for s in overview["sizes"]]
    rows += overview["funnel"]
    for row in rows:
        query = QueryDict(urlparse(row["url"]).query)
        listed = ProjectFilter(query, queryset=Project.objects.all()).qs.count()
        assert listed == row["count"], row


def test_contract_rates_against_targets(xining):
    target = RateTargetFactory(due_on=dt.date(2017, 12, 31))
    fair = target.fair
    contracts = [ContractFactory(fair=fair, responsible_unit=xining) for _ in range(4)]
    ContractReportFactory(
        contract=contracts[0], is_started=True, funds_arrived_to_date=Decimal("4")
    )
    ContractReportFactory(contract=contracts[1], is_performing=True)
    ContractReportFactory(contract=contracts[2], is_performing=False)
    overview = selectors.contract_overview()
    assert overview["fair"] == fair
    assert overview["period"] == dt.date(2017, 10, 1)
    o = overview["overall"]
    assert (o["contracts"], o["performing"], o["started"]) == (4, 2, 1)
    assert o["fulfillment_rate"] == Decimal("0.5")
    assert o["funding_rate"] == Decimal("0.1")
    assert o["gap"]["fulfillment"] == Decimal("-0.2")
    assert overview["trend"][-1]["period"] == "2017-10"


def test_cockpit_query_count_does_not_grow_with_the_library(client, leader, xining):
    client.force_login(leader)
    url = reverse("dashboard:cockpit")

    def count() -> int:
        from apps.dashboard import cache

        cache.invalidate()  # all parts computed: a project write recomputes the library only
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        make_project(xining, LibraryStatus.APPROVED)
    small = count()
    for _ in range(20):
        make_project(xining, LibraryStatus.APPROVED)
    assert count() == small


def test_demo_projects_are_announced(client, leader, xining):
    project = make_project(xining, LibraryStatus.APPROVED)
    Project.objects.filter(pk=project.pk).update(is_demo=True)
    client.force_login(leader)
    body = client.get(reverse("dashboard:cockpit")).content.decode()
    assert "项目库含演示数据 1 个项目" in body


def test_a_finished_ledger_is_labelled_history(client, leader, org):
    fair = ContractFactory().fair
    type(fair).objects.filter(pk=fair.pk).update(status="evaluating")
    client.force_login(leader)
    html = client.get(reverse("dashboard:cockpit")).content.decode()
    assert 'id="fair-history"' in html and "总结评估·历史" in html
