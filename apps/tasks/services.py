"""Supervision (督办): the closed loop of the 12345 rules (003) applied to task assignments.

    start       已交办 assigned | 退回重办 returned | 补办   →  办理中 in_progress
    decline     已交办 assigned                           →  已退单 declined   (≤ 1 working day)
    reassign    已退单 declined                           →  已改派 reassigned (+ a new assignment)
    refuse      已退单 declined                           →  已交办 assigned  (退单不予认可)
    submit      办理中 in_progress | 补办 supplementing     →  已报办结 submitted
    supplement  已报办结 submitted                         →  补办 supplementing (≤ 3 working days)
    accept      已报办结 submitted                         →  已办结 accepted (满意/基本满意)
    return      已报办结 submitted                         →  退回重办 returned (≤ 10; also 不满意)

(A first progress report on an assigned or returned assignment starts it.)

Every transition is a function here: it checks who may act, checks the current state, saves
with the client's version (optimistic locking) and records an ``AssignmentEvent`` (who, when,
comment). Nothing else assigns ``Assignment.status``.

Who may act:
* the assignment's own unit (policy ``can(CHANGE)``: unit staff of that unit, or an admin)
  starts, reports progress, submits, declines (退单), and requests an extension;
* the document's supervising units (``models.document_supervision_q``, asked through the
  policy's SUPERVISE and DECIDE: 004 → 省发展改革委 and 省政府督查室; 002 →
  the ledger's coordinator; 003 → the units seated in the task's working groups; a document
  naming none → any coordinator) accept, return, order 补办, decide extensions and declines;
  besides, the staff of a task's lead unit accept or return the assignments of the task's
  participating units — 004 §四(二) charges the 牵头单位 with keeping track of the 参加单位'
  work. Nobody accepts their own unit's assignment.

Time limits (12345 rules, 003 第十四条), in working days (apps.core.calendar):
* (四) 退单: a unit not responsible returns the assignment within 1 working day of receiving it,
  stating the basis and whom it should go to (改派意见); the supervisor reassigns it.
* (五) 延期: requested no later than the due date, at most 10 working days in total.
* (六) 补办: missing material at acceptance is made good within 3 working days.
* (七) 回访/重办: acceptance records satisfaction; 不满意 sends the work back (退回重办), to be
  redone within 10 working days.
A step's limit sets the due date to the limit's last day, never earlier than it was.
Only live work (a document 执行中) moves: a closed document's assignments are history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import permissions as policy
from apps.core.calendar import add_working_days
from apps.core.concurrency import ConcurrentEditError, save_versioned
from apps.core.lifecycle import LIVE, DocumentStatus, check_step
from apps.core.periods import date_label
from apps.core.statemachine import Step, step_table
from apps.core.uploads import validate_upload
from apps.tasks.models import (
    SUPERVISOR_ROLES,
    Assignment,
    AssignmentEvent,
    ExtensionRequest,
    ProgressReport,
    SourceDocument,
    document_supervision_q,
)

DECLINE_WORKING_DAYS = 1
SUPPLEMENT_WORKING_DAYS = 3
REDO_WORKING_DAYS = 10
MAX_EXTENSION_WORKING_DAYS = ExtensionRequest.MAX_TOTAL_WORKING_DAYS

S = Assignment.Status
K = AssignmentEvent.Kind


@dataclass(frozen=True)
class AssignmentStep(Step):
    event: str  # the AssignmentEvent kind the step records


def _step(action: str, sources: set[str], target: str, event: str) -> AssignmentStep:
    return AssignmentStep(action, frozenset(sources), target, event)


# The assignment's handling (apps.core.statemachine's shape): action, from, to, event kind.
TRANSITIONS: dict[str, AssignmentStep] = step_table(
    [
        _step("start", {S.ASSIGNED, S.RETURNED, S.SUPPLEMENTING}, S.IN_PROGRESS, K.STARTED),
        _step("submit", {S.IN_PROGRESS, S.SUPPLEMENTING}, S.SUBMITTED, K.SUBMITTED),
        _step("accept", {S.SUBMITTED}, S.ACCEPTED, K.ACCEPTED),
        _step("return", {S.SUBMITTED}, S.RETURNED, K.RETURNED),
        _step("supplement", {S.SUBMITTED}, S.SUPPLEMENTING, K.SUPPLEMENT),
        _step("decline", {S.ASSIGNED}, S.DECLINED, K.DECLINED),
        _step("reassign", {S.DECLINED}, S.REASSIGNED, K.REASSIGNED),
        _step("refuse_decline", {S.DECLINED}, S.ASSIGNED, K.DECLINE_REFUSED),
    ]
)


# --- who may act ------------------------------------------------------------------------------


def may_act_for_unit(user: Any, assignment: Assignment) -> bool:
    """The assignment's own unit (or an admin): start, report, submit, request extension."""
    return policy.can(user, policy.Action.CHANGE, assignment)


