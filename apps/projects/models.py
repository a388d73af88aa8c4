"""The 万千百亿 three-tier project library (MISSION §1; seeds 001 and 003).

A ``Project`` belongs to one responsible unit (责任单位), which alone may edit it. Its library
status (草稿 → 已提交 → 审核中 → 已入库 / 退回修改 / 不予入库; 已入库 → 已出库) changes only
through the named transitions in ``apps.projects.services``; the field is not editable anywhere
and ``Project.save()`` refuses a status change that did not come from a transition.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone
from django.utils.translation import gettext, gettext_lazy
from simple_history.models import HistoricalRecords

from apps.core.models import MonthlyReport, TimeStampedModel, VersionedModel
from apps.core.scopes import Scope
from apps.projects import codes

ZERO = Decimal("0")
QINGHAI_LAT = (Decimal("31.5"), Decimal("39.3"))
QINGHAI_LNG = (Decimal("89.3"), Decimal("103.1"))


def money(verbose_name: str, **kwargs) -> models.DecimalField:
    """Amounts in 亿元: Decimal with 4 places, never float."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=4, **kwargs)


class Tier(models.TextChoices):
    PROVINCE = "province", gettext_lazy("省级")
    PREFECTURE = "prefecture", gettext_lazy("市州级")
    COUNTY = "county", gettext_lazy("县级")


class Stage(models.TextChoices):
    """Life-cycle stages of the infrastructure plan (003): 谋划 → 签约 → 开工 → 投产 → 增资."""

    PLANNING = "planning", gettext_lazy("谋划")
    SIGNED = "signed", gettext_lazy("签约")
    STARTED = "started", gettext_lazy("开工")
    UNDER_CONSTRUCTION = "construction", gettext_lazy("在建")
    IN_OPERATION = "operation", gettext_lazy("投产")
    COMPLETED = "completed", gettext_lazy("竣工")
    EXPANSION = "expansion", gettext_lazy("增资")


class LibraryStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    SUBMITTED = "submitted", gettext_lazy("已提交")
    IN_REVIEW = "in_review", gettext_lazy("审核中")
    APPROVED = "approved", gettext_lazy("已入库")
    RETURNED = "returned", gettext_lazy("退回修改")
    REJECTED = "rejected", gettext_lazy("不予入库")
    REMOVED = "removed", gettext_lazy("已出库")


class ApprovalType(models.TextChoices):
    APPROVAL = "approval", gettext_lazy("审批")
    RATIFICATION = "ratification", gettext_lazy("核准")
    FILING = "filing", gettext_lazy("备案")


class CodeStatus(models.TextChoices):
    """赋码状态 of the national 项目代码 (GB/T 40058): derived from whether a code is on file."""

    UNCODED = "uncoded", gettext_lazy("未赋码")
    CODED = "coded", gettext_lazy("已赋码")


class SizeClass(models.TextChoices):
    """百亿项目引领、十亿项目示范、亿元项目支撑 (001)."""

    HUNDRED_YI = "100yi", gettext_lazy("百亿项目")
    TEN_YI = "10yi", gettext_lazy("十亿项目")
    ONE_YI = "1yi", gettext_lazy("亿元项目")
    BELOW = "below", gettext_lazy("亿元以下")


# Lower bounds (亿元) of the size classes, largest first.
SIZE_CLASS_BOUNDS: list[tuple[str, Decimal]] = [
    (SizeClass.HUNDRED_YI, Decimal("100")),
    (SizeClass.TEN_YI, Decimal("10")),
    (SizeClass.ONE_YI, Decimal("1")),
]


def size_class_of(total: Decimal | None) -> str:
    if total is None:
        return SizeClass.BELOW
    for cls, bound in SIZE_CLASS_BOUNDS:
        if total >= bound:
            return cls
    return SizeClass.BELOW


def size_class_expression() -> Case:
    """The size class as SQL, so lists can filter and count by it."""
    return Case(
        *(
            When(total_investment__gte=bound, then=Value(str(cls)))
            for cls, bound in SIZE_CLASS_BOUNDS
        ),
        default=Value(str(SizeClass.BELOW)),
        output_field=models.CharField(),
    )


def prefecture_expression(prefix: str = "") -> Case:
    """The 市州 a project lies in: its region, or the region's parent for a county."""
    return Case(
        When(**{f"{prefix}region__level": "prefecture"}, then=F(f"{prefix}region_id")),
        default=F(f"{prefix}region__parent_id"),
        output_field=models.BigIntegerField(),
    )


