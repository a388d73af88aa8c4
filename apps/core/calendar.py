"""Working-day arithmetic on the Chinese public-holiday calendar.

A day is a working day when it is Monday–Friday and not a public holiday, or when it is a
make-up workday (调休上班) on a weekend. The exceptions are data (``CalendarDay``) that the
administrator maintains; the 2022–2026 arrangements ship as seed data.

Counting follows the 12345 rules (003): "within N working days" of a day means the N-th working
day after it; the day itself does not count.

It lives in core (issue 10 pt 8) because the tasks' and the problems' time limits both count in
it. ``missing_years`` tells when a year has no arrangement (system check core.W001, the admin's
list and home page warn); ``seed_year_from_package`` fills a year from ``chinese-calendar``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.conf import settings

from apps.core.models import CalendarDay

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


# --- the seeded arrangements (2022–2026, fixtures/core/holidays.json) ----------------------


def load_calendar() -> int:
    """Expand the State Council arrangements (periods + make-up days) into calendar days."""
    count = 0
    for year in json.loads(
        (settings.FIXTURES_DIR / "core" / "holidays.json").read_text(encoding="utf-8")
    ):
        for period in year["periods"]:
            day = dt.date.fromisoformat(period["start"])
            end = dt.date.fromisoformat(period["end"])
            while day <= end:
                CalendarDay.objects.update_or_create(
                    date=day,
                    defaults={"is_workday": False, "name": period["name"], "note": year["source"]},
                )
                day += dt.timedelta(days=1)
                count += 1
            for makeup in period["makeup"]:
                CalendarDay.objects.update_or_create(
                    date=dt.date.fromisoformat(makeup),
                    defaults={
                        "is_workday": True,
                        "name": f"{period['name']}调休上班",
                        "note": year["source"],
                    },
                )
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


# --- seeding a year from the chinese-calendar package (manage.py seed_calendar) --------------
# The package carries the State Council arrangements up to its release (1.11.0: 2004–2026).
# The admin table stays the authority: a day already entered is never changed, only compared.

PACKAGE = "chinesecalendar"  # the distribution; the module is chinese_calendar


@dataclass
class SeedResult:
    year: int
    package_version: str
    known: bool
    latest_known_year: int | None = None
    added: list[tuple[dt.date, bool, str]] = field(default_factory=list)
    kept: list[dt.date] = field(default_factory=list)  # entered already and agreeing
    differing: list[tuple[dt.date, bool, bool]] = field(default_factory=list)  # day, table, pkg


def package_arrangement(year: int) -> tuple[str, list[tuple[dt.date, bool, str]], int | None]:
    """(package version, the year's days as (date, is_workday, name), latest year known).

    The list is empty when the package does not know ``year``. Raises ImportError when the
    package is not installed."""
    from importlib.metadata import version

    from chinese_calendar import constants

    def chinese(value: str) -> str:
        return constants.Holiday(value).chinese

    days = [(d, False, chinese(v)) for d, v in constants.holidays.items() if d.year == year]
    days += [
        (d, True, f"{chinese(v)}调休上班") for d, v in constants.workdays.items() if d.year == year
    ]
    latest = max((d.year for d in constants.holidays), default=None)
    return version(PACKAGE), sorted(days), latest


def seed_year_from_package(year: int, *, dry_run: bool = False) -> SeedResult:
    """Add the days of ``year`` the package knows and the table lacks; report the others."""
    from django.db import transaction

    package_version, days, latest = package_arrangement(year)
    result = SeedResult(year, package_version, bool(days), latest)
    if not days:
        return result
    entered = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday"))
    note = f"chinese-calendar {package_version}（请以国务院办公厅通知核对）"
    with transaction.atomic():
        for day, is_workday, name in days:
            if day in entered:
                if entered[day] == is_workday:
                    result.kept.append(day)
                else:
                    result.differing.append((day, entered[day], is_workday))
                continue
            result.added.append((day, is_workday, name))
            if not dry_run:
                obj = CalendarDay(date=day, is_workday=is_workday, name=name, note=note)
                obj._change_reason = "manage.py seed_calendar"
                obj.full_clean()
                obj.save()
    return result