def supervises(user: Any, source: SourceDocument) -> bool:
    """Whether the user speaks for a supervising unit (督办单位) of the document (the rule of
    ``models.document_supervision_q``; for one assignment ask the policy's SUPERVISE/DECIDE)."""
    if policy.is_admin(user):
        return True
    rule = document_supervision_q(user, task_path="tasks", document_path="")
    return SourceDocument.objects.filter(rule, pk=source.pk).exists()


def may_accept(user: Any, assignment: Assignment) -> bool:
    """Accept, return, 补办 (policy SUPERVISE): the document's supervisors; a lead unit for
    its participating units; never one's own unit."""
    return policy.can(user, policy.Action.SUPERVISE, assignment)


def may_decide_extension(user: Any, assignment: Assignment | None = None) -> bool:
    """Extensions and declines (policy DECIDE) are decided by the document's supervisors."""
    if assignment is None:  # "may this user decide some extensions?" (pages show the column)
        return policy.is_admin(user) or getattr(user, "role", None) in SUPERVISOR_ROLES
    return policy.can(user, policy.Action.DECIDE, assignment)


def _require_live(assignment: Assignment) -> None:
    if assignment.task.source.status != LIVE:
        raise ValidationError(
            _("《%(short_name)s》已%(status)s，其任务已转入历史，不能再办理。")
            % {
                "short_name": assignment.task.source.short_name,
                "status": assignment.task.source.get_status_display(),
            },
            code="not_live",
        )


# --- transitions ------------------------------------------------------------------------------


def _locked(assignment: Assignment) -> Assignment:
    """Re-read the row under a lock: two requests racing cannot both pass the state check."""
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("task__source")
        .get(pk=assignment.pk)
    )
    _require_live(locked)
    return locked


def _transition(
    assignment: Assignment,
    name: str,
    *,
    user: Any,
    comment: str,
    expected_version: int | None,
    **changes: Any,
) -> Assignment:
    step = TRANSITIONS[name]
    to_status, kind = step.target, step.event
    if expected_version is not None and expected_version != assignment.version:
        raise ConcurrentEditError(assignment)
    if not step.starts_from(assignment.status):
        raise ValidationError(
            _("当前状态为“%(status)s”，不能执行此操作。")
            % {"status": assignment.get_status_display()},
            code="invalid_state",
        )
    from_status = assignment.status
    assignment.status = to_status
    assignment.status_changed_at = timezone.now()
    event_satisfaction = changes.pop("event_satisfaction", "")
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
        satisfaction=event_satisfaction,
    )
    return assignment


@transaction.atomic
def start_assignment(
    *, assignment: Assignment, user: Any, comment: str = "", expected_version: int | None = None
) -> Assignment:
    assignment = _locked(assignment)
    if not may_act_for_unit(user, assignment):
        raise PermissionDenied(_("只能办理本单位承担的任务。"))
    return _transition(
        assignment, "start", user=user, comment=comment, expected_version=expected_version
    )


@transaction.atomic
def submit_assignment(
    *,
    assignment: Assignment,
    user: Any,
    comment: str,
    expected_version: int | None = None,
    today=None,
) -> Assignment:
    """报办结: the unit reports the task done; a supervisor or lead unit then accepts it."""
    assignment = _locked(assignment)
    if not may_act_for_unit(user, assignment):
        raise PermissionDenied(_("只能办理本单位承担的任务。"))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("请填写办理结果。")})
    today = today or timezone.localdate()
    return _transition(
        assignment,
        "submit",
        user=user,
        comment=comment.strip(),
        expected_version=expected_version,
        submitted_on=today,
        submitted_in_time=assignment.due_date is None or today <= assignment.due_date,
    )