# Funding sources (MISSION §1), stored as one amount column each: fixed, few, and summed in
# every report, so columns keep lists and exports free of extra queries.
FUNDING_SOURCES: list[tuple[str, str]] = [
    ("fund_central_budget", gettext_lazy("中央预算内")),
    ("fund_special_bonds", gettext_lazy("地方政府专项债券")),
    ("fund_policy_finance", gettext_lazy("政策性开发性金融工具")),
    ("fund_bank_loans", gettext_lazy("银行贷款")),
    ("fund_social_capital", gettext_lazy("社会资本")),
    ("fund_other", gettext_lazy("其他")),
]


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


class ProjectQuerySet(models.QuerySet):
    # Named states (the Saleor way): callers never spell status codes themselves.
    def drafts(self):
        return self.filter(library_status=LibraryStatus.DRAFT)

    def submitted(self):
        return self.filter(library_status=LibraryStatus.SUBMITTED)

    def in_review(self):
        return self.filter(library_status=LibraryStatus.IN_REVIEW)

    def awaiting_review(self):
        """The reviewer queue: submitted, or in expert screening."""
        return self.filter(library_status__in=[LibraryStatus.SUBMITTED, LibraryStatus.IN_REVIEW])

    def in_library(self):
        return self.filter(library_status=LibraryStatus.APPROVED)

    def returned(self):
        return self.filter(library_status=LibraryStatus.RETURNED)

    def rejected(self):
        return self.filter(library_status=LibraryStatus.REJECTED)

    def removed(self):
        return self.filter(library_status=LibraryStatus.REMOVED)

    def proposed(self):
        """Everything handed in (not drafts, not rejected): what a campaign has gathered."""
        return self.exclude(
            library_status__in=[LibraryStatus.DRAFT, LibraryStatus.REJECTED, LibraryStatus.REMOVED]
        )

    def demo(self):
        return self.filter(is_demo=True)

    def with_size_class(self):
        return self.annotate(size_class_code=size_class_expression())

    def with_prefecture(self):
        return self.annotate(prefecture_id=prefecture_expression())

    def with_completion(self):
        """Annotate investment completed in each project's plan year and in total (SQL)."""
        in_year = (
            ProjectMonthlyUpdate.objects.filter(
                project=OuterRef("pk"), period__year=OuterRef("plan_year")
            )
            .order_by()
            .values("project")
            .annotate(s=Sum("completed_this_month"))
            .values("s")
        )
        total = (
            ProjectMonthlyUpdate.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(s=Sum("completed_this_month"))
            .values("s")
        )
        return self.annotate(
            completed_in_plan_year=Coalesce(
                Subquery(
                    in_year, output_field=models.DecimalField(max_digits=14, decimal_places=4)
                ),
                Value(ZERO),
                output_field=models.DecimalField(max_digits=14, decimal_places=4),
            ),
            completed_total=Coalesce(
                Subquery(total, output_field=models.DecimalField(max_digits=14, decimal_places=4)),
                Value(ZERO),
                output_field=models.DecimalField(max_digits=14, decimal_places=4),
            ),
        )

    def for_lists(self):
        """Everything a list row shows, in one query whatever the page size."""
        return self.select_related(
            "region", "region__parent", "sector", "responsible_unit", "infrastructure_domain"
        ).with_completion()


