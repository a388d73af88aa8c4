"""Every write to the project library: create/edit, stage changes, workflow, monthly updates.

Views, the API, the admin, the Excel importer and the demo generator all call these
functions; none of them touches ``library_status`` itself.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from apps.core import permissions as policy
from apps.core.concurrency import save_versioned
from apps.core.periods import add_months, month_start, period_label
from apps.core.signals import bulk_written
from apps.core.uploads import validate_document, validate_photo
from apps.jobs.imports import ImportFlow
from apps.projects import selectors
from apps.projects.models import (
    FUNDING_SOURCES,
    CriterionJudgement,
    EntryCriterion,
    Expert,
    ExpertOpinion,
    FactorNeed,
    FactorStatus,
    LibraryStatus,
    PreparatoryMilestone,
    Project,
    ProjectDocument,
    ProjectMonthlyUpdate,
    ProjectReviewEvent,
    ProjectStageChange,
    ReviewAction,
    Stage,
    UpdatePhoto,
    Verdict,
)
from apps.projects.signals import factor_difficulty
from apps.projects.tasks import import_projects as import_projects_job
from apps.projects.workflow import TRANSITIONS, Transition, may_perform, status_labels

# The 建议表 import: a small file in the page (all or nothing), a large one by a job.
PROJECT_IMPORT = ImportFlow(kind="projects.import", task=import_projects_job, upload_dir="")

# The fields a unit may set on its project (forms, API, Excel). Status, stage dates, demo flag
# and the audit fields are deliberately absent; stage changes go through change_stage().
PROJECT_FIELDS: tuple[str, ...] = (
    "name",
    "code",
    "tier",
    "region",
    "sector",
    "infrastructure_domain",
    "responsible_unit",
    "implementing_entity",
    "supervising_department",
    "total_investment",
    "plan_year",
    "planned_investment_year",
    "scale_content",
    "planned_start",
    "planned_end",
    "schedule",
    *(f for f, _ in FUNDING_SOURCES),
    "approval_type",
    "approval_number",
    "approval_date",
    "latitude",
    "longitude",
    "is_head_project",
    "liaison_leader",
    "is_14th_fyp_major",
    "is_ppp",
    "campaign",
    "batch",
    "note",
)


class TransitionNotAllowed(ValidationError):
    """The project is not in a state from which the requested step is allowed."""


def _apply(project: Project, data: dict[str, Any]) -> None:
    unknown = set(data) - set(PROJECT_FIELDS) - {"stage"}
    if unknown:
        # Guards against a caller passing library_status & co. through a loose dict.
        raise ValidationError(
            gettext("不能直接设置这些字段：%(join)s") % {"join": "、".join(sorted(unknown))}
        )
    for field, value in data.items():
        if field == "stage":
            continue
        if isinstance(value, str):
            value = value.strip()
        setattr(project, field, value)


@transaction.atomic
def create_project(
    *,
    user: Any,
    data: dict[str, Any],
    is_demo: bool = False,
    on: dt.date | None = None,
) -> Project:
    """A new project of the user's unit, as a 草稿 (draft) in stage ``data['stage']`` (谋划)."""
    project = prepare_project(user=user, data=data, is_demo=is_demo, on=on)
    save_versioned(project, None)
    ProjectStageChange.objects.create(**_first_stage(project, user))
    return project


def prepare_project(
    *,
    user: Any,
    data: dict[str, Any],
    is_demo: bool = False,
    on: dt.date | None = None,
) -> Project:
    """``create_project``'s checks, without saving: the unsaved, validated project."""
    unit = data.get("responsible_unit")
    if unit is None or not policy.can_create_for(user, unit):
        raise PermissionDenied(gettext("只能为本单位新建项目。"))
    project = Project(created_by=user if getattr(user, "pk", None) else None, is_demo=is_demo)
    _apply(project, data)
    project.stage = data.get("stage") or Stage.PLANNING
    project.stage_changed_on = on or timezone.localdate()
    project.full_clean()
    return project