@transaction.atomic
def accept_assignment(
    *,
    assignment: Assignment,
    user: Any,
    comment: str = "",
    expected_version: int | None = None,
    satisfaction: str = Assignment.Satisfaction.SATISFIED,
    today=None,
) -> Assignment:
    """答复认定 and 回访: 满意 or 基本满意 closes the assignment; 不满意 sends it back (重办)."""
    if satisfaction not in Assignment.Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意、基本满意或不满意。")})
    if satisfaction == Assignment.Satisfaction.UNSATISFIED:
        return return_assignment(
            assignment=assignment,
            user=user,
            comment=comment,
            expected_version=expected_version,
            today=today,
            satisfaction=satisfaction,
        )
    assignment = _locked(assignment)
    if not may_accept(user, assignment):
        raise PermissionDenied(_("只有本文件的督办单位或本任务的牵头单位可以审核办结。"))
    today = today or timezone.localdate()
    return _transition(
        assignment,
        "accept",
        user=user,
        comment=comment,
        expected_version=expected_version,
        event_satisfaction=satisfaction,
        satisfaction=satisfaction,
        accepted_on=today,
    )


def _step_due(assignment: Assignment, today, working_days: int):
    limit = add_working_days(today, working_days)
    return max(assignment.due_date, limit) if assignment.due_date else limit


@transaction.atomic
def return_assignment(
    *,
    assignment: Assignment,
    user: Any,
    comment: str,
    expected_version: int | None = None,
    today=None,
    satisfaction: str = "",
) -> Assignment:
    """退回重办: the redo is due within 10 working days (and never earlier than before)."""
    assignment = _locked(assignment)
    if not may_accept(user, assignment):
        raise PermissionDenied(_("只有本文件的督办单位或本任务的牵头单位可以退回重办。"))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("请填写退回理由。")})
    today = today or timezone.localdate()
    changes: dict[str, Any] = {"due_date": _step_due(assignment, today, REDO_WORKING_DAYS)}
    if satisfaction:
        changes.update(satisfaction=satisfaction, event_satisfaction=satisfaction)
    return _transition(
        assignment,
        "return",
        user=user,
        comment=comment.strip(),
        expected_version=expected_version,
        **changes,
    )


@transaction.atomic
def order_supplement(
    *,
    assignment: Assignment,
    user: Any,
    comment: str,
    expected_version: int | None = None,
    today=None,
) -> Assignment:
    """责成补办: material incomplete at acceptance, to be made good within 3 working days."""
    assignment = _locked(assignment)
    if not may_accept(user, assignment):
        raise PermissionDenied(_("只有本文件的督办单位或本任务的牵头单位可以责成补办。"))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("请写明需补充的材料或内容。")})
    today = today or timezone.localdate()
    return _transition(
        assignment,
        "supplement",
        user=user,
        comment=comment.strip(),
        expected_version=expected_version,
        due_date=_step_due(assignment, today, SUPPLEMENT_WORKING_DAYS),
    )


def decline_deadline(assignment: Assignment):
    """The last day a unit may decline (退单): 1 working day after it was assigned."""
    assigned = assignment.assigned_on or timezone.localdate(assignment.created_at)
    return add_working_days(assigned, DECLINE_WORKING_DAYS)


@transaction.atomic
def decline_assignment(
    *,
    assignment: Assignment,
    user: Any,
    comment: str,
    suggested_unit: Any = None,
    expected_version: int | None = None,
    today=None,
) -> Assignment:
    """退单: not this unit's remit — within 1 working day, with the basis and 改派意见."""
    assignment = _locked(assignment)
    if not may_act_for_unit(user, assignment):
        raise PermissionDenied(_("只能为本单位承担的任务退单。"))
    today = today or timezone.localdate()
    limit = decline_deadline(assignment)
    if today > limit:
        raise ValidationError(
            _("退单应在交办后1个工作日内（%(limit)s前）提出，已超过时限，请按规定办理。")
            % {"limit": date_label(limit)},
            code="too_late",
        )
    if not (comment or "").strip():
        raise ValidationError({"comment": _("请说明退单依据。")})
    note = comment.strip()
    if suggested_unit is not None:
        note = f"{note}（改派意见：{suggested_unit}）"
    return _transition(
        assignment, "decline", user=user, comment=note, expected_version=expected_version
    )


