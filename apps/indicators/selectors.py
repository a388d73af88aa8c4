"""Reads of the indicator app: scoped lists, statuses per year and their summaries.

The status of a measure in a year is the one stored on its MeasureValue (derived by
apps.indicators.status when the value was saved); a measure with no value that year is 无数据.
An indicator's status is the worst of its measures' (滞后 < 无数据 < 正常 < 达标). All of it is
computed in SQL with annotations, so the board, the API, the export and the dashboard agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core import permissions as policy
from apps.indicators.choices import PLAN_END_YEAR, PLAN_START_YEAR, Level, Status
from apps.indicators.models import (
    Indicator,
    IndicatorLeadUnit,
    IndicatorParticipatingUnit,
    Measure,
    MeasureValue,
    MeasureYearTarget,
)
from apps.indicators.services import assessment_for, effective_base, status_for
from apps.indicators.status import LIGHTS

MONITORED_YEARS = range(PLAN_START_YEAR + 1, PLAN_END_YEAR + 1)  # 2021-2025


def default_year(today=None) -> int:
    """The year the board shows first: the last completed year (its values are reported in
    the spring after), kept inside the plan period."""
    today = today or timezone.localdate()
    return min(max(today.year - 1, MONITORED_YEARS.start), MONITORED_YEARS.stop - 1)


def _value_in(year: int, field: str):
    return Subquery(
        MeasureValue.objects.filter(measure=OuterRef("pk"), year=year).values(field)[:1],
        output_field=MeasureValue._meta.get_field(field),
    )


def measures_with_year(qs: QuerySet[Measure] | None = None, *, year: int) -> QuerySet[Measure]:
    """Measures annotated with ``year_value``, ``year_status``, ``year_version`` of ``year``."""
    qs = qs if qs is not None else Measure.objects.all()
    return qs.annotate(
        year_value=_value_in(year, "value"),
        year_version=_value_in(year, "version"),
        year_note=_value_in(year, "note"),
        year_status=Coalesce(_value_in(year, "status"), Value(Status.NO_DATA)),
    )


def measure_statuses(year: int, *, user: Any = None) -> QuerySet[Measure]:
    """Every measure (visible to ``user`` if given) with its status in ``year``."""
    qs = Measure.objects.select_related("indicator")
    if user is not None:
        qs = policy.restrict(qs, user, policy.Action.VIEW)
    return measures_with_year(qs, year=year).order_by(
        "indicator__level", "indicator__number", "order"
    )


def _count_in(year: int, status: str):
    return Count(
        "measures__values",
        filter=Q(measures__values__year=year, measures__values__status=status),
        distinct=True,
    )


def with_status(qs: QuerySet[Indicator], *, year: int) -> QuerySet[Indicator]:
    """Indicators annotated with their measures' counts per status and ``year_status``."""
    qs = qs.annotate(
        n_measures=Count("measures", distinct=True),
        n_met=_count_in(year, Status.MET),
        n_on_track=_count_in(year, Status.ON_TRACK),
        n_behind=_count_in(year, Status.BEHIND),
    ).annotate(n_no_data=F("n_measures") - F("n_met") - F("n_on_track") - F("n_behind"))
    return qs.annotate(
        year_status=Case(
            When(n_behind__gt=0, then=Value(Status.BEHIND)),
            When(n_no_data__gt=0, then=Value(Status.NO_DATA)),
            When(n_on_track__gt=0, then=Value(Status.ON_TRACK)),
            default=Value(Status.MET),
            output_field=CharField(),
        )
    )