def _first_stage(project: Project, user: Any) -> dict[str, Any]:
    return {
        "project": project,
        "from_stage": "",
        "to_stage": project.stage,
        "changed_on": project.stage_changed_on,
        "changed_by": user if getattr(user, "pk", None) else None,
        "note": "新建项目",
    }


@transaction.atomic
def create_prepared_projects(*, user: Any, projects: list[Project]) -> list[Project]:
    """Save projects ``prepare_project`` validated, in bulk: the same rows, history rows and
    first stage records as ``create_project`` one by one, in a few statements per 500
    projects instead of ~5 per project (a 10,000-row import, issue 15)."""
    from simple_history.utils import bulk_create_with_history

    for project in projects:
        project.version = 1
    bulk_create_with_history(
        projects,
        Project,
        batch_size=500,
        default_user=user if getattr(user, "pk", None) else None,
    )
    ProjectStageChange.objects.bulk_create(
        [ProjectStageChange(**_first_stage(p, user)) for p in projects], batch_size=1000
    )
    for project in projects:
        project._loaded_status = project.library_status
    # Bulk inserts send no post_save: say so, for caches of aggregates (the cockpit's).
    bulk_written.send(sender=Project)
    return projects


def _require_change(user: Any, project: Project, what: str) -> None:
    if not policy.can(user, policy.Action.CHANGE, project):
        raise PermissionDenied(gettext("只能%(what)s本单位的项目。") % {"what": what})


@transaction.atomic
def update_project(
    *, user: Any, project: Project, data: dict[str, Any], version: int | None
) -> Project:
    """Edit a project the user's unit owns; refused while it is under review or closed."""
    _require_change(user, project, "修改")
    if not project.is_editable:
        raise ValidationError(
            gettext(
                "项目当前为“%(library_status)s”，不能修改（只有%(status_labels)s的项目可以修改）。"
            )
            % {
                "library_status": project.get_library_status_display(),
                "status_labels": status_labels(["draft", "returned", "approved"]),
            }
        )
    new_unit = data.get("responsible_unit")
    moving = (
        new_unit is not None and getattr(new_unit, "pk", new_unit) != project.responsible_unit_id
    )
    if moving and not policy.can_create_for(user, new_unit):
        raise PermissionDenied(gettext("不能把项目移交给其他单位。"))
    data = {k: v for k, v in data.items() if k != "stage"}
    _apply(project, data)
    project.full_clean()
    save_versioned(project, version)
    return project


@transaction.atomic
def change_stage(
    *,
    user: Any,
    project: Project,
    stage: str,
    on: dt.date | None = None,
    note: str = "",
) -> ProjectStageChange:
    """Record a dated life-cycle stage change (谋划 → 签约 → 开工 → …)."""
    _require_change(user, project, "变更阶段：")
    if project.is_closed:
        raise ValidationError(
            gettext("项目已“%(library_status)s”，不能再变更阶段。")
            % {"library_status": project.get_library_status_display()}
        )
    if stage not in Stage.values:
        raise ValidationError({"stage": gettext("未知的项目阶段“%(stage)s”。") % {"stage": stage}})
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.stage == stage:
        raise ValidationError(
            {"stage": gettext("项目已处于“%(label)s”阶段。") % {"label": Stage(stage).label}}
        )
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"changed_on": gettext("变更日期不能晚于今天。")})
    if locked.stage_changed_on and on < locked.stage_changed_on:
        raise ValidationError(
            {
                "changed_on": gettext("变更日期不能早于上次阶段变更（%(stage_changed_on)s）。")
                % {"stage_changed_on": locked.stage_changed_on}
            }
        )
    change = ProjectStageChange.objects.create(
        project=locked,
        from_stage=locked.stage,
        to_stage=stage,
        changed_on=on,
        changed_by=user if getattr(user, "pk", None) else None,
        note=note.strip()[:255],
    )
    locked.stage = stage
    locked.stage_changed_on = on
    locked._change_reason = f"阶段变更：{Stage(stage).label}"
    save_versioned(locked, locked.version)
    project.stage, project.stage_changed_on, project.version = stage, on, locked.version
    return change


