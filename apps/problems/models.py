"""Problem coordination (问题协调): a 困难问题 reported on a project or a contract as a ticket.

A ticket is routed to the responsible department of its category (``CategoryRoute``, data the
administrator edits) and to the working group of the project's domain (003 四(二): the groups
collect and solve the problems of their projects), with a deadline in working days. It moves
only through ``apps.problems.services`` (each step a ``ProblemEvent``):

    待受理 ──受理──▶ 办理中 ──答复──▶ 已答复 ──确认解决──▶ 已解决
       │                │                 └──仍未解决──▶ 办理中
       └──── 逾期 ──────┴──▶ 升级（报专项工作组组长）──答复──▶ 已答复
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel, VersionedModel
from apps.core.scopes import Scope


class Category(models.TextChoices):
    LAND = "land", _("用地")
    FOREST = "forest", _("用林")
    GRASSLAND = "grassland", _("用草")
    ENERGY = "energy", _("用能")
    ENVIRONMENT = "environment", _("环评")
    FUNDING = "funding", _("资金")
    APPROVAL = "approval", _("审批手续")
    UTILITIES = "utilities", _("水电路讯")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    PENDING = "pending", _("待受理")
    IN_PROGRESS = "in_progress", _("办理中")
    ANSWERED = "answered", _("已答复")
    RESOLVED = "resolved", _("已解决")
    ESCALATED = "escalated", _("升级")


OPEN_STATUSES = (Status.PENDING, Status.IN_PROGRESS, Status.ESCALATED)


class CategoryRoute(models.Model):
    """Which department handles a category, and in how many working days (admin data)."""

    category = models.CharField(_("问题类别"), max_length=16, choices=Category.choices, unique=True)
    department = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("责任部门"),
        on_delete=models.PROTECT,
        related_name="problem_routes",
    )
    working_days = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # routing rules are reference data (administrators edit them)

    class Meta:
        verbose_name = _("问题分办规则")
        verbose_name_plural = _("问题分办规则")
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.department}"


class ProblemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status__in=(Status.PENDING, Status.IN_PROGRESS), deadline__lt=today)


class ProblemTicket(TimeStampedModel, VersionedModel):
    """One difficulty to be solved, owned by the unit that reported it and the department
    that handles it (both may see it; each acts on its own steps)."""

    category = models.CharField(_("问题类别"), max_length=16, choices=Category.choices)
    title = models.CharField(_("问题摘要"), max_length=200)
    description = models.TextField(_("问题描述"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reporting_unit = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("报告单位"),
        on_delete=models.PROTECT,
        related_name="problems_reported",
    )
    responsible_department = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("责任部门"),
        on_delete=models.PROTECT,
        related_name="problems_handled",
    )
    working_group = models.ForeignKey(
        "workgroups.WorkingGroup",
        verbose_name=_("专项工作组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("签约项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    monthly_update = models.ForeignKey(
        "projects.ProjectMonthlyUpdate",
        verbose_name=_("来源：月度调度"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problem_tickets",
    )
    contract_report = models.ForeignKey(
        "contracts.ContractReport",
        verbose_name=_("来源：签约项目月报"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problem_tickets",
    )
    source_note = models.CharField(
        _("来源说明"), max_length=64, blank=True, help_text=_("如 月度调度、签约项目月报、要素保障")
    )
    opened_on = models.DateField(_("提出日期"), default=timezone.localdate)
    deadline = models.DateField(_("办理时限"), db_index=True)
    answer = models.TextField(_("答复意见"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)

    objects = ProblemQuerySet.as_manager()
    history = HistoricalRecords()

    owner_fields = ("reporting_unit", "responsible_department")

    class Meta:
        verbose_name = _("问题工单")
        verbose_name_plural = _("问题工单")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            # A report's problem becomes at most one ticket per category (re-saving the
            # report, or clicking twice, does not open a second one).
            models.UniqueConstraint(
                fields=["monthly_update", "category"],
                condition=Q(monthly_update__isnull=False),
                name="problems_one_ticket_per_update_category",
            ),
            models.UniqueConstraint(
                fields=["contract_report", "category"],
                condition=Q(contract_report__isnull=False),
                name="problems_one_ticket_per_report_category",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def subject(self):
        return self.project or self.contract

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue_on(self, today) -> bool:
        return self.status in (Status.PENDING, Status.IN_PROGRESS) and self.deadline < today


class ProblemEvent(models.Model):
    """One step of a ticket's trail: who did what, when, with what comment."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("提出并分办")
        ACCEPTED = "accepted", _("受理")
        ANSWERED = "answered", _("答复")
        RESOLVED = "resolved", _("确认解决")
        REOPENED = "reopened", _("仍未解决，继续办理")
        ESCALATED = "escalated", _("逾期升级")

    ticket = models.ForeignKey(
        ProblemTicket, verbose_name=_("问题工单"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=16, choices=Kind.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Status.choices)
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

    owner_fields = ("ticket__reporting_unit", "ticket__responsible_department")

    class Meta:
        verbose_name = _("问题办理记录")
        verbose_name_plural = _("问题办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket} {self.get_kind_display()}"
