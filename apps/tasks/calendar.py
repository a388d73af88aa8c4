"""Working-day arithmetic on the Chinese public-holiday calendar.

A day is a working day when it is Monday–Friday and not a public holiday, or when it is a
make-up workday (调休上班) on a weekend. The exceptions are data (``CalendarDay``) that the
administrator maintains; the 2022–2026 arrangements ship as seed data.

Counting follows the 12345 rules (003): "within N working days" of a day means the N-th working
day after it; the day itself does not count.
"""

from __future__ import annotations

import datetime as dt

from apps.tasks.models import CalendarDay

# Longest run of non-working days in any State Council arrangement is 9 (春节 2026) plus a
# weekend; 2 calendar days per working day plus a margin always covers the window.
_WINDOW_PER_DAY = 2
_WINDOW_MARGIN = 21


def _exceptions(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    """date → is_workday for the listed days in [start, end], in one query."""
    return dict(
        CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_workday")
    )


def _is_working(day: dt.date, exceptions: dict[dt.date, bool]) -> bool:
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def is_working_day(day: dt.date) -> bool:
    return _is_working(day, _exceptions(day, day))


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (n ≥ 0; n = 0 returns ``start`` unchanged)."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return start
    window_end = start + dt.timedelta(days=n * _WINDOW_PER_DAY + _WINDOW_MARGIN)
    exceptions = _exceptions(start, window_end)
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if day > window_end:  # an implausibly long holiday run: widen the window
            window_end = day + dt.timedelta(days=n * _WINDOW_PER_DAY + _WINDOW_MARGIN)
            exceptions |= _exceptions(day, window_end)
        if _is_working(day, exceptions):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days ``end`` lies after ``start``.

    Negative when ``end`` is before ``start`` (e.g. how many working days overdue).
    """
    if end == start:
        return 0
    if end < start:
        return -working_days_between(end, start)
    exceptions = _exceptions(start, end)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if _is_working(day, exceptions):
            count += 1
    return count


# --- coverage: does the calendar know the State Council's arrangement for a year? -----------

# The State Council publishes next year's arrangement in the fourth quarter; from October the
# coming year's absence is worth a warning (deadlines of 10 working days reach into it).
WARN_NEXT_YEAR_FROM_MONTH = 10


def covered_years() -> set[int]:
    """Years with at least one listed holiday (every State Council notice lists 元旦 and 春节)."""
    return {d.year for d in CalendarDay.objects.filter(is_workday=False).dates("date", "year")}


def missing_years(today: dt.date | None = None) -> list[int]:
    """This year, and from October the coming year, when the calendar has no arrangement.

    Working days in such a year are counted Monday–Friday: deadlines may fall on a holiday.
    """
    from django.utils import timezone

    today = today or timezone.localdate()
    wanted = [today.year]
    if today.month >= WARN_NEXT_YEAR_FROM_MONTH:
        wanted.append(today.year + 1)
    covered = covered_years()
    return [y for y in wanted if y not in covered]


def coverage_message(year: int) -> str:
    return (
        f"工作日历缺少{year}年国务院办公厅节假日安排：{year}年的期限暂按周一至周五计算，"
        "节假日和调休可能不准。请在管理后台“节假日安排”中按通知录入放假和调休上班日期。"
    )