# --- the library workflow -------------------------------------------------------------------


def _refusal(transition: Transition, project: Project) -> str:
    current = project.get_library_status_display()
    hint = {
        ReviewAction.APPROVE: gettext("请先“开始审核”（专家论证）后再决定入库。"),
        ReviewAction.RETURN: gettext("只有审核中的项目可以退回修改。"),
        ReviewAction.REJECT: gettext("只有审核中的项目可以不予入库。"),
        ReviewAction.REMOVE: gettext("只有已入库的项目可以出库。"),
        ReviewAction.SUBMIT: "",
        ReviewAction.RESUBMIT: "",
        ReviewAction.START_REVIEW: gettext("只有已提交的项目可以开始审核。"),
        ReviewAction.WITHDRAW: gettext(
            "审核已开始或已结束的项目不能撤回；如需修改，请联系审核员退回。"
        ),
    }.get(transition.action, "")
    if project.library_status == LibraryStatus.SUBMITTED and transition.action in (
        ReviewAction.RETURN,
        ReviewAction.REJECT,
    ):
        hint = gettext("请先“开始审核”（专家论证）。")
    return (
        gettext(
            "不能%(label)s：项目“%(name)s”当前为“%(current)s”，"
            "只有%(sources)s的项目可以%(label)s。%(hint)s"
        )
        % {
            "label": transition.label,
            "name": project.name,
            "current": current,
            "sources": status_labels(transition.sources),
            "hint": hint,
        }
    ).rstrip()


def _check_ready_for_submission(project: Project) -> None:
    missing = {}
    if not project.scale_content.strip():
        missing["scale_content"] = gettext("提交前请填写建设规模及内容。")
    if not project.total_investment:
        missing["total_investment"] = gettext("提交前请填写总投资。")
    if missing:
        raise ValidationError(missing)


@transaction.atomic
def transition(
    *,
    user: Any,
    project: Project,
    action: str,
    comment: str = "",
    at: dt.datetime | None = None,
) -> Project:
    """Perform one workflow step, or refuse it with a clear message.

    Refusals: ``PermissionDenied`` when the user's role may not take the step,
    ``TransitionNotAllowed`` when the project is not in a state the step starts from,
    ``ValidationError`` for a missing comment or an incomplete project.
    """
    step = TRANSITIONS.get(action)
    if step is None:
        raise ValidationError(gettext("未知的操作“%(action)s”。") % {"action": action})
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if not may_perform(user, step, locked):
        if step.by_reviewer:
            raise PermissionDenied(
                gettext(
                    "只有审核员可以%(label)s，且按层级分工：省级项目由省发展改革委审核，市州级、县级项目由所在市州发展改革委审核。"
                )
                % {"label": step.label}
            )
        raise PermissionDenied(gettext("只能%(label)s本单位的项目。") % {"label": step.label})
    if locked.library_status not in step.sources:
        raise TransitionNotAllowed(_refusal(step, locked), code="illegal_transition")
    comment = (comment or "").strip()
    if step.comment_required and not comment:
        raise ValidationError(
            {
                "comment": gettext("请填写%(comment_label)s。")
                % {"comment_label": step.comment_label}
            }
        )
    at = at or timezone.now()
    if step.action in (ReviewAction.SUBMIT, ReviewAction.RESUBMIT):
        _check_ready_for_submission(locked)
        # A batch deadline is behaviour: late proposals move to the next batch or are refused.
        from apps.projects.campaigns import route_proposal

        moved = route_proposal(locked, timezone.localdate(at))
        if moved:
            comment = f"{comment}（{moved}）" if comment else moved
    if step.action == ReviewAction.APPROVE:
        # 001 五(三): only a project judged against every condition of entry, none failed.
        problems = selectors.checklist_problems(locked)
        if problems:
            raise ValidationError({"checklist": problems}, code="checklist_incomplete")

    from_status = locked.library_status
    locked.library_status = step.target
    locked.status_changed_at = at
    if step.target == LibraryStatus.APPROVED and locked.approved_on is None:
        locked.approved_on = timezone.localdate(at)
    locked._change_reason = f"{step.label}{'：' + comment if comment else ''}"[:100]
    locked._transition = True
    try:
        save_versioned(locked, locked.version)
    finally:
        locked._transition = False
    ProjectReviewEvent.objects.create(
        project=locked,
        action=step.action,
        from_status=from_status,
        to_status=step.target,
        actor=user if getattr(user, "pk", None) else None,
        at=at,
        comment=comment,
    )
    # Keep the caller's instance in step with the row.
    project.library_status = locked.library_status
    project._loaded_status = locked.library_status
    project.status_changed_at = locked.status_changed_at
    project.approved_on = locked.approved_on
    project.version = locked.version
    return locked


