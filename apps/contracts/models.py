"""Signed-contract ledgers (签约项目台账) of investment fairs, and their monthly reports.

A fair (e.g. 第十八届青洽会) produces a ledger of signed contracts, each with a responsible unit
(责任单位) that chases it until it lands and reports on it monthly (by the 5th, to the fair's
coordinating unit). The province judges the units by three rates against dated targets:
履约率 (contracts being performed), 开工率 (contracts started), 资金到位率 (funds arrived /
signed investment). See seed 002 (青政办〔2017〕134号).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.lifecycle import LifecycleFields
from apps.core.models import MonthlyReport, TimeStampedModel, VersionedModel
from apps.core.periods import add_months, date_label, month_start, period_label
from apps.core.scopes import Scope

MONEY = {"max_digits": 14, "decimal_places": 4}
RATE = {
    "max_digits": 5,
    "decimal_places": 4,
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
}


class Fair(LifecycleFields, TimeStampedModel):
    """An investment fair and the ledger of contracts signed there.

    Its reporting window (``first_period`` … ``last_period``) bounds the monthly reports that
    are owed and reminded; its status (apps.core.lifecycle) takes a finished ledger off the
    live boards while keeping it in history (002's targets end in May 2018).
    """

    name = models.CharField(_("名称"), max_length=128, unique=True)
    short_name = models.CharField(_("简称"), max_length=32, unique=True)
    held_on = models.DateField(
        _("举办日期"), null=True, blank=True, help_text=_("来源文件未载明时留空")
    )
    document_no = models.CharField(_("依据文件"), max_length=64, blank=True)
    document_date = models.DateField(_("文件日期"), null=True, blank=True)
    coordinating_unit = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("牵头协调单位"),
        on_delete=models.PROTECT,
        related_name="coordinated_fairs",
        help_text=_("各责任单位每月5日前向其报送签约项目进展情况"),
    )
    first_period = models.DateField(
        _("首个报送月份"), null=True, blank=True, help_text=_("月报从该月起报送（存该月第一天）")
    )
    last_period = models.DateField(
        _("末个报送月份"),
        null=True,
        blank=True,
        help_text=_("月报报送至该月为止（存该月第一天）；此后不再提醒"),
    )
    window_note = models.CharField(_("报送期依据"), max_length=255, blank=True)

    history = HistoricalRecords()

    # The coordinating unit owns the fair (its targets); every signed-in user may read it.
    owner_fields = ("coordinating_unit",)

    policy_scope = (
        Scope.PUBLIC
    )  # a fair is an event every signed-in user reads; its coordinating unit changes it

    class Meta:
        verbose_name = _("招商活动")
        verbose_name_plural = _("招商活动")
        ordering = ["-held_on", "-document_date", "-pk"]

    def __str__(self) -> str:
        return self.short_name

    def clean(self) -> None:
        if self.first_period and self.first_period.day != 1:
            raise ValidationError({"first_period": gettext("首个报送月份应为当月第一天。")})
        if self.last_period and self.last_period.day != 1:
            raise ValidationError({"last_period": gettext("末个报送月份应为当月第一天。")})
        if self.first_period and self.last_period and self.last_period < self.first_period:
            raise ValidationError({"last_period": gettext("末个报送月份不能早于首个报送月份。")})

    def reports_for(self, period: dt.date) -> bool:
        """Whether a report for ``period`` is owed: the fair is live and in its window."""
        return (
            self.is_live
            and (self.first_period is None or self.first_period <= period)
            and (self.last_period is None or period <= self.last_period)
        )


class RateTarget(models.Model):
    """The rates a fair's contracts must reach by a date (seed 002: 70/50/15% by 2017-12-31)."""

    fair = models.ForeignKey(
        Fair, verbose_name=_("招商活动"), on_delete=models.CASCADE, related_name="targets"
    )
    due_on = models.DateField(_("目标时限"))
    fulfillment = models.DecimalField(
        _("履约率目标"), **RATE, help_text=_("小数，如 0.70 表示 70%")
    )
    start = models.DecimalField(_("开工率目标"), **RATE)
    funding = models.DecimalField(_("资金到位率目标"), **RATE)

    history = HistoricalRecords()

    owner_fields = ("fair__coordinating_unit",)

    policy_scope = Scope.PUBLIC  # the targets of a public fair

    class Meta:
        verbose_name = _("目标任务")
        verbose_name_plural = _("目标任务")
        ordering = ["fair", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "due_on"], name="contracts_target_unique_due")
        ]

    def __str__(self) -> str:
        return gettext(
            "%(due_on)s前 履约率%(fulfillment)s 开工率%(start)s 资金到位率%(funding)s"
        ) % {
            "due_on": date_label(self.due_on),
            "fulfillment": format(self.fulfillment, ".0%"),
            "start": format(self.start, ".0%"),
            "funding": format(self.funding, ".0%"),
        }


