"""Supervision (督办): the closed loop of the 12345 rules (003) applied to task assignments.

    start   已交办 assigned | 退回重办 returned  →  办理中 in_progress
    submit  办理中 in_progress                   →  已报办结 submitted
    accept  已报办结 submitted                   →  已办结 accepted (final)
    return  已报办结 submitted                   →  退回重办 returned

(A first progress report on an assigned or returned assignment starts it.)

Every transition is a function here: it checks who may act, checks the current state, saves
with the client's version (optimistic locking) and records an ``AssignmentEvent`` (who, when,
comment). Nothing else assigns ``Assignment.status``.

Who may act:
* the assignment's own unit (policy ``can(CHANGE)``: unit staff of that unit, or an admin)
  starts, reports progress, submits, and requests an extension;
* acceptance and return: a coordinator (policy ``may_coordinate``: role 牵头协调单位, or an
  admin) for any assignment; besides, the staff of a task's lead unit for the assignments of
  the task's participating units — 004 §四(二) charges the 牵头单位 with keeping track of the
  参加单位' work. Nobody accepts their own unit's assignment.
* extensions are approved or rejected by a coordinator only (12345: the platform, not the
  handling unit, approves an extension).

Time limits (12345 rules, 003 第十四条): an extension is requested no later than the due date,
at most 10 working days in total per assignment; a returned assignment must be redone within
10 working days, so a return moves the due date to at least 10 working days after the return.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from apps.core import permissions as policy
from apps.core.concurrency import ConcurrentEditError, save_versioned
from apps.core.uploads import validate_upload
from apps.tasks.calendar import add_working_days
from apps.tasks.models import Assignment, AssignmentEvent, ExtensionRequest, ProgressReport

REDO_WORKING_DAYS = 10
MAX_EXTENSION_WORKING_DAYS = ExtensionRequest.MAX_TOTAL_WORKING_DAYS

S = Assignment.Status
TRANSITIONS: dict[str, tuple[set[str], str, str]] = {
    # name: (allowed from, to, event kind)
    "start": ({S.ASSIGNED, S.RETURNED}, S.IN_PROGRESS, AssignmentEvent.Kind.STARTED),
    "submit": ({S.IN_PROGRESS}, S.SUBMITTED, AssignmentEvent.Kind.SUBMITTED),
    "accept": ({S.SUBMITTED}, S.ACCEPTED, AssignmentEvent.Kind.ACCEPTED),
    "return": ({S.SUBMITTED}, S.RETURNED, AssignmentEvent.Kind.RETURNED),
}


# --- who may act ------------------------------------------------------------------------------


def may_act_for_unit(user: Any, assignment: Assignment) -> bool:
    """The assignment's own unit (or an admin): start, report, submit, request extension."""
    return policy.can(user, policy.Action.CHANGE, assignment)


def may_accept(user: Any, assignment: Assignment) -> bool:
    """Coordinators (and admins) for any assignment; a lead unit for its participating units."""
    if policy.may_coordinate(user):
        return True
    if assignment.role != Assignment.Role.PARTICIPATING:
        return False
    if not policy.may_change_own_unit(user) or user.organization_id == assignment.unit_id:
        return False
    return assignment.task.lead_units.filter(pk=user.organization_id).exists()


def may_decide_extension(user: Any) -> bool:
    return policy.may_coordinate(user)


# --- transitions ------------------------------------------------------------------------------


def _locked(assignment: Assignment) -> Assignment:
    """Re-read the row under a lock: two requests racing cannot both pass the state check."""
    return Assignment.objects.select_for_update().select_related("task").get(pk=assignment.pk)


def _transition(
    assignment: Assignment,
    name: str,
    *,
    user: Any,
    comment: str,
    expected_version: int | None,
    **changes: Any,
) -> Assignment:
    allowed_from, to_status, kind = TRANSITIONS[name]
    if expected_version is not None and expected_version != assignment.version:
        raise ConcurrentEditError(assignment)
    if assignment.status not in allowed_from:
        raise ValidationError(
            f"当前状态为“{assignment.get_status_display()}”，不能执行此操作。", code="invalid_state"
        )
    from_status = assignment.status
    assignment.status = to_status
    assignment.status_changed_at = timezone.now()
    for field, value in changes.items():
        setattr(assignment, field, value)
    assignment.full_clean()
    save_versioned(assignment, assignment.version)
    AssignmentEvent.objects.create(
        assignment=assignment,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        actor=user,
        comment=comment,
    )
    return assignment


