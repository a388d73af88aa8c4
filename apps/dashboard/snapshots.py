"""The nightly snapshots: compute each table's rows for a date, store them once, compare.

A snapshot describes the end of its date (the job at 01:30 stores the day that just ended) and
is computed only from what was known then, so recomputing a past date gives the same rows:

* contract rates use the reports up to the last *closed* period — the latest month whose
  report was due (the 5th) before the date — through apps.contracts.selectors.rates;
* the library counts projects 入库 by the date (and those removed only after it), with the
  year's completed investment summed over monthly updates up to that period;
* indicator values and task assignment statuses are read from their audit history as of the
  end of the date (django-simple-history), so later edits do not leak in; an indicator's
  status is derived from that value by the indicators app's own rule.

Known limit: a report filed or corrected late for an already closed period, or a project's
attributes edited later, would change a recomputation; the stored rows never change.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.periods import add_months, current_period, period_due
from apps.dashboard.models import (
    ContractRateSnapshot,
    IndicatorStatusSnapshot,
    LibrarySnapshot,
    SnapshotDate,
    TaskStatusSnapshot,
)

logger = logging.getLogger(__name__)

MONEY = DecimalField(max_digits=14, decimal_places=4)
ZERO = Decimal("0")
RATE_PLACES = Decimal("0.0001")
Row = dict[str, Any]


def closed_period(day: dt.date) -> dt.date:
    """The latest month whose report was due before ``day`` (on the 5th the month before is
    still open until the end of the day)."""
    period = current_period(day)
    return period if day > period_due(period) else add_months(period, -1)


def end_of(day: dt.date) -> dt.datetime:
    """The last instant of ``day`` in Asia/Shanghai."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


# --- contract rates -------------------------------------------------------------------------


RATE_FIELDS = (
    "contracts",
    "reported",
    "performing",
    "started",
    "total_investment",
    "funds_arrived",
    "fulfillment_rate",
    "start_rate",
    "funding_rate",
)


def _rates(data: Row) -> Row:
    return {k: data[k] for k in RATE_FIELDS}


def contract_rate_rows(day: dt.date) -> list[Row]:
    from apps.contracts.models import Fair
    from apps.contracts.selectors import rates

    period = closed_period(day)
    rows: list[Row] = []
    from apps.contracts.selectors import window_q

    # Rates are snapshotted for the months a ledger reports on, whatever its status now.
    fairs = Fair.objects.filter(window_q(period))
    for fair in fairs.order_by("pk"):
        base = {"fair_id": fair.pk, "period": period}
        total = rates(fair=fair, period=period)
        rows.append({**base, "scope": "fair", "unit_id": None, "region_id": None, **_rates(total)})
        for r in rates(fair=fair, period=period, by="unit"):
            rows.append(
                {**base, "scope": "unit", "unit_id": r["unit_id"], "region_id": None, **_rates(r)}
            )
        for r in rates(fair=fair, period=period, by="region"):
            rows.append(
                {
                    **base,
                    "scope": "region",
                    "unit_id": None,
                    "region_id": r["region_id"],
                    **_rates(r),
                }
            )
    return rows


# --- the project library --------------------------------------------------------------------


def library_rows(day: dt.date) -> list[Row]:
    """Per 市州 × tier × sector: projects in the library at the end of ``day``, their total
    investment, the year's planned and completed investment and 投资完成率."""
    from apps.projects.selectors import completed_in_year, library_as_of

    period = closed_period(day)
    year = period.year
    this_year = Q(plan_year=year)
    cells = (
        library_as_of(day)
        .with_prefecture()
        .annotate(done=completed_in_year(year, through=period))
        .order_by()
        .values("prefecture_id", "tier", "sector_id")
        .annotate(
            count=Count("pk"),
            total_investment=Coalesce(Sum("total_investment"), Value(ZERO), output_field=MONEY),
            planned=Coalesce(
                Sum(Case(When(this_year, then=F("planned_investment_year")), output_field=MONEY)),
                Value(ZERO),
                output_field=MONEY,
            ),
            completed=Coalesce(
                Sum(Case(When(this_year, then=F("done")), output_field=MONEY)),
                Value(ZERO),
                output_field=MONEY,
            ),
        )
    )
    return [
        {
            "period": period,
            "year": year,
            "region_id": c["prefecture_id"],
            "tier": c["tier"],
            "sector_id": c["sector_id"],
            "count": c["count"],
            "total_investment": c["total_investment"],
            "planned": c["planned"],
            "completed": c["completed"],
            "completion_rate": (c["completed"] / c["planned"]).quantize(
                RATE_PLACES, rounding=ROUND_HALF_UP
            )
            if c["planned"]
            else None,
        }
        for c in cells
        if c["prefecture_id"] is not None
    ]


