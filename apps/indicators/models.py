"""十四五 indicators (004 青政办〔2021〕29号): indicators, their measures and yearly values.

An indicator line of 004 may state several targets ("森林覆盖率达到8.0％，草原综合植被盖度达到
58.5％"); each target is a Measure and is monitored on its own. Yearly values are entered by
the staff of the indicator's lead units (牵头单位); participating units (参加单位) may view.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel, VersionedModel
from apps.indicators.choices import (
    CHAPTER_CHOICES,
    PLAN_END_YEAR,
    PLAN_START_YEAR,
    Direction,
    Kind,
    Level,
    Status,
)

AMOUNT = {"max_digits": 14, "decimal_places": 4}


class Indicator(models.Model):
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices)
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("指标内容"), help_text=_("004 的原文"))
    kind = models.CharField(
        _("指标属性"),
        max_length=16,
        choices=Kind.choices,
        blank=True,
        help_text=_("二级指标 004 未标注"),
    )
    chapter = models.PositiveSmallIntegerField(
        _("归口章节"),
        choices=CHAPTER_CHOICES,
        null=True,
        blank=True,
        help_text=_("004 未给指标分章；按任务章节归口，便于分组查看"),
    )
    lead_units = models.ManyToManyField(
        "reference.Organization",
        through="indicators.IndicatorLeadUnit",
        related_name="led_indicators",
        verbose_name=_("牵头单位"),
    )
    participating_units = models.ManyToManyField(
        "reference.Organization",
        through="indicators.IndicatorParticipatingUnit",
        related_name="participated_indicators",
        verbose_name=_("参加单位"),
        blank=True,
    )
    lead_groups = models.JSONField(
        _("牵头单位（统称）"), default=list, blank=True, help_text=_("如“各市州政府”，已展开为单位")
    )
    participating_groups = models.JSONField(
        _("参加单位（统称）"),
        default=list,
        blank=True,
        help_text=_("如“省有关单位”“各市州政府”；可展开的已展开为单位"),
    )
    participating_etc = models.BooleanField(_("参加单位列举未尽（等）"), default=False)

    history = HistoricalRecords()  # the unit assignments are audited on their own rows

    # Viewing: lead and participating units. Entering values: lead units only (see
    # apps.indicators.services.record_value and selectors.measures_for_entry).
    owner_fields = ("lead_units", "participating_units")

    class Meta:
        verbose_name = _("十四五指标")
        verbose_name_plural = _("十四五指标")
        ordering = ["level", "number"]
        constraints = [
            models.UniqueConstraint(fields=["level", "number"], name="indicator_level_number")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.short_text}"

    @property
    def code(self) -> str:
        return f"{self.get_level_display()}{self.number}"

    @property
    def short_text(self) -> str:
        return self.text.split("（预期性）")[0].split("（约束性）")[0].rstrip("。")

    @property
    def kind_label(self) -> str:
        return self.get_kind_display() if self.kind else gettext("未标注")

    def lead_display(self) -> str:
        """牵头单位 as 004 words it: "省生态环境厅，各市州政府" (uses prefetched lead_links)."""
        return units_display(_links(self, "lead_links", "indicatorleadunit_set"), self.lead_groups)

    def participating_display(self) -> str:
        return units_display(
            _links(self, "participating_links", "indicatorparticipatingunit_set"),
            self.participating_groups,
            etc=self.participating_etc,
        )


# Phrases of 004 that stand for every organisation of a kind (fixtures/reference/unit_groups).
GROUP_KINDS = {"各市州政府": "prefecture_government", "各园区管委会": "park_committee"}


def _links(indicator: Indicator, attr: str, manager: str) -> list:
    links = getattr(indicator, attr, None)
    if links is None:
        links = list(getattr(indicator, manager).select_related("organization"))
    return links


def units_display(links, groups: list[str], *, etc: bool = False) -> str:
    """Unit names joined the way 004 writes them; a group phrase replaces the units it
    stands for ("各市州政府" for the 8 prefecture governments), "等" closes an open list."""
    hidden_kinds = {GROUP_KINDS[g] for g in groups if g in GROUP_KINDS}
    names = [link.organization.name for link in links if link.organization.kind not in hidden_kinds]
    text = "、".join(names) + (gettext("等") if etc and names else "")
    return "，".join(part for part in (text, *groups) if part)


class IndicatorLeadUnit(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, verbose_name=_("指标"))
    organization = models.ForeignKey(
        "reference.Organization", on_delete=models.PROTECT, verbose_name=_("单位")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    owner_fields = ("indicator__lead_units", "indicator__participating_units")

    class Meta:
        verbose_name = _("牵头单位")
        verbose_name_plural = _("牵头单位")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organization"], name="indicator_lead_uniq"
            )
        ]

    def __str__(self) -> str:
        return str(self.organization)


class IndicatorParticipatingUnit(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, verbose_name=_("指标"))
    organization = models.ForeignKey(
        "reference.Organization", on_delete=models.PROTECT, verbose_name=_("单位")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    owner_fields = ("indicator__lead_units", "indicator__participating_units")

    class Meta:
        verbose_name = _("参加单位")
        verbose_name_plural = _("参加单位")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organization"], name="indicator_part_uniq"
            )
        ]

    def __str__(self) -> str:
        return str(self.organization)


class Measure(models.Model):
    """One monitored target of an indicator, with its direction and the plan years."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measures", verbose_name=_("指标")
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    name = models.CharField(_("监测项"), max_length=128)
    target_text = models.CharField(_("目标（原文）"), max_length=64)
    target_value = models.DecimalField(_("目标值"), null=True, blank=True, **AMOUNT)
    unit = models.CharField(_("计量单位"), max_length=32, blank=True)
    direction = models.CharField(_("目标方向"), max_length=16, choices=Direction.choices)
    base_value = models.DecimalField(
        _("基期值"),
        null=True,
        blank=True,
        help_text=_("空：以填报的基期年份数值为基期；累计类目标为 0"),
        **AMOUNT,
    )
    base_year = models.PositiveSmallIntegerField(_("基期年份"), default=PLAN_START_YEAR)
    target_year = models.PositiveSmallIntegerField(_("目标年份"), default=PLAN_END_YEAR)
    yearly = models.BooleanField(
        _("逐年考核"),
        default=False,
        help_text=_("年均增长率、年度控制值等：每年直接对照目标，不按进度"),
    )
    tolerance = models.DecimalField(
        _("允许偏差"), null=True, blank=True, help_text=_("“左右”类目标；空为目标值的 5%"), **AMOUNT
    )

    history = HistoricalRecords()

    owner_fields = ("indicator__lead_units", "indicator__participating_units")
    # Lead units enter the values; participating units only view (policy ENTER_VALUES).
    enter_fields = ("indicator__lead_units",)

    class Meta:
        verbose_name = _("监测项")
        verbose_name_plural = _("监测项")
        ordering = ["indicator__level", "indicator__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "order"], name="measure_indicator_order")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}-{self.order} {self.name}"

    @property
    def value_hint(self) -> str:
        """What the number to enter means, for forms and the API."""
        if self.direction == Direction.NATIONAL_QUOTA:
            return gettext("填 1 = 完成国家下达目标，0 = 未完成；实际数值写在备注")
        if self.direction == Direction.QUALITATIVE:
            return gettext("填完成程度（%，0-100，100 = 达到）")
        return gettext("单位：%(unit)s") % {"unit": self.unit} if self.unit else ""

    @property
    def years(self) -> range:
        return range(self.base_year, self.target_year + 1)


class MeasureValue(TimeStampedModel, VersionedModel):
    """The monitored value of a measure in one year, entered by a lead unit's staff."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="values", verbose_name=_("监测项")
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    value = models.DecimalField(_("监测值"), **AMOUNT)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    is_demo = models.BooleanField(
        _("演示数据"), default=False, db_index=True, help_text=_("演示模式生成，页面标注“演示”")
    )
    # Derived from value, target and year by apps.indicators.status; never typed in.
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.NO_DATA, editable=False
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    owner_fields = (
        "measure__indicator__lead_units",
        "measure__indicator__participating_units",
    )
    enter_fields = ("measure__indicator__lead_units",)  # policy Action.ENTER_VALUES

    class Meta:
        verbose_name = _("年度监测值")
        verbose_name_plural = _("年度监测值")
        ordering = ["measure", "year"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "year"], name="measure_value_year")
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return gettext("%(measure)s %(year)s年：%(value)s") % {
            "measure": self.measure,
            "year": self.year,
            "value": self.value,
        }


class MeasureYearTarget(TimeStampedModel, VersionedModel):
    """分年度目标 (004 三(一): 分解落实年度目标): a measure's target for one year, entered by
    the lead unit. When a year has one, that year's value is judged against it."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="year_targets", verbose_name=_("监测项")
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    value = models.DecimalField(_("年度目标值"), **AMOUNT)
    note = models.CharField(_("依据"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    owner_fields = (
        "measure__indicator__lead_units",
        "measure__indicator__participating_units",
    )

    class Meta:
        verbose_name = _("分年度目标")
        verbose_name_plural = _("分年度目标")
        ordering = ["measure", "year"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "year"], name="measure_year_target")
        ]

    def __str__(self) -> str:
        return gettext("%(measure)s %(year)s年目标：%(value)s") % {
            "measure": self.measure,
            "year": self.year,
            "value": self.value,
        }
