"""Reads and aggregates of the project library, shared by pages, the API, the dashboard and jobs.

Every aggregate runs in SQL (annotate/aggregate); nothing loops over project rows in Python.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.core import permissions as policy
from apps.core.periods import add_months, current_period
from apps.projects.models import (
    ZERO,
    Campaign,
    CriterionJudgement,
    EntryCriterion,
    LibraryStatus,
    Project,
    ProjectMonthlyUpdate,
    ProjectReviewEvent,
    ReviewAction,
    SizeClass,
    Target,
    Tier,
    Verdict,
    prefecture_expression,
    size_class_expression,
)
from apps.reference.models import Organization, Region, Sector

if TYPE_CHECKING:
    from apps.projects.filters import ProjectFilter

MONEY = DecimalField(max_digits=14, decimal_places=4)
RATE_PLACES = Decimal("0.0001")


def visible_projects(user: Any) -> QuerySet[Project]:
    return policy.restrict(Project.objects.all(), user, policy.Action.VIEW)


def project_list(
    *, user: Any, data: Any = None, queryset: QuerySet[Project] | None = None, request: Any = None
) -> ProjectFilter:
    """The one list of projects behind the library page, the API's list and the Excel export:
    ``user``'s visible projects with what a list row shows (or ``queryset``, a base already
    scoped to the user, e.g. the API's or the export's), filtered and ordered by the one
    ``ProjectFilter`` on ``data`` (the query string; None: unfiltered).

    Returns the bound FilterSet: ``.qs`` the rows, ``.form`` the filter bar, ``.errors``.
    """
    from apps.projects.filters import ProjectFilter

    if queryset is None:
        queryset = visible_projects(user).for_lists()
    return ProjectFilter(data, queryset=queryset, request=request)


def list_totals(queryset: QuerySet[Project]) -> dict[str, Any]:
    """Count and sums of a (filtered) list, in one query."""
    return queryset.order_by().aggregate(
        count=Count("pk"),
        total_investment=Coalesce(Sum("total_investment"), Value(ZERO), output_field=MONEY),
        planned_investment_year=Coalesce(
            Sum("planned_investment_year"), Value(ZERO), output_field=MONEY
        ),
    )


def current_campaign(today=None) -> Campaign | None:
    """The campaign the pages show: this year's (apps.projects.campaigns), else the latest."""
    from apps.projects import campaigns

    return campaigns.current_campaign(today) or campaigns.latest_campaign(today)


def _targets(campaign: Campaign | None, dimension: str) -> dict[Any, Target]:
    if campaign is None:
        return {}
    rows = Target.objects.filter(campaign=campaign, dimension=dimension)
    key = {"region": "region_id", "sector": "sector_id", "tier": "tier"}[dimension]
    return {getattr(t, key): t for t in rows}


#: What ``library_groups`` groups the projects by: where they are (status, tier, region,
#: demo) or what they are (status, sector, stage). Two groupings, not one of all keys (nor
#: with the size class, an expression without statistics): PostgreSQL cannot know that the
#: combinations are few and plans a sort on disk of every row (0.8 s at 100,000 projects)
#: instead of a hash aggregate.
GROUPINGS = {
    "place": ("library_status", "tier", "region_id", "is_demo"),
    "kind": ("library_status", "sector_id", "stage"),
}


def library_groups(queryset: QuerySet[Project] | None = None, *, by: str) -> list[dict[str, Any]]:
    """Count and total investment of ``queryset`` (default: every project) per combination of
    ``GROUPINGS[by]`` — one scan, a few hundred rows at 100,000 projects — from which
    ``library_totals``, ``size_class_counts`` and ``status_counts`` follow without reading
    the projects again (their ``groups=``): the cockpit reads its library figures in three
    queries instead of ten scans (issue 15). "place" groups also carry ``prefecture_id``."""
    qs = (Project.objects.all() if queryset is None else queryset).order_by()
    rows = list(
        qs.values(*GROUPINGS[by]).annotate(
            count=Count("pk"),
            total_investment=Coalesce(Sum("total_investment"), Value(ZERO), output_field=MONEY),
        )
    )
    if by == "place":
        prefecture = {
            pk: pk if level == Region.Level.PREFECTURE else parent
            for pk, level, parent in Region.objects.values_list("pk", "level", "parent_id")
        }
        for row in rows:
            row["prefecture_id"] = prefecture.get(row["region_id"])
    return rows


