"""Dated snapshots for the dashboards' trends: written once per day by the nightly job, never
rewritten. Each row is unique per (date, dimensions); a date already stored is left as it is.

The dashboards themselves (pages) come later; these tables are what their trend charts read.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 4}
RATE = {"max_digits": 9, "decimal_places": 4, "null": True, "blank": True}


class ContractRateSnapshot(models.Model):
    """履约率, 开工率, 资金到位率 of one fair on one date: the whole fair, per unit, per 市州."""

    class Scope(models.TextChoices):
        FAIR = "fair", _("全部")
        UNIT = "unit", _("责任单位")
        REGION = "region", _("市州")

    date = models.DateField(_("快照日期"), db_index=True)
    period = models.DateField(_("数据截至月份"), help_text=_("按该月及以前的月报计算"))
    fair = models.ForeignKey(
        "contracts.Fair", verbose_name=_("招商活动"), on_delete=models.PROTECT, related_name="+"
    )
    scope = models.CharField(_("口径"), max_length=8, choices=Scope.choices)
    unit = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("市州"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("按市州口径时为空表示省直及未明确地区"),
    )
    contracts = models.PositiveIntegerField(_("项目数"))
    reported = models.PositiveIntegerField(_("已报送数"))
    performing = models.PositiveIntegerField(_("履约数"))
    started = models.PositiveIntegerField(_("开工数"))
    total_investment = models.DecimalField(_("签约总投资(亿元)"), **MONEY)
    funds_arrived = models.DecimalField(_("到位资金(亿元)"), **MONEY)
    fulfillment_rate = models.DecimalField(_("履约率"), **RATE)
    start_rate = models.DecimalField(_("开工率"), **RATE)
    funding_rate = models.DecimalField(_("资金到位率"), **RATE)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("签约项目三率快照")
        verbose_name_plural = _("签约项目三率快照")
        ordering = ["-date", "fair", "scope", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "fair"], condition=Q(scope="fair"), name="rate_snap_fair"
            ),
            models.UniqueConstraint(
                fields=["date", "fair", "unit"], condition=Q(scope="unit"), name="rate_snap_unit"
            ),
            models.UniqueConstraint(
                fields=["date", "fair", "region"],
                condition=Q(scope="region", region__isnull=False),
                name="rate_snap_region",
            ),
            models.UniqueConstraint(
                fields=["date", "fair"],
                condition=Q(scope="region", region__isnull=True),
                name="rate_snap_region_none",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.fair_id} {self.scope}"


class LibrarySnapshot(models.Model):
    """The library per 市州 × tier × sector: totals and 投资完成率 of the year."""

    date = models.DateField(_("快照日期"), db_index=True)
    period = models.DateField(_("数据截至月份"))
    year = models.PositiveSmallIntegerField(_("年度"))
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("市州"), on_delete=models.PROTECT, related_name="+"
    )
    tier = models.CharField(_("项目层级"), max_length=16)
    sector = models.ForeignKey(
        "reference.Sector", verbose_name=_("行业领域"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("项目数"))
    total_investment = models.DecimalField(_("总投资(亿元)"), **MONEY)
    planned = models.DecimalField(_("年度计划投资(亿元)"), **MONEY)
    completed = models.DecimalField(_("年度完成投资(亿元)"), **MONEY)
    completion_rate = models.DecimalField(_("投资完成率"), **RATE)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("项目库快照")
        verbose_name_plural = _("项目库快照")
        ordering = ["-date", "region", "tier", "sector"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "region", "tier", "sector"], name="library_snap_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.region_id}/{self.tier}/{self.sector_id}"


class IndicatorStatusSnapshot(models.Model):
    """Each 十四五 measure's monitored value and status (for the monitored year) on a date."""

    date = models.DateField(_("快照日期"), db_index=True)
    measure = models.ForeignKey(
        "indicators.Measure", verbose_name=_("监测项"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("监测年份"))
    value = models.DecimalField(_("监测值"), max_digits=20, decimal_places=4, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("指标状态快照")
        verbose_name_plural = _("指标状态快照")
        ordering = ["-date", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["date", "measure"], name="indicator_snap_measure")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.measure_id} {self.status}"


class TaskStatusSnapshot(models.Model):
    """Task assignments per source document and status on a date, with how many were overdue."""

    date = models.DateField(_("快照日期"), db_index=True)
    source = models.ForeignKey(
        "tasks.SourceDocument",
        verbose_name=_("来源文件"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=16)
    count = models.PositiveIntegerField(_("任务分解数"))
    overdue = models.PositiveIntegerField(_("其中逾期"))
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("任务状态快照")
        verbose_name_plural = _("任务状态快照")
        ordering = ["-date", "source", "status"]
        constraints = [
            models.UniqueConstraint(fields=["date", "source", "status"], name="task_snap_status")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.source_id} {self.status}"


class SnapshotDate(models.Model):
    """Which tables were stored for which date (also when a table had no rows that day), so a
    date is taken exactly once; inserted in the same transaction as the rows."""

    date = models.DateField(_("快照日期"))
    table = models.CharField(_("快照表"), max_length=32)
    rows = models.PositiveIntegerField(_("行数"))
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("快照记录")
        verbose_name_plural = _("快照记录")
        ordering = ["-date", "table"]
        constraints = [models.UniqueConstraint(fields=["date", "table"], name="snapshot_date_once")]

    def __str__(self) -> str:
        return f"{self.date} {self.table}（{self.rows}行）"
