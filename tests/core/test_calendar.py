"""Working days follow the State Council holiday arrangements, make-up weekends included."""

import datetime as dt

import pytest

from apps.core.calendar import (
    add_working_days,
    is_working_day,
    load_calendar,
    working_days_between,
)
from apps.core.models import CalendarDay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded_calendar(db):
    load_calendar()  # what load_seed_data (tasks) loads: fixtures/core/holidays.json


D = dt.date


def test_seeded_calendar_has_every_year_2022_to_2026():
    years = {d.year for d in CalendarDay.objects.values_list("date", flat=True)}
    assert years == {2022, 2023, 2024, 2025, 2026}
    # 2026 春节: 2月15日至23日 9 days off, 2月14日 and 2月28日 (Saturdays) worked.
    spring_2026 = CalendarDay.objects.filter(
        date__range=(D(2026, 2, 14), D(2026, 2, 28)), name="春节"
    )
    assert spring_2026.count() == 9
    assert CalendarDay.objects.get(date=D(2026, 2, 28)).is_workday


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2022, 10, 3), False),  # 国庆节, a Monday
        (D(2022, 10, 8), True),  # Saturday make-up day after 国庆
        (D(2022, 10, 10), True),  # plain Monday
        (D(2023, 10, 7), True),  # Saturday make-up day of 中秋国庆 2023
        (D(2024, 2, 4), True),  # Sunday make-up day before 春节 2024
        (D(2025, 1, 28), False),  # 除夕 2025 (new rule: a holiday)
        (D(2026, 2, 14), True),  # Saturday make-up day before 春节 2026
        (D(2026, 11, 21), False),  # plain Saturday
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_add_working_days_skips_the_national_day_week_and_counts_the_makeup_weekend():
    # 2022-09-30 (Fri) + 1 working day: 10-1..10-7 off, 10-8 (Sat) is a make-up workday.
    assert add_working_days(D(2022, 9, 30), 1) == D(2022, 10, 8)
    assert add_working_days(D(2022, 9, 30), 2) == D(2022, 10, 9)
    assert add_working_days(D(2022, 9, 30), 3) == D(2022, 10, 10)


def test_ten_working_days_across_spring_festival_2026():
    # From Fri 2026-02-13: Sat 14 (make-up) is day 1; 15–23 off; 24–27 days 2–5;
    # Sat 28 (make-up) day 6; Mon 3-2 .. Thu 3-5 days 7–10.
    assert add_working_days(D(2026, 2, 13), 10) == D(2026, 3, 5)


def test_plain_weeks_without_holidays():
    assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Fri → Mon
    assert add_working_days(D(2026, 11, 20), 5) == D(2026, 11, 27)
    assert add_working_days(D(2026, 11, 20), 0) == D(2026, 11, 20)


def test_working_days_between_is_the_inverse_of_add():
    start = D(2024, 9, 27)
    for n in (1, 3, 7, 10, 25):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(D(2022, 10, 10), D(2022, 9, 30)) == -3


def test_an_administrator_edit_changes_the_arithmetic():
    # A day the administrator adds (e.g. next year's arrangement) is honoured at once.
    assert add_working_days(D(2027, 1, 29), 1) == D(2027, 2, 1)
    CalendarDay.objects.create(date=D(2027, 2, 1), name="春节", is_workday=False)
    assert add_working_days(D(2027, 1, 29), 1) == D(2027, 2, 2)
