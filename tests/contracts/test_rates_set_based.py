"""The set-based rates (LEFT JOIN LATERAL, one-pass month series) equal the ORM's correlated
subqueries, which stay the reference (and SQLite's path) — on the seed ledger with its demo
reports and on the hand-built case with known answers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.contracts import selectors
from apps.contracts.models import Contract
from apps.core.periods import add_months
from apps.demo.contract_reports import load_demo_reports

pytestmark = pytest.mark.django_db

KEYS = [
    "contracts",
    "reported",
    "performing",
    "started",
    "total_investment",
    "funds_arrived",
    "fulfillment_rate",
    "start_rate",
    "funding_rate",
]
FIRST, LAST = dt.date(2017, 8, 1), dt.date(2018, 5, 1)


@pytest.fixture
def reported_fair(seed_fair):
    load_demo_reports(fair=seed_fair, first=FIRST, last=LAST)
    return seed_fair


def _months(first, last):
    out = [first]
    while out[-1] < last:
        out.append(add_months(out[-1], 1))
    return out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the LATERAL form is PostgreSQL's")
def test_lateral_rates_equal_the_orm_rates(reported_fair):
    fair = reported_fair
    narrowed = Contract.objects.filter(seq__lte=120)
    for period in (dt.date(2017, 7, 1), FIRST, dt.date(2017, 12, 1), LAST):
        target = selectors.target_in_force(fair=fair, period=period)
        for by in (None, "unit", "region"):
            for qs in (None, narrowed):
                args = {"fair": fair, "period": period, "by": by, "queryset": qs, "target": target}
                assert selectors._rates_lateral(**args) == selectors._rates_orm(**args), (
                    period,
                    by,
                )


def test_seed_rates_at_the_last_month(reported_fair):
    """The figures themselves, so neither form can drift with the other."""
    overall = selectors.rates(fair=reported_fair, period=LAST)
    assert overall["contracts"] == 346
    assert overall == selectors._rates_orm(
        fair=reported_fair,
        period=LAST,
        by=None,
        queryset=None,
        target=selectors.target_in_force(fair=reported_fair, period=LAST),
    )
    assert overall["reported"] == overall["contracts"]


def test_rate_series_equals_rates_month_by_month(reported_fair, django_assert_num_queries):
    months = _months(dt.date(2017, 6, 1), LAST)
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else len(months)):
        series = selectors.rate_series(fair=reported_fair, periods=months)
    assert [s["period"] for s in series] == months
    for row in series:
        expected = selectors.rates(fair=reported_fair, period=row["period"])
        for key in KEYS:
            assert row[key] == expected[key], (row["period"], key)
    assert series[0]["reported"] == 0 and series[0]["funds_arrived"] == Decimal("0")


def test_rates_query_budget(reported_fair):
    """One query per rates call (plus the target in force), whatever the ledger's size."""
    for by in (None, "unit", "region"):
        with CaptureQueriesContext(connection) as ctx:
            selectors.rates(fair=reported_fair, period=LAST, by=by)
        assert len(ctx) <= (4 if by == "region" else 3), by


def _latest_state_table() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contract_id, period, is_performing, is_started, funds_arrived_to_date"
            " FROM contracts_latest_report"
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def _latest_from_reports() -> dict:
    from apps.contracts.models import ContractReport

    out = {}
    for r in ContractReport.objects.order_by("contract_id", "period"):
        out[r.contract_id] = (r.period, r.is_performing, r.is_started, r.funds_arrived_to_date)
    return out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_latest_report_state_follows_every_kind_of_write(reported_fair):
    """contracts_latest_report is kept by triggers: saves, QuerySet.update, deletes and
    bulk inserts all leave it equal to the reports, and the rates equal the ORM's after each."""
    from apps.contracts.models import ContractReport

    fair = reported_fair

    def check():
        assert _latest_state_table() == _latest_from_reports()
        for period in (dt.date(2017, 12, 1), LAST, add_months(LAST, 1)):
            target = selectors.target_in_force(fair=fair, period=period)
            for by in (None, "unit"):
                args = {"fair": fair, "period": period, "by": by, "queryset": None}
                assert selectors._rates_lateral(**args, target=target) == (
                    selectors._rates_orm(**args, target=target)
                ), (period, by)

    check()
    first, second = Contract.objects.filter(fair=fair).order_by("seq")[:2]
    ContractReport.objects.filter(contract=first, period=LAST).update(
        is_performing=False, funds_arrived_to_date=Decimal("7.5")
    )
    check()
    ContractReport.objects.filter(contract=second, period=LAST).delete()  # back a month
    check()
    ContractReport.objects.filter(contract=second).delete()  # never reported now
    check()
    ContractReport.objects.bulk_create(
        [
            ContractReport(contract=second, period=add_months(LAST, 1), is_started=True),
            ContractReport(contract=first, period=add_months(LAST, 1), is_performing=True),
        ]
    )
    check()


def test_fair_total_from_the_unit_rows_equals_the_fair_rates(reported_fair):
    for period in (dt.date(2017, 12, 1), LAST):
        by_unit = selectors.rates(fair=reported_fair, period=period, by="unit")
        whole = selectors.rates_row(fair=reported_fair, period=period)
        assert selectors.total_of(by_unit, period) == whole
        target = selectors.target_in_force(fair=reported_fair, period=period)
        assert selectors.finish_rates(whole, target) == selectors.rates(
            fair=reported_fair, period=period
        )
