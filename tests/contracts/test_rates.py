"""Rates on a hand-built ledger with known answers (履约率, 开工率, 资金到位率 vs targets)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from apps.contracts.selectors import rates, reporting_status, target_in_force, units_missing_report
from apps.reference.models import Region
from tests.contracts.factories import (
    ContractFactory,
    ContractReportFactory,
    FairFactory,
    RateTargetFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal
OCT, NOV = dt.date(2017, 10, 1), dt.date(2017, 11, 1)


@pytest.fixture
def case(org):
    """Three units, six contracts, 200 亿元 signed (one amount unknown):

    西宁市政府: c1 10亿 (大通县), c2 20亿 (湟源县)
    海东市政府: c3 30亿 (乐都区), c4 40亿 (民和县)
    省发展改革委: c5 100亿, c6 amount unknown — no reports at all, no region
    October: c1 performing+started 2亿, c2 performing 0, c3 performing+started 6亿.
    November: c1 performing+started 4亿, c4 not performing. (c2, c3 not refiled.)
    """
    fair = FairFactory(short_name="测试会-rates")
    RateTargetFactory(fair=fair, due_on=dt.date(2017, 12, 31))
    RateTargetFactory(
        fair=fair,
        due_on=dt.date(2018, 5, 31),
        fulfillment=D("0.9"),
        start=D("0.8"),
        funding=D("0.3"),
    )
    xn, hd, ndrc = org("西宁市政府"), org("海东市政府"), org("省发展改革委")

    def region(name):
        return Region.objects.get(short_name=name)

    c = {}
    for key, unit, amount, reg in [
        ("c1", xn, "10", "大通县"),
        ("c2", xn, "20", "湟源县"),
        ("c3", hd, "30", "乐都区"),
        ("c4", hd, "40", "民和县"),
        ("c5", ndrc, "100", None),
        ("c6", ndrc, None, None),
    ]:
        c[key] = ContractFactory(
            fair=fair,
            responsible_unit=unit,
            total_investment=D(amount) if amount else None,
            region=region(reg) if reg else None,
        )
    started = dt.date(2017, 10, 15)
    ContractReportFactory(
        contract=c["c1"], period=OCT, is_started=True, started_on=started, funds_arrived_to_date=2
    )
    ContractReportFactory(contract=c["c2"], period=OCT)
    ContractReportFactory(
        contract=c["c3"], period=OCT, is_started=True, started_on=started, funds_arrived_to_date=6
    )
    ContractReportFactory(
        contract=c["c1"], period=NOV, is_started=True, started_on=started, funds_arrived_to_date=4
    )
    ContractReportFactory(contract=c["c4"], period=NOV, is_performing=False)
    return fair, c, (xn, hd, ndrc)


def measures(row):
    return (
        row["contracts"],
        row["reported"],
        row["performing"],
        row["started"],
        row["total_investment"],
        row["funds_arrived"],
        row["fulfillment_rate"],
        row["start_rate"],
        row["funding_rate"],
    )


def test_whole_fair_month_by_month(case):
    fair, *_ = case
    # A month before any report: every rate is zero, not missing.
    sept = rates(fair=fair, period=dt.date(2017, 9, 1))
    assert measures(sept) == (6, 0, 0, 0, D(200), D(0), D(0), D(0), D(0))
    assert sept["gap"] == {"fulfillment": D("-0.7"), "start": D("-0.5"), "funding": D("-0.15")}

    octo = rates(fair=fair, period=OCT)
    assert measures(octo) == (6, 3, 3, 2, D(200), D(8), D("0.5"), D("0.3333"), D("0.04"))
    assert octo["target"]["due_on"] == dt.date(2017, 12, 31)
    assert octo["gap"] == {"fulfillment": D("-0.2"), "start": D("-0.1667"), "funding": D("-0.11")}

    # November: c1 refiled (4亿), c4 reported not performing; c2 and c3 carry October over.
    nov = rates(fair=fair, period=NOV)
    assert measures(nov) == (6, 4, 3, 2, D(200), D(10), D("0.5"), D("0.3333"), D("0.05"))


def test_per_unit_including_a_unit_with_no_reports(case):
    fair, _, (xn, hd, ndrc) = case
    rows = rates(fair=fair, period=NOV, by="unit")
    assert [r["unit_id"] for r in rows] == [xn.pk, hd.pk, ndrc.pk]
    assert [measures(r) for r in rows] == [
        (2, 2, 2, 1, D(30), D(4), D(1), D("0.5"), D("0.1333")),
        (2, 2, 1, 1, D(70), D(6), D("0.5"), D("0.5"), D("0.0857")),
        (2, 0, 0, 0, D(100), D(0), D(0), D(0), D(0)),
    ]
    assert rows[2]["gap"] == {"fulfillment": D("-0.7"), "start": D("-0.5"), "funding": D("-0.15")}
    assert rows[0]["gap"]["fulfillment"] == D("0.3")  # ahead of target


def test_per_region(case):
    fair, *_ = case
    rows = rates(fair=fair, period=NOV, by="region")
    assert [(r["region_name"], r["contracts"], r["fulfillment_rate"]) for r in rows] == [
        ("西宁市", 2, D(1)),
        ("海东市", 2, D("0.5")),
        ("省直及未明确地区", 2, D(0)),
    ]
    assert rows[0]["funding_rate"] == D("0.1333") and rows[2]["region_id"] is None


def test_target_in_force(case):
    fair, *_ = case
    assert target_in_force(fair=fair, period=dt.date(2017, 12, 1)).due_on == dt.date(2017, 12, 31)
    assert target_in_force(fair=fair, period=dt.date(2018, 1, 1)).due_on == dt.date(2018, 5, 31)
    # After the last due date the last target stays in force.
    later = rates(fair=fair, period=dt.date(2018, 9, 1))
    assert later["target"]["fulfillment"] == D("0.9")
    assert later["gap"]["start"] == D("0.3333") - D("0.8")


def test_no_contracts_no_targets():
    fair = FairFactory(short_name="测试会-empty")
    row = rates(fair=fair, period=OCT)
    assert row["contracts"] == 0 and row["fulfillment_rate"] is None and row["target"] is None
    assert row["gap"] == {"fulfillment": None, "start": None, "funding": None}
    assert rates(fair=fair, period=OCT, by="unit") == []


def test_bad_grouping():
    with pytest.raises(ValueError):
        rates(fair=FairFactory(), period=OCT, by="sector")


def test_rates_are_sql_not_a_loop(case, org):
    fair, *_ = case
    for by in (None, "unit", "region"):
        with CaptureQueriesContext(connection) as few:
            rates(fair=fair, period=NOV, by=by)
        for _ in range(30):
            ContractFactory(fair=fair, responsible_unit=org("海南州政府"))
        with CaptureQueriesContext(connection) as many:
            rates(fair=fair, period=NOV, by=by)
        assert len(many) == len(few) <= 3, by


@freeze_time("2017-12-10")
def test_reporting_status_and_missing_units(case):
    fair, _, (xn, hd, ndrc) = case
    status = reporting_status(fair=fair, period=NOV)
    assert [(s["unit_id"], s["contracts"], s["reported"], s["missing"]) for s in status] == [
        (xn.pk, 2, 1, 1),
        (hd.pk, 2, 1, 1),
        (ndrc.pk, 2, 0, 2),
    ]
    assert status[0]["due_on"] == dt.date(2017, 12, 5) and status[0]["overdue"]
    assert status[0]["last_reported_at"] is not None and status[2]["last_reported_at"] is None
    assert set(units_missing_report(fair=fair, period=NOV)) == {xn, hd, ndrc}
    # October: 西宁 filed both, 海东 one of two, 省发展改革委 none.
    assert set(units_missing_report(fair=fair, period=OCT)) == {hd, ndrc}
    assert not reporting_status(fair=fair, period=OCT)[0]["overdue"]