@transaction.atomic
def start_assignment(
    *, assignment: Assignment, user: Any, comment: str = "", expected_version: int | None = None
) -> Assignment:
    assignment = _locked(assignment)
    if not may_act_for_unit(user, assignment):
        raise PermissionDenied("只能办理本单位承担的任务。")
    return _transition(
        assignment, "start", user=user, comment=comment, expected_version=expected_version
    )


@transaction.atomic
def submit_assignment(
    *, assignment: Assignment, user: Any, comment: str, expected_version: int | None = None
) -> Assignment:
    """报办结: the unit reports the task done; a coordinator or lead unit then accepts it."""
    assignment = _locked(assignment)
    if not may_act_for_unit(user, assignment):
        raise PermissionDenied("只能办理本单位承担的任务。")
    if not (comment or "").strip():
        raise ValidationError({"comment": "请填写办理结果。"})
    return _transition(
        assignment, "submit", user=user, comment=comment.strip(), expected_version=expected_version
    )


@transaction.atomic
def accept_assignment(
    *, assignment: Assignment, user: Any, comment: str = "", expected_version: int | None = None
) -> Assignment:
    assignment = _locked(assignment)
    if not may_accept(user, assignment):
        raise PermissionDenied("只有牵头协调单位或本任务的牵头单位可以审核办结。")
    return _transition(
        assignment, "accept", user=user, comment=comment, expected_version=expected_version
    )


@transaction.atomic
def return_assignment(
    *,
    assignment: Assignment,
    user: Any,
    comment: str,
    expected_version: int | None = None,
    today=None,
) -> Assignment:
    """退回重办: the redo is due within 10 working days (and never earlier than before)."""
    assignment = _locked(assignment)
    if not may_accept(user, assignment):
        raise PermissionDenied("只有牵头协调单位或本任务的牵头单位可以退回重办。")
    if not (comment or "").strip():
        raise ValidationError({"comment": "请填写退回理由。"})
    today = today or timezone.localdate()
    redo_due = add_working_days(today, REDO_WORKING_DAYS)
    due = max(assignment.due_date, redo_due) if assignment.due_date else redo_due
    return _transition(
        assignment,
        "return",
        user=user,
        comment=comment.strip(),
        expected_version=expected_version,
        due_date=due,
    )


# --- progress reports -------------------------------------------------------------------------


@transaction.atomic
def report_progress(
    *,
    assignment: Assignment,
    user: Any,
    text: str,
    attachment: UploadedFile | None = None,
) -> ProgressReport:
    """A unit reports progress; the first report of an assigned task starts it."""
    assignment = _locked(assignment)
    if not may_act_for_unit(user, assignment):
        raise PermissionDenied("只能报送本单位承担任务的进展。")
    if assignment.status in (S.SUBMITTED, S.ACCEPTED):
        raise ValidationError(
            f"任务已{assignment.get_status_display()}，如需补充请联系牵头协调单位退回。",
            code="invalid_state",
        )
    if not (text or "").strip():
        raise ValidationError({"text": "请填写进展情况。"})
    if attachment is not None:
        try:
            validate_upload(attachment)
        except ValidationError as exc:
            raise ValidationError({"attachment": exc.messages}) from exc
    if assignment.status in (S.ASSIGNED, S.RETURNED):
        _transition(
            assignment, "start", user=user, comment="报送进展，开始办理", expected_version=None
        )
    report = ProgressReport(assignment=assignment, text=text.strip(), reported_by=user)
    if attachment is not None:
        report.attachment = attachment
    report.full_clean()
    report.save()
    AssignmentEvent.objects.create(
        assignment=assignment,
        kind=AssignmentEvent.Kind.PROGRESS,
        from_status=assignment.status,
        to_status=assignment.status,
        actor=user,
        comment=report.text[:200],
    )
    return report


# --- extensions -------------------------------------------------------------------------------


def extension_days_used(assignment: Assignment) -> int:
    """Approved plus pending working days: what counts against the 10-day limit."""
    return (
        assignment.extensions.filter(
            status__in=[ExtensionRequest.Status.APPROVED, ExtensionRequest.Status.PENDING]
        ).aggregate(total=Sum("working_days"))["total"]
        or 0
    )


