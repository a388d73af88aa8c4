"""Notifications (the inbox), every delivery attempt, and the record of reminders sent.

These are append-only logs written by the system, not business records users edit, so they
carry no simple-history trail: the rows themselves are the audit trail.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.scopes import Scope


class Kind(models.TextChoices):
    """What a notification or a reminder is about."""

    PROJECT_UPDATE_DUE = "project_update_due", _("项目月度调度提醒")
    PROJECT_UPDATE_LAST_CALL = "project_update_last_call", _("项目月度调度再次提醒")
    CONTRACT_REPORT_DUE = "contract_report_due", _("签约项目月报提醒")
    CONTRACT_REPORT_LAST_CALL = "contract_report_last_call", _("签约项目月报再次提醒")
    PROJECT_OVERDUE_DIGEST = "project_overdue_digest", _("项目调度逾期单位清单")
    CONTRACT_OVERDUE_DIGEST = "contract_overdue_digest", _("签约项目月报逾期单位清单")
    TASK_OVERDUE = "task_overdue", _("任务逾期督办")
    CAMPAIGN_DEADLINE = "campaign_deadline", _("谋划行动节点提醒")
    JOB_FINISHED = "job_finished", _("后台作业完成")
    GENERAL = "general", _("通知")
    # Events (sent as they happen, once per event and recipient)
    PROJECT_SUBMITTED = "project_submitted", _("项目提交审核")
    PROJECT_REVIEWED = "project_reviewed", _("项目审核结果")
    ASSIGNMENT = "assignment", _("任务交办与办理")
    PROBLEM = "problem", _("问题协调")
    URGE = "urge", _("催办")


class Category(models.TextChoices):
    """What a user may mute: kinds grouped the way people think of them."""

    REMINDERS = "reminders", _("月报提醒与催办")
    PROJECTS = "projects", _("项目审核")
    TASKS = "tasks", _("任务督办")
    PROBLEMS = "problems", _("问题协调")
    JOBS = "jobs", _("后台作业")
    GENERAL = "general", _("其他通知")


KIND_CATEGORY: dict[str, str] = {
    Kind.PROJECT_UPDATE_DUE: Category.REMINDERS,
    Kind.PROJECT_UPDATE_LAST_CALL: Category.REMINDERS,
    Kind.CONTRACT_REPORT_DUE: Category.REMINDERS,
    Kind.CONTRACT_REPORT_LAST_CALL: Category.REMINDERS,
    Kind.PROJECT_OVERDUE_DIGEST: Category.REMINDERS,
    Kind.CONTRACT_OVERDUE_DIGEST: Category.REMINDERS,
    Kind.URGE: Category.REMINDERS,
    Kind.TASK_OVERDUE: Category.TASKS,
    Kind.ASSIGNMENT: Category.TASKS,
    Kind.PROJECT_SUBMITTED: Category.PROJECTS,
    Kind.PROJECT_REVIEWED: Category.PROJECTS,
    Kind.PROBLEM: Category.PROBLEMS,
    Kind.JOB_FINISHED: Category.JOBS,
    Kind.GENERAL: Category.GENERAL,
}

# The channels a user may mute per category. Official chasing (月报提醒, 催办, 督办) always
# reaches the inbox; only its e-mail copy can be turned off. The group robot belongs to the
# unit, not to a user, and is configured on the unit's page.
MUTABLE_CHANNELS: dict[str, tuple[str, ...]] = {
    Category.REMINDERS: ("email",),
    Category.PROJECTS: ("inbox", "email"),
    Category.TASKS: ("email",),
    Category.PROBLEMS: ("inbox", "email"),
    Category.JOBS: ("inbox", "email"),
    Category.GENERAL: ("inbox", "email"),
}


def category_of(kind: str) -> str:
    return KIND_CATEGORY.get(kind, Category.GENERAL)


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user)


class Notification(models.Model):
    """One message to one user (their inbox, and email), or to a unit's group robot.

    A notification with a recipient is an inbox item; one without a recipient is addressed to
    the organisation's group chat (WeCom/DingTalk robot) and only travels by webhook.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    organization = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("相关单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    reminder = models.ForeignKey(
        "notifications.ReminderRecord",
        verbose_name=_("所属提醒"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    dedupe_key = models.CharField(
        _("去重键"),
        max_length=120,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("事件通知：事件与接收人，数据库保证同一事件不会重复通知同一人"),
    )

    objects = NotificationQuerySet.as_manager()

    # The inbox is personal: a notification reaches its recipient only (and administrators).
    policy_scope = Scope.PERSONAL
    owner_user_field = "recipient"

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def long_body(self) -> bool:
        """More than the three lines the inbox shows before "展开"."""
        return self.body.count("\n") >= 3 or len(self.body) > 240

    @property
    def audience(self) -> str:
        if self.recipient_id:
            return str(self.recipient)
        return f"{self.organization}（群机器人）" if self.organization_id else "—"


class Delivery(models.Model):
    """One attempt to deliver a notification through one channel (every attempt is a row)."""

    class Status(models.TextChoices):
        SENT = "sent", _("已送达")
        FAILED = "failed", _("失败，将重试")
        GAVE_UP = "gave_up", _("失败，已放弃")

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=16)
    attempt = models.PositiveSmallIntegerField(_("第几次尝试"), default=1)
    status = models.CharField(_("结果"), max_length=16, choices=Status.choices)
    target = models.CharField(_("发送目标"), max_length=255, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    task_id = models.CharField(_("任务ID"), max_length=64, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel", "attempt"], name="delivery_one_row_per_attempt"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.attempt} {self.get_status_display()}"


class ReminderRecord(models.Model):
    """What was sent: at most one reminder per unit, kind and period, enforced by the database.

    Inserted (get_or_create) inside the transaction that creates the notifications and before
    any delivery is queued, so two workers running the same job cannot both send it.
    """

    organization = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="reminder_records",
    )
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    period = models.DateField(
        _("所属期"), help_text=_("月报提醒为所属月份（当月1日）；任务督办为督办所在周的周一")
    )
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("接收人数"), default=0)
    detail = models.JSONField(_("明细"), default=dict, blank=True)

    owner_fields = ("organization",)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["-period", "kind", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "period"], name="one_reminder_per_unit_kind_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()} · {self.period:%Y-%m}"


