"""Reads and aggregates of the tasks app (QuerySets; aggregates in SQL).

Public for other apps (issue 6 snapshots and escalation, the dashboard, notifications):

* ``live_q(prefix)`` / ``overdue_q(today, prefix)`` — the one definition of live and overdue
  work: a document 执行中 (apps.core.lifecycle), an assignment owed (not accepted, declined or
  reassigned) and past its due date. A closed document's assignments are never overdue.
* ``overdue_assignments(today=None)`` — live assignments past their due date.
* ``overdue_units(today=None)`` — per unit: how many of its live assignments are overdue.
* ``task_status_summary(today=None)`` — live counts per status and per source document.
* ``history_assignments(user)`` — the assignments of documents no longer live.
* ``unit_rates(...)`` — 12345 rates per unit: 及时率, 办结率, 逾期率, 退单率.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from apps.core import permissions as policy
from apps.core.lifecycle import LIVE
from apps.tasks.models import (
    Assignment,
    AssignmentEvent,
    ExtensionRequest,
    ProgressReport,
    SourceDocument,
    Task,
)

if TYPE_CHECKING:
    from apps.tasks.filters import TaskFilter

ACCEPTED = Assignment.Status.ACCEPTED


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def live_q(prefix: str = "") -> Q:
    """Live work: the document is 执行中 and the assignment was not handed on (改派)."""
    return Q(**{f"{prefix}task__source__status": LIVE}) & ~Q(
        **{f"{prefix}status": Assignment.Status.REASSIGNED}
    )


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    return (
        live_q(prefix)
        & Q(**{f"{prefix}due_date__lt": today})
        & ~Q(**{f"{prefix}status__in": list(Assignment.NOT_DUE)})
    )


def assignment_counts_as_of(day: dt.date, *, at: dt.datetime) -> list[dict[str, Any]]:
    """Assignments per source document and status as recorded by ``at`` (the audit history),
    with how many were overdue on ``day``: the ``overdue_q`` rule over the documents that were
    执行中 then. Rows: source_id, status, count, overdue."""
    live = [d.pk for d in SourceDocument.history.as_of(at) if d.status == LIVE]
    owed = ~Q(status__in=list(Assignment.NOT_DUE))
    return [
        {"source_id": r["source_id"], "status": r["status"], "count": r["n"], "overdue": r["late"]}
        for r in Assignment.history.as_of(at)
        .order_by()
        .values("status", source_id=F("task__source"))
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(due_date__lt=day, task__source__in=live) & owed),
        )
        .order_by("source_id", "status")
    ]


def overdue_assignments(today: dt.date | None = None) -> QuerySet[Assignment]:
    """Past the due date and not accepted (持续推进 tasks without a due date are never overdue)."""
    return (
        Assignment.objects.filter(overdue_q(_today(today)))
        .select_related("task__source", "unit")
        .order_by("due_date", "task__source__sort_order", "task__number", "unit__name")
    )


def overdue_units(today: dt.date | None = None) -> QuerySet:
    """One row per unit with overdue assignments: unit id/name, count, earliest due date."""
    return (
        Assignment.objects.filter(overdue_q(_today(today)))
        .values("unit_id", unit_name=F("unit__name"))
        .annotate(overdue=Count("id"), earliest_due=Min("due_date"))
        .order_by("-overdue", "unit_name")
    )


def task_status_summary(today: dt.date | None = None) -> dict[str, Any]:
    """Live assignment counts by status, overdue counts, and the same per source document
    (with each document's status; a closed document's counts are its history)."""
    today = _today(today)
    status_counts = {
        f"n_{status}": Count("id", filter=Q(status=status)) for status in Assignment.Status.values
    }
    totals = Assignment.objects.filter(live_q()).aggregate(
        assignments=Count("id"),
        overdue=Count("id", filter=overdue_q(today)),
        overdue_units=Count("unit", filter=overdue_q(today), distinct=True),
        **status_counts,
    )
    by_status = {s: totals.pop(f"n_{s}") for s in Assignment.Status.values}
    per_source = list(
        SourceDocument.objects.annotate(
            n_tasks=Count("tasks", distinct=True),
            n_assignments=Count("tasks__assignments", distinct=True),
            n_accepted=Count(
                "tasks__assignments",
                filter=Q(tasks__assignments__status=ACCEPTED),
                distinct=True,
            ),
            n_overdue=Count(
                "tasks__assignments",
                filter=Q(status=LIVE, tasks__assignments__due_date__lt=today)
                & ~Q(tasks__assignments__status__in=list(Assignment.NOT_DUE)),
                distinct=True,
            ),
        )
        .values(
            "pk",
            "code",
            "short_name",
            "status",
            "n_tasks",
            "n_assignments",
            "n_accepted",
            "n_overdue",
        )
        .order_by("sort_order")
    )
    # Field names clash with the relation names, so the counts are renamed after the query.
    per_source = [{k.removeprefix("n_"): v for k, v in row.items()} for row in per_source]
    labels = dict(SourceDocument._meta.get_field("status").choices)
    for row in per_source:
        row["status_label"] = labels.get(row["status"], row["status"])
        row["is_live"] = row["status"] == LIVE
    return {
        "date": today,
        "tasks": Task.objects.filter(source__status=LIVE).count(),
        "assignments": totals["assignments"],
        "by_status": by_status,
        "overdue": totals["overdue"],
        "overdue_units": totals["overdue_units"],
        "pending_extensions": ExtensionRequest.objects.filter(
            status=ExtensionRequest.Status.PENDING, assignment__task__source__status=LIVE
        ).count(),
        "history_documents": sum(1 for row in per_source if not row["is_live"]),
        "per_source": per_source,
    }


# --- lists for pages and the API --------------------------------------------------------------


def task_list(user: Any, today: dt.date | None = None) -> QuerySet[Task]:
    """Tasks the user may view, with progress counts; units prefetched for the list columns."""
    return (
        policy.restrict(Task.objects.all(), user, policy.Action.VIEW)
        .with_progress(_today(today))
        .select_related("source", "chapter")
        .prefetch_related("lead_units", "participating_units", "working_groups")
        .order_by("source__sort_order", "number")
    )


def filtered_task_list(
    *, user: Any, data: Any = None, queryset: QuerySet[Task] | None = None, request: Any = None
) -> TaskFilter:
    """The one task list behind the page, the API's list and the division-table export:
    ``task_list(user)`` (or ``queryset``, a base already scoped to the user) filtered by the
    one ``TaskFilter`` on ``data``. Returns the bound FilterSet (``.qs``, ``.form``)."""
    from apps.tasks.filters import TaskFilter

    base = task_list(user) if queryset is None else queryset
    return TaskFilter(data, queryset=base, request=request)


def assignment_list(
    user: Any, today: dt.date | None = None, *, scope: str = "all"
) -> QuerySet[Assignment]:
    """Assignments the user may view, overdue first, then by due date (none last).

    ``scope``: "live" (documents 执行中: the boards), "history" (the rest), or "all" (the API,
    whose ``scope`` parameter narrows it).
    """
    base = Assignment.objects.all()
    if scope == "live":
        base = base.filter(live_q())
    elif scope == "history":
        base = base.exclude(live_q())
    return (
        policy.restrict(base, user, policy.Action.VIEW)
        .with_overdue_flag(_today(today))
        .select_related("task__source", "task__chapter", "unit")
        .order_by(
            "-is_overdue",
            F("due_date").asc(nulls_last=True),
            "task__source__sort_order",
            "task__number",
            "unit__name",
        )
    )


def my_assignments(
    user: Any, today: dt.date | None = None, *, scope: str = "live"
) -> QuerySet[Assignment]:
    """我的任务: the user's own unit's assignments, live ones by default (none without a unit)."""
    if not user.organization_id:
        return Assignment.objects.none()
    return assignment_list(user, today, scope=scope).filter(unit_id=user.organization_id)


def history_assignments(user: Any, today: dt.date | None = None) -> QuerySet[Assignment]:
    """历史任务: assignments of documents in 总结评估, 已办结 or 归档 (searchable, exportable)."""
    return assignment_list(user, today, scope="history").select_related("task__source")


def reachable_assignments(user: Any) -> QuerySet[Assignment]:
    """Assignments a user may open (the policy's VIEW: own unit's, and — for a task's lead
    unit — its participating units' too)."""
    return policy.restrict(Assignment.objects.all(), user, policy.Action.VIEW)


def unit_counts(user: Any, today: dt.date | None = None) -> dict[str, int]:
    """我的任务 header: the unit's assignments by state, overdue, and due within 10 days."""
    today = _today(today)
    if not user.organization_id:
        return {}
    soon = today + dt.timedelta(days=10)
    owed = ~Q(status__in=list(Assignment.NOT_DUE))
    return Assignment.objects.filter(live_q(), unit_id=user.organization_id).aggregate(
        total=Count("id"),
        open=Count("id", filter=owed),
        overdue=Count("id", filter=overdue_q(today)),
        due_soon=Count("id", filter=Q(due_date__gte=today, due_date__lte=soon) & owed),
        submitted=Count("id", filter=Q(status=Assignment.Status.SUBMITTED)),
        returned=Count("id", filter=Q(status=Assignment.Status.RETURNED)),
    )


def pending_extensions(user: Any) -> QuerySet[ExtensionRequest]:
    return (
        policy.restrict(ExtensionRequest.objects.all(), user, policy.Action.VIEW)
        .filter(status=ExtensionRequest.Status.PENDING, assignment__task__source__status=LIVE)
        .select_related("assignment__task__source", "assignment__unit", "requested_by")
        .order_by("requested_at")
    )


def sees_all_assignments_of(user: Any, task: Task) -> bool:
    """Who sees every unit's work on a task: those who see everything, and its lead units
    (the same rule as the policy's ``lead_fields``)."""
    if policy.sees_everything(user):
        return True
    org_id = getattr(user, "organization_id", None)
    return bool(org_id) and task.lead_units.filter(pk=org_id).exists()


def task_assignments(task: Task, today: dt.date | None = None) -> QuerySet[Assignment]:
    """Every unit's assignment of a task (the division of work is public to its units)."""
    return (
        task.assignments.with_overdue_flag(_today(today))
        .select_related("unit")
        .order_by("role", "unit__kind", "unit__name")
    )


def visible_reports(task: Task, user: Any) -> QuerySet[ProgressReport]:
    return visible_reports_for(user).filter(assignment__task=task)


def visible_reports_for(user: Any) -> QuerySet[ProgressReport]:
    """Every report the user may read (policy VIEW): their own unit's, plus all reports of
    tasks their unit leads; everything for those who see everything."""
    return policy.restrict(ProgressReport.objects.all(), user, policy.Action.VIEW).select_related(
        "assignment__unit", "reported_by"
    )


def visible_events(task: Task, user: Any) -> QuerySet[AssignmentEvent]:
    return (
        policy.restrict(AssignmentEvent.objects.all(), user, policy.Action.VIEW)
        .filter(assignment__task=task)
        .select_related("assignment__unit", "actor")
        .order_by("-at", "-pk")
    )


def unit_task_rates(*, as_of: dt.date, by: str) -> dict[Any, dict[str, int]]:
    """Task 办结率 / 逾期率 inputs, live work only, as of a day, per unit ("unit") or 市州
    ("region", the units located in it or its 县区).

    due: assignments due on or before ``as_of``; done: of those, accepted (办结) by then;
    on_time: accepted no later than their (extended) due date. 办结率 = done / due,
    逾期率 = (due − on_time) / due. key → {due, done, on_time}; one query.
    """
    from django.db.models import BigIntegerField, Case, Count, F, When

    end = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))
    accepted = Q(status=Assignment.Status.ACCEPTED, status_changed_at__lt=end)
    # Live work only (issue 11): closed documents and assignments handed on (改派) are history.
    qs = Assignment.objects.filter(live_q(), due_date__isnull=False, due_date__lte=as_of)
    qs = qs.order_by()
    if by == "unit":
        group = "unit_id"
    elif by == "region":
        qs = qs.annotate(
            prefecture=Case(
                When(unit__region__level="county", then=F("unit__region__parent_id")),
                default=F("unit__region_id"),
                output_field=BigIntegerField(),
            )
        )
        group = "prefecture"
    else:
        raise ValueError(f"unit_task_rates: unknown dimension {by!r}")
    rows = qs.values(group).annotate(
        n_due=Count("pk"),
        n_done=Count("pk", filter=accepted),
        n_on_time=Count("pk", filter=accepted & Q(status_changed_at__date__lte=F("due_date"))),
    )
    return {
        r[group]: {"due": r["n_due"], "done": r["n_done"], "on_time": r["n_on_time"]} for r in rows
    }


