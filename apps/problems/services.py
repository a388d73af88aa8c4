"""Every write to the problem tickets: open (and route), accept, answer, confirm, reopen,
escalate. Each step checks who may act through the policy, checks the state, saves with the
version it started from and records a ``ProblemEvent``; the event is announced on commit
(``problems.event``) for the notifications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import events
from apps.core import permissions as policy
from apps.core.calendar import add_working_days
from apps.core.concurrency import ConcurrentEditError, save_versioned
from apps.problems.models import (
    Category,
    CategoryRoute,
    ProblemEvent,
    ProblemTicket,
    Status,
)

DEFAULT_WORKING_DAYS = 10
REPORTER = ("reporting_unit",)
DEPARTMENT = ("responsible_department",)

# state machine: step → (allowed from, to, event kind, who acts)
STEPS: dict[str, tuple[frozenset[str], str, str, tuple[str, ...]]] = {
    "accept": (
        frozenset({Status.PENDING}),
        Status.IN_PROGRESS,
        ProblemEvent.Kind.ACCEPTED,
        DEPARTMENT,
    ),
    "answer": (
        frozenset({Status.PENDING, Status.IN_PROGRESS, Status.ESCALATED}),
        Status.ANSWERED,
        ProblemEvent.Kind.ANSWERED,
        DEPARTMENT,
    ),
    "resolve": (
        frozenset({Status.ANSWERED}),
        Status.RESOLVED,
        ProblemEvent.Kind.RESOLVED,
        REPORTER,
    ),
    "reopen": (
        frozenset({Status.ANSWERED}),
        Status.IN_PROGRESS,
        ProblemEvent.Kind.REOPENED,
        REPORTER,
    ),
}


def _actor(user: Any):
    return user if getattr(user, "pk", None) else None


# --- routing ------------------------------------------------------------------------------------


def route_for(category: str) -> CategoryRoute:
    route = CategoryRoute.objects.select_related("department").filter(category=category).first()
    if route is None:
        raise ValidationError(
            {
                "category": _("问题类别“%(label)s”尚未设置责任部门，请联系管理员。")
                % {"label": Category(category).label}
            }
        )
    return route


def working_group_for(*, project=None) -> Any:
    """The working group whose remit covers the project's infrastructure domain; without a
    domain (or for a signed contract), the 要素保障 group — the one group that drives no domain
    and co-ordinates land, forest, grassland, energy and funding for all projects (003)."""
    from apps.workgroups.models import WorkingGroup

    domain_id = getattr(project, "infrastructure_domain_id", None)
    if domain_id:
        group = WorkingGroup.objects.filter(domains=domain_id).order_by("order").first()
        if group is not None:
            return group
    return WorkingGroup.objects.filter(domains__isnull=True).order_by("order").first()


def _record(ticket: ProblemTicket, kind: str, from_status: str, *, user: Any, comment: str):
    event = ProblemEvent.objects.create(
        ticket=ticket,
        kind=kind,
        from_status=from_status,
        to_status=ticket.status,
        actor=_actor(user),
        comment=comment,
    )
    events.emit("problems.event", event_id=event.pk)
    return event


# --- opening ------------------------------------------------------------------------------------


@transaction.atomic
def open_problem(
    *,
    user: Any,
    category: str,
    description: str,
    title: str = "",
    project: Any = None,
    contract: Any = None,
    monthly_update: Any = None,
    contract_report: Any = None,
    source_note: str = "",
    today: dt.date | None = None,
) -> ProblemTicket:
    """Open a ticket for a difficulty on a project (or a signed contract) of the user's unit,
    routed to the category's department and the project's working group.

    ``monthly_update`` / ``contract_report``: the report the problem was stated in (their
    project or contract is taken from it). A report's problem of one category is one ticket:
    asking again returns the ticket already opened.
    """
    if monthly_update is not None:
        project = monthly_update.project
        source_note = source_note or "月度调度"
    if contract_report is not None:
        contract = contract_report.contract
        source_note = source_note or "签约项目月报"
    if (project is None) == (contract is None):
        raise ValidationError(_("问题应关联一个入库项目或一个签约项目。"))
    subject = project if project is not None else contract
    if not policy.can(user, policy.Action.CHANGE, subject):
        raise PermissionDenied(_("只能为本单位的项目报告困难问题。"))
    if category not in Category.values:
        raise ValidationError({"category": _("请选择问题类别。")})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("请描述需协调解决的困难问题。")})

    existing = None
    if monthly_update is not None:
        existing = ProblemTicket.objects.filter(
            monthly_update=monthly_update, category=category
        ).first()
    elif contract_report is not None:
        existing = ProblemTicket.objects.filter(
            contract_report=contract_report, category=category
        ).first()
    if existing is not None:
        return existing

    route = route_for(category)
    today = today or timezone.localdate()
    ticket = ProblemTicket(
        category=category,
        title=(title or description.splitlines()[0])[:200],
        description=description,
        reporting_unit_id=subject.responsible_unit_id,
        responsible_department=route.department,
        working_group=working_group_for(project=project),
        project=project,
        contract=contract,
        monthly_update=monthly_update,
        contract_report=contract_report,
        source_note=source_note[:64],
        opened_on=today,
        deadline=add_working_days(today, route.working_days or DEFAULT_WORKING_DAYS),
        status=Status.PENDING,
        status_changed_at=timezone.now(),
        created_by=_actor(user),
    )
    ticket.full_clean()
    save_versioned(ticket, None)
    group = f"，{ticket.working_group.display_name}专项工作组" if ticket.working_group else ""
    _record(
        ticket,
        ProblemEvent.Kind.OPENED,
        "",
        user=user,
        comment=f"分办至{route.department.name}{group}，办理时限{ticket.deadline:%Y-%m-%d}",
    )
    return ticket


# --- the steps ----------------------------------------------------------------------------------


def may_step(user: Any, ticket: ProblemTicket, step: str) -> bool:
    """For buttons: the role half and the state half of a step."""
    allowed_from, _to, _kind, who = STEPS[step]
    return ticket.status in allowed_from and policy.acts_for(user, ticket, *who)


def available_steps(user: Any, ticket: ProblemTicket) -> list[str]:
    return [s for s in STEPS if may_step(user, ticket, s)]


@transaction.atomic
def _step(
    *,
    user: Any,
    ticket: ProblemTicket,
    step: str,
    comment: str,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> ProblemTicket:
    allowed_from, to_status, kind, who = STEPS[step]
    locked = ProblemTicket.objects.select_for_update().get(pk=ticket.pk)
    if not policy.acts_for(user, locked, *who):
        if who == DEPARTMENT:
            raise PermissionDenied(_("只有责任部门可以受理和答复问题。"))
        raise PermissionDenied(_("只有报告单位可以确认问题是否解决。"))
    if expected_version is not None and expected_version != locked.version:
        raise ConcurrentEditError(locked)
    if locked.status not in allowed_from:
        raise ValidationError(
            _("问题当前为“%(status)s”，不能执行此操作。") % {"status": locked.get_status_display()},
            code="invalid_state",
        )
    comment = (comment or "").strip()
    now = timezone.now()
    if step == "answer":
        if not comment:
            raise ValidationError({"comment": _("请填写答复意见。")})
        locked.answer = comment
        locked.answered_at = now
    elif step == "resolve":
        locked.resolved_at = now
    elif step == "reopen":
        if not comment:
            raise ValidationError({"comment": _("请说明仍未解决的情况。")})
        # The department gets a fresh time limit, as a 12345 case sent back for redo does.
        today = today or timezone.localdate()
        days = (
            CategoryRoute.objects.filter(category=locked.category)
            .values_list("working_days", flat=True)
            .first()
        )
        locked.deadline = add_working_days(today, days or DEFAULT_WORKING_DAYS)
    from_status = locked.status
    locked.status = to_status
    locked.status_changed_at = now
    locked.full_clean()
    save_versioned(locked, locked.version)
    _record(locked, kind, from_status, user=user, comment=comment)
    if ticket is not locked:
        ticket.refresh_from_db()
    return locked


def accept_problem(*, user: Any, ticket: ProblemTicket, comment: str = "", **kw) -> ProblemTicket:
    return _step(user=user, ticket=ticket, step="accept", comment=comment, **kw)


def answer_problem(*, user: Any, ticket: ProblemTicket, answer: str, **kw) -> ProblemTicket:
    return _step(user=user, ticket=ticket, step="answer", comment=answer, **kw)


def confirm_resolved(*, user: Any, ticket: ProblemTicket, comment: str = "", **kw) -> ProblemTicket:
    return _step(user=user, ticket=ticket, step="resolve", comment=comment, **kw)


def reopen_problem(
    *, user: Any, ticket: ProblemTicket, comment: str, today: dt.date | None = None, **kw
) -> ProblemTicket:
    return _step(user=user, ticket=ticket, step="reopen", comment=comment, today=today, **kw)


def perform(*, user: Any, ticket: ProblemTicket, step: str, comment: str = "", **kw):
    """One entry point for pages and the API (step: accept, answer, resolve, reopen)."""
    if step not in STEPS:
        raise ValidationError(_("未知的操作“%(step)s”。") % {"step": step})
    return _step(user=user, ticket=ticket, step=step, comment=comment, **kw)


@transaction.atomic
def escalate_overdue_problems(*, today: dt.date | None = None) -> dict[str, int]:
    """Tickets still 待受理 or 办理中 after their deadline go up to the working group's 组长
    (升级). Run daily (beat and ``run_due_jobs``); a ticket escalates once."""
    today = today or timezone.localdate()
    count = 0
    for ticket in (
        ProblemTicket.objects.overdue(today)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("working_group")
        .order_by("pk")
    ):
        from_status = ticket.status
        ticket.status = Status.ESCALATED
        ticket.escalated_at = timezone.now()
        ticket.status_changed_at = ticket.escalated_at
        save_versioned(ticket, ticket.version)
        to = (
            f"{ticket.working_group.display_name}专项工作组组长"
            if ticket.working_group
            else "省发展改革委"
        )
        _record(
            ticket,
            ProblemEvent.Kind.ESCALATED,
            from_status,
            user=None,
            comment=f"超过办理时限（{ticket.deadline:%Y-%m-%d}）未答复，升级报{to}",
        )
        count += 1
    return {"escalated": count, "date": today.isoformat()}