class Mute(models.Model):
    """A user's choice not to be alerted for a category on a channel (the profile page)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_mutes",
    )
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    channel = models.CharField(_("渠道"), max_length=16)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("免打扰设置")
        verbose_name_plural = _("免打扰设置")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category", "channel"], name="notifications_one_mute_per_choice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_category_display()} · {self.channel}"


class Urge(models.Model):
    """催办: a coordinator or reviewer urges a late unit — at most once per unit, subject and
    day (the database refuses a second row), audited, and counted in the unit's timeliness."""

    class Subject(models.TextChoices):
        PROJECTS = "projects", _("项目月度调度")
        CONTRACTS = "contracts", _("签约项目月报")

    organization = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("被催办单位"),
        on_delete=models.PROTECT,
        related_name="urges",
    )
    subject = models.CharField(_("催办事项"), max_length=16, choices=Subject.choices)
    period = models.DateField(_("所属月份"), help_text=_("所催报告的月份（当月1日）"))
    fair = models.ForeignKey(
        "contracts.Fair",
        verbose_name=_("签约台账"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on = models.DateField(_("催办日期"), default=timezone.localdate)
    urged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("催办人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    missing = models.PositiveIntegerField(_("未报项目数"), default=0)
    recipients = models.PositiveIntegerField(_("通知人数"), default=0)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    history = HistoricalRecords()

    owner_fields = ("organization",)

    class Meta:
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")
        ordering = ["-on", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "subject", "on"], name="notifications_one_urge_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} 催办 {self.organization}（{self.get_subject_display()}）"