def in_library_groups(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The groups of 已入库 projects (``Project.objects.in_library()``)."""
    return [g for g in groups if g["library_status"] == LibraryStatus.APPROVED]


def _sum_groups(groups, key) -> dict[Any, dict[str, Any]]:
    out: dict[Any, dict[str, Any]] = {}
    for g in groups:
        row = out.setdefault(key(g), {"count": 0, "total_investment": ZERO})
        row["count"] += g["count"]
        row["total_investment"] += g["total_investment"]
    return out


def library_totals(
    *,
    queryset: QuerySet[Project] | None = None,
    by: str,
    campaign: Campaign | None = None,
    groups: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Totals of the library (default: 已入库 projects) per 市州, tier or sector, with targets.

    Each row: key, label, count, total_investment, target, gap (target − total, never
    negative; None without a target). ``by="region"`` rolls counties up to their 市州.
    Tier targets stated "each" (市州级千亿, 县级百亿) are goals per region, never summed: such a
    row has no ``target`` but ``target_each``, ``regions`` and ``regions_met`` (how many
    regions reach the goal). The campaign's one total goal is ``Campaign.total_goal``.
    ``groups``: ``library_groups`` rows of the projects to total, instead of ``queryset``.
    """
    qs = (Project.objects.in_library() if queryset is None else queryset).order_by()
    campaign = campaign if campaign is not None else current_campaign()
    sums = {
        "count": Count("pk"),
        "total_investment": Coalesce(Sum("total_investment"), Value(ZERO), output_field=MONEY),
    }
    rows: list[dict[str, Any]] = []
    if by == "region":
        if groups is not None:
            agg = _sum_groups(groups, lambda g: g["prefecture_id"])
        else:
            agg = {
                r["prefecture_id"]: r
                for r in qs.with_prefecture().values("prefecture_id").annotate(**sums)
            }
        targets = _targets(campaign, "region")
        for region in Region.objects.filter(level=Region.Level.PREFECTURE):
            rows.append(
                _row(region.code, region.display_name, agg.get(region.pk), targets.get(region.pk))
            )
    elif by == "sector":
        if groups is not None:
            agg = _sum_groups(groups, lambda g: g["sector_id"])
        else:
            agg = {r["sector_id"]: r for r in qs.values("sector_id").annotate(**sums)}
        targets = _targets(campaign, "sector")
        for sector in Sector.objects.all():
            rows.append(_row(sector.code, sector.name, agg.get(sector.pk), targets.get(sector.pk)))
    elif by == "tier":
        if groups is not None:
            agg = _sum_groups(groups, lambda g: g["tier"])
        else:
            agg = {r["tier"]: r for r in qs.values("tier").annotate(**sums)}
        targets = _targets(campaign, "tier")
        level_counts = dict(
            Region.objects.filter(level__in=["prefecture", "county"])
            .values_list("level")
            .annotate(n=Count("pk"))
        )
        for tier in Tier:
            target = targets.get(tier.value)
            row = _row(tier.value, tier.label, agg.get(tier.value), None)
            if target is not None:
                row["target_wording"] = target.wording
                if target.per_region:
                    # 市州级千亿 / 县级百亿 are goals for each region, not a sum to add up:
                    # the row says how many regions reach the goal with their tier's projects.
                    row["target_each"] = target.amount
                    row["regions"] = level_counts.get(tier.value, 0)
                    row["regions_met"] = _regions_meeting(qs, tier.value, target.amount, groups)
                else:
                    _set_target(row, target.amount)
            rows.append(row)
    else:
        raise ValueError(f"library_totals: unknown dimension {by!r}")
    return rows


def _regions_meeting(
    qs: QuerySet[Project], tier: str, amount: Decimal, groups: list[dict[str, Any]] | None
) -> int:
    """How many regions reach ``amount`` with the in-scope projects of their own tier."""
    if groups is not None:
        of_tier = [g for g in groups if g["tier"] == tier]
        key = "prefecture_id" if tier == Tier.PREFECTURE else "region_id"
        totals = _sum_groups(of_tier, lambda g: g[key])
        return sum(1 for r in totals.values() if r["total_investment"] >= amount)
    key = "prefecture_id" if tier == Tier.PREFECTURE else "region_id"
    base = qs.filter(tier=tier)
    if tier == Tier.PREFECTURE:
        base = base.with_prefecture()
    return (
        base.values(key).annotate(total=Sum("total_investment")).filter(total__gte=amount).count()
    )


def _row(key: Any, label: str, agg: dict | None, target: Target | None) -> dict[str, Any]:
    row = {
        "key": key,
        "label": label,
        "count": agg["count"] if agg else 0,
        "total_investment": agg["total_investment"] if agg else ZERO,
        "target": None,
        "gap": None,
        "attainment": None,
    }
    if target is not None:
        _set_target(row, target.amount)
    return row


def _set_target(row: dict[str, Any], amount: Decimal) -> None:
    row["target"] = amount
    row["gap"] = max(amount - row["total_investment"], ZERO)
    row["attainment"] = (row["total_investment"] / amount).quantize(RATE_PLACES) if amount else None


def size_class_counts(queryset: QuerySet[Project] | None = None) -> dict[str, int]:
    """百亿/十亿/亿元/亿元以下 project counts (keys are the Chinese labels), default: library."""
    qs = (Project.objects.in_library() if queryset is None else queryset).order_by()
    found = dict(
        qs.annotate(size=size_class_expression()).values_list("size").annotate(n=Count("pk"))
    )
    return {cls.label: found.get(cls.value, 0) for cls in SizeClass}


def completed_in_year(year: int, *, through: dt.date | None = None) -> Coalesce:
    """A project's investment completed in ``year`` (the sum of its monthly updates of the
    year, up to the month ``through`` if given; 0 without any), to annotate a project query."""
    months = ProjectMonthlyUpdate.objects.filter(project=OuterRef("pk"), period__year=year)
    if through is not None:
        months = months.filter(period__lte=through)
    completed = (
        months.order_by().values("project").annotate(s=Sum("completed_this_month")).values("s")
    )
    return Coalesce(Subquery(completed, output_field=MONEY), Value(ZERO), output_field=MONEY)


def library_as_of(day: dt.date) -> QuerySet[Project]:
    """The projects in the library at the end of ``day``: 入库 by then and not removed (a
    project removed later counts; its attributes are today's)."""
    removed_later = ProjectReviewEvent.objects.filter(
        project=OuterRef("pk"), to_status=LibraryStatus.REMOVED, at__gte=_day_end(day)
    )
    return (
        Project.objects.filter(Q(approved_on__isnull=True) | Q(approved_on__lte=day))
        .annotate(removed_later=Exists(removed_later))
        .filter(
            Q(library_status=LibraryStatus.APPROVED)
            | Q(library_status=LibraryStatus.REMOVED, removed_later=True)
        )
    )


def completion_rates(
    *,
    year: int,
    by: str,
    queryset: QuerySet[Project] | None = None,
    through: dt.date | None = None,
) -> list[dict]:
    """投资完成率 for ``year``: completed (sum of monthly updates in the year) / planned.

    Over library projects whose plan year is ``year``; grouped by 市州 ("region"), responsible
    unit ("unit"), tier or sector. Rows: key, label, projects, planned, completed, rate
    (Decimal ratio, None where nothing is planned). ``through``: count only the months up to
    that one (the rate as it stood then, for rankings of a past month).
    """
    qs = (
        (Project.objects.in_library() if queryset is None else queryset)
        .filter(plan_year=year)
        .order_by()
    )
    # The completed sums per group straight from the monthly updates (a hash join of the
    # year's updates with the projects), not a correlated subquery per project: 1.4 s → a
    # join at 100,000 projects (issue 15). The same sums: a project's completion is the sum
    # of its updates in the year.
    if queryset is None:  # the library: the join that groups them filters them too
        of_projects = Q(project__library_status=LibraryStatus.APPROVED, project__plan_year=year)
    else:
        of_projects = Q(project__in=qs.values("pk"))
    months = ProjectMonthlyUpdate.objects.filter(of_projects, period__year=year).order_by()
    if through is not None:
        months = months.filter(period__lte=through)
    group, labels = _group_for_rates(qs, by)
    if by == "region":
        qs = qs.with_prefecture()
        months = months.annotate(prefecture_id=prefecture_expression("project__"))
        month_group = "prefecture_id"
    else:
        month_group = f"project__{group}"
    done = {
        r[month_group]: r["s"]
        for r in months.values(month_group).annotate(s=Sum("completed_this_month"))
    }
    agg = [
        {**r, "completed": done.get(r[group]) or ZERO}
        for r in qs.values(group).annotate(
            projects=Count("pk"),
            planned=Coalesce(Sum("planned_investment_year"), Value(ZERO), output_field=MONEY),
        )
    ]
    found = {r[group]: r for r in agg}
    rows = []
    for key, label in labels(found):
        r = found.get(key)
        planned = r["planned"] if r else ZERO
        completed_amount = r["completed"] if r else ZERO
        rows.append(
            {
                "key": key,
                "label": label,
                "projects": r["projects"] if r else 0,
                "planned": planned,
                "completed": completed_amount,
                "rate": (completed_amount / planned).quantize(RATE_PLACES) if planned else None,
            }
        )
    return rows


def _group_for_rates(qs, by: str):
    if by == "region":

        def labels(found):
            return [
                (r.pk, r.display_name) for r in Region.objects.filter(level=Region.Level.PREFECTURE)
            ]

        return "prefecture_id", labels
    if by == "unit":

        def labels(found):
            names = dict(Organization.objects.filter(pk__in=found).values_list("pk", "name"))
            return sorted(((pk, names[pk]) for pk in found), key=lambda kv: kv[1])

        return "responsible_unit_id", labels
    if by == "tier":
        return "tier", lambda found: [(t.value, t.label) for t in Tier]
    if by == "sector":
        return "sector_id", lambda found: [(s.pk, s.name) for s in Sector.objects.all()]
    raise ValueError(f"completion_rates: unknown dimension {by!r}")


def units_missing_monthly_update(period: dt.date) -> QuerySet[Organization]:
    """Units owning an in-library project (入库 by the end of ``period``) with no report for it."""
    period = period.replace(day=1)
    period_end = add_months(period, 1) - dt.timedelta(days=1)
    owing = (
        Project.objects.in_library()
        .filter(Q(approved_on__isnull=True) | Q(approved_on__lte=period_end))
        .exclude(monthly_updates__period=period)
        .values("responsible_unit")
    )
    return Organization.objects.filter(pk__in=owing).order_by("name")


def projects_missing_monthly_update(period: dt.date) -> QuerySet[Project]:
    period = period.replace(day=1)
    period_end = add_months(period, 1) - dt.timedelta(days=1)
    return (
        Project.objects.in_library()
        .filter(Q(approved_on__isnull=True) | Q(approved_on__lte=period_end))
        .exclude(monthly_updates__period=period)
    )


def updates_with_cumulative(queryset: QuerySet[ProjectMonthlyUpdate]) -> QuerySet:
    """Annotate ``cumulative``: the project's completed investment up to and including the month.

    A correlated subquery rather than a window, so filtering the list (by month, unit…) does
    not change the running total.
    """
    upto = (
        ProjectMonthlyUpdate.objects.filter(
            project=OuterRef("project_id"), period__lte=OuterRef("period")
        )
        .order_by()
        .values("project")
        .annotate(s=Sum("completed_this_month"))
        .values("s")
    )
    return queryset.annotate(
        cumulative=Coalesce(Subquery(upto, output_field=MONEY), Value(ZERO), output_field=MONEY)
    )


def project_updates(project: Project) -> QuerySet[ProjectMonthlyUpdate]:
    """A project's reports, newest first, with the running total (a window over one project)."""
    return (
        project.monthly_updates.select_related("reported_by")
        .annotate(cumulative=Window(Sum("completed_this_month"), order_by=F("period").asc()))
        .order_by("-period")
    )


def next_report_period(updates: list[ProjectMonthlyUpdate]) -> dt.date:
    """The month a unit most likely reports next (``updates``: newest first, as
    ``project_updates`` gives them): the month after the latest report, not past the month
    due now."""
    if updates:
        return min(add_months(updates[0].period, 1), current_period())
    return current_period()


def review_queue(user: Any) -> QuerySet[Project]:
    """Projects waiting for a reviewer: 已提交 first by date, then 审核中."""
    if not policy.may_review(user):
        return Project.objects.none()
    return (
        Project.objects.awaiting_review()
        .filter(policy.review_scope_q(user))
        .select_related("region", "region__parent", "sector", "responsible_unit")
        .order_by("status_changed_at", "pk")
    )


def status_counts(
    queryset: QuerySet[Project] | None = None, groups: list[dict[str, Any]] | None = None
) -> dict[str, int]:
    if groups is not None:
        found = {
            k: v["count"] for k, v in _sum_groups(groups, lambda g: g["library_status"]).items()
        }
    else:
        found = dict(queryset.order_by().values_list("library_status").annotate(n=Count("pk")))
    return {s.value: found.get(s.value, 0) for s in LibraryStatus}


def project_reviewers(project: Project):
    """Who is told that a project was submitted (or resubmitted) for review: the active
    reviewers of its tier (the REVIEW rule of apps.core.permissions, as a user filter)."""
    from apps.accounts.models import Role, User

    return User.objects.filter(
        policy.reviewers_of_q(project), role=Role.REVIEWER, is_active=True
    ).order_by("pk")


# 001 sets no reporting day for the monthly project updates (调度); 002 五 has the contract
# ledger's units report "每月5日前", and the platform applies the same day to project updates
# (apps.core.periods.period_due). Shown as 推定 wherever the day is shown (issue 11 pt 7).
# Plain Chinese (gettext_noop marks them for the catalog); shown through gettext().
UPDATE_DUE_RULE = gettext_noop("每月5日前报送上月情况")
UPDATE_DUE_BASIS = gettext_noop(
    "001 未规定项目调度的报送日，平台沿用 002 签约项目“每月5日前”报送的规定"
)


def monthly_update_timeliness(*, period: dt.date, by: str) -> dict[Any, dict[str, int]]:
    """月报及时率 of the library's 调度 for ``period``, per 市州 ("region") or unit ("unit").

    Expected: projects in the library by the end of the month; filed: an update for the month
    exists; on_time: it was created before the due day (the 5th of the next month) ended.
    key → {expected, filed, on_time}; one query.
    """
    from apps.core.periods import period_due

    period = period.replace(day=1)
    period_end = add_months(period, 1) - dt.timedelta(days=1)
    deadline = _day_end(period_due(period))
    this_month = ProjectMonthlyUpdate.objects.filter(project=OuterRef("pk"), period=period)
    qs = (
        Project.objects.in_library()
        .filter(Q(approved_on__isnull=True) | Q(approved_on__lte=period_end))
        .order_by()
        .annotate(
            filed=Exists(this_month),
            on_time=Exists(this_month.filter(created_at__lt=deadline)),
        )
    )
    if by == "region":
        qs, group = qs.with_prefecture(), "prefecture_id"
    elif by == "unit":
        group = "responsible_unit_id"
    else:
        raise ValueError(f"monthly_update_timeliness: unknown dimension {by!r}")
    rows = qs.values(group).annotate(
        expected=Count("pk"),
        n_filed=Count("pk", filter=Q(filed=True)),
        n_on_time=Count("pk", filter=Q(on_time=True)),
    )
    return {
        r[group]: {"expected": r["expected"], "filed": r["n_filed"], "on_time": r["n_on_time"]}
        for r in rows
    }


def _day_end(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the platform's time zone."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


# --- the 入库 checklist ----------------------------------------------------------------------


def checklist_campaign(project: Project) -> Campaign | None:
    """The campaign whose conditions of entry apply: the project's own, else the current one."""
    if project.campaign_id:
        return project.campaign
    return current_campaign()


def entry_criteria(project: Project) -> QuerySet[EntryCriterion]:
    campaign = checklist_campaign(project)
    if campaign is None:
        return EntryCriterion.objects.none()
    return campaign.entry_criteria.filter(is_active=True).order_by("sort_order", "pk")


def checklist_rows(project: Project) -> list[tuple[EntryCriterion, CriterionJudgement | None]]:
    """Each condition of entry with this project's judgement (None while unjudged)."""
    judged = {
        j.criterion_id: j for j in project.entry_judgements.select_related("judged_by").order_by()
    }
    return [(c, judged.get(c.pk)) for c in entry_criteria(project)]


def checklist_problems(project: Project) -> list[str]:
    """Why the project may not be approved yet, in words; empty when the checklist allows it."""
    rows = checklist_rows(project)
    if not rows:
        return [
            _(
                "尚未配置入库条件清单（001 五(三)），"
                "请管理员在“入库条件”中为谋划行动设置后再审核入库。"
            )
        ]
    problems = []
    unjudged = [c.name for c, j in rows if j is None]
    failed = [c.name for c, j in rows if j is not None and j.verdict == Verdict.FAILS]
    if unjudged:
        problems.append(
            _("入库条件尚有 %(count)s 项未审查：%(join)s。")
            % {"count": len(unjudged), "join": "、".join(unjudged)}
        )
    if failed:
        problems.append(
            _("以下入库条件审查为“不符合”，不能入库：%(join)s。") % {"join": "、".join(failed)}
        )
    return problems


# --- the library map -------------------------------------------------------------------------


def map_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``library_totals(by="region")`` rows as the choropleth's data: one item per 市州, named
    as the vendored boundary file names it (the full Region name, e.g. 海北藏族自治州)."""
    from apps.core.charts import chart_number

    names = dict(Region.objects.filter(level=Region.Level.PREFECTURE).values_list("code", "name"))
    return [
        {
            "name": names.get(r["key"], r["label"]),
            "label": r["label"],
            "code": r["key"],
            "count": r["count"],
            "value": chart_number(r["total_investment"]),
            "url": r.get("url", ""),
        }
        for r in rows
    ]


def removed_since(user: Any, since: dt.datetime) -> list[dict[str, Any]]:
    """Projects taken out of the library (出库) since ``since`` that ``user`` may view, as rows
    of ``/api/v1/deletions/`` (registered with ``apps.core.api_deletions`` in apps.py)."""
    visible = policy.restrict(Project.objects.all(), user, policy.Action.VIEW)
    return [
        {"resource": "projects", "id": pk, "kind": "removed", "at": at}
        for pk, at in ProjectReviewEvent.objects.filter(
            action=ReviewAction.REMOVE, at__gte=since, project__in=visible.values("pk")
        ).values_list("project_id", "at")
    ]
