"""What happened to a project: its stage changes (003) and the steps of the library workflow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from apps.projects.models.choices import LibraryStatus, ReviewAction, Stage
from apps.projects.models.project import Project


class ProjectStageChange(models.Model):
    """A dated change of life-cycle stage (003: stages are managed and dispatched separately)."""

    project = models.ForeignKey(
        Project,
        verbose_name=gettext_lazy("项目"),
        on_delete=models.CASCADE,
        related_name="stage_changes",
    )
    from_stage = models.CharField(
        gettext_lazy("原阶段"), max_length=16, choices=Stage.choices, blank=True
    )
    to_stage = models.CharField(gettext_lazy("新阶段"), max_length=16, choices=Stage.choices)
    changed_on = models.DateField(gettext_lazy("变更日期"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(gettext_lazy("说明"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(gettext_lazy("记录时间"), auto_now_add=True)

    owner_fields = ("project__responsible_unit",)

    class Meta:
        verbose_name = gettext_lazy("阶段变更")
        verbose_name_plural = gettext_lazy("阶段变更")
        ordering = ["project", "changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.project}：{self.get_to_stage_display()}（{self.changed_on}）"


class ProjectReviewEvent(models.Model):
    """One step of the library workflow: who moved the project, when, from what to what, why."""

    project = models.ForeignKey(
        Project,
        verbose_name=gettext_lazy("项目"),
        on_delete=models.CASCADE,
        related_name="review_events",
    )
    action = models.CharField(gettext_lazy("操作"), max_length=16, choices=ReviewAction.choices)
    from_status = models.CharField(
        gettext_lazy("原状态"), max_length=16, choices=LibraryStatus.choices
    )
    to_status = models.CharField(
        gettext_lazy("新状态"), max_length=16, choices=LibraryStatus.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("操作人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="project_review_events",
    )
    at = models.DateTimeField(gettext_lazy("时间"))
    comment = models.TextField(gettext_lazy("意见"), blank=True)

    owner_fields = ("project__responsible_unit",)

    class Meta:
        verbose_name = gettext_lazy("审核记录")
        verbose_name_plural = gettext_lazy("审核记录")
        ordering = ["project", "at", "id"]
        indexes = [models.Index(fields=["project", "at"])]

    def __str__(self) -> str:
        return f"{self.project}：{self.get_action_display()}"
