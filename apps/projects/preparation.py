"""What a project carries besides its record: 前期工作 milestones, 要素保障 needs (003 (七)),
its documents (001 附表2 建议书, approvals) and the 形象进度 photos of its monthly updates.

Imported by ``apps.projects.models`` so Django registers them with the ``projects`` app. Files
are served only by the policy-checked views of ``apps.projects.views`` (never from /media/).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel, VersionedModel


class MilestoneKind(models.TextChoices):
    """The 前期工作 steps of an investment project, in the order they are usually taken."""

    PROPOSAL = "proposal", "项目建议书"
    FEASIBILITY = "feasibility", "可行性研究报告"
    LAND_SITE = "land_site", "用地预审与选址意见"
    EIA = "eia", "环评"
    ENERGY = "energy", "节能审查"
    APPROVAL = "approval", "核准/备案/批复"
    PERMIT = "permit", "施工许可"


class PreparatoryMilestone(VersionedModel, TimeStampedModel):
    """One 前期工作 step of a project: when it was done, the document number and who issued it."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    kind = models.CharField("前期工作事项", max_length=16, choices=MilestoneKind.choices)
    done_on = models.DateField("办结日期", null=True, blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    issuing_body = models.CharField("出具单位", max_length=128, blank=True)
    note = models.CharField("说明", max_length=255, blank=True)

    history = HistoricalRecords()

    owner_fields = ("project__responsible_unit",)

    class Meta:
        verbose_name = "前期工作"
        verbose_name_plural = "前期工作"
        ordering = ["project", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="uniq_project_milestone")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_kind_display()}"


class FactorKind(models.TextChoices):
    """要素保障 needs (003 (七)): land, forest, grassland, energy, environment, funding."""

    LAND = "land", "用地"
    FOREST = "forest", "用林"
    GRASSLAND = "grassland", "用草"
    ENERGY = "energy", "用能"
    ENVIRONMENT = "environment", "环境容量"
    FUNDING_GAP = "funding_gap", "资金缺口"


FACTOR_UNITS: dict[str, str] = {
    FactorKind.LAND: "亩",
    FactorKind.FOREST: "亩",
    FactorKind.GRASSLAND: "亩",
    FactorKind.ENERGY: "吨标准煤",
    FactorKind.ENVIRONMENT: "",  # described in words (排放总量指标 etc.)
    FactorKind.FUNDING_GAP: "亿元",
}


class FactorStatus(models.TextChoices):
    SECURED = "secured", "已落实"
    IN_PROGRESS = "in_progress", "推进中"
    DIFFICULT = "difficult", "存在困难"


class FactorNeed(VersionedModel, TimeStampedModel):
    """A project's need of one production factor and how far it is secured."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        on_delete=models.CASCADE,
        related_name="factor_needs",
    )
    kind = models.CharField("要素", max_length=16, choices=FactorKind.choices)
    quantity = models.DecimalField(
        "需求量",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    description = models.CharField("需求说明", max_length=255, blank=True)
    status = models.CharField("保障情况", max_length=16, choices=FactorStatus.choices)
    difficulty = models.TextField("困难说明", blank=True)
    problem_ticket = models.ForeignKey(
        "problems.ProblemTicket",
        verbose_name="问题工单",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    owner_fields = ("project__responsible_unit",)

    class Meta:
        verbose_name = "要素保障"
        verbose_name_plural = "要素保障"
        ordering = ["project", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="uniq_project_factor")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_kind_display()}"

    @property
    def unit(self) -> str:
        return FACTOR_UNITS.get(self.kind, "")


class DocumentKind(models.TextChoices):
    PROPOSAL = "proposal", "项目建议书"
    APPROVAL = "approval", "审批/核准/备案文件"
    PREPARATORY = "preparatory", "前期工作文件"
    OTHER = "other", "其他"


def _document_path(instance: ProjectDocument, filename: str) -> str:
    return f"projects/{instance.project_id}/documents/{filename}"


def _photo_path(instance: UpdatePhoto, filename: str) -> str:
    return f"projects/{instance.update.project_id}/photos/{filename}"


class ProjectDocument(models.Model):
    """A file on the project: its 建议书 (001 附表2), approval documents …"""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField("文件类别", max_length=16, choices=DocumentKind.choices)
    title = models.CharField("文件名称", max_length=200)
    file = models.FileField("文件", upload_to=_document_path, max_length=255)
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveIntegerField("大小(字节)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    history = HistoricalRecords()

    owner_fields = ("project__responsible_unit",)

    class Meta:
        verbose_name = "项目文件"
        verbose_name_plural = "项目文件"
        ordering = ["project", "kind", "-uploaded_at"]

    def __str__(self) -> str:
        return self.title


class UpdatePhoto(models.Model):
    """A 形象进度 photo of a monthly update, with a thumbnail made on upload."""

    update = models.ForeignKey(
        "projects.ProjectMonthlyUpdate",
        verbose_name="月度调度",
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.FileField("照片", upload_to=_photo_path, max_length=255)
    thumbnail = models.FileField("缩略图", upload_to=_photo_path, max_length=255)
    caption = models.CharField("说明", max_length=200, blank=True)
    original_name = models.CharField("原文件名", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    history = HistoricalRecords()

    owner_fields = ("update__project__responsible_unit",)

    class Meta:
        verbose_name = "形象进度照片"
        verbose_name_plural = "形象进度照片"
        ordering = ["update", "id"]

    def __str__(self) -> str:
        return self.caption or self.original_name
