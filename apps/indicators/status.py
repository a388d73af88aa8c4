"""The status of a measure in a year: 达标 / 正常 / 滞后 / 无数据, and its traffic light.

Pure functions, no database: the services store the result on each MeasureValue (so lists,
filters and summaries aggregate it in SQL) and recompute it whenever a target or a base changes.

The rule
--------
``elapsed`` is the share of the plan period gone by at the end of ``year``:
(year − start_year) / (end_year − start_year), clamped to 0…1 (2023 → 0.6 of 2020-2025).
``progress`` is how far the value has moved from the base towards the target:
(value − base) / (target − base). A measure is **正常** (on track) when progress ≥ elapsed.

* no value → **无数据**.
* ``gte`` (达到 / 以上): value ≥ target → **达标**; else along the path from the base:
  progress ≥ elapsed → **正常**, otherwise **滞后**.
* ``lte`` (控制在 / 下降至): value ≤ target → **达标**; else the same path rule, falling from
  the base towards the target.
* ``approx`` (左右): |value − target| ≤ tolerance → **达标** (tolerance: the measure's own, else
  5 % of the target). Outside the band: with a base, progress between elapsed and 1 (still on
  the way, not past the target) → **正常**; without a base, within twice the tolerance
  → **正常**; otherwise **滞后** (behind, or off the target either way).
* ``qualitative``: the value is the degree of completion in percent (0-100, 100 = done); it is
  a ``gte`` measure with target 100 and base 0 (no base for a yearly one: 100 = held that year).
* ``national_quota`` (控制在国家下达目标内): the value is the year's assessment outcome,
  1 = the national target was met → **达标**, 0 = not met → **滞后**.
* ``base`` None means there is no path to judge progress along: a measure judged year by year
  (年均增长率, yearly control figures), or a level target whose 2020 value is not known yet.
  Then a value short of the target is **滞后** (for ``approx``: see above).

The traffic light: green = 达标, teal = 正常, amber = 滞后 but with at least 80 % of the
progress the elapsed time asks for (轻微滞后), red = other 滞后, grey = 无数据.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from apps.indicators.choices import PLAN_END_YEAR, PLAN_START_YEAR, Direction, Status

DEFAULT_TOLERANCE_SHARE = Decimal("0.05")
AMBER_SHARE = Decimal("0.8")
HUNDRED = Decimal(100)

LIGHTS = {
    Status.MET: "green",
    Status.ON_TRACK: "teal",
    Status.BEHIND: "red",
    Status.NO_DATA: "grey",
}


@dataclass(frozen=True)
class Assessment:
    status: Status
    progress: Decimal | None  # share of the way from base to target (None without a path)
    expected: Decimal  # elapsed share of the plan period
    light: str  # green / teal / amber / red / grey


def elapsed_share(year: int, start_year: int = PLAN_START_YEAR, end_year: int = PLAN_END_YEAR):
    span = end_year - start_year
    if span <= 0:
        return Decimal(1)
    return min(Decimal(1), max(Decimal(0), Decimal(year - start_year) / Decimal(span)))


def _progress(base: Decimal | None, target: Decimal, value: Decimal) -> Decimal | None:
    if base is None or target == base:
        return None
    return (value - base) / (target - base)


def assess(
    *,
    direction: str,
    base: Decimal | None,
    target: Decimal | None,
    value: Decimal | None,
    year: int,
    start_year: int = PLAN_START_YEAR,
    end_year: int = PLAN_END_YEAR,
    tolerance: Decimal | None = None,
) -> Assessment:
    """Status, progress and light of one value (see the module docstring for the rule)."""
    expected = elapsed_share(year, start_year, end_year)

    def done(status: Status, progress: Decimal | None = None) -> Assessment:
        light = LIGHTS[status]
        if (
            status == Status.BEHIND
            and progress is not None
            and expected > 0
            and progress >= expected * AMBER_SHARE
        ):
            light = "amber"
        return Assessment(status, progress, expected, light)

    if value is None:
        return done(Status.NO_DATA)
    if direction == Direction.NATIONAL_QUOTA:
        return done(Status.MET if value >= 1 else Status.BEHIND)
    if direction == Direction.QUALITATIVE:
        direction, target = Direction.GTE, HUNDRED
        base = None if base is None else Decimal(0)
    if target is None:
        # A numeric measure without a target cannot be judged; treat it as not reported.
        return done(Status.NO_DATA)

    if direction == Direction.GTE:
        if value >= target:
            return done(Status.MET, _progress(base, target, value))
        progress = _progress(base, target, value)
        on_track = progress is not None and progress >= expected
        return done(Status.ON_TRACK if on_track else Status.BEHIND, progress)

    if direction == Direction.LTE:
        if value <= target:
            return done(Status.MET, _progress(base, target, value))
        progress = _progress(base, target, value)
        on_track = progress is not None and progress >= expected
        return done(Status.ON_TRACK if on_track else Status.BEHIND, progress)

    if direction == Direction.APPROX:
        band = tolerance if tolerance is not None else abs(target) * DEFAULT_TOLERANCE_SHARE
        gap = abs(value - target)
        progress = _progress(base, target, value)
        if gap <= band:
            return done(Status.MET, progress)
        # With a path: on the way and not past the band; without: close to the target.
        on_track = expected <= progress <= 1 if progress is not None else gap <= 2 * band
        return done(Status.ON_TRACK if on_track else Status.BEHIND, progress)

    raise ValueError(f"unknown direction {direction!r}")


def derive_status(
    *,
    direction: str,
    base: Decimal | None,
    target: Decimal | None,
    value: Decimal | None,
    year: int,
    start_year: int = PLAN_START_YEAR,
    end_year: int = PLAN_END_YEAR,
    tolerance: Decimal | None = None,
) -> Status:
    """达标 / 正常 / 滞后 / 无数据 of one value; the rule is in the module docstring."""
    return assess(
        direction=direction,
        base=base,
        target=target,
        value=value,
        year=year,
        start_year=start_year,
        end_year=end_year,
        tolerance=tolerance,
    ).status


def worst(statuses) -> Status:
    """An indicator's status: the worst of its measures' (滞后 < 无数据 < 正常 < 达标)."""
    from apps.indicators.choices import STATUS_SEVERITY

    found = [Status(s) for s in statuses]
    if not found:
        return Status.NO_DATA
    return min(found, key=STATUS_SEVERITY.__getitem__)
