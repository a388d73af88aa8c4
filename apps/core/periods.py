"""The monthly reporting rhythm shared by every ledger and library (seed 002: by the 5th).

A monthly report covers a *period* (a calendar month, stored as its first day). The report
for a period is due on the 5th of the following month: the October report is due 5 November.
"""

import datetime as dt
import re

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

DUE_DAY = 5


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + (month.month - 1) + n
    return dt.date(index // 12, index % 12 + 1, 1)


def period_due(period: dt.date) -> dt.date:
    """The day the report for ``period`` is due (the 5th of the next month)."""
    return add_months(month_start(period), 1).replace(day=DUE_DAY)


def current_period(today: dt.date | None = None) -> dt.date:
    """The period units are reporting on now: last month (its report is due this 5th)."""
    today = today or timezone.localdate()
    return add_months(month_start(today), -1)


def parse_period(text: str) -> dt.date:
    """'2026-10' → date(2026, 10, 1); raises ValueError with a readable message."""
    try:
        year, month = (int(p) for p in text.strip().split("-")[:2])
        return dt.date(year, month, 1)
    except (ValueError, TypeError) as exc:
        raise ValueError(_("月份格式应为 YYYY-MM，实为“%(text)s”") % {"text": text}) from exc


def period_label(period: dt.date) -> str:
    """'2026年10月'; in English 'October 2026' (the date format itself is translated)."""
    return dateformat.format(period, _("Y年n月"))


def date_label(day: dt.date) -> str:
    """'2026年03月05日' (the zero-padded form the pages always used); 'March 5, 2026' in English."""
    return dateformat.format(day, _("Y年m月d日"))


def parse_quarter(text: str) -> dt.date:
    """'2017-Q4' → date(2017, 10, 1), the quarter's first month; ValueError otherwise."""
    found = re.fullmatch(r"(\d{4})-Q([1-4])", (text or "").strip())
    if not found or not 2000 <= int(found.group(1)) <= 2100:
        raise ValueError(text)
    return dt.date(int(found.group(1)), 3 * int(found.group(2)) - 2, 1)


def quarter_start(day: dt.date) -> dt.date:
    """The first month of ``day``'s quarter."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_param(start: dt.date) -> str:
    """date(2017, 10, 1) → '2017-Q4' (the ?quarter= form)."""
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
