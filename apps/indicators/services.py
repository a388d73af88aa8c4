"""Writes of the indicator app: yearly values (lead units only) and status refreshes.

Who may enter a value: the policy module lets a unit change the records it owns, and an
indicator is owned by its lead AND participating units (so both may view it). 004 and the
mission say the yearly monitoring values are entered by the lead unit (牵头单位); participating
units only view. So on top of ``policy.can(user, CHANGE, measure)`` every write here checks
that the user's unit leads the indicator (``may_enter_values``); admins may enter for anyone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core import permissions as policy
from apps.core.concurrency import ConcurrentEditError, save_versioned
from apps.indicators.choices import Direction
from apps.indicators.models import Measure, MeasureValue, MeasureYearTarget
from apps.indicators.status import Assessment, assess


def may_enter_values(user: Any, measure: Measure) -> bool:
    """Lead-unit staff (and admins) enter a measure's values; participating units only view
    (policy ``Action.ENTER_VALUES``)."""
    return policy.can(user, policy.Action.ENTER_VALUES, measure)


def effective_base(measure: Measure, *, base_year_value: Decimal | None = None) -> Decimal | None:
    """The base the path is measured from: none for yearly measures, the stated base value,
    else the value entered for the base year (2020) if there is one."""
    if measure.yearly:
        return None
    if measure.base_value is not None:
        return measure.base_value
    return base_year_value


def _base_year_value(measure: Measure) -> Decimal | None:
    return (
        MeasureValue.objects.filter(measure=measure, year=measure.base_year)
        .values_list("value", flat=True)
        .first()
    )


# Directions a yearly target (分年度目标) can be set for: the others are judged by completion
# (国家下达目标内) or degree (定性), not by a number per year.
YEAR_TARGET_DIRECTIONS = (Direction.GTE, Direction.LTE, Direction.APPROX)


def takes_year_targets(measure: Measure) -> bool:
    return measure.direction in YEAR_TARGET_DIRECTIONS


def assessment_for(
    measure: Measure,
    *,
    year: int,
    value: Decimal | None,
    base: Decimal | None,
    year_target: Decimal | None = None,
) -> Assessment:
    """Status, progress and light of a value: against the year's own target when the lead
    unit set one (分年度目标: reached → 达标, short → 滞后, in the year's terms), else along the
    plan path. The stored status (``status_for``) and the pages' lights both come from here."""
    if year_target is not None and takes_year_targets(measure):
        return assess(
            direction=measure.direction,
            base=None,
            target=year_target,
            value=value,
            year=year,
            start_year=year,
            end_year=year,
            tolerance=measure.tolerance,
        )
    return assess(
        direction=measure.direction,
        base=base,
        target=measure.target_value,
        value=value,
        year=year,
        start_year=measure.base_year,
        end_year=measure.target_year,
        tolerance=measure.tolerance,
    )


def status_for(
    measure: Measure,
    *,
    year: int,
    value: Decimal | None,
    base: Decimal | None,
    year_target: Decimal | None = None,
):
    """The stored status of a value (see ``assessment_for``)."""
    return assessment_for(
        measure, year=year, value=value, base=base, year_target=year_target
    ).status


def _validate_value(measure: Measure, year: int, value: Decimal) -> None:
    errors: dict[str, str] = {}
    if year not in measure.years:
        errors["year"] = _("年份应在 %(base_year)s—%(target_year)s 之间。") % {
            "base_year": measure.base_year,
            "target_year": measure.target_year,
        }
    if measure.direction == Direction.NATIONAL_QUOTA and value not in (Decimal(0), Decimal(1)):
        errors["value"] = _("“国家下达目标内”类监测项填 1（完成）或 0（未完成）。")
    if measure.direction == Direction.QUALITATIVE and not (0 <= value <= 100):
        errors["value"] = _("定性监测项填完成程度 0—100（%）。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_value(
    *,
    user: Any,
    measure: Measure,
    year: int,
    value: Decimal,
    note: str = "",
    version: int | None = None,
) -> MeasureValue:
    """Enter or correct the value of ``measure`` for ``year``.

    ``version`` is the version the user started from: None (or 0) when they saw no value for
    that year; a value saved by someone else in between makes this a ConcurrentEditError.
    """
    if not may_enter_values(user, measure):
        raise PermissionDenied(_("只有该指标的牵头单位可以填报监测值。"))
    _validate_value(measure, year, value)
    existing = MeasureValue.objects.select_for_update().filter(measure=measure, year=year).first()
    if existing is None:
        obj = MeasureValue(measure=measure, year=year, created_by=user)
    else:
        obj = existing
        if not version:
            raise ConcurrentEditError(existing)
    obj.value = value
    obj.note = note
    obj.entered_by = user
    base = effective_base(
        measure, base_year_value=value if year == measure.base_year else _base_year_value(measure)
    )
    obj.status = status_for(
        measure, year=year, value=value, base=base, year_target=_year_target(measure, year)
    )
    obj.full_clean(exclude=["created_by", "entered_by"])
    save_versioned(obj, version if existing is not None else None)
    if year == measure.base_year and not measure.yearly and measure.base_value is None:
        refresh_statuses(measure=measure)  # the base of every later year just changed
    return obj


def refresh_statuses(*, measure: Measure) -> int:
    """Recompute the stored status of every value of ``measure`` (after a target or base
    change); returns how many changed. Status is derived data, so no version bump."""
    values = list(MeasureValue.objects.filter(measure=measure))
    base_value = next((v.value for v in values if v.year == measure.base_year), None)
    base = effective_base(measure, base_year_value=base_value)
    targets = dict(MeasureYearTarget.objects.filter(measure=measure).values_list("year", "value"))
    changed = []
    for mv in values:
        status = status_for(
            measure, year=mv.year, value=mv.value, base=base, year_target=targets.get(mv.year)
        )
        if mv.status != status:
            mv.status = status
            changed.append(mv)
    # bulk_update skips simple-history on purpose: a derived field, not an edit by anyone.
    MeasureValue.objects.bulk_update(changed, ["status"])
    return len(changed)


def _year_target(measure: Measure, year: int) -> Decimal | None:
    return (
        MeasureYearTarget.objects.filter(measure=measure, year=year)
        .values_list("value", flat=True)
        .first()
    )


@transaction.atomic
def set_year_target(
    *,
    user: Any,
    measure: Measure,
    year: int,
    value: Decimal | None,
    note: str = "",
    version: int | None = None,
) -> MeasureYearTarget | None:
    """Enter, correct or (value None) clear the lead unit's target of ``measure`` for ``year``;
    the statuses of the measure's values follow at once.

    ``version`` is the target's version the user started from (None/0: they saw none). A
    target saved, changed or removed by someone else in between is refused, never overwritten.
    """
    if not may_enter_values(user, measure):
        raise PermissionDenied(_("只有该指标的牵头单位可以填报分年度目标。"))
    if year not in measure.years:
        raise ValidationError(
            {
                "year": _("年份应在 %(base_year)s—%(target_year)s 之间。")
                % {"base_year": measure.base_year, "target_year": measure.target_year}
            }
        )
    if not takes_year_targets(measure):
        raise ValidationError(
            {"value": _("该监测项按完成情况或国家下达目标评价，无需分年度目标值。")}
        )
    existing = (
        MeasureYearTarget.objects.select_for_update().filter(measure=measure, year=year).first()
    )
    if existing is not None and version != existing.version:
        raise ConcurrentEditError(existing)  # set (or changed) by someone else meanwhile
    if existing is None and version:
        raise ValidationError(
            {
                "value": _(
                    "%(measure)s %(year)s年目标已被其他用户清除，"
                    "请刷新页面后重新填写（您的修改未保存）。"
                )
                % {"measure": measure, "year": year}
            },
            code="concurrent_edit",
        )
    if value is None:
        if existing is not None:
            existing.delete()
        refresh_statuses(measure=measure)
        return None
    obj = existing or MeasureYearTarget(measure=measure, year=year)
    obj.value = value
    obj.note = note
    obj.entered_by = user
    obj.full_clean(exclude=["entered_by"])
    save_versioned(obj, version if existing is not None else None)
    refresh_statuses(measure=measure)
    return obj


# --- grids: many rows saved at once -----------------------------------------------------------


class GridRejected(Exception):
    """A row of a grid failed: nothing of the grid was saved (the rows' errors are reported)."""


def save_grid(
    *,
    rows: Iterable[dict[str, Any]],
    save: Callable[..., Any],
    on_error: Callable[[Measure, ValidationError], None],
) -> int:
    """Save every changed row of a measure grid (monitoring values, yearly targets) all or
    nothing: ``save(**row)`` each; a row's ``ValidationError`` goes to ``on_error(measure,
    exc)`` and, once every row has been tried, rolls the whole grid back (``GridRejected``).
    Returns how many rows were saved."""
    with transaction.atomic():
        saved, failed = 0, False
        for row in rows:
            try:
                save(**row)
                saved += 1
            except ValidationError as exc:
                on_error(row["measure"], exc)
                failed = True
        if failed:
            raise GridRejected
    return saved