_CJK = r"\u3400-\u9fff"


def split_parties(text: str) -> list[str]:
    """Several parties in one cell: split on 、，；; and on spaces between Chinese names.

    "ELSAID AHMED DEYAB HARHASH" (a foreign name with spaces) stays one party.
    """
    text = (text or "").strip()
    if not text:
        return []
    parts = re.split(r"[、，,；;]+", text)
    out: list[str] = []
    for part in parts:
        out.extend(re.split(rf"(?<=[{_CJK})）])\s+(?=[{_CJK}（(])", part.strip()))
    return [p.strip() for p in out if p.strip()]


def split_places(text: str) -> list[str]:
    """Funding source places: "上海 深圳", "英国、美国、日本"."""
    return [p for p in re.split(r"[\s、，,；;/]+", (text or "").strip()) if p]


def split_people(text: str) -> list[str]:
    """People in one cell: "海吉忠 周心龙" is two; "房 直" is one two-character name padded
    with a space, as Chinese tables print them."""
    parts = [p for p in re.split(r"[\s、，,；;]+", (text or "").strip()) if p]
    if parts and all(len(p) == 1 for p in parts):
        return ["".join(parts)]
    return parts


class ContractQuerySet(models.QuerySet):
    def flagged(self) -> ContractQuerySet:
        return self.filter(needs_correction=True)

    def search(self, text: str) -> ContractQuerySet:
        text = (text or "").strip()
        return self.filter(search_text__icontains=text) if text else self

    def from_place(self, place: str) -> ContractQuerySet:
        place = (place or "").strip()
        return self.filter(places_key__contains=f"|{place}|") if place else self


