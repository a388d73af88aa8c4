"""Task division (任务分工) and closed-loop supervision (督办).

The three source documents' tasks, their lead and participating units, one assignment per
(task, unit) moved through explicit transitions (services.py), progress reports, extension
requests. The working-day calendar the time limits are counted in is ``apps.core.calendar``.
"""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Role
from apps.core.lifecycle import LIVE, LifecycleFields
from apps.core.models import TimeStampedModel, VersionedModel
from apps.core.scopes import Scope

# The roles that speak for a supervising unit (督办单位); a unit's 填报员 reports, it does not
# supervise.
SUPERVISOR_ROLES = frozenset({Role.COORDINATOR, Role.REVIEWER})


def document_supervision_q(user: Any, task_path: str = "", document_path: str | None = None) -> Q:
    """The rows whose source document ``user``'s unit supervises (督办单位), reached from the
    row through ``task_path`` to its ``Task`` ("" for tasks) and ``document_path`` to its
    ``SourceDocument`` (default: the task's ``source``):

    * a unit the document names (004 → 省发展改革委 and 省政府督查室; 002 → the ledger's
      coordinator);
    * for a document supervised through the working groups (003), a unit seated in one of the
      task's groups;
    * for a document naming no supervisor, the platform's coordinators.

    The policy's SUPERVISE and DECIDE (apps.core.permissions) are built on this rule; it is the
    only place it is written.
    """
    org = getattr(user, "organization_id", None)
    role = getattr(user, "role", None)
    if not org or role not in SUPERVISOR_ROLES:
        return Q(pk__in=[])
    t = f"{task_path}__" if task_path else ""
    d = f"{t}source__" if document_path is None else (f"{document_path}__" if document_path else "")
    q = Q(**{f"{d}supervising_units": org}) | Q(
        **{f"{d}supervised_by_groups": True, f"{t}working_groups__members__organization": org}
    )
    if role == Role.COORDINATOR:
        q |= Q(**{f"{d}supervised_by_groups": False, f"{d}supervising_units__isnull": True})
    return q


