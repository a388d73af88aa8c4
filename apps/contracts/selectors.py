"""Reads and aggregates of the contract ledgers. Everything is computed in SQL.

A contract's *state as of a period* is its latest report with ``period <= that period``: a unit
that reported "started" in October is still started in November even if it has not filed the
November report yet. Rates (seed 002):

* 履约率 = contracts being performed / contracts
* 开工率 = contracts started / contracts
* 资金到位率 = funds arrived to date / total signed investment (亿元; rows whose amount the
  source leaves empty add nothing to the denominator)

each shown against the target in force — the fair's next ``RateTarget`` due on or after the
end of the period, or its last one once all are past — and the gap (rate − target).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.contracts.models import REPORT_FIELDS, Contract, ContractReport, Fair, RateTarget
from apps.core import permissions as policy
from apps.core.lifecycle import LIVE
from apps.core.periods import (
    add_months,
    current_period,
    month_start,
    period_due,
    quarter_start,
)
from apps.reference.models import Organization, Region


def window_q(period: dt.date) -> Q:
    """Fairs whose reporting window contains ``period`` (open ends are unbounded)."""
    return (Q(first_period__isnull=True) | Q(first_period__lte=period)) & (
        Q(last_period__isnull=True) | Q(last_period__gte=period)
    )


def reporting_fairs(period: dt.date) -> QuerySet[Fair]:
    """Ledgers that owe reports for ``period``: live (执行中) and inside their window.

    Reminders, overdue lists and the live boards use this; a ledger in 总结评估 or closed is
    history (its reports stay readable in the ledger pages and exports).
    """
    return Fair.objects.filter(window_q(period), status=LIVE).select_related("coordinating_unit")


RATE_PLACES = Decimal("0.0001")
AMOUNT_PLACES = Decimal("0.0001")
BY_CHOICES = ("unit", "region")


def period_end(period: dt.date) -> dt.date:
    return add_months(month_start(period), 1) - dt.timedelta(days=1)


def display_period(fair: Fair, *, figures: bool = False, today: dt.date | None = None) -> dt.date:
    """The month a fair is shown for when nobody asked for one — one rule for the pages, the
    API and the cockpit.

    * Reporting (who has reported, the report sheet, the month's export): the month due now
      (``current_period``: last month, due this 5th).
    * Figures (rates): the latest month reported on, up to the month due now — a fair whose
      reports have stopped is shown as of its last reports, not as of an empty month; with no
      report yet, the month due now but not past the month of the fair's last rate target.

    Never before the fair's first reporting month.
    """
    period = current_period(today)
    if figures:
        last = (
            ContractReport.objects.filter(contract__fair=fair, period__lte=period)
            .order_by("-period")
            .values_list("period", flat=True)
            .first()
        )
        if last is not None:
            period = last
        else:
            target = fair.targets.order_by("-due_on").values_list("due_on", flat=True).first()
            if target is not None:
                period = min(period, month_start(target))
    if fair.first_period and period < fair.first_period:
        period = fair.first_period
    return period


def reporting_months(fair: Fair, upto: dt.date | None = None) -> list[dt.date]:
    """The fair's reporting months for the month pickers, newest first: from its first period
    (else two years back) to this month, at most ten years."""
    last = month_start(upto or timezone.localdate())
    first = fair.first_period or add_months(last, -23)
    months, month = [], last
    while month >= first and len(months) < 120:
        months.append(month)
        month = add_months(month, -1)
    return months


def default_quarter(fair: Fair) -> dt.date:
    """The quarter shown when none is asked for: that of the latest month reported on, or the
    last complete quarter when nothing was reported (its first month)."""
    last = (
        ContractReport.objects.filter(contract__fair=fair)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    ) or add_months(month_start(timezone.localdate()), -3)
    return quarter_start(last)


def target_in_force(*, fair: Fair, period: dt.date) -> RateTarget | None:
    """The next target due on/after the period's end; once all are past, the last one."""
    targets = RateTarget.objects.filter(fair=fair)
    return (
        targets.filter(due_on__gte=period_end(period)).order_by("due_on").first()
        or targets.order_by("-due_on").first()
    )


def contracts_as_of(
    *, fair: Fair, period: dt.date, queryset: QuerySet[Contract] | None = None
) -> QuerySet[Contract]:
    """Contracts annotated with their state as of ``period`` (None where never reported)."""
    qs = queryset if queryset is not None else Contract.objects.all()
    latest = ContractReport.objects.filter(
        contract=OuterRef("pk"), period__lte=month_start(period)
    ).order_by("-period")
    return qs.filter(fair=fair).annotate(
        state_period=Subquery(latest.values("period")[:1]),
        state_performing=Subquery(latest.values("is_performing")[:1]),
        state_started=Subquery(latest.values("is_started")[:1]),
        state_started_on=Subquery(latest.values("started_on")[:1]),
        state_funds=Subquery(latest.values("funds_arrived_to_date")[:1]),
    )


_AGGREGATES = {
    "contracts": Count("pk"),
    "reported": Count("pk", filter=Q(state_period__isnull=False)),
    "performing": Count("pk", filter=Q(state_performing=True)),
    "started": Count("pk", filter=Q(state_started=True)),
    "total_investment": Sum("total_investment"),
    "funds_arrived": Sum("state_funds"),
}


def _ratio(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) / Decimal(whole)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def _with_rates(row: dict[str, Any]) -> dict[str, Any]:
    total = Decimal(row["total_investment"] or 0).quantize(AMOUNT_PLACES)
    funds = Decimal(row["funds_arrived"] or 0).quantize(AMOUNT_PLACES)
    return {
        **row,
        "total_investment": total,
        "funds_arrived": funds,
        "fulfillment_rate": _ratio(row["performing"], row["contracts"]),
        "start_rate": _ratio(row["started"], row["contracts"]),
        "funding_rate": _ratio(funds, total),
    }


def rates(
    *,
    fair: Fair,
    period: dt.date,
    by: str | None = None,
    queryset: QuerySet[Contract] | None = None,
) -> list[dict[str, Any]] | dict[str, Any]:
    """履约率, 开工率, 资金到位率 as of ``period`` for the fair, per unit or per 市州.

    ``by=None`` → one dict for the whole fair; ``"unit"`` → one per responsible unit (ledger
    order); ``"region"`` → one per 市州 (contracts with no known region last, region None).
    Each dict: contracts, reported, performing, started, total_investment, funds_arrived,
    fulfillment_rate, start_rate, funding_rate (Decimal fractions or None), target (the target
    in force as a dict, or None) and gap (rate − target per measure, negative = behind).
    ``queryset`` narrows the contracts (e.g. to what a user may see).
    """
    if by not in (None, *BY_CHOICES):
        raise ValueError(_("by 只能是 unit 或 region，实为“%(by)s”") % {"by": by})
    target = target_in_force(fair=fair, period=period)
    if connection.vendor == "postgresql":
        return _rates_lateral(fair=fair, period=period, by=by, queryset=queryset, target=target)
    return _rates_orm(fair=fair, period=period, by=by, queryset=queryset, target=target)


def _rates_orm(
    *,
    fair: Fair,
    period: dt.date,
    by: str | None,
    queryset: QuerySet[Contract] | None,
    target: RateTarget | None,
) -> list[dict[str, Any]] | dict[str, Any]:
    """``rates`` through the ORM's correlated subqueries: SQLite, and the reference the
    PostgreSQL form is tested against."""
    qs = contracts_as_of(fair=fair, period=period, queryset=queryset)
    if by is None:
        return _finish(qs.aggregate(**_AGGREGATES), target)
    if by == "unit":
        rows = (
            qs.values("responsible_unit", "responsible_unit__name")
            .annotate(first_seq=Min("seq"), **_AGGREGATES)
            .order_by("first_seq")
        )
        return [
            _finish(
                {
                    "unit_id": r.pop("responsible_unit"),
                    "unit_name": r.pop("responsible_unit__name"),
                    **r,
                },
                target,
            )
            for r in rows
        ]
    rows = (
        qs.annotate(
            prefecture=Case(
                When(region__level=Region.Level.COUNTY, then=F("region__parent")),
                default=F("region"),
            )
        )
        .values("prefecture")
        .annotate(**_AGGREGATES)
    )
    return _by_region(list(rows), target)


def _contracts_where(fair: Fair, queryset: QuerySet[Contract] | None) -> tuple[str, list]:
    """The condition on ``c`` (contracts_contract) selecting the fair's contracts that
    ``queryset`` narrows to: the fair's id alone when nothing narrows (a plain index/seq scan
    instead of a semi-join of the table with itself)."""
    if queryset is None:
        return "c.fair_id = %s", [fair.pk]
    sql, params = queryset.filter(fair=fair).order_by().values("pk").query.sql_with_params()
    return f"c.id IN ({sql})", list(params)


# The state as of the period, once per contract. For a contract whose latest report is not
# after the period, that report *is* its state: read from contracts_latest_report, which
# PostgreSQL keeps on every write to the reports (migration contracts 0005) — one hash join.
# Only the contracts that have reported since (a past period asked for) probe the
# (contract, period) index for their latest report up to it (LATERAL). At 100k contracts and
# 1.1M reports the current month's rates by unit went from 0.7 s (a probe per contract) to the
# cost of one join (issue 15). Columns: the contract's, then state_* as _AGGREGATES names them.
_STATE_COLUMNS = "c.id, c.responsible_unit_id, c.seq, c.total_investment, c.region_id"
_STATE_FROM = f"""
    FROM (
        SELECT {_STATE_COLUMNS}, lt.period AS state_period,
               lt.is_performing AS state_performing, lt.is_started AS state_started,
               lt.funds_arrived_to_date AS state_funds
        FROM contracts_contract c
        LEFT JOIN contracts_latest_report lt ON lt.contract_id = c.id
        WHERE {{where}} AND (lt.period IS NULL OR lt.period <= %s)
        UNION ALL
        SELECT {_STATE_COLUMNS}, o.period, o.is_performing, o.is_started,
               o.funds_arrived_to_date
        FROM contracts_contract c
        JOIN contracts_latest_report lt ON lt.contract_id = c.id AND lt.period > %s
        LEFT JOIN LATERAL (
            SELECT r.period, r.is_performing, r.is_started, r.funds_arrived_to_date
            FROM contracts_contractreport r
            WHERE r.contract_id = c.id AND r.period <= %s
            ORDER BY r.period DESC LIMIT 1
        ) o ON true
        WHERE {{where}}
    ) c
"""
_STATE_AGGREGATES = """
    count(*) AS contracts, count(c.state_period) AS reported,
    count(*) FILTER (WHERE c.state_performing) AS performing,
    count(*) FILTER (WHERE c.state_started) AS started,
    sum(c.total_investment) AS total_investment,
    sum(c.state_funds) AS funds_arrived
"""


def state_from(fair: Fair, period: dt.date, queryset: QuerySet[Contract] | None):
    """The FROM clause of the contracts' state as of ``period`` (alias ``c``) and its params."""
    where, where_params = _contracts_where(fair, queryset)
    period = month_start(period)
    sql = _STATE_FROM.format(where=where)
    return sql, [*where_params, period, period, period, *where_params]


def _fetch(sql: str, params: list) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [col[0] for col in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _rates_lateral(
    *,
    fair: Fair,
    period: dt.date,
    by: str | None,
    queryset: QuerySet[Contract] | None,
    target: RateTarget | None,
) -> list[dict[str, Any]] | dict[str, Any]:
    """``rates`` on PostgreSQL: one set-based query (the ORM form stays for SQLite)."""
    from_sql, params = state_from(fair, period, queryset)
    if by is None:
        (row,) = _fetch(f"SELECT {_STATE_AGGREGATES} {from_sql}", params)
        return _finish(row, target)
    if by == "unit":
        # Aggregated first, named after (a hash aggregate over the contracts in storage order).
        rows = _fetch(
            f"SELECT a.unit_id, o.name AS unit_name, a.first_seq, a.contracts, a.reported,"
            f" a.performing, a.started, a.total_investment, a.funds_arrived"
            f" FROM (SELECT c.responsible_unit_id AS unit_id, min(c.seq) AS first_seq,"
            f" {_STATE_AGGREGATES} {from_sql}"
            f" GROUP BY c.responsible_unit_id) a"
            f" JOIN reference_organization o ON o.id = a.unit_id ORDER BY a.first_seq",
            params,
        )
        return [_finish(r, target) for r in rows]
    rows = _fetch(
        f"SELECT CASE WHEN g.level = %s THEN g.parent_id ELSE c.region_id END AS prefecture,"
        f" {_STATE_AGGREGATES} {from_sql}"
        f" LEFT JOIN reference_region g ON g.id = c.region_id"
        f" GROUP BY 1",
        [Region.Level.COUNTY.value, *params],
    )
    return _by_region(rows, target)


def _by_region(rows: list[dict[str, Any]], target: RateTarget | None) -> list[dict[str, Any]]:
    regions = Region.objects.in_bulk([r["prefecture"] for r in rows if r["prefecture"]])
    out = [
        _finish(
            {
                "region_id": r["prefecture"],
                "region_name": regions[r["prefecture"]].display_name
                if r["prefecture"]
                else _("省直及未明确地区"),  # a label of the platform, not data
                "region_code": regions[r["prefecture"]].code if r["prefecture"] else None,
                **{k: v for k, v in r.items() if k != "prefecture"},
            },
            target,
        )
        for r in rows
    ]
    order = {pk: (r.sort_order, r.code) for pk, r in regions.items()}
    return sorted(out, key=lambda r: order.get(r["region_id"], (10**9, "")))


# Every month's state in one pass over the reports: a report is in force from its period
# until the contract's next report, so each month's counts are the running sum of the reports
# that began minus those that ended by then (one window, one small GROUP BY).
_SERIES_SQL = """
    WITH c AS (SELECT c.id, c.total_investment FROM contracts_contract c WHERE {where}),
    s AS (
        SELECT r.period,
               lead(r.period) OVER (PARTITION BY r.contract_id ORDER BY r.period) AS until,
               r.is_performing::int AS performing, r.is_started::int AS started,
               r.funds_arrived_to_date AS funds
        FROM contracts_contractreport r JOIN c ON c.id = r.contract_id
        WHERE r.period <= %s
    ),
    e AS (
        SELECT period AS at, 1 AS n, performing, started, funds FROM s
        UNION ALL
        SELECT until, -1, -performing, -started, -funds FROM s WHERE until IS NOT NULL
    ),
    g AS (
        SELECT at, sum(n) AS n, sum(performing) AS performing, sum(started) AS started,
               sum(funds) AS funds
        FROM e GROUP BY at
    )
    SELECT m.period,
           (SELECT count(*) FROM c) AS contracts,
           coalesce(sum(g.n), 0) AS reported,
           coalesce(sum(g.performing), 0) AS performing,
           coalesce(sum(g.started), 0) AS started,
           (SELECT sum(total_investment) FROM c) AS total_investment,
           sum(g.funds) AS funds_arrived
    FROM unnest(%s::date[]) AS m(period) LEFT JOIN g ON g.at <= m.period
    GROUP BY m.period ORDER BY m.period
"""


def rates_row(*, fair: Fair, period: dt.date) -> dict[str, Any]:
    """One ``rate_series`` row (the whole fair as of ``period``, no target) by the state path:
    for the current month a join with the latest reports instead of a pass over all reports."""
    period = month_start(period)
    if connection.vendor == "postgresql":
        from_sql, params = state_from(fair, period, None)
        (row,) = _fetch(f"SELECT {_STATE_AGGREGATES} {from_sql}", params)
    else:
        row = contracts_as_of(fair=fair, period=period).aggregate(**_AGGREGATES)
    return {**_with_rates(row), "period": period}


def total_of(rows: list[dict[str, Any]], period: dt.date) -> dict[str, Any]:
    """The whole fair's ``rates_row`` from its ``rates(by="unit")`` rows (every contract has
    one responsible unit, so the rows partition the fair): no second pass over the contracts."""
    keys = ("contracts", "reported", "performing", "started", "total_investment", "funds_arrived")
    raw = {k: sum((r[k] or 0 for r in rows), Decimal(0) if k in keys[4:] else 0) for k in keys}
    return {**_with_rates(raw), "period": month_start(period)}


def rate_series(
    *, fair: Fair, periods: list[dt.date], queryset: QuerySet[Contract] | None = None
) -> list[dict[str, Any]]:
    """``rates(fair=fair, period=p)`` for each of ``periods`` (without targets), in one query
    on PostgreSQL: the cockpit's trend. Each dict also carries its ``period``."""
    periods = [month_start(p) for p in periods]
    if not periods:
        return []
    if connection.vendor != "postgresql":
        out = []
        for p in periods:
            row = contracts_as_of(fair=fair, period=p, queryset=queryset).aggregate(**_AGGREGATES)
            out.append({"period": p, **_with_rates(row)})
        return out
    where, where_params = _contracts_where(fair, queryset)
    rows = _fetch(
        _SERIES_SQL.format(where=where), [*where_params, max(periods), sorted(set(periods))]
    )
    by_period = {}
    for r in rows:
        if not r["reported"]:
            r["funds_arrived"] = None  # as Sum() over no reported contract
        by_period[r["period"]] = _with_rates(r)
    return [{**by_period[p], "period": p} for p in periods]


def finish_rates(row: dict[str, Any], target: RateTarget | None) -> dict[str, Any]:
    """A ``rate_series`` row as ``rates`` returns it: against ``target``, without its period."""
    return _finish({k: v for k, v in row.items() if k not in ("period", *_RATE_KEYS)}, target)


_RATE_KEYS = ("fulfillment_rate", "start_rate", "funding_rate")


def _finish(row: dict[str, Any], target: RateTarget | None) -> dict[str, Any]:
    out = _with_rates(row)
    out["target"] = (
        {
            "due_on": target.due_on,
            "fulfillment": target.fulfillment,
            "start": target.start,
            "funding": target.funding,
        }
        if target
        else None
    )
    out["gap"] = {
        key: (out[f"{key}_rate"] - out["target"][key])
        if out["target"] and out[f"{key}_rate"] is not None
        else None
        for key in ("fulfillment", "start", "funding")
    }
    return out


def rate_measures(overall: dict[str, Any]) -> list[dict[str, Any]]:
    """The three measures of ``rates`` (seed 002) as the rates page heads them: label, how the
    rate is computed, its numerator, the rate, the target in force and the gap."""
    funds, total = overall["funds_arrived"], overall["total_investment"]
    counts = _("/ %(contracts)s 项") % {"contracts": overall["contracts"]}
    rows = [
        (
            "fulfillment",
            _("履约率"),
            _("正在履约的项目 / 签约项目"),
            f"{overall['performing']} {counts}",
        ),
        ("start", _("开工率"), _("已开工的项目 / 签约项目"), f"{overall['started']} {counts}"),
        (
            "funding",
            _("资金到位率"),
            _("累计到位资金 / 签约总投资"),
            _("%(funds)s / %(total)s 亿元")
            % {"funds": format(funds, ",.2f"), "total": format(total, ",.2f")},
        ),
    ]
    return [
        {
            "label": label,
            "help": help_text,
            "numerator": numerator,
            "rate": overall[f"{key}_rate"],
            "target": (overall["target"] or {}).get(key),
            "gap": overall["gap"][key],
        }
        for key, label, help_text, numerator in rows
    ]


def units_missing_report(*, fair: Fair, period: dt.date) -> QuerySet[Organization]:
    """Units with contracts in the fair of which at least one has no report for ``period``."""
    unreported = Contract.objects.filter(fair=fair, responsible_unit=OuterRef("pk")).exclude(
        pk__in=ContractReport.objects.filter(period=month_start(period)).values("contract")
    )
    return Organization.objects.filter(pk__in=Subquery(unreported.values("responsible_unit")))


def reporting_status(
    *, fair: Fair, period: dt.date, queryset: QuerySet[Contract] | None = None
) -> list[dict[str, Any]]:
    """Per responsible unit (ledger order): contracts, reported, missing, last_reported_at,
    due_on (the 5th of the next month) and overdue (missing reports past the due day)."""
    period = month_start(period)
    due = period_due(period)
    overdue_now = timezone.localdate() > due
    qs = queryset if queryset is not None else Contract.objects.all()
    rows = (
        qs.filter(fair=fair)
        .annotate(this_month=FilteredRelation("reports", condition=Q(reports__period=period)))
        .values("responsible_unit", "responsible_unit__name")
        .annotate(
            first_seq=Min("seq"),
            contracts=Count("pk"),
            reported=Count("this_month__pk"),
            last_reported_at=Max("this_month__updated_at"),
        )
        .order_by("first_seq")
    )
    return [
        {
            "unit_id": r["responsible_unit"],
            "unit_name": r["responsible_unit__name"],
            "contracts": r["contracts"],
            "reported": r["reported"],
            "missing": r["contracts"] - r["reported"],
            "last_reported_at": r["last_reported_at"],
            "due_on": due,
            "overdue": overdue_now and r["contracts"] > r["reported"],
        }
        for r in rows
    ]


def reporting_summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    """The head line of the reporting-status page over ``reporting_status`` rows: units, how
    many reported completely, partly or not at all, contracts and reports."""
    return {
        "units": len(rows),
        "complete": sum(1 for r in rows if r["missing"] == 0),
        "partial": sum(1 for r in rows if 0 < r["reported"] < r["contracts"]),
        "none": sum(1 for r in rows if r["reported"] == 0),
        "contracts": sum(r["contracts"] for r in rows),
        "reported": sum(r["reported"] for r in rows),
    }


def ledger(*, fair: Fair, queryset: QuerySet[Contract] | None = None) -> QuerySet[Contract]:
    """The fair's contracts in ledger order, with what the list pages show."""
    qs = queryset if queryset is not None else Contract.objects.all()
    return (
        qs.filter(fair=fair)
        .select_related("responsible_unit", "region", "region__parent")
        .order_by("seq")
    )


def unit_subtotals(queryset: QuerySet[Contract]) -> dict[str, dict[str, Any]]:
    """Per ledger unit (as printed): count, subtotal 亿元 and flagged rows, in one query."""
    rows = (
        queryset.order_by()
        .values("responsible_unit_label", "responsible_unit__name")
        .annotate(
            count=Count("pk"),
            total=Sum("total_investment"),
            flagged=Count("pk", filter=Q(needs_correction=True)),
            first_seq=Min("seq"),
        )
        .order_by("first_seq")
    )
    return {r["responsible_unit_label"]: r for r in rows}


def ledger_totals(queryset: QuerySet[Contract]) -> dict[str, Any]:
    return queryset.order_by().aggregate(
        count=Count("pk"),
        total=Sum("total_investment"),
        flagged=Count("pk", filter=Q(needs_correction=True)),
        units=Count("responsible_unit_label", distinct=True),
    )


def previous_reports(*, contracts: QuerySet[Contract], period: dt.date) -> dict[int, Any]:
    """For the monthly form: each contract's report for ``period`` if filed, else its latest
    earlier one (to pre-fill from), keyed by contract id — two queries in all."""
    period = month_start(period)
    this = {
        r.contract_id: r
        for r in ContractReport.objects.filter(contract__in=contracts, period=period)
    }
    latest = ContractReport.objects.filter(
        contract=OuterRef("contract"), period__lt=period
    ).order_by("-period")
    earlier = ContractReport.objects.filter(
        contract__in=contracts, period__lt=period, pk=Subquery(latest.values("pk")[:1])
    ).exclude(contract__in=list(this))
    return {**{r.contract_id: r for r in earlier}, **this}


# --- the monthly report sheet ----------------------------------------------------------------


def report_units(*, user: Any, fair: Fair) -> QuerySet[Organization]:
    """The units ``user`` may report for in ``fair``: their own, any for an administrator."""
    return policy.organizations_for_forms(user).filter(contracts__fair=fair).distinct()


def reporting_unit(*, user: Any, fair: Fair, requested: str | None = None) -> Organization | None:
    """The unit whose sheet is shown: staff report for their own unit; an administrator may
    pick any unit of the ledger (``requested``, an id). A malformed id picks no unit (the page
    says so) rather than failing; with no unit of their own, the first by name."""
    units = report_units(user=user, fair=fair)
    if requested and policy.is_admin(user):
        return units.filter(pk=requested).first() if requested.isdigit() else None
    if user.organization_id:
        return units.filter(pk=user.organization_id).first()
    return units.order_by("name").first()


class RowState:
    """How a contract's row of the sheet starts: its report for the month (``FILED``), its
    latest earlier report carried forward (``CARRIED``), or blank (``NEW``)."""

    FILED = "filed"
    CARRIED = "carried"
    NEW = "new"


# What a month's report carries forward from the contract's latest earlier report: all it
# reports but the confirmation of an over-100% figure (that, and the version, are the month's).
CARRIED_FIELDS = tuple(f for f in REPORT_FIELDS if f != "confirmation_note")


@dataclass(frozen=True)
class SheetRow:
    contract: Contract
    source: ContractReport | None  # the report the row starts from (None: nothing yet)
    state: str  # a RowState
    initial: dict[str, Any]


@dataclass(frozen=True)
class ReportSheet:
    """A unit's monthly report sheet: one row per contract it may report on, in ledger order."""

    fair: Fair
    period: dt.date
    unit: Organization | None
    rows: list[SheetRow]

    @property
    def initial(self) -> list[dict[str, Any]]:
        return [row.initial for row in self.rows]

    @property
    def filed(self) -> int:
        return sum(1 for row in self.rows if row.state == RowState.FILED)


def _row_initial(contract: Contract, report: ContractReport | None, this_month: bool) -> dict:
    initial: dict[str, Any] = {
        "contract": contract.pk,
        "version": report.version if this_month else None,
        "confirmation_note": report.confirmation_note if this_month else "",
        "is_performing": False,
        "is_started": False,
        "started_on": None,
        "funds_arrived_to_date": Decimal(0),
        "progress": "",
        "problems": "",
    }
    if report is not None:
        for name in CARRIED_FIELDS:
            initial[name] = getattr(report, name)
    return initial


def report_sheet(
    *, user: Any, fair: Fair, period: dt.date, unit: Organization | None
) -> ReportSheet:
    """``unit``'s sheet for ``period``: the contracts of the fair it is responsible for that
    ``user`` may change, each pre-filled from its report for the month if filed, else from its
    latest earlier report (carry-forward), else blank."""
    period = month_start(period)
    contracts = (
        Contract.objects.filter(fair=fair, responsible_unit=unit).order_by("seq")
        if unit is not None
        else Contract.objects.none()
    )
    contracts = list(policy.restrict(contracts, user, policy.Action.CHANGE))
    known = previous_reports(
        contracts=Contract.objects.filter(pk__in=[c.pk for c in contracts]), period=period
    )
    rows = []
    for contract in contracts:
        report = known.get(contract.pk)
        this_month = report is not None and report.period == period
        if this_month:
            state = RowState.FILED
        else:
            state = RowState.CARRIED if report is not None else RowState.NEW
        rows.append(SheetRow(contract, report, state, _row_initial(contract, report, this_month)))
    return ReportSheet(fair=fair, period=period, unit=unit, rows=rows)


def report_timeliness(*, period: dt.date, by: str) -> dict[Any, dict[str, int]]:
    """月报及时率 of the contract ledgers for ``period``, per responsible unit ("unit") or 市州
    ("region"), over the fairs that report for that month.

    Expected: each contract; filed: its report for the month exists; on_time: created before
    the due day (the 5th of the next month) ended. key → {expected, filed, on_time}; one query.
    """
    period = month_start(period)
    deadline = timezone.make_aware(
        dt.datetime.combine(period_due(period) + dt.timedelta(days=1), dt.time())
    )
    this_month = ContractReport.objects.filter(contract=OuterRef("pk"), period=period)
    qs = (
        Contract.objects.filter(
            Q(fair__first_period__isnull=True) | Q(fair__first_period__lte=period)
        )
        .order_by()
        .annotate(
            filed=Exists(this_month),
            on_time=Exists(this_month.filter(created_at__lt=deadline)),
        )
    )
    if by == "unit":
        group = "responsible_unit"
    elif by == "region":
        qs = qs.annotate(
            prefecture=Case(
                When(region__level=Region.Level.COUNTY, then=F("region__parent")),
                default=F("region"),
            )
        )
        group = "prefecture"
    else:
        raise ValueError(f"report_timeliness: unknown dimension {by!r}")
    rows = qs.values(group).annotate(
        expected=Count("pk"),
        n_filed=Count("pk", filter=Q(filed=True)),
        n_on_time=Count("pk", filter=Q(on_time=True)),
    )
    return {
        r[group]: {"expected": r["expected"], "filed": r["n_filed"], "on_time": r["n_on_time"]}
        for r in rows
    }


def quarter_months(quarter_start: dt.date) -> list[dt.date]:
    first = month_start(quarter_start)
    return [add_months(first, i) for i in range(3)]


def quarterly_report(
    *, fair: Fair, quarter_start: dt.date, queryset: QuerySet[Contract] | None = None
) -> dict[str, Any]:
    """The fair's quarterly report to the province (002: monthly to the coordinator,
    quarterly to the province), compiled from the monthly reports.

    Rates are ``rates`` as of the quarter's last month — the very figures of
    ``/api/v1/fairs/{id}/rates/?month=`` — overall, per unit and per 市州, against the target
    in force; per month the reports filed; per contract (ledger order) its state as of the
    quarter's end and the progress and problems of its latest report in the quarter.
    """
    months = quarter_months(quarter_start)
    last = months[-1]
    in_quarter = ContractReport.objects.filter(contract=OuterRef("pk"), period__in=months).order_by(
        "-period"
    )
    contracts = (
        contracts_as_of(fair=fair, period=last, queryset=queryset)
        .annotate(
            q_period=Subquery(in_quarter.values("period")[:1]),
            q_progress=Subquery(in_quarter.values("progress")[:1]),
            q_problems=Subquery(in_quarter.values("problems")[:1]),
            q_reports=Subquery(
                ContractReport.objects.filter(contract=OuterRef("pk"), period__in=months)
                .order_by()
                .values("contract")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .select_related("responsible_unit")
        .order_by("seq")
    )
    monthly = []
    for month in months:
        status = reporting_status(fair=fair, period=month, queryset=queryset)
        monthly.append(
            {
                "period": month,
                "contracts": sum(r["contracts"] for r in status),
                "reported": sum(r["reported"] for r in status),
                "units_missing": sum(1 for r in status if r["missing"]),
            }
        )
    return {
        "fair": fair,
        "months": months,
        "as_of": last,
        "overall": rates(fair=fair, period=last, queryset=queryset),
        "by_unit": rates(fair=fair, period=last, by="unit", queryset=queryset),
        "by_region": rates(fair=fair, period=last, by="region", queryset=queryset),
        "monthly": monthly,
        "contracts": contracts,
    }
