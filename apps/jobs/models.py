"""Tracked background work: imports, exports and the scheduled jobs, with progress and outcome.

Every run is a row, so a failure is visible (and filterable) in the admin, and a user's long
import or export has a page that shows its progress and, at the end, the file or the errors.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.scopes import Scope


class JobRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        # The broker (Redis) was unreachable when the job was queued: the reaper queues it
        # again once the broker is back (beat every few minutes, or run_due_jobs).
        DELAYED = "delayed", _("等待后台服务")
        RUNNING = "running", _("运行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("作业类型"), max_length=64, db_index=True)
    label = models.CharField(_("说明"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress_done = models.PositiveIntegerField(_("已处理"), default=0)
    progress_total = models.PositiveIntegerField(_("总数"), null=True, blank=True)
    message = models.CharField(_("进度说明"), max_length=500, blank=True)
    result = models.JSONField(_("结果统计"), default=dict, blank=True)
    task_name = models.CharField(_("任务"), max_length=200, blank=True)  # the kind's Celery task
    kwargs = models.JSONField(_("参数"), default=dict, blank=True)
    input_file = models.FileField(_("上传文件"), upload_to="jobs/input/%Y/%m/", blank=True)
    result_file = models.FileField(_("结果文件"), upload_to="jobs/results/%Y/%m/", blank=True)
    result_name = models.CharField(_("结果文件名"), max_length=200, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    error_report = models.JSONField(
        _("错误报告"), default=list, blank=True, help_text=_("导入问题清单：行、列、说明")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="job_runs",
    )
    task_id = models.CharField(_("任务ID"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(
        _("运行次数"), default=0, help_text=_("开始运行的次数；后台进程中断后可自动重试一次")
    )
    retry_safe = models.BooleanField(
        _("可安全重试"),
        default=False,
        help_text=_("全部成功或全部不变的导入、只读的导出：中断后重新运行不会重复生效"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    # A user's own jobs: only they (and administrators) reach them.
    policy_scope = Scope.PERSONAL
    owner_user_field = "user"

    class Meta:
        verbose_name = _("后台作业")
        verbose_name_plural = _("后台作业")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.label or self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return None
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def input_name(self) -> str:
        return self.input_file.name.rsplit("/", 1)[-1] if self.input_file else ""
