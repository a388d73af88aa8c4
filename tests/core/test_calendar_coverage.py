"""The working-day calendar covers the coming year, or says it does not (issue 11 point 5).

The seeds carry the State Council arrangements for 2022–2026. The 2027 notice was not
available to this build: ``chinese-calendar`` 1.11.0 (PyPI, November 2025) also stops at 2026,
so no 2027 dates were entered — the platform warns instead of inventing them.
"""

import datetime as dt

import pytest
from freezegun import freeze_time

from apps.core import calendar
from apps.core.checks import calendar_covers_the_coming_year
from apps.core.models import CalendarDay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded_calendar(db):
    calendar.load_calendar()


def test_the_seeded_years():
    assert {2022, 2023, 2024, 2025, 2026} <= calendar.covered_years()
    assert 2027 not in calendar.covered_years()


@pytest.mark.parametrize(
    ("today", "missing"),
    [
        (dt.date(2026, 6, 1), []),  # mid-year: the coming year's notice is not due yet
        (dt.date(2026, 12, 1), [2027]),  # Q4: 2027 is not entered
        (dt.date(2027, 3, 1), [2027]),  # in 2027 itself, still none
    ],
)
def test_missing_years(today, missing):
    assert calendar.missing_years(today) == missing


def test_system_check_and_admin_notice(client, admin_user_, staff_xining):
    with freeze_time("2026-12-01"):
        warnings = calendar_covers_the_coming_year()
        assert [w.id for w in warnings] == ["core.W001"]
        assert "2027年" in warnings[0].msg and "周一至周五" in warnings[0].msg
    client.force_login(admin_user_)
    titles = [w["title"] for w in client.get("/").context["widgets"]]
    assert "2027年节假日安排未录入" in titles
    client.force_login(staff_xining)
    titles = [w["title"] for w in client.get("/").context["widgets"]]
    assert "2027年节假日安排未录入" not in titles  # administrators only


def test_entering_the_notice_silences_the_warning():
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), name="元旦", note="国办发明电（2027）")
    with freeze_time("2026-12-01"):
        assert calendar_covers_the_coming_year() == []
