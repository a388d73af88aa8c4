import datetime as dt

import pytest

from apps.core import periods


@pytest.mark.parametrize(
    ("today", "period", "due"),
    [
        (dt.date(2026, 11, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 5)),
        (dt.date(2026, 11, 30), dt.date(2026, 10, 1), dt.date(2026, 11, 5)),
        (dt.date(2027, 1, 4), dt.date(2026, 12, 1), dt.date(2027, 1, 5)),
    ],
)
def test_current_period_and_due_date(today, period, due):
    assert periods.current_period(today) == period
    assert periods.period_due(period) == due


def test_parse_period():
    assert periods.parse_period("2018-05") == dt.date(2018, 5, 1)
    with pytest.raises(ValueError, match="YYYY-MM"):
        periods.parse_period("May 2018")


def test_quarters():
    assert periods.parse_quarter("2017-Q4") == dt.date(2017, 10, 1)
    assert periods.parse_quarter(" 2026-Q1 ") == dt.date(2026, 1, 1)
    for bad in ("2017-Q5", "1999-Q1", "2017Q4", "", "2017-q4"):
        with pytest.raises(ValueError):
            periods.parse_quarter(bad)
    assert periods.quarter_start(dt.date(2017, 12, 31)) == dt.date(2017, 10, 1)
    assert periods.quarter_start(dt.date(2018, 3, 1)) == dt.date(2018, 1, 1)
    assert periods.quarter_param(dt.date(2017, 7, 1)) == "2017-Q3"