# --- 12345 rates per unit ---------------------------------------------------------------------


def _ratio(n: int, d: int):
    from decimal import Decimal

    return (Decimal(n) / Decimal(d)).quantize(Decimal("0.0001")) if d else None


def unit_rates(
    *,
    today: dt.date | None = None,
    queryset: QuerySet[Assignment] | None = None,
) -> list[dict[str, Any]]:
    """Per unit, the rates 003 第二十七条 names for 承办单位 (one query, aggregated in SQL):

    * 退单率 = assignments declined (退单, awaiting or after 改派) / assignments received;
    * 办结率 = accepted / handled (received minus declined);
    * 及时率 = accepted that were reported done by their due date / accepted;
    * 逾期率 = (overdue now + accepted but reported late) / handled.

    ``queryset`` defaults to the live documents' assignments.
    """
    today = _today(today)
    qs = queryset if queryset is not None else Assignment.objects.filter(task__source__status=LIVE)
    S = Assignment.Status
    declined = Q(status__in=[S.DECLINED, S.REASSIGNED])
    accepted = Q(status=ACCEPTED)
    rows = (
        qs.order_by()
        .values("unit_id", unit_name=F("unit__name"))
        .annotate(
            received=Count("id"),
            declined=Count("id", filter=declined),
            accepted=Count("id", filter=accepted),
            in_time=Count("id", filter=accepted & Q(submitted_in_time=True)),
            late_done=Count("id", filter=accepted & Q(submitted_in_time=False)),
            overdue=Count(
                "id",
                filter=Q(due_date__lt=today, task__source__status=LIVE)
                & ~Q(status__in=list(Assignment.NOT_DUE)),
            ),
        )
        .order_by("unit_name")
    )
    out = []
    for r in rows:
        handled = r["received"] - r["declined"]
        out.append(
            {
                **r,
                "handled": handled,
                "decline_rate": _ratio(r["declined"], r["received"]),
                "completion_rate": _ratio(r["accepted"], handled),
                "timely_rate": _ratio(r["in_time"], r["accepted"]),
                "overdue_rate": _ratio(r["overdue"] + r["late_done"], handled),
            }
        )
    return out