def submit_project(*, user: Any, project: Project, comment: str = "", **kw) -> Project:
    """草稿 → 已提交; a returned project is resubmitted (退回修改 → 已提交)."""
    action = (
        ReviewAction.RESUBMIT
        if project.library_status == LibraryStatus.RETURNED
        else ReviewAction.SUBMIT
    )
    return transition(user=user, project=project, action=action, comment=comment, **kw)


def take_step(*, user: Any, project: Project, action: str, comment: str = "", **kw) -> Project:
    """One workflow step by its action name, as the page's buttons and the API post it.

    ``submit`` is the unit's one button: from a returned project it is the resubmission
    (``submit_project``); every other action is ``transition`` itself."""
    if action == ReviewAction.SUBMIT:
        return submit_project(user=user, project=project, comment=comment, **kw)
    return transition(user=user, project=project, action=action, comment=comment, **kw)


def withdraw_project(*, user: Any, project: Project, comment: str = "", **kw) -> Project:
    """已提交 → 草稿: the unit takes its submission back before the reviewer has started."""
    return transition(
        user=user, project=project, action=ReviewAction.WITHDRAW, comment=comment, **kw
    )


def start_review(*, user: Any, project: Project, comment: str = "", **kw) -> Project:
    return transition(
        user=user, project=project, action=ReviewAction.START_REVIEW, comment=comment, **kw
    )


def approve_project(*, user: Any, project: Project, comment: str = "", **kw) -> Project:
    return transition(
        user=user, project=project, action=ReviewAction.APPROVE, comment=comment, **kw
    )


def return_project(*, user: Any, project: Project, comment: str, **kw) -> Project:
    return transition(user=user, project=project, action=ReviewAction.RETURN, comment=comment, **kw)


def remove_project(*, user: Any, project: Project, comment: str, **kw) -> Project:
    return transition(user=user, project=project, action=ReviewAction.REMOVE, comment=comment, **kw)


# --- monthly updates (调度) ------------------------------------------------------------------


def _check_monthly_figure(project: Project, update: ProjectMonthlyUpdate) -> None:
    amount = update.completed_this_month
    if amount is None:
        return
    others = project.monthly_updates.all()
    if update.pk:
        others = others.exclude(pk=update.pk)
    before = others.aggregate(s=Sum("completed_this_month"))["s"] or Decimal(0)
    cumulative = before + amount
    if project.total_investment is not None and cumulative > project.total_investment:
        raise ValidationError(
            {
                "completed_this_month": (
                    gettext(
                        "累计完成投资将达 %(cumulative)s 亿元，"
                        "超过项目总投资 %(total_investment)s 亿元，"
                        "不能保存。请核对本月完成投资（单位：亿元）。"
                    )
                    % {
                        "cumulative": format(cumulative, ".4f"),
                        "total_investment": format(project.total_investment, ".4f"),
                    }
                )
            },
            code="above_total",
        )
    plan = project.planned_investment_year
    if (
        plan
        and project.plan_year == update.period.year
        and amount > plan
        and not update.confirmation_note
    ):
        raise ValidationError(
            {
                "confirmation_note": (
                    gettext(
                        "本月完成投资 %(amount)s 亿元，"
                        "超过%(plan_year)s年度计划投资 %(plan)s 亿元。"
                        "请核实（单位：亿元）；确认无误请填写核实说明后再保存。"
                    )
                    % {
                        "amount": format(amount, ".4f"),
                        "plan_year": project.plan_year,
                        "plan": format(plan, ".4f"),
                    }
                )
            },
            code="needs_confirmation",
        )