@transaction.atomic
def request_extension(
    *, assignment: Assignment, user: Any, working_days: int, reason: str, today=None
) -> ExtensionRequest:
    assignment = _locked(assignment)
    if not may_act_for_unit(user, assignment):
        raise PermissionDenied("只能为本单位承担的任务申请延期。")
    today = today or timezone.localdate()
    if assignment.status not in (S.ASSIGNED, S.IN_PROGRESS, S.RETURNED):
        raise ValidationError(
            f"任务{assignment.get_status_display()}，无需申请延期。", code="invalid_state"
        )
    if assignment.due_date is None:
        raise ValidationError("持续推进的任务没有完成时限，无需申请延期。", code="no_due_date")
    if today > assignment.due_date:
        raise ValidationError(
            f"延期申请应在时限届满当日（{assignment.due_date:%Y年%m月%d日}）前提出，已逾期的任务"
            "不能再申请延期。",
            code="too_late",
        )
    if assignment.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
        raise ValidationError("已有一项延期申请待审批，请等待审批结果。", code="pending")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请说明延期理由。"})
    used = extension_days_used(assignment)
    left = MAX_EXTENSION_WORKING_DAYS - used
    if working_days < 1 or working_days > left:
        raise ValidationError(
            {
                "working_days": (
                    f"每项任务累计延期不得超过{MAX_EXTENSION_WORKING_DAYS}个工作日"
                    f"（已批准或待批{used}个工作日，最多还可申请{max(left, 0)}个工作日）。"
                )
            },
            code="limit",
        )
    extension = ExtensionRequest(
        assignment=assignment,
        working_days=working_days,
        reason=reason.strip(),
        requested_by=user,
        due_date_before=assignment.due_date,
    )
    extension.full_clean()
    extension.save()
    AssignmentEvent.objects.create(
        assignment=assignment,
        kind=AssignmentEvent.Kind.EXTENSION_REQUESTED,
        from_status=assignment.status,
        to_status=assignment.status,
        actor=user,
        comment=f"申请延期{working_days}个工作日：{extension.reason}",
    )
    return extension


@transaction.atomic
def decide_extension(
    *, extension: ExtensionRequest, user: Any, approve: bool, comment: str = ""
) -> ExtensionRequest:
    if not may_decide_extension(user):
        raise PermissionDenied("只有牵头协调单位可以审批延期申请。")
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if extension.status != ExtensionRequest.Status.PENDING:
        raise ValidationError(
            f"该申请已{extension.get_status_display()}，不能重复审批。", code="decided"
        )
    assignment = _locked(extension.assignment)
    if not approve and not (comment or "").strip():
        raise ValidationError({"comment": "请填写不予批准的理由。"})
    extension.decided_by = user
    extension.decided_at = timezone.now()
    extension.decision_comment = (comment or "").strip()
    if approve:
        approved = (
            assignment.extensions.filter(status=ExtensionRequest.Status.APPROVED).aggregate(
                total=Sum("working_days")
            )["total"]
            or 0
        )
        if approved + extension.working_days > MAX_EXTENSION_WORKING_DAYS:
            raise ValidationError(
                f"批准后累计延期将超过{MAX_EXTENSION_WORKING_DAYS}个工作日。", code="limit"
            )
        base = assignment.due_date or timezone.localdate()
        new_due = add_working_days(base, extension.working_days)
        extension.status = ExtensionRequest.Status.APPROVED
        extension.due_date_before = assignment.due_date
        extension.due_date_after = new_due
        assignment.due_date = new_due
        assignment.extension_days = approved + extension.working_days
        assignment.full_clean()
        save_versioned(assignment, assignment.version)
        kind = AssignmentEvent.Kind.EXTENSION_APPROVED
        note = f"批准延期{extension.working_days}个工作日，截止日期调整为{new_due:%Y-%m-%d}"
    else:
        extension.status = ExtensionRequest.Status.REJECTED
        kind = AssignmentEvent.Kind.EXTENSION_REJECTED
        note = "不予延期"
    extension.full_clean()
    extension.save()
    AssignmentEvent.objects.create(
        assignment=assignment,
        kind=kind,
        from_status=assignment.status,
        to_status=assignment.status,
        actor=user,
        comment=f"{note}：{extension.decision_comment}" if extension.decision_comment else note,
    )
    return extension
