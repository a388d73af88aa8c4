"""The calendar in core (issue 10 point 8): seeding a year from ``chinese-calendar`` where the
package knows it, the admin table staying the authority, and the admin's own warning.

chinese-calendar 1.11.0 (the newest on PyPI on 2026-12-01) knows 2004–2026: 2026 has 33 days
off and 6 make-up workdays, exactly what fixtures/core/holidays.json carries from
国务院办公厅关于2026年部分节假日安排的通知. It does not know 2027.
"""

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from freezegun import freeze_time

from apps.core.calendar import load_calendar, seed_year_from_package
from apps.core.models import CalendarDay

pytestmark = pytest.mark.django_db

D = dt.date


def run(*args) -> str:
    out = io.StringIO()
    call_command("seed_calendar", *args, stdout=out)
    return out.getvalue()


def test_a_year_the_package_knows_fills_an_empty_table():
    CalendarDay.objects.all().delete()
    assert "将补录 39 天" in run("2026", "--dry-run")
    assert not CalendarDay.objects.exists()
    out = run("2026")
    assert "2026年：补录 39 天，已录入且一致 0 天（chinese-calendar 1.11.0）" in out
    assert CalendarDay.objects.filter(date__year=2026, is_workday=False).count() == 33
    makeup = CalendarDay.objects.filter(date__year=2026, is_workday=True)
    assert sorted(makeup.values_list("date", flat=True)) == [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    spring = CalendarDay.objects.get(date=D(2026, 2, 17))
    assert (spring.name, spring.is_workday) == ("春节", False)
    assert CalendarDay.objects.get(date=D(2026, 2, 28)).name == "春节调休上班"
    assert spring.note == "chinese-calendar 1.11.0（请以国务院办公厅通知核对）"
    assert spring.history.get().history_change_reason == "manage.py seed_calendar"
    assert "补录 0 天，已录入且一致 39 天" in run("2026")  # again: nothing changes


def test_the_admin_table_stays_the_authority():
    load_calendar()  # the seeded notices 2022–2026
    # An administrator corrected one day (say a local arrangement): the package never wins.
    CalendarDay.objects.filter(date=D(2026, 10, 10)).update(is_workday=False)
    result = seed_year_from_package(2026)
    assert (len(result.added), len(result.kept)) == (0, 38)
    assert result.differing == [(D(2026, 10, 10), False, True)]
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).is_workday is False
    assert "2026-10-10 管理后台为放假，包中为上班：保留管理后台的记录" in run("2026")


def test_2027_is_not_known_anywhere_so_it_is_refused():
    with pytest.raises(CommandError) as exc:
        run("2027")
    assert str(exc.value) == (
        "chinese-calendar 1.11.0 不含2027年安排（最新为2026年）。"
        "请按国务院办公厅通知在管理后台“节假日安排”中录入。"
    )
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_the_model_moved_to_core_with_its_table_and_permissions():
    assert CalendarDay._meta.db_table == "core_calendarday"
    assert CalendarDay.history.model._meta.db_table == "core_historicalcalendarday"
    ct = ContentType.objects.get_for_model(CalendarDay)
    assert ct.app_label == "core"
    assert not ContentType.objects.filter(app_label="tasks", model="calendarday").exists()


@pytest.mark.parametrize(
    ("today", "warned"),
    [
        ("2026-09-30", []),  # the coming year's notice is not due before October
        ("2026-10-01", ["2027"]),
        ("2026-12-01", ["2027"]),
        ("2027-01-15", ["2027"]),  # in 2027 itself, still none
    ],
)
def test_the_admin_list_warns(client, admin_user_, today, warned):
    load_calendar()
    with freeze_time(today):  # signed in on that day: a session from 2026 would have expired
        client.force_login(admin_user_)
        response = client.get("/admin/core/calendarday/")
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert [m[6:10] for m in shown] == warned  # "工作日历缺少2027年…"
    for m in shown:
        assert m.startswith("工作日历缺少2027年国务院办公厅节假日安排")
