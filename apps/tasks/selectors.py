"""Reads and aggregates of the tasks app (QuerySets; aggregates in SQL).

Public for other apps (issue 6 snapshots and escalation, the dashboard):

* ``overdue_assignments(today=None)`` — assignments past their due date and not accepted.
* ``overdue_units(today=None)`` — per unit: how many of its assignments are overdue.
* ``task_status_summary(today=None)`` — counts per status and per source document.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from apps.core import permissions as policy
from apps.tasks.models import (
    Assignment,
    AssignmentEvent,
    ExtensionRequest,
    ProgressReport,
    SourceDocument,
    Task,
)

ACCEPTED = Assignment.Status.ACCEPTED


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}due_date__lt": today}) & ~Q(**{f"{prefix}status": ACCEPTED})


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
    """Assignment counts by status, overdue counts, and the same per source document."""
    today = _today(today)
    status_counts = {
        f"n_{status}": Count("id", filter=Q(status=status)) for status in Assignment.Status.values
    }
    totals = Assignment.objects.aggregate(
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
                filter=overdue_q(today, "tasks__assignments__"),
                distinct=True,
            ),
        )
        .values("code", "short_name", "n_tasks", "n_assignments", "n_accepted", "n_overdue")
        .order_by("sort_order")
    )
    # Field names clash with the relation names, so the counts are renamed after the query.
    per_source = [{k.removeprefix("n_"): v for k, v in row.items()} for row in per_source]
    return {
        "date": today,
        "tasks": Task.objects.count(),
        "assignments": totals["assignments"],
        "by_status": by_status,
        "overdue": totals["overdue"],
        "overdue_units": totals["overdue_units"],
        "pending_extensions": ExtensionRequest.objects.filter(
            status=ExtensionRequest.Status.PENDING
        ).count(),
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


def assignment_list(user: Any, today: dt.date | None = None) -> QuerySet[Assignment]:
    """Assignments the user may view, overdue first, then by due date (none last)."""
    return (
        policy.restrict(Assignment.objects.all(), user, policy.Action.VIEW)
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


def my_assignments(user: Any, today: dt.date | None = None) -> QuerySet[Assignment]:
    """我的任务: the assignments of the user's own unit (empty without a unit)."""
    if not user.organization_id:
        return Assignment.objects.none()
    return assignment_list(user, today).filter(unit_id=user.organization_id)


def reachable_assignments(user: Any) -> QuerySet[Assignment]:
    """Assignments a user may open: those the policy shows, plus — for a unit user — every
    assignment of a task their unit leads (the lead unit follows its participating units)."""
    visible = policy.restrict(Assignment.objects.all(), user, policy.Action.VIEW)
    if policy.sees_everything(user) or not getattr(user, "organization_id", None):
        return visible
    return Assignment.objects.filter(
        Q(pk__in=visible.values("pk"))
        | Q(task__in=Task.objects.filter(lead_units=user.organization_id).values("pk"))
    )


def unit_counts(user: Any, today: dt.date | None = None) -> dict[str, int]:
    """我的任务 header: the unit's assignments by state, overdue, and due within 10 days."""
    today = _today(today)
    if not user.organization_id:
        return {}
    soon = today + dt.timedelta(days=10)
    return Assignment.objects.filter(unit_id=user.organization_id).aggregate(
        total=Count("id"),
        open=Count("id", filter=~Q(status=ACCEPTED)),
        overdue=Count("id", filter=overdue_q(today)),
        due_soon=Count(
            "id", filter=Q(due_date__gte=today, due_date__lte=soon) & ~Q(status=ACCEPTED)
        ),
        submitted=Count("id", filter=Q(status=Assignment.Status.SUBMITTED)),
        returned=Count("id", filter=Q(status=Assignment.Status.RETURNED)),
    )


def pending_extensions(user: Any) -> QuerySet[ExtensionRequest]:
    return (
        policy.restrict(ExtensionRequest.objects.all(), user, policy.Action.VIEW)
        .filter(status=ExtensionRequest.Status.PENDING)
        .select_related("assignment__task__source", "assignment__unit", "requested_by")
        .order_by("requested_at")
    )


def sees_all_assignments_of(user: Any, task: Task) -> bool:
    """Who sees every unit's reports on a task: those who see everything, and its lead units."""
    if policy.sees_everything(user):
        return True
    return bool(user.organization_id) and task.lead_units.filter(pk=user.organization_id).exists()


def task_assignments(task: Task, today: dt.date | None = None) -> QuerySet[Assignment]:
    """Every unit's assignment of a task (the division of work is public to its units)."""
    return (
        task.assignments.with_overdue_flag(_today(today))
        .select_related("unit")
        .order_by("role", "unit__kind", "unit__name")
    )


def visible_reports(task: Task, user: Any) -> QuerySet[ProgressReport]:
    reports = ProgressReport.objects.filter(assignment__task=task).select_related(
        "assignment__unit", "reported_by"
    )
    if sees_all_assignments_of(user, task):
        return reports
    return reports.filter(assignment__unit_id=user.organization_id)


def visible_reports_for(user: Any) -> QuerySet[ProgressReport]:
    """Every report the user may read: their own unit's, plus all reports of tasks their unit
    leads; everything for those who see everything."""
    own = policy.restrict(ProgressReport.objects.all(), user, policy.Action.VIEW)
    if policy.sees_everything(user) or not user.organization_id:
        return own
    return ProgressReport.objects.filter(
        Q(pk__in=own.values("pk")) | Q(assignment__task__lead_units=user.organization_id)
    ).distinct()


def may_see_report(user: Any, report: ProgressReport) -> bool:
    return visible_reports_for(user).filter(pk=report.pk).exists()


def visible_events(task: Task, user: Any) -> QuerySet[AssignmentEvent]:
    events = AssignmentEvent.objects.filter(assignment__task=task).select_related(
        "assignment__unit", "actor"
    )
    if sees_all_assignments_of(user, task):
        return events.order_by("-at", "-pk")
    return events.filter(assignment__unit_id=user.organization_id).order_by("-at", "-pk")


def unit_task_rates(*, as_of: dt.date, by: str) -> dict[Any, dict[str, int]]:
    """Task 办结率 / 逾期率 inputs as of a day, per unit ("unit") or 市州 ("region", the units
    located in it or its 县区).

    due: assignments due on or before ``as_of``; done: of those, accepted (办结) by then;
    on_time: accepted no later than their (extended) due date. 办结率 = done / due,
    逾期率 = (due − on_time) / due. key → {due, done, on_time}; one query.
    """
    from django.db.models import BigIntegerField, Case, Count, F, When

    end = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))
    accepted = Q(status=Assignment.Status.ACCEPTED, status_changed_at__lt=end)
    qs = Assignment.objects.filter(due_date__isnull=False, due_date__lte=as_of).order_by()
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
