"""What a project carries besides its record: 前期工作 milestones, 要素保障 needs (003 (七)),
its documents (001 附表2 建议书, approvals) and the 形象进度 photos of its monthly updates.

Re-exported by ``apps.projects.models`` (the package) like every model of the app. Files
are served only by the policy-checked views of ``apps.projects.views`` (never from /media/).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel, VersionedModel


class MilestoneKind(models.TextChoices):
    """The 前期工作 steps of an investment project, in the order they are usually taken."""

    PROPOSAL = "proposal", _("项目建议书")
    FEASIBILITY = "feasibility", _("可行性研究报告")
    LAND_SITE = "land_site", _("用地预审与选址意见")
    EIA = "eia", _("环评")
    ENERGY = "energy", _("节能审查")
    APPROVAL = "approval", _("核准/备案/批复")
    PERMIT = "permit", _("施工许可")


class PreparatoryMilestone(VersionedModel, TimeStampedModel):
    """One 前期工作 step of a project: when it was done, the document number and who issued it."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    kind = models.CharField(_("前期工作事项"), max_length=16, choices=MilestoneKind.choices)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issuing_body = models.CharField(_("出具单位"), max_length=128, blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    history = HistoricalRecords()

    owner_fields = ("project__responsible_unit",)

    class Meta:
        verbose_name = _("前期工作")
        verbose_name_plural = _("前期工作")
        ordering = ["project", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="uniq_project_milestone")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_kind_display()}"


class FactorKind(models.TextChoices):
    """要素保障 needs (003 (七)): land, forest, grassland, energy, environment, funding."""

    LAND = "land", _("用地")
    FOREST = "forest", _("用林")
    GRASSLAND = "grassland", _("用草")
    ENERGY = "energy", _("用能")
    ENVIRONMENT = "environment", _("环境容量")
    FUNDING_GAP = "funding_gap", _("资金缺口")


FACTOR_UNITS: dict[str, str] = {
    FactorKind.LAND: _("亩"),
    FactorKind.FOREST: _("亩"),
    FactorKind.GRASSLAND: _("亩"),
    FactorKind.ENERGY: _("吨标准煤"),
    FactorKind.ENVIRONMENT: "",  # described in words (排放总量指标 etc.)
    FactorKind.FUNDING_GAP: _("亿元"),
}


class FactorStatus(models.TextChoices):
    SECURED = "secured", _("已落实")
    IN_PROGRESS = "in_progress", _("推进中")
    DIFFICULT = "difficult", _("存在困难")


class FactorNeed(VersionedModel, TimeStampedModel):
    """A project's need of one production factor and how far it is secured."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="factor_needs",
    )
    kind = models.CharField(_("要素"), max_length=16, choices=FactorKind.choices)
    quantity = models.DecimalField(
        _("需求量"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    description = models.CharField(_("需求说明"), max_length=255, blank=True)
    status = models.CharField(_("保障情况"), max_length=16, choices=FactorStatus.choices)
    difficulty = models.TextField(_("困难说明"), blank=True)
    problem_ticket = models.ForeignKey(
        "problems.ProblemTicket",
        verbose_name=_("问题工单"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    owner_fields = ("project__responsible_unit",)

    class Meta:
        verbose_name = _("要素保障")
        verbose_name_plural = _("要素保障")
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
    PROPOSAL = "proposal", _("项目建议书")
    APPROVAL = "approval", _("审批/核准/备案文件")
    PREPARATORY = "preparatory", _("前期工作文件")
    OTHER = "other", _("其他")


def _document_path(instance: ProjectDocument, filename: str) -> str:
    return f"projects/{instance.project_id}/documents/{filename}"


def _photo_path(instance: UpdatePhoto, filename: str) -> str:
    return f"projects/{instance.update.project_id}/photos/{filename}"


class ProjectDocument(models.Model):
    """A file on the project: its 建议书 (001 附表2), approval documents …"""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("文件类别"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("文件名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=_document_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小(字节)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = HistoricalRecords()

    owner_fields = ("project__responsible_unit",)

    class Meta:
        verbose_name = _("项目文件")
        verbose_name_plural = _("项目文件")
        ordering = ["project", "kind", "-uploaded_at"]

    def __str__(self) -> str:
        return self.title


class UpdatePhoto(models.Model):
    """A 形象进度 photo of a monthly update, with a thumbnail made on upload."""

    update = models.ForeignKey(
        "projects.ProjectMonthlyUpdate",
        verbose_name=_("月度调度"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.FileField(_("照片"), upload_to=_photo_path, max_length=255)
    thumbnail = models.FileField(_("缩略图"), upload_to=_photo_path, max_length=255)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = HistoricalRecords()

    owner_fields = ("update__project__responsible_unit",)

    class Meta:
        verbose_name = _("形象进度照片")
        verbose_name_plural = _("形象进度照片")
        ordering = ["update", "id"]

    def __str__(self) -> str:
        return self.caption or self.original_name
