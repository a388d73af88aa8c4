"""A fair's reporting window and life cycle (issue 11 point 2): 002's targets end in May 2018,
so the 2017 fair is never chased in 2026; its coordinator closes the ledger with a date."""

import datetime as dt

import pytest
from freezegun import freeze_time

from apps.contracts.models import Fair
from apps.contracts.selectors import reporting_fairs
from apps.contracts.services import advance_fair_windows
from tests.contracts.factories import FairFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def fair(org):
    return FairFactory(
        coordinating_unit=org("省经济和信息化委"),
        first_period=D(2017, 8, 1),
        last_period=D(2018, 5, 1),
    )


def test_reminders_only_inside_the_window(fair):
    assert fair in reporting_fairs(D(2017, 8, 1))
    assert fair in reporting_fairs(D(2018, 5, 1))
    assert fair not in reporting_fairs(D(2017, 7, 1))  # before the first month
    assert fair not in reporting_fairs(D(2018, 6, 1))  # after the last one
    assert fair not in reporting_fairs(D(2026, 11, 1))


def test_past_the_window_the_ledger_goes_to_evaluation(fair):
    with freeze_time("2018-06-05"):  # May's report is due today: still live
        assert advance_fair_windows() == []
    with freeze_time("2018-06-06"):
        assert advance_fair_windows() == [fair.short_name]
    fair.refresh_from_db()
    assert fair.status == "evaluating"
    assert fair not in reporting_fairs(D(2018, 5, 1))  # no more reminders, even for May


def test_the_coordinator_closes_the_ledger(client, fair, coordinator, staff_xining):
    client.force_login(staff_xining)
    url = f"/contracts/fairs/{fair.pk}/status/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "closed"}).status_code == 403
    client.force_login(coordinator)
    r = client.post(url, {"status": "closed", "on": "2018-12-31", "note": ""})
    assert Fair.objects.get(pk=fair.pk).status == "active"  # a note is required
    r = client.post(url, {"status": "closed", "on": "2018-12-31", "note": "落地工作总结已报省政府"})
    assert r.status_code == 302
    fair.refresh_from_db()
    assert (fair.status, fair.closed_on, fair.closed_by) == ("closed", D(2018, 12, 31), coordinator)


def test_the_admin_shows_the_status_read_only(client, fair, admin_user_):
    """Status changes go through change_fair_status (step checked, date and note required):
    the admin form has no status field, only a link to the fair's status page."""
    client.force_login(admin_user_)
    r = client.get(f"/admin/contracts/fair/{fair.pk}/change/")
    assert r.status_code == 200
    html = r.content.decode()
    for name in ("status", "status_note", "closed_on", "closed_by"):
        assert f'name="{name}"' not in html
    assert f'href="/contracts/fairs/{fair.pk}/status/"' in html