@transaction.atomic
def record_monthly_update(
    *,
    user: Any,
    project: Project,
    period: dt.date,
    completed_this_month: Decimal,
    stage: str,
    progress: str,
    problems: str = "",
    confirmation_note: str = "",
    update: ProjectMonthlyUpdate | None = None,
    version: int | None = None,
) -> ProjectMonthlyUpdate:
    """File (or correct) a project's report for one month; the latest report sets the stage.

    Sanity checks on the figure (amounts are 亿元, and a unit typing 万元 is the usual slip):
    a cumulative completion above the total investment is refused; a month above the year's
    planned investment is saved only with a ``confirmation_note``, which stays on the record.
    """
    _require_change(user, project, "填报")
    if project.library_status != LibraryStatus.APPROVED:
        raise ValidationError(gettext("只有已入库的项目填报月度调度。"))
    period = month_start(period)
    today = timezone.localdate()
    if period > month_start(today):
        raise ValidationError({"period": gettext("不能填报未来月份的调度。")})
    if update is None:
        update = ProjectMonthlyUpdate(
            project=project, created_by=user if getattr(user, "pk", None) else None
        )
    elif update.project_id != project.pk:
        raise ValidationError(gettext("调度记录与项目不一致。"))
    update.period = period
    update.completed_this_month = completed_this_month
    update.stage = stage
    update.progress = (progress or "").strip()
    update.problems = (problems or "").strip()
    update.confirmation_note = (confirmation_note or "").strip()
    _check_monthly_figure(project, update)
    update.reported_by = user if getattr(user, "pk", None) else None
    update.full_clean()
    save_versioned(update, version)

    is_latest = not project.monthly_updates.filter(period__gt=period).exists()
    if is_latest and stage != project.stage and not project.is_closed:
        month_end = add_months(period, 1) - dt.timedelta(days=1)
        on = min(month_end, today)
        if project.stage_changed_on and on < project.stage_changed_on:
            on = project.stage_changed_on
        change_stage(
            user=user, project=project, stage=stage, on=on, note=f"{period_label(period)}调度"
        )
    return update


# --- the 入库 checklist and 专家论证 ---------------------------------------------------------


def _require_review(user: Any, project: Project) -> None:
    if not policy.may_review_project(user, project):
        raise PermissionDenied(
            gettext(
                "只有该项目所属层级的审核员可以审查入库条件、录入专家论证意见"
                "（省级项目：省发展改革委；市州级、县级项目：所在市州发展改革委）。"
            )
        )
    if project.library_status != LibraryStatus.IN_REVIEW:
        raise ValidationError(
            gettext(
                "项目当前为“%(library_status)s”，入库条件审查和专家论证在“审核中”进行（请先开始审核）。"
            )
            % {"library_status": project.get_library_status_display()}
        )


