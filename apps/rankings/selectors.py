"""Rankings (通报排名) of 市州, 省直部门 and 园区 for a month or a quarter.

Every figure comes from the owning app's selector, in SQL — nothing is re-derived here:

* 投资完成率 — ``projects.selectors.completion_rates`` (plan year of the period, updates
  through its last month), capped at 100 % in the score;
* 谋划目标完成度 (市州 only: 001 gives targets per 市州) — ``projects.selectors.library_totals``
  over the library as it stood at the period's end, total / target;
* 履约率 / 开工率 / 资金到位率 against 002's targets — ``contracts.selectors.rates`` of the
  ledger in force (the latest fair reporting by then), rate / target in force;
* 月报及时率 — ``projects.selectors.monthly_update_timeliness`` and
  ``contracts.selectors.report_timeliness``: reports filed by the 5th / reports owed, over the
  period's months; the unit's 催办 count (``notifications.urging.urge_counts``) stands beside it;
* 任务办结率 / 逾期率 — ``tasks.selectors.unit_task_rates`` as of the period's last day.

The 考核 score is the weighted mean (``Weight``, admin data) of the measures a row has, each
as a 0–1 share (逾期率 reversed), times 100. Equal scores share a rank (1, 1, 3…).

园区: the reference data has no park dimension on projects or contracts; parks are the
organisations of kind 园区管委会 (``park_committee``, from 002's ledger and 004), ranked on the
records they are responsible for.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.periods import add_months, month_start
from apps.rankings.models import By, Measure, Weight
from apps.reference.models import Organization, Region

DEFAULT_WEIGHTS: dict[str, Decimal] = {
    Measure.COMPLETION: Decimal(25),
    Measure.TARGET: Decimal(15),
    Measure.FULFILLMENT: Decimal(10),
    Measure.START: Decimal(10),
    Measure.FUNDING: Decimal(10),
    Measure.TIMELINESS: Decimal(15),
    Measure.TASK_DONE: Decimal(10),
    Measure.TASK_OVERDUE: Decimal(5),
}
DEPARTMENT_KINDS = (
    Organization.Kind.PROVINCIAL_DEPARTMENT,
    Organization.Kind.PROVINCIAL_OTHER,
    Organization.Kind.CENTRAL_UNIT,
)
RATE = Decimal("0.0001")
SCORE = Decimal("0.01")
ONE = Decimal(1)
BOARD_SIZE = 3  # 红黑榜: the first and the last three


def last_complete_month(today: dt.date | None = None) -> dt.date:
    return add_months(month_start(today or timezone.localdate()), -1)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def current_weights() -> dict[str, Decimal]:
    stored = dict(Weight.objects.values_list("measure", "weight"))
    return {m: stored.get(m, DEFAULT_WEIGHTS[m]) for m in Measure.values}


def _ratio(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE, rounding=ROUND_HALF_UP)


def _attainment(rate, target) -> Decimal | None:
    if rate is None or not target:
        return None
    return (Decimal(rate) / Decimal(target)).quantize(RATE, rounding=ROUND_HALF_UP)


def _entities(by: str) -> list[tuple[int, str, str]]:
    """(id, name, code) of what is ranked: the 8 市州, or organisations of a kind."""
    if by == By.REGION:
        return [
            (r.pk, r.display_name, r.code)
            for r in Region.objects.filter(level=Region.Level.PREFECTURE).order_by(
                "sort_order", "code"
            )
        ]
    kinds = DEPARTMENT_KINDS if by == By.UNIT else (Organization.Kind.PARK_COMMITTEE,)
    return [
        (o.pk, o.name, "") for o in Organization.objects.filter(kind__in=kinds).order_by("name")
    ]


def ranking(
    *,
    period: dt.date,
    by: str,
    months: int = 1,
    weights: dict[str, Decimal] | None = None,
) -> list[dict[str, Any]]:
    """The ranked rows for the ``months`` months from ``period`` (1: a month, 3: a quarter)."""
    from apps.contracts.models import Fair
    from apps.contracts.selectors import rates, report_timeliness
    from apps.notifications.urging import urge_counts
    from apps.projects.models import Project
    from apps.projects.selectors import (
        completion_rates,
        library_totals,
        monthly_update_timeliness,
    )
    from apps.tasks.selectors import unit_task_rates

    if by not in By.values:
        raise ValueError(_("by 只能是 region、unit 或 park，实为“%(by)s”") % {"by": by})
    period = month_start(period)
    window = [add_months(period, i) for i in range(months)]
    last = window[-1]
    last_day = add_months(last, 1) - dt.timedelta(days=1)
    weights = weights if weights is not None else current_weights()
    group = "region" if by == By.REGION else "unit"
    entities = _entities(by)

    completion = {r["key"]: r for r in completion_rates(year=last.year, by=group, through=last)}
    target = {}
    if by == By.REGION:
        library = Project.objects.in_library().filter(
            Q(approved_on__isnull=True) | Q(approved_on__lte=last_day)
        )
        codes = {code: pk for pk, _name, code in entities}
        target = {codes.get(r["key"]): r for r in library_totals(queryset=library, by="region")}
    fair = (
        Fair.objects.filter(Q(first_period__isnull=True) | Q(first_period__lte=last))
        .order_by("-first_period", "-pk")
        .first()
    )
    contract_rows = {}
    if fair is not None:
        key = "region_id" if by == By.REGION else "unit_id"
        contract_rows = {r[key]: r for r in rates(fair=fair, period=last, by=group)}
    timely: dict[Any, list[int]] = {}
    for month in window:
        for source in (
            monthly_update_timeliness(period=month, by=group),
            report_timeliness(period=month, by=group),
        ):
            for k, v in source.items():
                acc = timely.setdefault(k, [0, 0])
                acc[0] += v["expected"]
                acc[1] += v["on_time"]
    urges = urge_counts(periods=window)
    if by == By.REGION:
        urges = _urges_by_region(urges)
    tasks = unit_task_rates(as_of=last_day, by=group)

    rows = []
    for pk, name, code in entities:
        c = completion.get(pk)
        t = target.get(pk)
        k = contract_rows.get(pk)
        tl = timely.get(pk)
        ts = tasks.get(pk)
        tgt = (k or {}).get("target") or {}
        row = {
            "id": pk,
            "name": name,
            "code": code,
            "completion_rate": c["rate"] if c else None,
            "planned": c["planned"] if c else None,
            "completed": c["completed"] if c else None,
            "library_total": t["total_investment"] if t else None,
            "library_target": t["target"] if t else None,
            "target_attainment": t["attainment"] if t else None,
            "contracts": k["contracts"] if k else 0,
            "fulfillment_rate": k["fulfillment_rate"] if k else None,
            "start_rate": k["start_rate"] if k else None,
            "funding_rate": k["funding_rate"] if k else None,
            "fulfillment_target": tgt.get("fulfillment"),
            "start_target": tgt.get("start"),
            "funding_target": tgt.get("funding"),
            "reports_expected": tl[0] if tl else 0,
            "reports_on_time": tl[1] if tl else 0,
            "timeliness_rate": _ratio(tl[1], tl[0]) if tl else None,
            "urges": urges.get(pk, 0),
            "tasks_due": ts["due"] if ts else 0,
            "tasks_done": ts["done"] if ts else 0,
            "task_done_rate": _ratio(ts["done"], ts["due"]) if ts else None,
            "task_overdue_rate": _ratio(ts["due"] - ts["on_time"], ts["due"]) if ts else None,
        }
        row["fulfillment_attainment"] = _attainment(
            row["fulfillment_rate"], row["fulfillment_target"]
        )
        row["start_attainment"] = _attainment(row["start_rate"], row["start_target"])
        row["funding_attainment"] = _attainment(row["funding_rate"], row["funding_target"])
        row["score"] = score(row, weights)
        if by != By.REGION and row["score"] is None:
            continue  # a department or park with nothing to rank it on
        rows.append(row)
    return ranked(rows)


MEASURE_FIELDS = {
    Measure.COMPLETION: "completion_rate",
    Measure.TARGET: "target_attainment",
    Measure.FULFILLMENT: "fulfillment_attainment",
    Measure.START: "start_attainment",
    Measure.FUNDING: "funding_attainment",
    Measure.TIMELINESS: "timeliness_rate",
    Measure.TASK_DONE: "task_done_rate",
    Measure.TASK_OVERDUE: "task_overdue_rate",
}


def score(row: dict[str, Any], weights: dict[str, Decimal]) -> Decimal | None:
    """Weighted mean of the measures the row has (0–1 each, capped; 逾期率 reversed) × 100."""
    total = weight_sum = Decimal(0)
    for measure, field in MEASURE_FIELDS.items():
        value, weight = row.get(field), Decimal(weights.get(measure, 0))
        if value is None or weight <= 0:
            continue
        share = min(max(Decimal(value), Decimal(0)), ONE)
        if measure == Measure.TASK_OVERDUE:
            share = ONE - share
        total += weight * share
        weight_sum += weight
    if not weight_sum:
        return None
    return (total / weight_sum * 100).quantize(SCORE, rounding=ROUND_HALF_UP)


def ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order by score (best first, no score last, then name); equal scores share a rank."""
    rows = sorted(rows, key=lambda r: (r["score"] is None, -(r["score"] or 0), r["name"]))
    for i, row in enumerate(rows):
        if row["score"] is None:
            row["rank"] = None
        elif i and rows[i - 1]["score"] == row["score"]:
            row["rank"] = rows[i - 1]["rank"]
        else:
            row["rank"] = i + 1
    return rows


def boards(rows: list[dict[str, Any]], size: int = BOARD_SIZE) -> dict[str, list[dict]]:
    """红黑榜: the first and the last ``size`` scored rows (never the same row twice)."""
    scored = [r for r in rows if r.get("score") is not None]
    size = min(size, len(scored) // 2)
    return {"red": scored[:size], "black": scored[len(scored) - size :][::-1] if size else []}


def _urges_by_region(by_org: dict[int, int]) -> dict[int, int]:
    """Urges of the organisations located in each 市州 (or one of its 县区)."""
    out: dict[int, int] = {}
    for org in Organization.objects.filter(pk__in=list(by_org)).select_related("region"):
        region = org.region
        if region is None:
            continue
        prefecture = region.parent_id if region.level == Region.Level.COUNTY else region.pk
        if region.level in (Region.Level.PREFECTURE, Region.Level.COUNTY):
            out[prefecture] = out.get(prefecture, 0) + by_org[org.pk]
    return out
