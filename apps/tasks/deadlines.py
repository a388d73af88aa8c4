"""From a document's deadline wording to a due date.

The wording is kept as the document states it (``Task.deadline_text``); this module computes a
due date where the wording names one. The rule, for a month M of year Y:

==============================  ======================================
wording                          due date
==============================  ======================================
Y年M月D日                        that day
Y年M月上旬                       Y-M-10 (the 上旬 ends on the 10th)
Y年M月中旬                       Y-M-20 (the 中旬 ends on the 20th)
Y年M月下旬 / 月底 / 月末 / 底前  the last day of M
Y年M月 (bare month)              the last day of M
Y年一/二/三/四季度               the last day of the quarter
Y年上半年 / 下半年               06-30 / 12-31
Y年底 / 年末 / 年内 / Y年        12-31
持续推进 / 持续开展 / 长期坚持  no due date; the task is continuous
==============================  ======================================

A month or quarter without a year takes ``default_year`` (the document's year). Anything else
gives no due date (the coordinator can still set one per assignment through an extension).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

CONTINUOUS = re.compile(r"持续|长期坚持|常态化")
_YEAR = r"(?:(\d{4})年)?"
FULL_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
MONTH_PART = re.compile(_YEAR + r"(\d{1,2})月(上旬|中旬|下旬|底|末)?")
QUARTER = re.compile(_YEAR + r"(?:第)?([一二三四1-4])季度")
HALF = re.compile(_YEAR + r"(上半年|下半年)")
YEAR_END = re.compile(r"(\d{4})年(?:底|末|内)?")
QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class Deadline:
    due_date: dt.date | None
    is_continuous: bool = False


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str, *, default_year: int | None = None) -> Deadline:
    text = (text or "").strip()
    if not text:
        return Deadline(None)
    if CONTINUOUS.search(text):
        return Deadline(None, is_continuous=True)
    if m := FULL_DATE.search(text):
        return Deadline(dt.date(int(m[1]), int(m[2]), int(m[3])))
    if m := MONTH_PART.search(text):
        year = int(m[1]) if m[1] else default_year
        if year is None:
            return Deadline(None)
        month, part = int(m[2]), m[3]
        if part == "上旬":
            return Deadline(dt.date(year, month, 10))
        if part == "中旬":
            return Deadline(dt.date(year, month, 20))
        return Deadline(_month_end(year, month))
    if m := QUARTER.search(text):
        year = int(m[1]) if m[1] else default_year
        if year is None:
            return Deadline(None)
        return Deadline(_month_end(year, QUARTERS[m[2]] * 3))
    if m := HALF.search(text):
        year = int(m[1]) if m[1] else default_year
        if year is None:
            return Deadline(None)
        return Deadline(dt.date(year, 6, 30) if m[2] == "上半年" else dt.date(year, 12, 31))
    if m := YEAR_END.search(text):
        return Deadline(dt.date(int(m[1]), 12, 31))
    if default_year and re.search(r"年底|年末|年内", text):
        return Deadline(dt.date(default_year, 12, 31))
    return Deadline(None)
