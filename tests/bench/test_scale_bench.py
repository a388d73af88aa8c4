"""The national-scale benchmark's builder and measured paths, run at a tiny size so they
cannot rot (issue 15): exact counts, the fast rates equal to the per-contract loop, identical
rows from the deferred-join pages, a query budget for every measured path, the bulk import's
history rows and the streamed export. No timings here: speed lives in bench/results.json."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from apps.contracts import selectors as cs
from apps.contracts.models import Contract, Fair
from apps.core import paging
from apps.projects import excel
from apps.projects.models import Project, ProjectStageChange
from bench import dataset, scale

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the builder is PostgreSQL SQL"),
]

PERIOD = dt.date(2025, 12, 1)

#: Queries per measured path, savepoints, session, user and the inbox count included.
BUDGETS = {
    "/api/v1/projects/": 7,
    "/api/v1/projects/?page=3": 7,
    # + the units whose name matches (their ids go into the indexed condition) and the
    # page's keys read before its rows (a filtered list, apps.core.paging)
    "/api/v1/projects/?q=光伏": 8,
    "/projects/": 22,
}


@pytest.fixture
def built():
    return dataset.build(dataset.TINY, stdout=lambda *a: None)


def test_builds_exactly_the_requested_rows_deterministically(built):
    size = dataset.TINY
    assert (built["projects"], built["updates"], built["contracts"], built["reports"]) == (
        size.projects,
        size.updates,
        size.contracts,
        size.reports,
    )
    # A function of the row number only: the same sums on every build.
    assert Project.objects.filter(name__contains="光伏").count() == 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(total_investment), sum(plan_year) FROM projects_project")
        assert [str(v) for v in cursor.fetchone()] == ["109519.7000", "243120"]
    assert Fair.objects.first().name == dataset.BENCH_FAIR  # the cockpit's fair


def test_fast_rates_equal_the_per_contract_loop(built):
    fair = Fair.objects.get(name=dataset.BENCH_FAIR)
    contracts = Contract.objects.filter(fair=fair, seq__lte=100)
    fast = cs.rates(fair=fair, period=PERIOD, queryset=contracts)
    slow = scale.loop_rates(fair, PERIOD, contracts.order_by("seq"))
    assert (fast["contracts"], fast["performing"], fast["started"]) == (
        slow["contracts"],
        slow["performing"],
        slow["started"],
    )
    assert fast["funds_arrived"] == slow["funds"]
    assert (fast["contracts"], fast["performing"], fast["started"]) == (100, 70, 84)


def test_deferred_join_pages_are_the_plain_pages(built, client, leader, monkeypatch):
    client.force_login(leader)
    plain = [client.get(f"/api/v1/projects/?page={n}").json()["results"] for n in (1, 2, 3)]
    monkeypatch.setattr(paging, "DEFERRED_FROM", 0)
    deferred = [client.get(f"/api/v1/projects/?page={n}").json()["results"] for n in (1, 2, 3)]
    assert deferred == plain
    assert sum(len(p) for p in plain) == dataset.TINY.projects


@pytest.mark.parametrize("url", list(BUDGETS))
def test_measured_paths_stay_within_their_query_budget(built, client, leader, url):
    client.force_login(leader)
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx) <= BUDGETS[url]


def test_cockpit_on_the_bench_fair(built, client, leader):
    client.force_login(leader)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    overview = response.context["contracts"]
    assert overview["fair"].name == dataset.BENCH_FAIR and overview["period"] == PERIOD
    assert len(overview["trend"]) == 11  # February–December 2025: the months with reports
    assert overview["overall"] == cs.rates(fair=overview["fair"], period=PERIOD)


def test_bulk_import_writes_history_and_stage_records(built, admin_user_):
    before = Project.objects.count()
    report = excel.import_projects(file=BytesIO(scale.proposal_table(30)), user=admin_user_)
    assert report.ok and report.created == 30
    new = Project.objects.filter(name__startswith="导入基准项目")
    assert new.count() == 30 and Project.objects.count() == before + 30
    assert Project.history.filter(name__startswith="导入基准项目").count() == 30
    assert set(Project.history.filter(name__startswith="导入基准项目").values_list(
        "history_type", "history_user"
    )) == {("+", admin_user_.pk)}  # fmt: skip
    assert ProjectStageChange.objects.filter(project__in=new, note="新建项目").count() == 30


def test_streamed_export_is_the_whole_library(built):
    content = b"".join(excel.stream_projects(queryset=Project.objects.order_by("pk")))
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(min_row=3, values_only=True))
    rows = [r for r in rows if "合计" not in r]  # the computed total line (apps.core.excel)
    assert len(rows) == dataset.TINY.projects


def test_the_fast_list_serializer_is_drfs(built):
    from rest_framework import serializers

    from apps.projects.api.serializers import ProjectSerializer

    rows = list(Project.objects.for_lists().select_related("supervising_department"))
    plain = ProjectSerializer()
    assert [dict(r) for r in ProjectSerializer(rows, many=True).data] == [
        serializers.ModelSerializer.to_representation(plain, p) for p in rows
    ]


@pytest.mark.parametrize("term", ["光伏", "光", "水利工程", "西宁市", "xn", "0"])
def test_the_indexed_search_finds_the_rows_of_the_plain_one(built, term):
    from django.db.models import Q

    from apps.projects.filters import text_search_q
    from apps.reference.models import Organization

    plain = Project.objects.filter(
        Q(name__icontains=term)
        | Q(code__icontains=term)
        | Q(implementing_entity__icontains=term)
        | Q(responsible_unit__in=Organization.objects.filter(name__icontains=term))
    )
    found = Project.objects.filter(text_search_q(term))
    assert sorted(found.values_list("pk", flat=True)) == sorted(plain.values_list("pk", flat=True))
    if term == "光伏":
        assert found.count() == 10


def _queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_rates_by_unit_is_one_query_beside_its_target(built):
    fair = Fair.objects.get(name=dataset.BENCH_FAIR)
    # the target in force (one or two lookups) and the one set-based query
    assert _queries(lambda: cs.rates(fair=fair, period=PERIOD, by="unit")) <= 3


def test_cockpit_after_a_write_recomputes_only_what_the_write_touched(built, client, leader):
    """The measured cockpit paths' budgets (session, user, savepoints and inbox included):
    after a monthly report the contract part only (issue 15 asks ≤ 15 queries), after a
    project's save the library part only."""
    from apps.contracts.models import ContractReport

    client.force_login(leader)
    client.get("/dashboard/")
    report = ContractReport.objects.filter(period=PERIOD).first()
    report.save()
    assert _queries(lambda: client.get("/dashboard/")) <= 15
    Project.objects.order_by("pk").first().save()
    assert _queries(lambda: client.get("/dashboard/")) <= 28


def test_import_and_export_queries_do_not_grow_with_the_rows(built, admin_user_):
    def import_queries(rows: int) -> int:
        content = scale.proposal_table(rows)
        return _queries(lambda: excel.import_projects(file=BytesIO(content), user=admin_user_))

    assert import_queries(20) == import_queries(60)

    def export_queries(limit: int) -> int:
        qs = Project.objects.order_by("pk")[:limit]
        return _queries(lambda: b"".join(excel.stream_projects(queryset=qs)))

    assert export_queries(10) == export_queries(100)
