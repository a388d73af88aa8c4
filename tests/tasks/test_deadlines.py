"""The deadline wording → due date rule (apps.tasks.deadlines)."""

import datetime as dt

import pytest

from apps.tasks.deadlines import parse_deadline

D = dt.date


@pytest.mark.parametrize(
    ("text", "due", "continuous"),
    [
        ("2022年8月中旬", D(2022, 8, 20), False),
        ("2022年8月上旬", D(2022, 8, 10), False),
        ("2022年2月下旬", D(2022, 2, 28), False),
        ("《青海省政府投资管理办法》于2022年8月底前完成", D(2022, 8, 31), False),
        ("2024年2月底", D(2024, 2, 29), False),
        ("2023年6月30日", D(2023, 6, 30), False),
        ("三季度", D(2017, 9, 30), False),
        ("2022年上半年", D(2022, 6, 30), False),
        ("2025年", D(2025, 12, 31), False),
        ("2022年底前", D(2022, 12, 31), False),
        ("年底前", D(2017, 12, 31), False),
        ("8月中旬", D(2017, 8, 20), False),
        ("持续推进", None, True),
        ("持续开展", None, True),
        ("", None, False),
        ("尽快", None, False),
    ],
)
def test_parse_deadline(text, due, continuous):
    deadline = parse_deadline(text, default_year=2017)
    assert deadline.due_date == due
    assert deadline.is_continuous is continuous
