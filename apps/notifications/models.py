"""Notifications (the inbox), every delivery attempt, and the record of reminders sent.

These are append-only logs written by the system, not business records users edit, so they
carry no simple-history trail: the rows themselves are the audit trail.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    """What a notification or a reminder is about."""

    PROJECT_UPDATE_DUE = "project_update_due", "项目月度调度提醒"
    PROJECT_UPDATE_LAST_CALL = "project_update_last_call", "项目月度调度再次提醒"
    CONTRACT_REPORT_DUE = "contract_report_due", "签约项目月报提醒"
    CONTRACT_REPORT_LAST_CALL = "contract_report_last_call", "签约项目月报再次提醒"
    PROJECT_OVERDUE_DIGEST = "project_overdue_digest", "项目调度逾期单位清单"
    CONTRACT_OVERDUE_DIGEST = "contract_overdue_digest", "签约项目月报逾期单位清单"
    TASK_OVERDUE = "task_overdue", "任务逾期督办"
    JOB_FINISHED = "job_finished", "后台作业完成"
    GENERAL = "general", "通知"


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
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    organization = models.ForeignKey(
        "reference.Organization",
        verbose_name="相关单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    kind = models.CharField("类别", max_length=32, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    reminder = models.ForeignKey(
        "notifications.ReminderRecord",
        verbose_name="所属提醒",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    owner_fields = ("organization",)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

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
        SENT = "sent", "已送达"
        FAILED = "failed", "失败，将重试"
        GAVE_UP = "gave_up", "失败，已放弃"

    notification = models.ForeignKey(
        Notification, verbose_name="通知", on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField("渠道", max_length=16)
    attempt = models.PositiveSmallIntegerField("第几次尝试", default=1)
    status = models.CharField("结果", max_length=16, choices=Status.choices)
    target = models.CharField("发送目标", max_length=255, blank=True)
    error = models.TextField("错误信息", blank=True)
    task_id = models.CharField("任务ID", max_length=64, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "投递记录"
        verbose_name_plural = "投递记录"
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
        verbose_name="单位",
        on_delete=models.PROTECT,
        related_name="reminder_records",
    )
    kind = models.CharField("类别", max_length=32, choices=Kind.choices)
    period = models.DateField(
        "所属期", help_text="月报提醒为所属月份（当月1日）；任务督办为督办所在周的周一"
    )
    sent_at = models.DateTimeField("发送时间", default=timezone.now)
    recipients = models.PositiveIntegerField("接收人数", default=0)
    detail = models.JSONField("明细", default=dict, blank=True)

    owner_fields = ("organization",)

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        ordering = ["-period", "kind", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "period"], name="one_reminder_per_unit_kind_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()} · {self.period:%Y-%m}"
