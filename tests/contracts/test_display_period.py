"""One rule for the month a fair is shown for (pages, API, cockpit), on several dates."""

import datetime as dt

import pytest
from freezegun import freeze_time
from rest_framework.test import APIClient

from apps.contracts.selectors import display_period
from apps.dashboard.selectors import contract_overview
from tests.contracts.factories import (
    ContractFactory,
    ContractReportFactory,
    FairFactory,
    RateTargetFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def fair():
    fair = FairFactory(short_name="期间测试会", first_period=D(2017, 8, 1))
    RateTargetFactory(fair=fair, due_on=D(2018, 6, 30))
    return fair


def test_without_reports(fair):
    # Reporting: the month due now. Figures: the same, but not past the last target's month.
    assert display_period(fair, today=D(2017, 11, 3)) == D(2017, 10, 1)
    assert display_period(fair, figures=True, today=D(2017, 11, 3)) == D(2017, 10, 1)
    assert display_period(fair, today=D(2026, 12, 1)) == D(2026, 11, 1)
    assert display_period(fair, figures=True, today=D(2026, 12, 1)) == D(2018, 6, 1)
    # Never before the fair's first reporting month.
    assert display_period(fair, today=D(2017, 8, 20)) == D(2017, 8, 1)
    assert display_period(fair, figures=True, today=D(2017, 8, 20)) == D(2017, 8, 1)


def test_figures_follow_the_latest_report_up_to_the_month_due(fair):
    contract = ContractFactory(fair=fair)
    for month in (9, 10, 11):
        ContractReportFactory(contract=contract, period=D(2017, month, 1))
    # On 3 Nov 2017 the October report is due; the November one (entered early) is not shown.
    assert display_period(fair, figures=True, today=D(2017, 11, 3)) == D(2017, 10, 1)
    assert display_period(fair, figures=True, today=D(2017, 12, 5)) == D(2017, 11, 1)
    # Reports stopped: years later the figures stay as of the last month reported on.
    assert display_period(fair, figures=True, today=D(2026, 12, 1)) == D(2017, 11, 1)
    assert display_period(fair, today=D(2026, 12, 1)) == D(2026, 11, 1)


@freeze_time("2026-12-01 10:00:00+08:00")
def test_page_api_and_cockpit_agree(fair, client, leader):
    contract = ContractFactory(fair=fair)
    ContractReportFactory(contract=contract, period=D(2017, 11, 1))
    client.force_login(leader)
    page = client.get(f"/contracts/rates/?fair={fair.pk}")
    assert page.status_code == 200 and page.context["period"] == D(2017, 11, 1)
    api = APIClient()
    api.force_authenticate(leader)
    body = api.get(f"/api/v1/fairs/{fair.pk}/rates/").json()
    assert body["month"] == "2017-11"
    status = api.get(f"/api/v1/fairs/{fair.pk}/reporting-status/").json()
    assert status["month"] == "2026-11"  # who has reported: the month due now
    overview = contract_overview()
    assert overview["fair"] == fair and overview["period"] == D(2017, 11, 1)
