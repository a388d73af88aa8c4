"""derive_status on hand-built values, one block per direction (plan 2020 → 2025)."""

from decimal import Decimal as D

import pytest

from apps.indicators.choices import Direction, Status
from apps.indicators.status import assess, derive_status, elapsed_share, worst

MET, ON, BEHIND, NONE = Status.MET, Status.ON_TRACK, Status.BEHIND, Status.NO_DATA


def status(direction, value, year, target=None, base=None, tolerance=None):
    return derive_status(
        direction=direction,
        base=None if base is None else D(base),
        target=None if target is None else D(target),
        value=None if value is None else D(value),
        year=year,
        tolerance=None if tolerance is None else D(tolerance),
    )


def test_elapsed_share_of_the_plan_period():
    assert elapsed_share(2020) == 0
    assert elapsed_share(2023) == D("0.6")
    assert elapsed_share(2025) == 1
    assert elapsed_share(2027) == 1


@pytest.mark.parametrize("direction", list(Direction))
def test_no_value_is_no_data(direction):
    assert status(direction, None, 2023, target="10", base="0") == NONE


# ≥: 森林覆盖率 8.0% from a 2020 base of 7.5% (made up for the test).
@pytest.mark.parametrize(
    ("value", "year", "expected"),
    [
        ("8.0", 2023, MET),  # target reached early
        ("8.3", 2025, MET),
        ("7.8", 2023, ON),  # 0.3/0.5 = 60% of the way, 60% of the time
        ("7.79", 2023, BEHIND),  # 58% < 60%
        ("7.6", 2021, ON),  # 20% ≥ 20%
        ("7.9", 2025, BEHIND),  # the final year asks for the whole way
        ("7.4", 2022, BEHIND),  # went backwards
    ],
)
def test_gte_along_the_path(value, year, expected):
    assert status(Direction.GTE, value, year, target="8.0", base="7.5") == expected


def test_gte_cumulative_from_zero():
    """累计新增水土流失综合治理面积 5000 平方公里: base 0."""
    assert status(Direction.GTE, "3000", 2023, target="5000", base="0") == ON
    assert status(Direction.GTE, "2000", 2023, target="5000", base="0") == BEHIND
    assert status(Direction.GTE, "5000", 2024, target="5000", base="0") == MET


def test_gte_without_a_base_is_judged_directly():
    """数字经济产值年均增长率 10%: each year on its own."""
    assert status(Direction.GTE, "10.5", 2022, target="10") == MET
    assert status(Direction.GTE, "9.9", 2022, target="10") == BEHIND


# ≤: 婴儿死亡率 down to 6.5‰ from 8.5‰ (made up).
@pytest.mark.parametrize(
    ("value", "year", "expected"),
    [
        ("6.5", 2022, MET),
        ("6.0", 2025, MET),
        ("7.3", 2023, ON),  # fell 1.2 of 2.0 = 60%
        ("7.4", 2023, BEHIND),  # 55%
        ("8.9", 2021, BEHIND),  # rose
        ("6.6", 2025, BEHIND),
    ],
)
def test_lte_along_the_path(value, year, expected):
    assert status(Direction.LTE, value, year, target="6.5", base="8.5") == expected


def test_lte_yearly_control():
    """城镇调查失业率控制在5.5%左右: judged each year against the ceiling."""
    assert status(Direction.LTE, "5.2", 2022, target="5.5") == MET
    assert status(Direction.LTE, "5.5", 2022, target="5.5") == MET
    assert status(Direction.LTE, "5.9", 2022, target="5.5") == BEHIND


# ≈: 生产总值年均增长率 5.5%左右, default tolerance 5% of the target = 0.275.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5.5", MET),
        ("5.3", MET),  # within 0.275
        ("5.775", MET),  # the edge of the band
        ("5.0", ON),  # within twice the band
        ("6.0", ON),
        ("4.9", BEHIND),
        ("7.0", BEHIND),  # off the target upwards too
    ],
)
def test_approx_yearly(value, expected):
    assert status(Direction.APPROX, value, 2022, target="5.5") == expected


def test_approx_with_its_own_tolerance():
    assert status(Direction.APPROX, "5.0", 2022, target="5.5", tolerance="0.5") == MET
    assert status(Direction.APPROX, "4.4", 2022, target="5.5", tolerance="0.5") == BEHIND


def test_approx_level_along_the_path():
    """常住人口城镇化率 62%左右 (band ±0.5 in the fixture) from 60% in 2020 (made up)."""

    def urban(value, year=2023):
        return status(Direction.APPROX, value, year, target="62", base="60", tolerance="0.5")

    assert urban("61.6") == MET
    assert urban("61.3") == ON  # 65% of the way at 60% of the time
    assert urban("61.0") == BEHIND  # 50%
    assert urban("63.0") == BEHIND  # past the band: off the target
    assert urban("61.3", 2025) == BEHIND


def test_national_quota_is_the_assessment_outcome():
    assert status(Direction.NATIONAL_QUOTA, "1", 2022) == MET
    assert status(Direction.NATIONAL_QUOTA, "0", 2022) == BEHIND


def test_qualitative_completion_percent():
    """力争州府所在地"无废城市"建设全覆盖: completion 0-100 along the plan."""
    assert status(Direction.QUALITATIVE, "100", 2024, base="0") == MET
    assert status(Direction.QUALITATIVE, "60", 2023, base="0") == ON
    assert status(Direction.QUALITATIVE, "40", 2023, base="0") == BEHIND
    # 水质保持在Ⅱ类及以上 (yearly, no base): held that year or not.
    assert status(Direction.QUALITATIVE, "100", 2022) == MET
    assert status(Direction.QUALITATIVE, "90", 2022) == BEHIND


def test_lights():
    def light(value, year=2023):
        return assess(
            direction=Direction.GTE, base=D(0), target=D(100), value=D(value), year=year
        ).light

    assert light("100") == "green"
    assert light("60") == "teal"
    assert light("50") == "amber"  # 50 ≥ 80% of 60
    assert light("47") == "red"
    assert (
        assess(direction=Direction.GTE, base=None, target=D(1), value=None, year=2023).light
        == "grey"
    )


def test_an_indicator_takes_its_worst_measure():
    assert worst([MET, ON]) == ON
    assert worst([MET, NONE]) == NONE
    assert worst([NONE, BEHIND, MET]) == BEHIND
    assert worst([]) == NONE
