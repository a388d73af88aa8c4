"""Who is told what when something happens (the events of apps.core.events).

Each handler runs after the emitting transaction committed, re-reads the event row by id,
picks the recipients and sends through ``notify`` with a key per event, so a repeated
delivery of the same event (a retry, a second worker) reaches nobody twice.

* project submitted / resubmitted → the reviewers for it (``projects.selectors.project_reviewers``)
* review started, approved, returned (with the reason), rejected, removed → the unit's staff
  and its group robot
* assignment given (also after 改派), returned, 责成补办, accepted, extension approved /
  rejected, 退单 not accepted, 改派 away → the unit
* a background job finished, failed or is being retried (``apps.jobs.signals.job_notice``) →
  the user who started it, in the inbox only
* problem ticket opened (routed) → the responsible department; accepted, answered → the
  reporting unit; escalated → the group's 组长, the department and the reporting unit;
  confirmed / reopened → the department
"""

from __future__ import annotations

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.events import subscribe
from apps.jobs.signals import job_notice
from apps.notifications.models import Kind
from apps.notifications.services import notify, notify_unit, unit_recipients


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


# --- the project library ------------------------------------------------------------------------


@subscribe("projects.review_event")
def project_review_event(*, event_id: int) -> None:
    from apps.projects.models import ProjectReviewEvent, ReviewAction
    from apps.projects.selectors import project_reviewers

    event = (
        ProjectReviewEvent.objects.select_related("project__responsible_unit", "actor")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return
    project = event.project
    key = f"project_review_event:{event.pk}"
    url = _url("projects:detail", project.pk)
    names = {"unit": project.responsible_unit.name, "name": project.name}
    if event.action in (ReviewAction.SUBMIT, ReviewAction.RESUBMIT):
        resubmitted = event.action == ReviewAction.RESUBMIT

        # Each text is made in its recipient's language (notify calls these per language).
        def submitted_title() -> str:
            if resubmitted:
                return _("待审核：%(unit)s重新提交了“%(name)s”") % names
            return _("待审核：%(unit)s提交了“%(name)s”") % names

        def submitted_body() -> str:
            text = _("%(tier)s项目，总投资%(amount)s亿元。") % {
                "tier": project.get_tier_display(),
                "amount": project.total_investment,
            }
            if event.comment:
                text += "\n" + _("说明：%(comment)s") % {"comment": event.comment}
            return text

        notify(
            recipients=project_reviewers(project),
            kind=Kind.PROJECT_SUBMITTED,
            title=submitted_title,
            body=submitted_body,
            url=url,
            organization=project.responsible_unit,
            event_key=key,
        )
        return
    titles = {
        ReviewAction.START_REVIEW: gettext_lazy("项目“%(name)s”已开始审核（专家论证）"),
        ReviewAction.APPROVE: gettext_lazy("项目“%(name)s”已入库"),
        ReviewAction.RETURN: gettext_lazy("项目“%(name)s”被退回修改"),
        ReviewAction.REJECT: gettext_lazy("项目“%(name)s”不予入库"),
        ReviewAction.REMOVE: gettext_lazy("项目“%(name)s”已出库"),
    }
    if event.action not in titles:
        return
    reason = {
        ReviewAction.RETURN: gettext_lazy("退回理由：%(comment)s"),
        ReviewAction.REJECT: gettext_lazy("理由：%(comment)s"),
        ReviewAction.REMOVE: gettext_lazy("出库理由：%(comment)s"),
    }.get(event.action, gettext_lazy("审核意见：%(comment)s"))
    notify_unit(
        organization=project.responsible_unit,
        kind=Kind.PROJECT_REVIEWED,
        title=lambda: str(titles[event.action]) % names,
        body=(lambda: str(reason) % {"comment": event.comment}) if event.comment else "",
        url=url,
        event_key=key,
    )


# --- supervision ----------------------------------------------------------------------------------


@subscribe("tasks.assignment_event")
def assignment_event(*, event_id: int) -> None:
    from apps.tasks.models import AssignmentEvent

    event = (
        AssignmentEvent.objects.select_related("assignment__unit", "assignment__task__source")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return
    K = AssignmentEvent.Kind
    what = {
        K.ASSIGNED: "交办任务",
        K.RETURNED: "任务被退回重办",
        K.ACCEPTED: "任务已审核办结",
        K.EXTENSION_APPROVED: "延期申请已批准",
        K.EXTENSION_REJECTED: "延期申请不予批准",
        # The 12345 loop's steps that hand work back to the unit, or away from it.
        K.SUPPLEMENT: "任务被责成补办",
        K.DECLINE_REFUSED: "退单不予认可，请继续办理",
        K.REASSIGNED: "任务已改派",
    }.get(event.kind)
    if what is None:
        return
    assignment = event.assignment
    due = f"\n截止日期：{assignment.due_date:%Y-%m-%d}" if assignment.due_date else ""
    notify_unit(
        organization=assignment.unit,
        kind=Kind.ASSIGNMENT,
        title=f"{what}：{assignment.task}"[:200],
        body=(event.comment or "") + due,
        url=_url("tasks:assignment", assignment.pk),
        event_key=f"assignment_event:{event.pk}",
    )


# --- problem coordination ----------------------------------------------------------------------


@subscribe("problems.event")
def problem_event(*, event_id: int) -> None:
    from apps.problems.models import ProblemEvent
    from apps.problems.selectors import escalation_recipients

    event = (
        ProblemEvent.objects.select_related(
            "ticket__reporting_unit", "ticket__responsible_department", "ticket__working_group"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return
    ticket = event.ticket
    K = ProblemEvent.Kind
    key = f"problem_event:{event.pk}"
    url = _url("problems:detail", ticket.pk)
    label = ticket.get_category_display()
    subject = ticket.project.name if ticket.project_id else ticket.contract.name
    department = ticket.responsible_department
    reporter = ticket.reporting_unit
    if event.kind in (K.OPENED, K.RESOLVED, K.REOPENED):
        title = {
            K.OPENED: f"新分办问题（{label}）：{ticket.title}",
            K.RESOLVED: f"问题已确认解决：{ticket.title}",
            K.REOPENED: f"问题仍未解决，请继续办理：{ticket.title}",
        }[event.kind]
        notify_unit(
            organization=department,
            kind=Kind.PROBLEM,
            title=title,
            body=f"{reporter.name} · {subject}\n{event.comment}\n时限：{ticket.deadline:%Y-%m-%d}",
            url=url,
            event_key=key,
        )
    elif event.kind in (K.ACCEPTED, K.ANSWERED):
        verb = "已受理" if event.kind == K.ACCEPTED else "已答复"
        notify_unit(
            organization=reporter,
            kind=Kind.PROBLEM,
            title=f"{department.name}{verb}：{ticket.title}",
            body=(
                f"答复意见：{ticket.answer}\n请确认问题是否解决。"
                if event.kind == K.ANSWERED
                else ""
            ),
            url=url,
            event_key=key,
        )
    elif event.kind == K.ESCALATED:
        recipients = {
            u.pk: u
            for qs in (
                escalation_recipients(ticket),
                unit_recipients(department),
                unit_recipients(reporter),
            )
            for u in qs
        }
        notify(
            recipients=recipients.values(),
            kind=Kind.PROBLEM,
            title=f"问题逾期升级（{label}）：{ticket.title}",
            body=f"{reporter.name} · {subject}\n责任部门：{department.name}\n{event.comment}",
            url=url,
            organization=department,
            event_key=key,
        )


# --- background jobs ----------------------------------------------------------------------------


@receiver(job_notice)
def job_notice_to_inbox(sender, *, job, title: str, body: str, url: str, **kwargs) -> None:
    """The job runner's note (finished, failed, retrying) to its starter's inbox only."""
    notify(
        recipients=[job.user],
        kind=Kind.JOB_FINISHED,
        title=title,
        body=body,
        url=url,
        channels=("inbox",),
    )
