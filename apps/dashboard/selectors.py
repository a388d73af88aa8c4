"""The leaders' cockpit (领导驾驶舱): composes each context's own selectors.

Nothing is aggregated here that a context already aggregates; this module only picks the
period/year to show and attaches the drill-down URL of every figure, so the dashboard, the
lists behind it and their Excel exports agree.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from apps.core import periods
from apps.reference.models import Region

ZERO = Decimal("0")


def _url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def library_overview() -> dict[str, Any]:
    from apps.projects import campaigns
    from apps.projects import selectors as ps
    from apps.projects.models import LibraryStatus, Project, Stage

    approved = LibraryStatus.APPROVED.value
    campaign = ps.current_campaign()
    library = Project.objects.in_library()
    # Every breakdown below from three grouped scans of the projects (issue 15: ten scans of
    # 100,000 rows before); the same figures as the selectors' own queries.
    groups = ps.library_groups(by="place")
    in_library = ps.in_library_groups(groups)
    kinds = ps.in_library_groups(ps.library_groups(by="kind"))
    totals = {
        "count": sum(g["count"] for g in in_library),
        "total": sum((g["total_investment"] for g in in_library), ZERO) if in_library else None,
        "demo": sum(g["count"] for g in in_library if g["is_demo"]),
    }
    by_tier = ps.library_totals(by="tier", campaign=campaign, groups=in_library)
    by_region = ps.library_totals(by="region", campaign=campaign, groups=in_library)
    by_sector = ps.library_totals(by="sector", campaign=campaign, groups=kinds)
    for row in by_tier:
        row["url"] = _url("projects:list", status=approved, tier=row["key"])
    for row in by_region:
        row["url"] = _url("projects:list", status=approved, region=row["key"])
    for row in by_sector:
        row["url"] = _url("projects:list", status=approved, sector=row["key"])

    sizes = ps.size_class_counts()
    size_keys = {label: value for value, label in _size_choices()}
    size_rows = [
        {"label": label, "count": n, "url": _url("projects:list", status=approved, size=key)}
        for label, n in sizes.items()
        for key in [size_keys.get(label)]
    ]

    stage_counts: dict[str, int] = {}
    for g in kinds:
        stage_counts[g["stage"]] = stage_counts.get(g["stage"], 0) + g["count"]
    funnel = [
        {
            "key": s.value,
            "label": s.label,
            "count": stage_counts.get(s.value, 0),
            "url": _url("projects:list", status=approved, stage=s.value),
        }
        for s in Stage
    ]
    status_counts = ps.status_counts(groups=groups)
    pipeline = [
        {
            "key": s.value,
            "label": s.label,
            "count": status_counts.get(s.value, 0),
            "url": _url("projects:list", status=s.value),
        }
        for s in LibraryStatus
    ]

    # The current year's plan, or the latest plan year the library has (demo data may lag).
    year = timezone.localdate().year
    if not library.filter(plan_year=year).exists():
        year = library.aggregate(y=Max("plan_year"))["y"] or year
    completion = ps.completion_rates(year=year, by="region")
    codes = dict(
        Region.objects.filter(pk__in=[r["key"] for r in completion]).values_list("pk", "code")
    )
    for row in completion:
        code = codes.get(row["key"])
        row["url"] = _url("projects:list", status=approved, region=code, plan_year=year)
    completion_total = _sum_rates(completion)
    return {
        "count": totals["count"] or 0,
        "demo": totals["demo"] or 0,
        "total": totals["total"] or ZERO,
        # 001: "谋划储备投资总量万亿元以上" — one total (10,000 亿元); 千亿/百亿 are per region.
        "goal": campaign.total_goal if campaign else None,
        "goal_wording": campaign.total_goal_wording if campaign else "",
        "campaign": campaign,
        **campaigns.standing(campaign),
        "by_tier": by_tier,
        "by_region": by_region,
        "by_sector": by_sector,
        "sizes": size_rows,
        "funnel": funnel,
        "pipeline": pipeline,
        "completion_year": year,
        "completion": completion,
        "completion_total": completion_total,
        "url": _url("projects:list", status=approved),
    }


def _size_choices():
    from apps.projects.models import SizeClass

    return SizeClass.choices


def _sum_rates(rows: list[dict]) -> dict[str, Any]:
    planned = sum((r["planned"] for r in rows), ZERO)
    completed = sum((r["completed"] for r in rows), ZERO)
    return {
        "planned": planned,
        "completed": completed,
        "rate": (completed / planned).quantize(Decimal("0.0001")) if planned else None,
    }


def contract_overview(*, months: int = 12) -> dict[str, Any] | None:
    """Rates of the most recent fair as of the latest reported period, with a monthly trend."""
    from apps.contracts import selectors as cs
    from apps.contracts.models import ContractReport, Fair

    fair = Fair.objects.first()  # default ordering: most recent fair first
    if fair is None:
        return None
    period = cs.display_period(fair, figures=True)  # as the rates page and the API show it
    # The earliest report by the (period, contract) index — not min() over a join of all of
    # them (0.9 s at 1.1 million reports).
    first = (
        ContractReport.objects.filter(contract__fair=fair)
        .order_by("period")
        .values_list("period", flat=True)
        .first()
    )
    start = first or periods.add_months(period, -(months - 1))
    months_shown = []
    month = max(start, periods.add_months(period, -(months - 1)))
    while month <= period:
        months_shown.append(month)
        month = periods.add_months(month, 1)
    # The whole trend — and the overall figures, its last month — kept per month (a report
    # changes its month and the later ones only): after this month's reports only this month
    # is recomputed, by the latest-state join; more months missing are one query over the
    # reports (issue 15: 14 rates() calls, 64 queries, 17 s at 100k contracts before).
    by_unit = cs.rates(fair=fair, period=period, by="unit")
    known = {period: cs.total_of(by_unit, period)}  # the shown month: the units' sum
    by_month = _month_rates(fair, sorted({*months_shown, period}), known)
    series = [by_month[p] for p in [*months_shown, period]]
    overall = cs.finish_rates(series[-1], cs.target_in_force(fair=fair, period=period))
    for row in by_unit:
        row["url"] = _url("contracts:ledger", fair=fair.pk, unit=row["unit_id"])
    trend = [
        {
            "period": r["period"].strftime("%Y-%m"),
            "fulfillment": r["fulfillment_rate"],
            "start": r["start_rate"],
            "funding": r["funding_rate"],
        }
        for r in series[:-1]
    ]
    return {
        "fair": fair,
        "period": period,
        "period_label": periods.period_label(period),
        "overall": overall,
        "by_unit": by_unit,
        "trend": trend,
        "targets": list(fair.targets.order_by("due_on")),
        "rates_url": _url("contracts:rates", fair=fair.pk, month=period.strftime("%Y-%m")),
        "status_url": _url("contracts:status", fair=fair.pk, month=period.strftime("%Y-%m")),
        "ledger_url": _url("contracts:ledger", fair=fair.pk),
    }


def _month_rates(fair, months: list, known: dict) -> dict:
    from apps.contracts import selectors as cs
    from apps.dashboard import cache

    def compute(missing: list) -> dict:
        out = {p: known[p] for p in missing if p in known}
        missing = [p for p in missing if p not in known]
        if not missing:
            return out
        if len(missing) <= 2:
            return {**out, **{p: cs.rates_row(fair=fair, period=p) for p in missing}}
        return {**out, **{r["period"]: r for r in cs.rate_series(fair=fair, periods=missing)}}

    return cache.cached_months(fair.pk, months, compute)


def indicator_overview() -> dict[str, Any]:
    from apps.indicators import selectors as isel

    summary = isel.indicator_status_summary()
    summary["url"] = reverse("indicators:board")
    return summary


def task_overview(*, top: int = 10) -> dict[str, Any]:
    from apps.tasks import selectors as ts

    summary = ts.task_status_summary()
    summary["top_units"] = list(ts.overdue_units()[:top])
    summary["url"] = _board_url()
    return summary


def _board_url() -> str:
    for name in ("tasks:board", "tasks:list"):
        try:
            return reverse(name) + "?overdue=true"
        except NoReverseMatch:
            continue
    return "#"