class Project(TimeStampedModel, VersionedModel):
    name = models.CharField(gettext_lazy("项目名称"), max_length=200)
    code = models.CharField(
        gettext_lazy("项目代码"),
        max_length=32,
        blank=True,
        help_text=gettext_lazy(
            "全国投资项目在线审批监管平台赋予的24位代码（GB/T 40058），如 "
            "2203-630100-04-01-123451，可不带“-”录入；未赋码的项目留空。"
        ),
    )
    tier = models.CharField(gettext_lazy("项目层级"), max_length=16, choices=Tier.choices)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=gettext_lazy("所在地区"),
        on_delete=models.PROTECT,
        related_name="projects",
        limit_choices_to={"level__in": ["prefecture", "county"]},
    )
    sector = models.ForeignKey(
        "reference.Sector",
        verbose_name=gettext_lazy("行业领域"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    infrastructure_domain = models.ForeignKey(
        "reference.InfrastructureDomain",
        verbose_name=gettext_lazy("基础设施领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    responsible_unit = models.ForeignKey(
        "reference.Organization",
        verbose_name=gettext_lazy("责任单位"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    implementing_entity = models.CharField(gettext_lazy("实施主体"), max_length=200, blank=True)
    supervising_department = models.ForeignKey(
        "reference.Organization",
        verbose_name=gettext_lazy("监管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_projects",
    )
    total_investment = money(gettext_lazy("总投资(亿元)"))
    plan_year = models.PositiveSmallIntegerField(gettext_lazy("计划年度"), null=True, blank=True)
    planned_investment_year = money(gettext_lazy("年度计划投资(亿元)"), null=True, blank=True)
    scale_content = models.TextField(gettext_lazy("建设规模及内容"), blank=True)
    planned_start = models.DateField(gettext_lazy("计划开工时间"), null=True, blank=True)
    planned_end = models.DateField(gettext_lazy("计划竣工时间"), null=True, blank=True)
    schedule = models.TextField(gettext_lazy("进度安排"), blank=True)

    fund_central_budget = money(gettext_lazy("中央预算内(亿元)"), null=True, blank=True)
    fund_special_bonds = money(gettext_lazy("地方政府专项债券(亿元)"), null=True, blank=True)
    fund_policy_finance = money(gettext_lazy("政策性开发性金融工具(亿元)"), null=True, blank=True)
    fund_bank_loans = money(gettext_lazy("银行贷款(亿元)"), null=True, blank=True)
    fund_social_capital = money(gettext_lazy("社会资本(亿元)"), null=True, blank=True)
    fund_other = money(gettext_lazy("其他资金(亿元)"), null=True, blank=True)

    approval_type = models.CharField(
        gettext_lazy("审批类型"), max_length=16, choices=ApprovalType.choices, blank=True
    )
    approval_number = models.CharField(gettext_lazy("审批文号"), max_length=100, blank=True)
    approval_date = models.DateField(gettext_lazy("审批日期"), null=True, blank=True)

    latitude = models.DecimalField(
        gettext_lazy("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=gettext_lazy("可选，如 36.617"),
    )
    longitude = models.DecimalField(
        gettext_lazy("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=gettext_lazy("可选，如 101.778"),
    )

    is_head_project = models.BooleanField(gettext_lazy("头部项目"), default=False)
    liaison_leader = models.CharField(gettext_lazy("包联省领导"), max_length=64, blank=True)
    is_14th_fyp_major = models.BooleanField(gettext_lazy("十四五重大项目"), default=False)
    is_ppp = models.BooleanField(gettext_lazy("PPP项目"), default=False)

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=gettext_lazy("谋划行动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    batch = models.PositiveSmallIntegerField(
        gettext_lazy("批次"), choices=CampaignBatch.Number.choices, null=True, blank=True
    )

    stage = models.CharField(
        gettext_lazy("项目阶段"), max_length=16, choices=Stage.choices, default=Stage.PLANNING
    )
    stage_changed_on = models.DateField(
        gettext_lazy("阶段变更日期"), null=True, blank=True, editable=False
    )
    library_status = models.CharField(
        gettext_lazy("入库状态"),
        max_length=16,
        choices=LibraryStatus.choices,
        default=LibraryStatus.DRAFT,
        editable=False,  # never on a form, serializer or admin: only services.py moves it
        db_index=True,
    )
    status_changed_at = models.DateTimeField(
        gettext_lazy("状态变更时间"), null=True, blank=True, editable=False
    )
    approved_on = models.DateField(gettext_lazy("入库日期"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(
        gettext_lazy("演示数据"),
        default=False,
        editable=False,
        help_text=gettext_lazy("由 load_seed_data 生成的演示项目"),
    )
    note = models.TextField(gettext_lazy("备注"), blank=True)

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords()

    owner_fields = ("responsible_unit",)

    class Meta:
        verbose_name = gettext_lazy("项目")
        verbose_name_plural = gettext_lazy("项目")
        ordering = ["-total_investment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="uniq_project_code_when_given",
                violation_error_message=gettext_lazy("该项目代码已被其他项目使用。"),
            ),
            models.CheckConstraint(
                condition=Q(total_investment__gte=0), name="project_total_investment_nonneg"
            ),
        ]
        indexes = [
            models.Index(fields=["tier", "library_status"]),
            models.Index(fields=["responsible_unit", "library_status"]),
            # The lists' default order (ProjectFilter: largest first, then newest): a page is
            # read off this index instead of sorting every joined row (issue 15, EXPLAIN in
            # README "Scaling"). Trigram indexes for ?q= are PostgreSQL-only: migration 0006.
            models.Index(
                F("total_investment").desc(), F("id").desc(), name="project_default_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # --- the status guard -----------------------------------------------------------------
    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._loaded_status = obj.__dict__.get("library_status")
        return obj

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_status", None)
        if (
            self.pk is None
            and self.library_status != LibraryStatus.DRAFT
            and not getattr(self, "_transition", False)
        ):
            raise ValueError(gettext("新项目只能以“草稿”状态创建；入库状态只能通过审核流程变更。"))
        if (
            self.pk is not None
            and loaded is not None
            and loaded != self.library_status
            and not getattr(self, "_transition", False)
        ):
            raise ValueError(
                gettext("入库状态只能通过审核流程（提交/审核/入库/退回/不予入库/出库）变更。")
            )
        super().save(*args, **kwargs)
        self._loaded_status = self.library_status

    # --- derived ----------------------------------------------------------------------------
    @property
    def size_class(self) -> str:
        return size_class_of(self.total_investment)

    def get_size_class_display(self) -> str:
        return SizeClass(self.size_class).label

    @property
    def prefecture(self):
        return self.region.prefecture() if self.region_id else None

    @property
    def code_status(self) -> str:
        """赋码状态: 已赋码 once the national online platform has given the project its code."""
        return CodeStatus.CODED if self.code else CodeStatus.UNCODED

    def get_code_status_display(self) -> str:
        return CodeStatus(self.code_status).label

    @property
    def funding(self) -> list[tuple[str, Decimal | None]]:
        return [(label, getattr(self, field)) for field, label in FUNDING_SOURCES]

    @property
    def funding_total(self) -> Decimal:
        return sum((getattr(self, f) or ZERO for f, _ in FUNDING_SOURCES), ZERO)

    @property
    def completion_rate(self) -> Decimal | None:
        """投资完成率 of the plan year (needs ``with_completion()``)."""
        done = getattr(self, "completed_in_plan_year", None)
        if done is None or not self.planned_investment_year:
            return None
        return (done / self.planned_investment_year).quantize(Decimal("0.0001"))

    @property
    def is_editable(self) -> bool:
        """Staff edit drafts, returned projects and library projects; not while under review."""
        return self.library_status in EDITABLE_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.library_status in {LibraryStatus.REJECTED, LibraryStatus.REMOVED}

    def clean_fields(self, exclude=None) -> None:
        # Related rows reach this model already loaded (forms, serializers, the importer's
        # lookups); re-querying each one's existence costs a query per relation per row, and
        # the database's foreign keys enforce it anyway. Only "required" is checked here.
        exclude = set(exclude or ())
        relations = [
            f for f in self._meta.concrete_fields if f.is_relation and f.name not in exclude
        ]
        errors: dict[str, list[str]] = {
            f.name: [str(f.error_messages["blank"])]
            for f in relations
            if not f.blank and getattr(self, f.attname) is None
        }
        try:
            super().clean_fields(exclude=exclude | {f.name for f in relations})
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None) -> None:
        # Both table constraints are checked in clean() instead: Django's generic validation
        # evaluates each condition as a query annotating every field, which made a 1000-row
        # Excel import spend most of its time here. The database still enforces both.
        return

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.code:
            self.code = self.code.strip()
        if self.code:
            try:
                # One rule for forms, API and import: GB/T 40058 form, Qinghai, this region.
                self.code = codes.validate(
                    self.code,
                    region=self.region if self.region_id else None,
                    today=timezone.localdate(),
                )
            except ValidationError as exc:
                errors["code"] = exc.messages[0]
        if (
            self.code
            and "code" not in errors
            and Project.objects.filter(code=self.code).exclude(pk=self.pk).exists()
        ):
            errors["code"] = gettext("该项目代码已被其他项目使用。")
        if self.total_investment is not None and self.total_investment < 0:
            errors["total_investment"] = gettext("总投资不能为负数。")
        if self.region_id and self.region.level not in ("prefecture", "county"):
            errors["region"] = gettext("所在地区应为市州或县（区、市、行委）。")
        if self.tier == Tier.COUNTY and self.region_id and self.region.level != "county":
            errors["region"] = gettext("县级项目的所在地区应为县（区、市、行委）。")
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = gettext("计划竣工时间不能早于计划开工时间。")
        if self.total_investment is not None:
            funded = self.funding_total
            if funded > self.total_investment:
                errors["fund_other"] = gettext(
                    "各项资金来源合计 %(funded)s 亿元，超过总投资 %(total_investment)s 亿元。"
                ) % {"funded": funded, "total_investment": self.total_investment}
            if (
                self.planned_investment_year is not None
                and self.planned_investment_year > self.total_investment
            ):
                errors["planned_investment_year"] = gettext("年度计划投资不能超过总投资。")
        if self.planned_investment_year is not None and not self.plan_year:
            errors["plan_year"] = gettext("填写年度计划投资时请注明计划年度。")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = gettext("经纬度请同时填写，或都留空。")
        elif self.latitude is not None:
            # Qinghai lies within about 31.6–39.2°N, 89.4–103.1°E; a little margin for borders.
            if not QINGHAI_LAT[0] <= self.latitude <= QINGHAI_LAT[1]:
                errors["latitude"] = gettext(
                    "纬度 %(latitude)s 不在青海省范围内（约北纬 %(0)s—%(1)s°）。"
                ) % {"latitude": self.latitude, "0": QINGHAI_LAT[0], "1": QINGHAI_LAT[1]}
            if not QINGHAI_LNG[0] <= self.longitude <= QINGHAI_LNG[1]:
                errors["longitude"] = gettext(
                    "经度 %(longitude)s 不在青海省范围内（约东经 %(0)s—%(1)s°）。"
                ) % {"longitude": self.longitude, "0": QINGHAI_LNG[0], "1": QINGHAI_LNG[1]}
        if self.is_head_project and not self.liaison_leader.strip():
            errors["liaison_leader"] = gettext("头部项目须填写包联省领导。")
        if self.batch and not self.campaign_id:
            errors["batch"] = gettext("填写批次时请选择所属谋划行动。")
        if errors:
            raise ValidationError(errors)


EDITABLE_STATUSES = frozenset({LibraryStatus.DRAFT, LibraryStatus.RETURNED, LibraryStatus.APPROVED})


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


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", gettext_lazy("提交")
    RESUBMIT = "resubmit", gettext_lazy("重新提交")
    WITHDRAW = "withdraw", gettext_lazy("撤回")
    START_REVIEW = "start_review", gettext_lazy("开始审核")
    APPROVE = "approve", gettext_lazy("入库")
    RETURN = "return", gettext_lazy("退回修改")
    REJECT = "reject", gettext_lazy("不予入库")
    REMOVE = "remove", gettext_lazy("出库")


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


class ProjectMonthlyUpdate(MonthlyReport, TimeStampedModel, VersionedModel):
    """调度: one report per project and month (period = the month's first day)."""

    project = models.ForeignKey(
        Project,
        verbose_name=gettext_lazy("项目"),
        on_delete=models.CASCADE,
        related_name="monthly_updates",
    )
    period = models.DateField(gettext_lazy("月份"), help_text=gettext_lazy("所报告月份的第一天"))
    completed_this_month = money(gettext_lazy("本月完成投资(亿元)"))
    stage = models.CharField(gettext_lazy("项目阶段"), max_length=16, choices=Stage.choices)
    progress = models.TextField(gettext_lazy("形象进度"))
    problems = models.TextField(gettext_lazy("需协调解决的困难问题"), blank=True)
    confirmation_note = models.TextField(
        gettext_lazy("超常数据核实说明"),
        blank=True,
        help_text=gettext_lazy(
            "本月完成投资超过年度计划投资时，填报人核实后的说明（随记录留痕）。"
        ),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    owner_fields = ("project__responsible_unit",)

    class Meta:
        verbose_name = gettext_lazy("月度调度")
        verbose_name_plural = gettext_lazy("月度调度")
        ordering = ["project", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period"],
                name="uniq_project_month",
                violation_error_message=gettext_lazy("该项目本月的调度已填报，请修改原记录。"),
            ),
            models.CheckConstraint(
                condition=Q(period__day=1), name="monthly_update_period_first_day"
            ),
            models.CheckConstraint(
                condition=Q(completed_this_month__gte=0), name="monthly_update_amount_nonneg"
            ),
        ]
        indexes = [models.Index(fields=["period"])]

    def __str__(self) -> str:
        return gettext("%(project)s %(period)s") % {
            "project": self.project,
            "period": dateformat.format(self.period, gettext("Y年m月")),
        }


# The 入库 checklist and 专家论证 live in their own module (see its docstring); imported here so
# Django registers them with this app.
from apps.projects.entry import (  # noqa: E402, F401
    CriterionJudgement,
    EntryCriterion,
    Expert,
    ExpertOpinion,
    Verdict,
)
from apps.projects.preparation import (  # noqa: E402, F401
    FACTOR_UNITS,
    DocumentKind,
    FactorKind,
    FactorNeed,
    FactorStatus,
    MilestoneKind,
    PreparatoryMilestone,
    ProjectDocument,
    UpdatePhoto,
)
