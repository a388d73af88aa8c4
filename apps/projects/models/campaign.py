"""A planning campaign (谋划行动, seed 001) with its batches, milestones and targets as data;
``apps.projects.campaigns`` reads them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import dateformat
from django.utils.translation import gettext, gettext_lazy
from simple_history.models import HistoricalRecords

from apps.core.scopes import Scope
from apps.projects.models.choices import Tier
from apps.projects.models.fields import money


class Campaign(models.Model):
    """A planning campaign (e.g. 001's 项目谋划攻坚专项行动, one per year) whose targets,
    batches, milestones and rules are data (apps.projects.campaigns reads them)."""

    class LatePolicy(models.TextChoices):
        NEXT_BATCH = "next_batch", gettext_lazy("转入下一批次")
        REFUSE = "refuse", gettext_lazy("不予受理")

    name = models.CharField(gettext_lazy("名称"), max_length=128, unique=True)
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    year_basis = models.CharField(
        gettext_lazy("年度依据"),
        max_length=255,
        blank=True,
        help_text=gettext_lazy("原文未写年度时填写推定理由（页面上标注“推定”）"),
    )
    source = models.CharField(gettext_lazy("依据文件"), max_length=255, blank=True)
    note = models.TextField(gettext_lazy("说明"), blank=True)
    total_goal = money(gettext_lazy("谋划储备总目标(亿元)"), null=True, blank=True)
    total_goal_wording = models.CharField(gettext_lazy("总目标原文"), max_length=128, blank=True)
    late_policy = models.CharField(
        gettext_lazy("逾期提出的项目"),
        max_length=16,
        choices=LatePolicy.choices,
        default=LatePolicy.NEXT_BATCH,
        help_text=gettext_lazy("批次谋划提出截止后提交的项目转入下一批次，或不予受理"),
    )
    reminder_days = models.PositiveSmallIntegerField(
        gettext_lazy("提前提醒天数"),
        default=7,
        help_text=gettext_lazy("每个节点截止前多少天提醒相关单位"),
    )
    is_demo = models.BooleanField(gettext_lazy("演示数据"), default=False, db_index=True)

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # reference data: every signed-in user reads it

    class Meta:
        verbose_name = gettext_lazy("谋划行动")
        verbose_name_plural = gettext_lazy("谋划行动")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


class CampaignBatch(models.Model):
    """A batch of a campaign with its three deadlines (001: 谋划提出 / 筛选论证 / 入库)."""

    class Number(models.IntegerChoices):
        FIRST = 1, gettext_lazy("第一批")
        SECOND = 2, gettext_lazy("第二批")
        THIRD = 3, gettext_lazy("第三批")

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=gettext_lazy("谋划行动"),
        on_delete=models.CASCADE,
        related_name="batches",
    )
    number = models.PositiveSmallIntegerField(gettext_lazy("批次"), choices=Number.choices)
    proposal_deadline = models.DateField(gettext_lazy("谋划提出截止"))
    screening_deadline = models.DateField(gettext_lazy("筛选论证截止"))
    library_deadline = models.DateField(gettext_lazy("入库截止"))

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # reference data: every signed-in user reads it

    class Meta:
        verbose_name = gettext_lazy("批次")
        verbose_name_plural = gettext_lazy("批次")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="uniq_campaign_batch")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.get_number_display()}"


class CampaignMilestone(models.Model):
    """A dated step of a campaign other than the batch deadlines (001: 1/20 方案, 1/31 专班,
    6/30 总结报告)."""

    class Kind(models.TextChoices):
        PLAN = "plan", gettext_lazy("研究制定行动方案")
        TASK_FORCE = "task_force", gettext_lazy("组建工作专班")
        SUMMARY = "summary", gettext_lazy("形成工作总结报告")
        OTHER = "other", gettext_lazy("其他")

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=gettext_lazy("谋划行动"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    kind = models.CharField(gettext_lazy("节点"), max_length=16, choices=Kind.choices)
    due_on = models.DateField(gettext_lazy("完成时间"))
    wording = models.CharField(gettext_lazy("原文表述"), max_length=255, blank=True)
    audience = models.CharField(
        gettext_lazy("责任主体"),
        max_length=128,
        blank=True,
        help_text=gettext_lazy("如 省级各行业部门、各地区"),
    )

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # a campaign's calendar: every signed-in user reads it

    class Meta:
        verbose_name = gettext_lazy("行动节点")
        verbose_name_plural = gettext_lazy("行动节点")
        ordering = ["campaign", "due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind", "due_on"], name="uniq_campaign_milestone"
            )
        ]

    def __str__(self) -> str:
        return gettext("%(campaign)s %(kind)s（%(due_on)s前）") % {
            "campaign": self.campaign,
            "kind": self.get_kind_display(),
            "due_on": dateformat.format(self.due_on, gettext("m月d日")),
        }


class Target(models.Model):
    """One 谋划目标 of a campaign in 亿元: for a 市州, a sector, or a tier."""

    class Dimension(models.TextChoices):
        REGION = "region", gettext_lazy("地区")
        SECTOR = "sector", gettext_lazy("行业")
        TIER = "tier", gettext_lazy("层级")

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=gettext_lazy("谋划行动"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    dimension = models.CharField(gettext_lazy("维度"), max_length=16, choices=Dimension.choices)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=gettext_lazy("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sector = models.ForeignKey(
        "reference.Sector",
        verbose_name=gettext_lazy("行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tier = models.CharField(gettext_lazy("层级"), max_length=16, choices=Tier.choices, blank=True)
    amount = money(gettext_lazy("目标投资(亿元)"))
    per_region = models.BooleanField(
        gettext_lazy("每个地区"),
        default=False,
        help_text=gettext_lazy("层级目标按每个市州/每个县计（如“市州级千亿”），而非合计。"),
    )
    wording = models.CharField(gettext_lazy("原文表述"), max_length=128, blank=True)

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # reference data: every signed-in user reads it

    class Meta:
        verbose_name = gettext_lazy("谋划目标")
        verbose_name_plural = gettext_lazy("谋划目标")
        ordering = ["campaign", "dimension", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "region"],
                condition=Q(dimension="region"),
                name="uniq_target_region",
            ),
            models.UniqueConstraint(
                fields=["campaign", "sector"],
                condition=Q(dimension="sector"),
                name="uniq_target_sector",
            ),
            models.UniqueConstraint(
                fields=["campaign", "tier"],
                condition=Q(dimension="tier"),
                name="uniq_target_tier",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(campaign)s · %(subject_label)s：%(amount)s 亿元") % {
            "campaign": self.campaign,
            "subject_label": self.subject_label,
            "amount": self.amount,
        }

    @property
    def subject_label(self) -> str:
        if self.dimension == self.Dimension.REGION:
            return str(self.region)
        if self.dimension == self.Dimension.SECTOR:
            return str(self.sector)
        return self.get_tier_display()

    def clean(self) -> None:
        expected = {
            self.Dimension.REGION: ("region", self.region_id),
            self.Dimension.SECTOR: ("sector", self.sector_id),
            self.Dimension.TIER: ("tier", self.tier),
        }
        field, value = expected.get(self.dimension, (None, None))
        if field and not value:
            raise ValidationError({field: gettext("请按所选维度填写对应的地区、行业或层级。")})
        if (
            self.dimension == self.Dimension.REGION
            and self.region_id
            and self.region.level != "prefecture"
        ):
            raise ValidationError({"region": gettext("地区目标按市州设定。")})
