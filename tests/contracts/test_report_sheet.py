"""The monthly report sheet as the selector builds it and the service saves it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from freezegun import freeze_time

from apps.contracts import selectors, services
from apps.contracts.models import ContractReport
from tests.contracts.factories import ContractFactory, ContractReportFactory, FairFactory

pytestmark = pytest.mark.django_db

SEP, OCT = dt.date(2017, 9, 1), dt.date(2017, 10, 1)


@pytest.fixture
def sheet_fair(xining, haidong):
    fair = FairFactory(short_name="单测会")
    mine = [ContractFactory(fair=fair, seq=n, responsible_unit=xining) for n in (3, 1, 2)]
    ContractFactory(fair=fair, seq=4, responsible_unit=haidong)
    return fair, sorted(mine, key=lambda c: c.seq)


def test_rows_are_filed_carried_or_new(sheet_fair, staff_xining, xining):
    fair, (first, second, third) = sheet_fair
    ContractReportFactory(
        contract=first,
        period=SEP,
        is_started=True,
        started_on=dt.date(2017, 9, 9),
        funds_arrived_to_date=Decimal("2.5"),
        progress="九月进展",
        confirmation_note="九月核实",
    )
    filed = ContractReportFactory(contract=second, period=OCT, progress="十月", problems="缺地")
    sheet = selectors.report_sheet(user=staff_xining, fair=fair, period=OCT, unit=xining)
    assert [r.contract.seq for r in sheet.rows] == [1, 2, 3]
    assert [r.state for r in sheet.rows] == ["carried", "filed", "new"]
    assert sheet.filed == 1
    carried, this_month, blank = sheet.initial
    # Carried forward: the figures and texts, never the version nor the confirmation.
    assert carried == {
        "contract": first.pk,
        "version": None,
        "confirmation_note": "",
        "is_performing": True,
        "is_started": True,
        "started_on": dt.date(2017, 9, 9),
        "funds_arrived_to_date": Decimal("2.5000"),
        "progress": "九月进展",
        "problems": "",
    }
    assert this_month["version"] == filed.version and this_month["problems"] == "缺地"
    assert blank == {
        "contract": third.pk,
        "version": None,
        "confirmation_note": "",
        "is_performing": False,
        "is_started": False,
        "started_on": None,
        "funds_arrived_to_date": Decimal(0),
        "progress": "",
        "problems": "",
    }


def test_unit_choice(sheet_fair, staff_xining, admin_user_, xining, haidong):
    fair, _ = sheet_fair
    # Staff get their own unit whatever they ask for; the administrator picks any.
    assert selectors.reporting_unit(user=staff_xining, fair=fair, requested=str(haidong.pk)) == (
        xining
    )
    assert selectors.reporting_unit(user=admin_user_, fair=fair, requested=str(haidong.pk)) == (
        haidong
    )
    assert selectors.reporting_unit(user=admin_user_, fair=fair, requested="abc") is None
    assert set(selectors.report_units(user=admin_user_, fair=fair)) == {xining, haidong}
    assert list(selectors.report_units(user=staff_xining, fair=fair)) == [xining]
    sheet = selectors.report_sheet(user=staff_xining, fair=fair, period=OCT, unit=None)
    assert sheet.rows == [] and sheet.filed == 0


def _rows(sheet, **changes):
    return [{**row.initial, **changes} for row in sheet.rows]


@freeze_time("2017-11-10")
def test_save_sheet_all_rows(sheet_fair, staff_xining, xining):
    fair, _ = sheet_fair
    sheet = selectors.report_sheet(user=staff_xining, fair=fair, period=OCT, unit=xining)
    saved = services.save_report_sheet(
        user=staff_xining, sheet=sheet, rows=_rows(sheet, progress="十月进展")
    )
    assert len(saved) == 3
    october = ContractReport.objects.filter(period=OCT)
    assert sorted(october.values_list("contract__seq", "progress")) == [
        (1, "十月进展"),
        (2, "十月进展"),
        (3, "十月进展"),
    ]


@freeze_time("2017-11-10")
def test_save_sheet_refuses_a_forged_or_missing_row(sheet_fair, staff_xining, xining):
    fair, _ = sheet_fair
    sheet = selectors.report_sheet(user=staff_xining, fair=fair, period=OCT, unit=xining)
    rows = _rows(sheet)
    with pytest.raises(PermissionDenied):
        services.save_report_sheet(user=staff_xining, sheet=sheet, rows=rows[:2])
    with pytest.raises(PermissionDenied):
        services.save_report_sheet(user=staff_xining, sheet=sheet, rows=[*rows[:2], rows[0]])
    forged = {**rows[2], "contract": ContractFactory(fair=fair, seq=9).pk}
    with pytest.raises(PermissionDenied):
        services.save_report_sheet(user=staff_xining, sheet=sheet, rows=[*rows[:2], forged])
    assert not ContractReport.objects.exists()


def test_reporting_summary():
    rows = [
        {"contracts": 3, "reported": 3, "missing": 0},
        {"contracts": 4, "reported": 1, "missing": 3},
        {"contracts": 2, "reported": 0, "missing": 2},
    ]
    assert selectors.reporting_summary(rows) == {
        "units": 3,
        "complete": 1,
        "partial": 1,
        "none": 1,
        "contracts": 9,
        "reported": 4,
    }


@freeze_time("2017-11-10")
def test_reporting_months_and_default_quarter(sheet_fair):
    fair, (first, _, _) = sheet_fair
    assert selectors.reporting_months(fair) == [
        dt.date(2017, 11, 1),
        OCT,
        SEP,
        dt.date(2017, 8, 1),
    ]
    assert selectors.default_quarter(fair) == dt.date(2017, 7, 1)  # the last complete quarter
    ContractReportFactory(contract=first, period=OCT)
    assert selectors.default_quarter(fair) == OCT


def test_rate_measures_head_the_rates_page():
    overall = {
        "contracts": 10,
        "performing": 7,
        "started": 4,
        "funds_arrived": Decimal("1.5"),
        "total_investment": Decimal("12"),
        "fulfillment_rate": Decimal("0.7000"),
        "start_rate": Decimal("0.4000"),
        "funding_rate": Decimal("0.1250"),
        "target": {"fulfillment": Decimal("0.70"), "start": Decimal("0.50")},
        "gap": {"fulfillment": Decimal("0"), "start": Decimal("-0.1"), "funding": None},
    }
    rows = selectors.rate_measures(overall)
    assert [(r["label"], r["numerator"], r["rate"], r["target"], r["gap"]) for r in rows] == [
        ("履约率", "7 / 10 项", Decimal("0.7000"), Decimal("0.70"), Decimal("0")),
        ("开工率", "4 / 10 项", Decimal("0.4000"), Decimal("0.50"), Decimal("-0.1")),
        ("资金到位率", "1.50 / 12.00 亿元", Decimal("0.1250"), None, None),
    ]