class Contract(VersionedModel, TimeStampedModel):
    """One row of a fair's ledger (责任分工表)."""

    fair = models.ForeignKey(
        Fair, verbose_name=_("招商活动"), on_delete=models.PROTECT, related_name="contracts"
    )
    seq = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("项目名称"), max_length=255)
    party_a = models.JSONField(_("甲方(青海)"), default=list, blank=True)
    party_b = models.JSONField(_("乙方(省外)"), default=list, blank=True)
    total_investment = models.DecimalField(
        _("总投资额(亿元)"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("原表为空时留空并标记待更正"),
    )
    funding_source_places = models.JSONField(_("资金来源地"), default=list, blank=True)
    responsible_leader = models.CharField(_("责任领导"), max_length=64, blank=True)
    responsible_persons = models.JSONField(_("责任人"), default=list, blank=True)
    responsible_unit = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    responsible_unit_label = models.CharField(
        _("台账所列责任单位"),
        max_length=128,
        help_text=_("台账原文的写法（如 2017 年的“省旅游发展委”，现为省文化和旅游厅）"),
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("落地地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    # The 002 ledger has no landing-region column: the importer infers it (issue 11 pt 7) and
    # says how; a person entering the region on the correction form clears the basis.
    region_basis = models.CharField(
        _("落地地区推定依据"),
        max_length=255,
        blank=True,
        help_text=_("空：落地地区由人工填写；非空：导入时推定（页面标注“推定”）"),
    )
    needs_correction = models.BooleanField(_("待更正"), default=False, db_index=True)
    correction_note = models.TextField(_("更正说明"), blank=True)
    source_row = models.PositiveIntegerField(
        _("导入文件行号"), null=True, blank=True, editable=False
    )
    # Derived on save, so text search and the place filter work the same on every database.
    search_text = models.TextField(editable=False, blank=True, default="")
    places_key = models.CharField(editable=False, max_length=512, blank=True, default="")

    objects = ContractQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text", "places_key"])

    owner_fields = ("responsible_unit",)

    class Meta:
        verbose_name = _("签约项目")
        verbose_name_plural = _("签约项目")
        ordering = ["fair", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "seq"], name="contracts_contract_unique_seq")
        ]
        indexes = [models.Index(fields=["fair", "responsible_unit"])]

    def __str__(self) -> str:
        return f"{self.seq}. {self.name}"

    def refresh_derived(self) -> None:
        places = [p for p in self.funding_source_places if p]
        self.places_key = ("|" + "|".join(places) + "|") if places else ""
        self.search_text = " ".join(
            [
                self.name,
                *self.party_a,
                *self.party_b,
                *places,
                self.responsible_leader,
                *self.responsible_persons,
                self.responsible_unit_label,
            ]
        )

    def save(self, *args, **kwargs):
        self.refresh_derived()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "places_key"}
        super().save(*args, **kwargs)

    @property
    def party_a_text(self) -> str:
        return "、".join(self.party_a)

    @property
    def party_b_text(self) -> str:
        return "、".join(self.party_b)

    @property
    def places_text(self) -> str:
        return "、".join(self.funding_source_places)

    @property
    def persons_text(self) -> str:
        return "、".join(self.responsible_persons)


# What a unit reports on a contract each month: the form's row, the API's fields, the service.
REPORT_FIELDS = (
    "is_performing",
    "is_started",
    "started_on",
    "funds_arrived_to_date",
    "progress",
    "problems",
    "confirmation_note",
)


class ContractReport(MonthlyReport, VersionedModel, TimeStampedModel):
    """A responsible unit's monthly report on one contract (due by the 5th of the next month)."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("签约项目"), on_delete=models.CASCADE, related_name="reports"
    )
    period = models.DateField(_("报送月份"), help_text=_("所报月份的第一天"))
    is_performing = models.BooleanField(_("正在履约"), default=False)
    is_started = models.BooleanField(_("已开工"), default=False)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    funds_arrived_to_date = models.DecimalField(
        _("累计到位资金(亿元)"), **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    progress = models.TextField(_("进展情况"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    confirmation_note = models.TextField(
        _("超常数据核实说明"),
        blank=True,
        help_text=_("累计到位资金超过签约总投资时，填报人核实后的说明（随记录留痕）。"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contract_reports",
    )

    history = HistoricalRecords()

    owner_fields = ("contract__responsible_unit",)

    class Meta:
        verbose_name = _("签约项目月报")
        verbose_name_plural = _("签约项目月报")
        ordering = ["-period", "contract__seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period"], name="contracts_report_unique_period"
            )
        ]
        indexes = [models.Index(fields=["period", "contract"])]

    def __str__(self) -> str:
        return f"{self.contract} · {period_label(self.period)}"

    def clean(self) -> None:
        errors = self.period_errors()  # the one period rule (apps.core.models.MonthlyReport)
        if self.is_started and not self.started_on:
            errors["started_on"] = gettext("已开工的项目请填写开工日期。")
        if not self.is_started and self.started_on:
            errors["started_on"] = gettext("未开工的项目不应填写开工日期。")
        if self.started_on and self.period and self.started_on > _month_end(self.period):
            errors["started_on"] = gettext("开工日期不能晚于所报月份。")
        if errors:
            raise ValidationError(errors)


def _month_end(period: dt.date) -> dt.date:
    return add_months(month_start(period), 1) - dt.timedelta(days=1)