def indicators_for(user: Any, *, year: int | None = None) -> QuerySet[Indicator]:
    """The indicators ``user`` may view, with units and measures prefetched (constant
    query count); with ``year``, each measure carries its value and status of that year."""
    qs = policy.restrict(Indicator.objects.all(), user, policy.Action.VIEW)
    measures = Measure.objects.order_by("order")
    if year is not None:
        measures = measures_with_year(measures, year=year)
        qs = with_status(qs, year=year)
    return qs.order_by("level", "number").prefetch_related(
        Prefetch(
            "indicatorleadunit_set",
            queryset=IndicatorLeadUnit.objects.select_related("organization"),
            to_attr="lead_links",
        ),
        Prefetch(
            "indicatorparticipatingunit_set",
            queryset=IndicatorParticipatingUnit.objects.select_related("organization"),
            to_attr="participating_links",
        ),
        Prefetch(
            "measures",
            queryset=measures.prefetch_related(
                Prefetch(
                    "values", queryset=MeasureValue.objects.order_by("year"), to_attr="series"
                ),
                Prefetch("year_targets", to_attr="target_list"),
            ),
            to_attr="measure_list",
        ),
    )


def measures_for_entry(user: Any) -> QuerySet[Measure]:
    """The measures whose values ``user`` may enter: those of indicators their unit leads.

    The policy's CHANGE scope covers lead and participating units alike; entering values is
    for the lead unit only (see apps.indicators.services.may_enter_values)."""
    qs = policy.restrict(Measure.objects.all(), user, policy.Action.ENTER_VALUES)
    return qs.select_related("indicator").order_by("indicator__level", "indicator__number", "order")


def _target_in(year: int, field: str):
    return Subquery(
        MeasureYearTarget.objects.filter(measure=OuterRef("pk"), year=year).values(field)[:1],
        output_field=MeasureYearTarget._meta.get_field(field),
    )


def measures_for_year_targets(user: Any, *, year: int) -> QuerySet[Measure]:
    """The measures ``user``'s unit leads that take a yearly target (≥, ≤, ≈), annotated with
    ``year_target``, ``target_version``, ``target_note`` of ``year`` — the 分年度目标 grid."""
    from apps.indicators.services import YEAR_TARGET_DIRECTIONS

    return (
        measures_for_entry(user)
        .filter(direction__in=YEAR_TARGET_DIRECTIONS)
        .annotate(
            year_target=_target_in(year, "value"),
            target_version=_target_in(year, "version"),
            target_note=_target_in(year, "note"),
        )
    )


def value_history(measure: Measure) -> QuerySet[MeasureValue]:
    return (
        MeasureValue.objects.filter(measure=measure).select_related("entered_by").order_by("year")
    )