@transaction.atomic
def reassign_assignment(
    *, assignment: Assignment, user: Any, unit: Any, comment: str = "", today=None
) -> Assignment:
    """改派: the supervisor hands a declined assignment to the responsible unit.

    The declined assignment stays (已改派, pointing at the new one) so the 退单 counts for the
    unit that declined; the new unit's assignment starts afresh on today's date.
    """
    assignment = _locked(assignment)
    if not may_decide_extension(user, assignment):
        raise PermissionDenied(_("只有本文件的督办单位可以改派。"))
    if unit is None or unit.pk == assignment.unit_id:
        raise ValidationError({"unit": _("请选择改派的承办单位（不能是原单位）。")})
    if Assignment.objects.filter(task=assignment.task, unit=unit).exists():
        raise ValidationError({"unit": _("%(unit)s已承担本任务，不能重复交办。") % {"unit": unit}})
    today = today or timezone.localdate()
    new = Assignment(
        task=assignment.task,
        unit=unit,
        role=assignment.role,
        due_date=assignment.due_date,
        assigned_on=today,
    )
    new.full_clean()
    new.save()
    AssignmentEvent.objects.create(
        assignment=new,
        kind=K.ASSIGNED,
        to_status=S.ASSIGNED,
        actor=user,
        comment=f"由{assignment.unit}退单后改派",
    )
    note = f"改派至{unit}" + (f"：{comment.strip()}" if (comment or "").strip() else "")
    return _transition(
        assignment,
        "reassign",
        user=user,
        comment=note,
        expected_version=None,
        reassigned_to=new,
    )


