"""Reads of the problem tickets: scoped lists, a project's, a working group's, the cockpit's
counts (by group and by category, in SQL), and who is told about a ticket's steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from apps.core import permissions as policy
from apps.problems.models import OPEN_STATUSES, Category, ProblemEvent, ProblemTicket, Status


def visible_problems(user: Any) -> QuerySet[ProblemTicket]:
    return policy.restrict(ProblemTicket.objects.all(), user, policy.Action.VIEW).select_related(
        "reporting_unit", "responsible_department", "working_group", "project", "contract"
    )


def problem_list(*, user: Any, data=None) -> QuerySet[ProblemTicket]:
    from apps.problems.filters import ProblemFilter

    return ProblemFilter(data or {}, queryset=visible_problems(user)).qs


def project_problems(project: Any, user: Any) -> QuerySet[ProblemTicket]:
    return visible_problems(user).filter(project=project).order_by("-opened_on", "-pk")


def group_problems(group: Any, user: Any) -> QuerySet[ProblemTicket]:
    """Problems of the group's projects ("problems of our projects"), open ones first."""
    return (
        visible_problems(user)
        .filter(working_group=group)
        .annotate(closed=Q(status__in=(Status.ANSWERED, Status.RESOLVED)))
        .order_by("closed", "deadline", "pk")
    )


def ticket_events(ticket: ProblemTicket) -> QuerySet[ProblemEvent]:
    return ticket.events.select_related("actor").order_by("at", "pk")


def open_counts(today: dt.date | None = None) -> dict[str, Any]:
    """Open tickets (待受理, 办理中, 升级) by working group and by category, in two queries."""
    today = today or timezone.localdate()
    open_qs = ProblemTicket.objects.filter(status__in=OPEN_STATUSES)
    overdue = Q(status__in=(Status.PENDING, Status.IN_PROGRESS), deadline__lt=today)
    by_group = list(
        open_qs.values("working_group", "working_group__short_name", "working_group__name")
        .annotate(
            open=Count("pk"),
            escalated=Count("pk", filter=Q(status=Status.ESCALATED)),
            overdue=Count("pk", filter=overdue),
        )
        .order_by("working_group__order")
    )
    counts = dict(open_qs.values_list("category").annotate(n=Count("pk")))
    by_category = [
        {"category": value, "label": label, "open": counts.get(value, 0)}
        for value, label in Category.choices
    ]
    return {
        "total": sum(r["open"] for r in by_group),
        "by_group": [
            {
                "group_id": r["working_group"],
                "group": r["working_group__short_name"]
                or r["working_group__name"]
                or gettext("未分组"),
                "open": r["open"],
                "escalated": r["escalated"],
                "overdue": r["overdue"],
            }
            for r in by_group
        ],
        "by_category": by_category,
    }


# --- who is concerned -----------------------------------------------------------------------------


def escalation_recipients(ticket: ProblemTicket):
    """The group's 组长: the active users of the organisations holding its 组长 seats (the
    vice-governors sit for 省政府); a ticket without a group goes to the reviewers."""
    from apps.accounts.models import Role, User
    from apps.workgroups.models import GroupMember

    users = User.objects.filter(is_active=True)
    if ticket.working_group_id:
        orgs = GroupMember.objects.filter(
            group=ticket.working_group_id, role=GroupMember.Role.LEADER
        ).values("organization")
        return users.filter(organization__in=orgs)
    return users.filter(role=Role.REVIEWER)