def _status_counts(rows) -> dict[str, int]:
    counts = {s.value: 0 for s in Status}
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def indicator_status_summary(*, year: int | None = None, user: Any = None) -> dict:
    """Counts per status of the indicators and of the measures in ``year`` (default: the
    board's default year), overall and per level; for the dashboard and the snapshot job.

    {"year": 2025,
     "indicators": {"met": n, "on_track": n, "behind": n, "no_data": n}, "indicator_total": 74,
     "measures": {...}, "measure_total": 99,
     "by_level": {"1": {"label": "一级", "indicators": {...}}, "2": {...}},
     "binding": {...}}   # the 7 约束性 indicators
    """
    year = year or default_year()
    indicators = Indicator.objects.all()
    measures = Measure.objects.all()
    if user is not None:
        indicators = policy.restrict(indicators, user, policy.Action.VIEW)
        measures = policy.restrict(measures, user, policy.Action.VIEW)
    ind = with_status(indicators, year=year)
    # One query: the per-indicator statuses are aggregated over a subquery of the annotated set.
    counts = ind.aggregate(
        **{
            f"{level.value}_{status.value}": Count(
                "pk", filter=Q(level=level.value, year_status=status.value)
            )
            for level in Level
            for status in Status
        },
        **{
            f"binding_{status.value}": Count("pk", filter=Q(kind="binding", year_status=status))
            for status in Status
        },
    )
    by_level = {
        str(level.value): {
            "label": level.label,
            "indicators": {s.value: counts[f"{level.value}_{s.value}"] for s in Status},
        }
        for level in Level
    }
    indicator_counts = {
        s.value: sum(v["indicators"][s.value] for v in by_level.values()) for s in Status
    }
    binding = {s.value: counts[f"binding_{s.value}"] for s in Status}
    measure_counts = _status_counts(
        measures_with_year(measures, year=year)
        .values(status=F("year_status"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "year": year,
        "indicators": indicator_counts,
        "indicator_total": sum(indicator_counts.values()),
        "measures": measure_counts,
        "measure_total": sum(measure_counts.values()),
        "by_level": by_level,
        "binding": binding,
    }


def series(measure: Measure) -> list[dict]:
    """The yearly series of one measure, base year to target year, gaps as None."""
    stored = {v.year: v for v in value_history(measure)}
    return [
        {
            "year": year,
            "value": stored[year].value if year in stored else None,
            "status": stored[year].status if year in stored else Status.NO_DATA,
            "obj": stored.get(year),
        }
        for year in measure.years
    ]


def evaluation(year: int, *, user: Any) -> QuerySet[Measure]:
    """Mid-term (2023) / final (2025) evaluation: each measure's value vs target in ``year``."""
    return measure_statuses(year, user=user).annotate(
        status_order=Case(
            When(year_status=Status.BEHIND, then=Value(0)),
            When(year_status=Status.NO_DATA, then=Value(1)),
            When(year_status=Status.ON_TRACK, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    )


# --- status lights ---------------------------------------------------------------------------


def judge_measure(measure: Measure, year: int) -> dict[str, Any]:
    """Value, status and light (``status.LIGHTS`` names) of a measure in ``year``, from its
    prefetched ``series`` (MeasureValues) and ``target_list`` (yearly targets)."""
    by_year = {v.year: v for v in measure.series}
    targets = {t.year: t.value for t in getattr(measure, "target_list", ())}
    value = by_year.get(year)
    base_row = by_year.get(measure.base_year)
    base = effective_base(measure, base_year_value=base_row.value if base_row else None)
    result = assessment_for(
        measure,
        year=year,
        value=value.value if value else None,
        base=base,
        year_target=targets.get(year),
    )
    return {
        "value": value,
        "year_target": targets.get(year),
        "status": result.status,
        "status_label": Status(result.status).label,
        "light": result.light,
        "progress": result.progress,
        "expected": result.expected,
    }


def judged_indicators(indicators, year: int) -> list[Indicator]:
    """The board's rows: each measure judged in ``year``, each indicator with its (worst)
    status's label and light."""
    rows = list(indicators)
    for ind in rows:
        for m in ind.measure_list:
            m.judged = judge_measure(m, year)
        ind.status_label = Status(ind.year_status).label
        ind.light = LIGHTS[ind.year_status]
    return rows


def status_cards(summary: dict) -> list[dict[str, Any]]:
    """One card per status over ``indicator_status_summary``: indicators, measures, binding."""
    return [
        {
            "value": s.value,
            "label": s.label,
            "light": LIGHTS[s],
            "indicators": summary["indicators"][s.value],
            "measures": summary["measures"][s.value],
            "binding": summary["binding"][s.value],
        }
        for s in Status
    ]


def measure_values_as_of(day: dt.date, *, at: dt.datetime) -> list[dict[str, Any]]:
    """Every measure's value in the year monitored on ``day`` as entered by ``at`` (the audit
    history, so later edits do not leak in) and the status the rule gives it — derived again
    from that value, since the stored status is refreshed without history when a target
    changes. Rows: measure_id, year, value, status."""
    year = default_year(day)
    measures = list(Measure.objects.order_by("pk"))
    wanted = {year} | {m.base_year for m in measures}
    known = {
        (v["measure_id"], v["year"]): v["value"]
        for v in MeasureValue.history.as_of(at)
        .filter(year__in=wanted)
        .values("measure_id", "year", "value")
    }
    rows = []
    for measure in measures:
        value = known.get((measure.pk, year))
        status = Status.NO_DATA
        if value is not None:
            base = effective_base(
                measure, base_year_value=known.get((measure.pk, measure.base_year))
            )
            status = status_for(measure, year=year, value=value, base=base)
        rows.append({"measure_id": measure.pk, "year": year, "value": value, "status": status})
    return rows