class SourceDocument(LifecycleFields):
    """A policy document whose task list the platform supervises (004, 003, 002).

    Its status (apps.core.lifecycle) decides whether its tasks are live work. Its supervising
    units (督办单位) accept its assignments and decide extensions — 004: 省发展改革委 with
    省政府督查室; 002: the coordinator of the 青洽会 ledger; 003: its working groups, i.e. the
    units seated in the groups a task belongs to.
    """

    code = models.CharField(
        _("代码"), max_length=8, unique=True, help_text=_("种子文件编号，如 004")
    )
    short_name = models.CharField(_("简称"), max_length=32)
    title = models.CharField(_("文件名称"), max_length=128)
    doc_number = models.CharField(_("文号"), max_length=32, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    lead_label = models.CharField(_("牵头列名称"), max_length=16, default=_("牵头单位"))
    participating_label = models.CharField(_("配合列名称"), max_length=16, default=_("参加单位"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    period_start = models.DateField(_("执行期起"), null=True, blank=True)
    period_end = models.DateField(
        _("执行期止"),
        null=True,
        blank=True,
        help_text=_("执行期结束后文件转入总结评估，任务不再计入在办"),
    )
    period_note = models.CharField(
        _("执行期依据"), max_length=255, blank=True, help_text=_("原文未写明执行期时，注明推定理由")
    )
    supervising_units = models.ManyToManyField(
        "reference.Organization",
        verbose_name=_("督办单位"),
        blank=True,
        related_name="supervised_documents",
    )
    supervised_by_groups = models.BooleanField(
        _("由专项工作组督办"),
        default=False,
        help_text=_("勾选表示每项任务由其所属专项工作组的成员单位审核办结（003）"),
    )
    supervising_note = models.CharField(_("督办依据"), max_length=255, blank=True)
    is_demo = models.BooleanField(
        _("演示数据"), default=False, db_index=True, help_text=_("演示模式按加载日期生成的任务清单")
    )

    history = HistoricalRecords(m2m_fields=[supervising_units])

    # The supervising units own the document (they close it); every signed-in user reads it.
    owner_fields = ("supervising_units",)

    policy_scope = Scope.PUBLIC  # reference data: every signed-in user reads it

    class Meta:
        verbose_name = _("来源文件")
        verbose_name_plural = _("来源文件")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.short_name


class Chapter(models.Model):
    source = models.ForeignKey(
        SourceDocument,
        verbose_name=_("来源文件"),
        on_delete=models.CASCADE,
        related_name="chapters",
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=128)

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # reference data: every signed-in user reads it

    class Meta:
        verbose_name = _("章节")
        verbose_name_plural = _("章节")
        ordering = ["source__sort_order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="tasks_chapter_unique_number")
        ]

    def __str__(self) -> str:
        return f"（{_cn_number(self.number)}）{self.title}"


def _cn_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


class TaskQuerySet(models.QuerySet):
    def with_progress(self, today=None):
        """Annotate assignment counts (total, accepted, submitted, overdue) in SQL."""
        from django.db.models import Count, Q
        from django.utils import timezone

        today = today or timezone.localdate()
        accepted = Q(assignments__status=Assignment.Status.ACCEPTED)
        return self.annotate(
            n_assignments=Count("assignments", distinct=True),
            n_accepted=Count("assignments", filter=accepted, distinct=True),
            n_submitted=Count(
                "assignments",
                filter=Q(assignments__status=Assignment.Status.SUBMITTED),
                distinct=True,
            ),
            n_overdue=Count(
                "assignments",
                filter=Q(assignments__due_date__lt=today, source__status=LIVE)
                & ~Q(assignments__status__in=Assignment.NOT_DUE),
                distinct=True,
            ),
        )


class Task(models.Model):
    """One numbered task of a source document with its lead and participating units.

    ``lead_text`` / ``participating_text`` keep the document's wording (exported as is);
    the M2M fields are the organisations that wording resolves to (generic phrases such as
    各市州政府 expanded). ``deadline_text`` keeps the document's deadline wording and
    ``due_date`` is computed from it where it names a date (apps.tasks.deadlines).
    """

    source = models.ForeignKey(
        SourceDocument, verbose_name=_("来源文件"), on_delete=models.PROTECT, related_name="tasks"
    )
    chapter = models.ForeignKey(
        Chapter,
        verbose_name=_("章节"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=128, blank=True)
    content = models.TextField(_("任务内容"))
    lead_units = models.ManyToManyField(
        "reference.Organization",
        verbose_name=_("牵头单位"),
        blank=True,
        related_name="led_tasks",
    )
    participating_units = models.ManyToManyField(
        "reference.Organization",
        verbose_name=_("参加单位"),
        blank=True,
        related_name="participated_tasks",
    )
    lead_text = models.CharField(_("牵头单位（原文）"), max_length=255, blank=True)
    participating_text = models.TextField(_("参加单位（原文）"), blank=True)
    unresolved_text = models.CharField(
        _("未列明单位"),
        max_length=255,
        blank=True,
        help_text=_("原文中未逐一列明的单位，如“省有关单位”“相关市州政府”，不生成任务分解"),
    )
    working_groups = models.ManyToManyField(
        "workgroups.WorkingGroup",
        verbose_name=_("责任专项工作组"),
        blank=True,
        related_name="tasks",
    )
    deadline_text = models.CharField(_("完成时限（原文）"), max_length=128, blank=True)
    deadline_note = models.CharField(_("时限说明"), max_length=128, blank=True)
    due_date = models.DateField(_("截止日期"), null=True, blank=True, db_index=True)
    is_continuous = models.BooleanField(_("持续推进"), default=False)

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[lead_units, participating_units])

    owner_fields = ("lead_units", "participating_units")

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["source__sort_order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="tasks_task_unique_number")
        ]

    def __str__(self) -> str:
        return gettext("%(short_name)s 第%(number)s项 %(short_title)s") % {
            "short_name": self.source.short_name,
            "number": self.number,
            "short_title": self.short_title,
        }

    @property
    def short_title(self) -> str:
        text = self.title or self.content
        return text if len(text) <= 40 else text[:40] + "…"


class AssignmentQuerySet(models.QuerySet):
    def live(self):
        """Assignments of documents still 执行中: the work the live boards count."""
        return self.filter(task__source__status=LIVE).exclude(status=Assignment.Status.REASSIGNED)

    def history(self):
        """Assignments of documents in 总结评估, 已办结 or 归档: kept, searchable, not chased."""
        return self.exclude(task__source__status=LIVE)

    def overdue(self, today=None):
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.live().filter(due_date__lt=today).exclude(status__in=Assignment.NOT_DUE)

    def with_overdue_flag(self, today=None):
        """Annotate ``is_overdue`` so lists can sort overdue first in SQL."""
        from django.db.models import BooleanField, Case, Q, Value, When
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.annotate(
            is_overdue=Case(
                When(
                    Q(due_date__lt=today, task__source__status=LIVE)
                    & ~Q(status__in=Assignment.NOT_DUE),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )


class Assignment(TimeStampedModel, VersionedModel):
    """A task as one unit's piece of work: the unit of supervision (督办).

    The status moves only through apps.tasks.services (start, submit, accept, return), each
    transition recorded as an ``AssignmentEvent``. ``due_date`` is the task's due date plus
    approved extensions (in working days), or the redo limit after a return.
    """

    class Role(models.TextChoices):
        LEAD = "lead", _("牵头")
        PARTICIPATING = "participating", _("参加")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("已交办")
        IN_PROGRESS = "in_progress", _("办理中")
        SUBMITTED = "submitted", _("已报办结")
        SUPPLEMENTING = "supplementing", _("补办")
        ACCEPTED = "accepted", _("已办结")
        RETURNED = "returned", _("退回重办")
        DECLINED = "declined", _("已退单（待改派）")
        REASSIGNED = "reassigned", _("已改派")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="task_assignments",
    )
    role = models.CharField(_("分工"), max_length=16, choices=Role.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ASSIGNED, db_index=True
    )
    due_date = models.DateField(_("截止日期"), null=True, blank=True, db_index=True)
    extension_days = models.PositiveSmallIntegerField(_("已批准延期（工作日）"), default=0)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    assigned_on = models.DateField(
        _("交办日期"), null=True, blank=True, help_text=_("退单时限（1个工作日）自此日起算")
    )
    submitted_on = models.DateField(_("报办结日期"), null=True, blank=True)
    submitted_in_time = models.BooleanField(_("按时报办结"), null=True, blank=True)
    accepted_on = models.DateField(_("办结日期"), null=True, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    reassigned_to = models.ForeignKey(
        "self",
        verbose_name=_("改派至"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reassigned_from",
    )

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    owner_fields = ("unit",)
    # The task's lead units follow (view) the work of its participating units and accept or
    # return it (policy Action.SUPERVISE).
    lead_fields = ("task__lead_units",)

    @classmethod
    def supervised_by_lead_q(cls) -> Q:
        """Which assignments a task's lead unit supervises: its participating units'."""
        return Q(role=cls.Role.PARTICIPATING)

    @classmethod
    def supervisors_q(cls, user: Any) -> Q:
        """The assignments whose document ``user``'s unit supervises (policy SUPERVISE/DECIDE)."""
        return document_supervision_q(user, "task")

    class Meta:
        verbose_name = _("任务分解")
        verbose_name_plural = _("任务分解")
        ordering = ["task__source__sort_order", "task__number", "role", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="tasks_assignment_unique_unit")
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.task}｜{self.unit}"

    def is_overdue_on(self, today) -> bool:
        """Overdue is a fact of live work only: a closed document's tasks are history."""
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status not in self.NOT_DUE
            and self.task.source.status == LIVE
        )


# Statuses in which nothing is owed by the unit: never overdue, never chased.
Assignment.NOT_DUE = frozenset(
    {Assignment.Status.ACCEPTED, Assignment.Status.DECLINED, Assignment.Status.REASSIGNED}
)


class AssignmentEvent(models.Model):
    """One step of an assignment's trail: who did what, when, with what comment."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("交办")
        STARTED = "started", _("开始办理")
        PROGRESS = "progress", _("报送进展")
        SUBMITTED = "submitted", _("报办结")
        ACCEPTED = "accepted", _("审核通过")
        RETURNED = "returned", _("退回重办")
        EXTENSION_REQUESTED = "extension_requested", _("申请延期")
        EXTENSION_APPROVED = "extension_approved", _("批准延期")
        EXTENSION_REJECTED = "extension_rejected", _("不予延期")
        DECLINED = "declined", _("退单")
        REASSIGNED = "reassigned", _("改派")
        DECLINE_REFUSED = "decline_refused", _("退单不予认可")
        SUPPLEMENT = "supplement", _("责成补办")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("任务分解"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=24, choices=Kind.choices)
    from_status = models.CharField(
        _("原状态"), max_length=16, choices=Assignment.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("新状态"), max_length=16, choices=Assignment.Status.choices, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    comment = models.TextField(_("说明"), blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=16, choices=Assignment.Satisfaction.choices, blank=True
    )

    owner_fields = ("assignment__unit",)
    lead_fields = ("assignment__task__lead_units",)  # the task's lead units follow it

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.assignment} {self.get_kind_display()}"


def _attachment_path(instance: "ProgressReport", filename: str) -> str:
    return f"tasks/progress/{timezone.localdate():%Y/%m}/{filename}"


class ProgressReport(models.Model):
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("任务分解"), on_delete=models.CASCADE, related_name="reports"
    )
    text = models.TextField(_("进展情况"))
    attachment = models.FileField(_("附件"), upload_to=_attachment_path, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("报送时间"), default=timezone.now)

    history = HistoricalRecords()

    owner_fields = ("assignment__unit",)
    lead_fields = ("assignment__task__lead_units",)  # the task's lead units follow it

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.assignment} {self.reported_at:%Y-%m-%d}"

    @property
    def attachment_name(self) -> str:
        return self.attachment.name.rsplit("/", 1)[-1] if self.attachment else ""


class ExtensionRequest(models.Model):
    """延期申请: at most 10 working days in total per assignment (12345 rules, 003)."""

    MAX_TOTAL_WORKING_DAYS = 10

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("不予批准")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("任务分解"), on_delete=models.CASCADE, related_name="extensions"
    )
    working_days = models.PositiveSmallIntegerField(
        _("延期工作日"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TOTAL_WORKING_DAYS)],
    )
    reason = models.TextField(_("延期理由"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    due_date_before = models.DateField(_("原截止日期"), null=True, blank=True)
    due_date_after = models.DateField(_("延期后截止日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审批意见"), blank=True)

    history = HistoricalRecords()

    owner_fields = ("assignment__unit",)
    lead_fields = ("assignment__task__lead_units",)  # the task's lead units follow it

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return gettext("%(assignment)s 延期%(working_days)s个工作日（%(status)s）") % {
            "assignment": self.assignment,
            "working_days": self.working_days,
            "status": self.get_status_display(),
        }

    @classmethod
    def supervisors_q(cls, user: Any) -> Q:
        """Extensions are decided by the supervisors of their assignment's document (DECIDE)."""
        return document_supervision_q(user, "assignment__task")