# --- indicators and tasks (from their audit history) ------------------------------------------


def indicator_rows(day: dt.date) -> list[Row]:
    """Every measure's value in the monitored year as entered by the end of ``day`` and the
    status the indicators app's rule gives it (``indicators.selectors.measure_values_as_of``)."""
    from apps.indicators.selectors import measure_values_as_of

    return measure_values_as_of(day, at=end_of(day))


def task_rows(day: dt.date) -> list[Row]:
    """Assignments per source document and status at the end of ``day``, with how many were
    overdue (``tasks.selectors.assignment_counts_as_of``)."""
    from apps.tasks.selectors import assignment_counts_as_of

    return assignment_counts_as_of(day, at=end_of(day))


# --- storing once ---------------------------------------------------------------------------


TABLES: dict[str, tuple[type[models.Model], Callable[[dt.date], list[Row]]]] = {
    "contract_rates": (ContractRateSnapshot, contract_rate_rows),
    "library": (LibrarySnapshot, library_rows),
    "indicators": (IndicatorStatusSnapshot, indicator_rows),
    "tasks": (TaskStatusSnapshot, task_rows),
}


def default_day() -> dt.date:
    """The nightly run (01:30) stores the day that has just ended."""
    return timezone.localdate() - dt.timedelta(days=1)


def take_snapshots(*, day: dt.date | None = None) -> dict[str, Any]:
    """Store every table's rows for ``day`` unless that table already has the date.

    Returns per table the number of rows stored, or "kept" when the date was already there
    (a second run, or a concurrent one that committed first, changes nothing).
    """
    day = day or default_day()
    result: dict[str, Any] = {"date": day.isoformat()}
    taken = set(SnapshotDate.objects.filter(date=day).values_list("table", flat=True))
    for name, (model, compute) in TABLES.items():
        if name in taken:
            result[name] = "kept"
            continue
        rows = compute(day)
        try:
            with transaction.atomic():
                # The marker first: a concurrent run blocks on it, then fails and keeps ours.
                SnapshotDate.objects.create(date=day, table=name, rows=len(rows))
                model.objects.bulk_create([model(date=day, **row) for row in rows])
        except IntegrityError:
            result[name] = "kept"
            continue
        result[name] = len(rows)
    logger.info("snapshots %s: %s", day, result)
    return result


def stored_rows(name: str, day: dt.date) -> list[Row]:
    model, _ = TABLES[name]
    keys = [
        f.attname for f in model._meta.concrete_fields if f.name not in ("id", "date", "created_at")
    ]
    return sorted(model.objects.filter(date=day).values(*keys), key=_sort_key)


def recomputed_rows(name: str, day: dt.date) -> list[Row]:
    _, compute = TABLES[name]
    return sorted(compute(day), key=_sort_key)


def _sort_key(row: Row) -> tuple:
    def sortable(value: Any) -> tuple:
        if value is None:
            return (0, 0)
        if isinstance(value, int | Decimal):
            return (1, Decimal(value))
        if isinstance(value, float):
            return (1, Decimal(str(value)))
        return (2, str(value))

    return tuple((k, sortable(row[k])) for k in sorted(row))


def recompute_matches(day: dt.date) -> dict[str, bool]:
    """Recompute ``day`` into scratch rows and compare with what is stored: table → identical."""
    return {name: recomputed_rows(name, day) == stored_rows(name, day) for name in TABLES}


# --- reading the trends -----------------------------------------------------------------------


def rate_trend(
    *,
    fair: Any,
    unit: Any = None,
    region: Any = None,
    since: dt.date | None = None,
) -> models.QuerySet[ContractRateSnapshot]:
    """A fair's stored rates by date (whole fair, or one unit's, or one 市州's), oldest first."""
    qs = ContractRateSnapshot.objects.filter(fair=fair)
    if unit is not None:
        qs = qs.filter(scope=ContractRateSnapshot.Scope.UNIT, unit=unit)
    elif region is not None:
        qs = qs.filter(scope=ContractRateSnapshot.Scope.REGION, region=region)
    else:
        qs = qs.filter(scope=ContractRateSnapshot.Scope.FAIR)
    if since is not None:
        qs = qs.filter(date__gte=since)
    return qs.order_by("date")