@transaction.atomic
def judge_criteria(
    *,
    user: Any,
    project: Project,
    judgements: list[tuple[EntryCriterion, str, str]],
    at: dt.datetime | None = None,
) -> list[CriterionJudgement]:
    """Record the reviewer's 符合 / 不符合 / 不适用 (with comment) on conditions of entry."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require_review(user, project)
    allowed = {c.pk for c in selectors.entry_criteria(project)}
    at = at or timezone.now()
    errors: dict[str, str] = {}
    saved = []
    for criterion, verdict, comment in judgements:
        comment = (comment or "").strip()
        key = f"criterion_{criterion.pk}"
        if criterion.pk not in allowed:
            errors[key] = gettext("“%(name)s”不是本项目适用的入库条件。") % {"name": criterion.name}
        elif verdict not in Verdict.values:
            errors[key] = gettext("“%(name)s”的审查结论应为符合、不符合或不适用。") % {
                "name": criterion.name
            }
        elif verdict == Verdict.FAILS and not comment:
            errors[key] = gettext("“%(name)s”审查为不符合时请填写审查意见（理由）。") % {
                "name": criterion.name
            }
    if errors:
        raise ValidationError(errors)
    for criterion, verdict, comment in judgements:
        judgement, _ = CriterionJudgement.objects.update_or_create(
            project=project,
            criterion=criterion,
            defaults={
                "verdict": verdict,
                "comment": (comment or "").strip(),
                "judged_by": user if getattr(user, "pk", None) else None,
                "judged_at": at,
            },
        )
        saved.append(judgement)
    return saved


@transaction.atomic
def record_expert_opinion(
    *,
    user: Any,
    project: Project,
    expert: Expert,
    given_on: dt.date,
    conclusion: str,
    opinion: str,
) -> ExpertOpinion:
    """One named expert's dated 专家论证 opinion on a project under review."""
    _require_review(user, project)
    if not expert.is_active:
        raise ValidationError(
            {"expert": gettext("%(name)s已不在专家库中。") % {"name": expert.name}}
        )
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": gettext("论证日期不能晚于今天。")})
    record = ExpertOpinion(
        project=project,
        expert=expert,
        given_on=given_on,
        conclusion=conclusion,
        opinion=(opinion or "").strip(),
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    record.full_clean(exclude=["recorded_by"])
    record.save()
    return record


# --- 前期工作, 要素保障, documents and photos ------------------------------------------------

THUMBNAIL_SIZE = (320, 240)


def _require_open_project(user: Any, project: Project, what: str) -> None:
    _require_change(user, project, what)
    if project.is_closed:
        raise ValidationError(
            gettext("项目已“%(library_status)s”，不能再%(what)s。")
            % {"library_status": project.get_library_status_display(), "what": what}
        )


@transaction.atomic
def save_milestone(
    *,
    user: Any,
    project: Project,
    kind: str,
    done_on: dt.date | None,
    document_number: str = "",
    issuing_body: str = "",
    note: str = "",
    version: int | None = None,
) -> PreparatoryMilestone:
    """Record (or correct) one 前期工作 step: date, document number, issuing body."""
    _require_open_project(user, project, "填报前期工作")
    milestone = PreparatoryMilestone.objects.filter(project=project, kind=kind).first()
    if milestone is None:
        milestone = PreparatoryMilestone(project=project, kind=kind, created_by=_user(user))
        version = None
    elif version is None:
        version = milestone.version
    milestone.done_on = done_on
    milestone.document_number = (document_number or "").strip()
    milestone.issuing_body = (issuing_body or "").strip()
    milestone.note = (note or "").strip()
    if done_on and done_on > timezone.localdate():
        raise ValidationError({"done_on": gettext("办结日期不能晚于今天；尚未办结的请留空。")})
    if done_on and not milestone.document_number:
        raise ValidationError(
            {
                "document_number": gettext("%(kind)s已办结，请填写文号。")
                % {"kind": milestone.get_kind_display()}
            }
        )
    milestone.full_clean(exclude=["project", "created_by"], validate_unique=False)
    save_versioned(milestone, version)
    return milestone


@transaction.atomic
def save_factor_need(
    *,
    user: Any,
    project: Project,
    kind: str,
    status: str,
    quantity: Decimal | None = None,
    description: str = "",
    difficulty: str = "",
    version: int | None = None,
) -> FactorNeed:
    """Record a 要素保障 need; a need 存在困难 opens a problem ticket (one while it is open)."""
    _require_open_project(user, project, "填报要素保障")
    need = FactorNeed.objects.filter(project=project, kind=kind).first()
    if need is None:
        need = FactorNeed(project=project, kind=kind, created_by=_user(user))
        version = None
    elif version is None:
        version = need.version
    need.status = status
    need.quantity = quantity
    need.description = (description or "").strip()
    need.difficulty = (difficulty or "").strip()
    if status == FactorStatus.DIFFICULT and not need.difficulty:
        raise ValidationError(
            {"difficulty": gettext("存在困难时请说明困难（将转为问题工单协调解决）。")}
        )
    need.full_clean(exclude=["project", "created_by", "problem_ticket"], validate_unique=False)
    if status == FactorStatus.DIFFICULT:
        ticket = need.problem_ticket
        if ticket is None or not ticket.is_open:
            label = need.get_kind_display()
            amount = (
                f"（需求 {need.quantity.normalize():f} {need.unit}）"
                if need.quantity is not None
                else ""
            )
            # The problems app answers with the ticket it opened (projects.signals).
            for _receiver, opened in factor_difficulty.send(
                sender=FactorNeed,
                need=need,
                user=user,
                title=f"{project.name}：{label}要素保障存在困难",
                description=f"{label}{amount}：{need.difficulty}",
            ):
                if opened is not None:
                    need.problem_ticket = opened
    save_versioned(need, version)
    return need


def _user(user: Any):
    return user if getattr(user, "pk", None) else None


@transaction.atomic
def add_document(
    *, user: Any, project: Project, kind: str, title: str, upload: Any
) -> ProjectDocument:
    """Attach a 建议书, approval or other document to a project of the user's unit."""
    _require_open_project(user, project, "上传文件")
    validate_document(upload)
    document = ProjectDocument(
        project=project,
        kind=kind,
        title=(title or "").strip() or upload.name,
        original_name=upload.name[:255],
        size=upload.size,
        uploaded_by=_user(user),
    )
    document.full_clean(exclude=["file", "uploaded_by"])
    document.file.save(_safe_name(upload.name), upload, save=False)
    document.save()
    return document


@transaction.atomic
def add_update_photo(
    *, user: Any, update: ProjectMonthlyUpdate, upload: Any, caption: str = ""
) -> UpdatePhoto:
    """A 形象进度 photo on a monthly update, with a thumbnail for the project's gallery."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps

    _require_change(user, update.project, "上传形象进度照片：")
    validate_photo(upload)
    photo = UpdatePhoto(
        update=update,
        caption=(caption or "").strip()[:200],
        original_name=upload.name[:255],
        uploaded_by=_user(user),
    )
    name = _safe_name(upload.name)
    with Image.open(upload) as image:
        thumb = ImageOps.exif_transpose(image).convert("RGB")
        thumb.thumbnail(THUMBNAIL_SIZE)
        buffer = BytesIO()
        thumb.save(buffer, "JPEG", quality=80)
    upload.seek(0)
    photo.image.save(name, upload, save=False)
    photo.thumbnail.save(
        f"thumb-{name.rsplit('.', 1)[0]}.jpg", ContentFile(buffer.getvalue()), save=False
    )
    photo.save()
    return photo


def _safe_name(name: str) -> str:
    """A stored file name without path parts (the original stays in ``original_name``)."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(name or "").suffix.lower()[:8]
    return f"{uuid.uuid4().hex}{suffix}"


@transaction.atomic
def save_milestones(*, user: Any, project: Project, entries) -> list:
    """The page's 前期工作 form: every (kind, values) entry through ``save_milestone``, all or
    nothing."""
    return [save_milestone(user=user, project=project, kind=k, **v) for k, v in entries]


@transaction.atomic
def save_factor_needs(*, user: Any, project: Project, entries) -> list:
    """The page's 要素保障 form: every (kind, values) entry through ``save_factor_need``, all
    or nothing."""
    return [save_factor_need(user=user, project=project, kind=k, **v) for k, v in entries]
