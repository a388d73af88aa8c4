"""Nightly snapshots: exact figures, stored once, and a past date recomputed gives the same rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from freezegun import freeze_time

from apps.dashboard import snapshots
from apps.dashboard.models import (
    ContractRateSnapshot,
    IndicatorStatusSnapshot,
    LibrarySnapshot,
    TaskStatusSnapshot,
)
from apps.jobs.models import JobRun
from tests.notifications import scenario

pytestmark = pytest.mark.django_db

NOV_10 = dt.date(2026, 11, 10)
D = Decimal


@pytest.fixture
def province(db):
    return scenario.build()


def rates_of(day, fair, **dims):
    row = ContractRateSnapshot.objects.get(date=day, fair=fair, **dims)
    return (
        row.contracts,
        row.performing,
        row.started,
        row.total_investment,
        row.funds_arrived,
        row.fulfillment_rate,
        row.start_rate,
        row.funding_rate,
    )


def test_closed_period_turns_after_the_5th():
    assert snapshots.closed_period(dt.date(2026, 11, 5)) == dt.date(2026, 9, 1)
    assert snapshots.closed_period(dt.date(2026, 11, 6)) == dt.date(2026, 10, 1)
    assert snapshots.closed_period(dt.date(2027, 1, 3)) == dt.date(2026, 11, 1)


def test_contract_rates_as_of_the_closed_period(province):
    result = snapshots.take_snapshots(day=NOV_10)
    # 1 fair row + 3 units + 3 regions (西宁市, 海东市, and 交通厅's contract without a place).
    assert result["contract_rates"] == 7
    fair = province.fair
    # October: 西宁 x1, x3 and 海东 h1, h2 performing and started; funds 2 + 6 + 8 + 12 of 210.
    assert rates_of(NOV_10, fair, scope="fair") == (
        6,
        4,
        4,
        D("210"),
        D("28"),
        D("0.6667"),
        D("0.6667"),
        D("0.1333"),
    )
    assert rates_of(NOV_10, fair, scope="unit", unit=province.haidong) == (
        2,
        2,
        2,
        D("90"),
        D("20"),
        D("1.0000"),
        D("1.0000"),
        D("0.2222"),
    )
    assert rates_of(NOV_10, fair, scope="unit", unit=province.transport)[5:] == (
        D("0"),
        D("0"),
        D("0"),
    )
    # Counties roll up to their 市州: x3 (大通县) counts for 西宁市.
    xining_city = ContractRateSnapshot.objects.get(
        date=NOV_10, fair=fair, scope="region", region__name="西宁市"
    )
    assert (xining_city.contracts, xining_city.funds_arrived) == (3, D("8"))
    assert (
        ContractRateSnapshot.objects.get(
            date=NOV_10, fair=fair, scope="region", region=None
        ).contracts
        == 1
    )
    assert {r.period for r in ContractRateSnapshot.objects.filter(date=NOV_10)} == {
        dt.date(2026, 10, 1)
    }


def test_before_the_5th_the_rates_are_septembers(province):
    day = dt.date(2026, 11, 3)
    snapshots.take_snapshots(day=day)
    # September: 海东 h1 not started yet, funds 4 (not 8) and h2 10 (not 12).
    assert rates_of(day, province.fair, scope="fair") == (
        6,
        4,
        3,
        D("210"),
        D("22"),
        D("0.6667"),
        D("0.5000"),
        D("0.1048"),
    )


def test_library_per_region_tier_sector(province):
    snapshots.take_snapshots(day=NOV_10)
    cells = {
        (c.region.name, c.tier, c.sector.name): (
            c.count,
            c.total_investment,
            c.planned,
            c.completed,
            c.completion_rate,
        )
        for c in LibrarySnapshot.objects.filter(date=NOV_10).select_related("region", "sector")
    }
    assert cells == {
        ("西宁市", "prefecture", "交通运输"): (1, D("120"), D("20"), D("3"), D("0.1500")),
        ("西宁市", "prefecture", "水利"): (1, D("8"), D("2"), D("0.5"), D("0.2500")),
        # September 1 + October 1.5 of the 5 planned.
        ("海东市", "prefecture", "产业发展"): (1, D("15"), D("5"), D("2.5"), D("0.5000")),
    }
    assert {c.year for c in LibrarySnapshot.objects.filter(date=NOV_10)} == {2026}


def test_a_stored_date_is_never_rewritten(province):
    first = snapshots.take_snapshots(day=NOV_10)
    before = list(ContractRateSnapshot.objects.filter(date=NOV_10).values("id", "created_at"))
    scenario.report(province.contracts["x2"], dt.date(2026, 10, 1), performing=True)
    again = snapshots.take_snapshots(day=NOV_10)
    assert again == {
        "date": "2026-11-10",
        "contract_rates": "kept",
        "library": "kept",
        "indicators": "kept",
        "tasks": "kept",
    }
    assert first["contract_rates"] == 7
    assert list(ContractRateSnapshot.objects.filter(date=NOV_10).values("id", "created_at")) == (
        before
    )
    assert rates_of(NOV_10, province.fair, scope="fair")[1] == 4  # x2's late report not in


def test_same_date_recomputed_gives_identical_rows(province, django_user_model):
    snapshots.take_snapshots(day=NOV_10)
    assert snapshots.recompute_matches(NOV_10) == {
        "contract_rates": True,
        "library": True,
        "indicators": True,
        "tasks": True,
    }
    # Life goes on after the 10th: November is reported, a project enters the library, another
    # leaves it. None of it belongs to the 10th.
    november = dt.date(2026, 11, 1)
    for key in province.contracts:
        scenario.report(province.contracts[key], november, started=True, funds="30")
    scenario.update(province.projects["xining_road"], november, "4")
    scenario.library_project(
        province.haidong,
        "新入库项目",
        region="海东市",
        total="50",
        planned="10",
        approved_on=dt.date(2026, 11, 20),
    )
    from apps.projects.models import LibraryStatus, Project, ProjectReviewEvent

    water = province.projects["xining_water"]
    Project.objects.filter(pk=water.pk).update(library_status=LibraryStatus.REMOVED)
    ProjectReviewEvent.objects.create(
        project=water,
        action="remove",
        from_status=LibraryStatus.APPROVED,
        to_status=LibraryStatus.REMOVED,
        actor=django_user_model.objects.create(username="r_reviewer2", role="reviewer"),
        at=timezone.make_aware(dt.datetime(2026, 11, 25, 10)),
        comment="前期工作难以推进",
    )
    assert snapshots.recompute_matches(NOV_10) == {
        "contract_rates": True,
        "library": True,
        "indicators": True,
        "tasks": True,
    }
    # …while a later date does see it.
    later = dt.date(2026, 12, 10)
    assert snapshots.recomputed_rows("contract_rates", later) != snapshots.stored_rows(
        "contract_rates", NOV_10
    )


def test_indicator_and_task_statuses_follow_their_history(seeded, province, admin_user_):
    """Today's snapshot agrees with the live selectors; a change made later does not leak."""
    from apps.indicators.choices import Status
    from apps.indicators.models import Measure
    from apps.indicators.selectors import default_year, indicator_status_summary
    from apps.indicators.services import record_value
    from apps.tasks.models import Assignment, SourceDocument
    from apps.tasks.selectors import task_status_summary

    today = timezone.localdate()
    year = default_year(today)
    # A lead unit enters this year's value of a measure with a numeric target.
    measure = Measure.objects.filter(target_value__isnull=False, yearly=True).first()
    entered = record_value(user=admin_user_, measure=measure, year=year, value=measure.target_value)
    snapshots.take_snapshots(day=today)

    measures = IndicatorStatusSnapshot.objects.filter(date=today)
    assert measures.count() == Measure.objects.count()
    live = indicator_status_summary(year=year)["measures"]
    snap = {s.value: measures.filter(status=s.value).count() for s in Status}
    assert snap == live
    mine = measures.get(measure=measure)
    assert (mine.value, mine.status) == (entered.value, entered.status)
    assert entered.status != Status.NO_DATA

    tasks = TaskStatusSnapshot.objects.filter(date=today)
    summary = task_status_summary(today)
    # Snapshots count every assignment (history included); overdue only live work, as the
    # boards do — the seeded documents are all past their periods, so none is overdue.
    assert sum(t.count for t in tasks) == Assignment.objects.count() > 0
    assert sum(t.overdue for t in tasks) == summary["overdue"] == 0
    by_source = {
        row["code"]: row["assignments"] for row in summary["per_source"] if row["assignments"]
    }
    codes = dict(SourceDocument.objects.values_list("pk", "code"))
    assert {
        codes[t["source"]]: t["n"] for t in tasks.values("source").annotate(n=Sum("count"))
    } == by_source
    # The seeds' own figures: 002's 50 夏秋季攻势 tasks were handed to units 627 times.
    assert by_source["002"] == 627

    # Tomorrow someone changes a due date: today's recomputation does not see it.
    assignment = Assignment.objects.filter(due_date__isnull=False).first()
    with freeze_time(timezone.now() + dt.timedelta(days=1)):
        assignment.due_date = dt.date(2099, 1, 1)
        assignment.save()
    assert snapshots.recompute_matches(today)["tasks"] is True


def test_the_nightly_task_stores_yesterday_and_records_its_run(province):
    from apps.dashboard.tasks import take_snapshots

    with freeze_time("2026-11-11 01:30", tz_offset=-8):  # 01:30 in Xining
        result = take_snapshots.delay().get()
    assert result["date"] == "2026-11-10" and result["contract_rates"] == 7
    job = JobRun.objects.get(kind="snapshots.nightly")
    assert job.status == JobRun.Status.SUCCEEDED and job.result == result


def test_rate_trend_reads_the_stored_dates(province):
    for day in (dt.date(2026, 11, 3), NOV_10):
        snapshots.take_snapshots(day=day)
    trend = snapshots.rate_trend(fair=province.fair)
    assert [(r.date, r.period, r.start_rate) for r in trend] == [
        (dt.date(2026, 11, 3), dt.date(2026, 9, 1), D("0.5000")),
        (NOV_10, dt.date(2026, 10, 1), D("0.6667")),
    ]
    haidong = snapshots.rate_trend(fair=province.fair, unit=province.haidong, since=NOV_10)
    assert [r.funding_rate for r in haidong] == [D("0.2222")]