@transaction.atomic
def refuse_decline(*, assignment: Assignment, user: Any, comment: str) -> Assignment:
    """退单不予认可: the supervisor finds the unit responsible; the assignment goes back to it."""
    assignment = _locked(assignment)
    if not may_decide_extension(user, assignment):
        raise PermissionDenied(_("只有本文件的督办单位可以审核退单。"))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("请说明不予认可的理由。")})
    return _transition(
        assignment, "refuse_decline", user=user, comment=comment.strip(), expected_version=None
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
        raise PermissionDenied(_("只能报送本单位承担任务的进展。"))
    if assignment.status in (S.SUBMITTED, S.ACCEPTED, S.DECLINED, S.REASSIGNED):
        raise ValidationError(
            _("任务已%(status)s，如需补充请联系牵头协调单位退回。")
            % {"status": assignment.get_status_display()},
            code="invalid_state",
        )
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写进展情况。")})
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


EXTENDABLE = (S.ASSIGNED, S.IN_PROGRESS, S.RETURNED, S.SUPPLEMENTING)


def extension_refusal(assignment: Assignment, today=None) -> tuple[str, str] | None:
    """Why an extension cannot be requested now, as (code, message); None when it can.

    One rule for the service, the pages and the reminders (12345 (五): "应在时限届满当日内提出").
    """
    today = today or timezone.localdate()
    if assignment.task.source.status != LIVE:
        return "not_live", _("所属文件已不在执行期，其任务已转入历史。")
    if assignment.status not in EXTENDABLE:
        return "invalid_state", _("任务%(status)s，无需申请延期。") % {
            "status": assignment.get_status_display()
        }
    if assignment.due_date is None:
        return "no_due_date", _("持续推进的任务没有完成时限，无需申请延期。")
    if today > assignment.due_date:
        return "too_late", (
            _("延期申请应在时限届满当日（%(due_date)s）前提出，已逾期的任务不能再申请延期。")
            % {"due_date": date_label(assignment.due_date)}
        )
    if assignment.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
        return "pending", _("已有一项延期申请待审批，请等待审批结果。")
    if extension_days_used(assignment) >= MAX_EXTENSION_WORKING_DAYS:
        return "limit", _("累计延期已达%(MAX_EXTENSION_WORKING_DAYS)s个工作日，不能再申请。") % {
            "MAX_EXTENSION_WORKING_DAYS": MAX_EXTENSION_WORKING_DAYS
        }
    return None


@transaction.atomic
def request_extension(
    *, assignment: Assignment, user: Any, working_days: int, reason: str, today=None
) -> ExtensionRequest:
    assignment = _locked(assignment)
    if not may_act_for_unit(user, assignment):
        raise PermissionDenied(_("只能为本单位承担的任务申请延期。"))
    today = today or timezone.localdate()
    refusal = extension_refusal(assignment, today)
    if refusal and refusal[0] != "limit":
        raise ValidationError(refusal[1], code=refusal[0])
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请说明延期理由。")})
    used = extension_days_used(assignment)
    left = MAX_EXTENSION_WORKING_DAYS - used
    if working_days < 1 or working_days > left:
        raise ValidationError(
            {
                "working_days": (
                    _(
                        "每项任务累计延期不得超过%(MAX_EXTENSION_WORKING_DAYS)s个工作日（已批准或待批%(used)s个工作日，最多还可申请%(max)s个工作日）。"
                    )
                    % {
                        "MAX_EXTENSION_WORKING_DAYS": MAX_EXTENSION_WORKING_DAYS,
                        "used": used,
                        "max": max(left, 0),
                    }
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
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if not may_decide_extension(user, extension.assignment):
        raise PermissionDenied(_("只有本文件的督办单位可以审批延期申请。"))
    if extension.status != ExtensionRequest.Status.PENDING:
        raise ValidationError(
            _("该申请已%(status)s，不能重复审批。") % {"status": extension.get_status_display()},
            code="decided",
        )
    assignment = _locked(extension.assignment)
    if not approve and not (comment or "").strip():
        raise ValidationError({"comment": _("请填写不予批准的理由。")})
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
                _("批准后累计延期将超过%(MAX_EXTENSION_WORKING_DAYS)s个工作日。")
                % {"MAX_EXTENSION_WORKING_DAYS": MAX_EXTENSION_WORKING_DAYS},
                code="limit",
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


# --- the document's life cycle ----------------------------------------------------------------


def may_manage_document(user: Any, source: SourceDocument) -> bool:
    """Closing a task list is for its supervising units (a coordinator or reviewer of one) and
    the administrator — not for the units that carry its tasks."""
    if policy.is_admin(user):
        return True
    if not supervises(user, source):
        return False
    # 003 is supervised task by task by the groups' member units; closing the whole document
    # is a decision above any one group: the administrator's.
    return user.organization_id in {o.pk for o in source.supervising_units.all()} or (
        not source.supervised_by_groups and not source.supervising_units.exists()
    )


@transaction.atomic
def change_document_status(
    *,
    source: SourceDocument,
    user: Any,
    status: str,
    on: Any = None,
    note: str = "",
) -> SourceDocument:
    """Move a task list along 执行中 → 总结评估 → 已办结 → 归档 (apps.core.lifecycle).

    Closing needs a date and a note; it takes every assignment off the live boards, counts and
    reminders at once (they filter on the document's status) and keeps them in history.
    """
    source = SourceDocument.objects.select_for_update().get(pk=source.pk)
    if user is not None and not may_manage_document(user, source):
        raise PermissionDenied(_("只有本文件的督办单位或系统管理员可以变更文件状态。"))
    check_step(source, status, on=on, note=note)
    source.status = status
    source.status_note = note.strip()
    if status == DocumentStatus.CLOSED:
        source.closed_on, source.closed_by = on, user
    elif status == LIVE:
        source.closed_on, source.closed_by = None, None
    source.full_clean()
    source.save()
    return source


def advance_document_periods(*, today=None) -> list[str]:
    """Daily: a document 执行中 past its period's end moves to 总结评估 (its work is history).

    Returns the codes of the documents moved. The period is data (``period_end``); documents
    without one stay as they are until a person changes them.
    """
    today = today or timezone.localdate()
    moved = []
    for source in SourceDocument.objects.filter(status=LIVE, period_end__lt=today):
        change_document_status(
            source=source,
            user=None,
            status=DocumentStatus.EVALUATING,
            note=f"执行期至{source.period_end:%Y年%m月%d日}已结束，转入总结评估。",
        )
        moved.append(source.code)
    return moved
