"""The 万千百亿 three-tier project library (MISSION §1; seeds 001 and 003).

A ``Project`` belongs to one responsible unit (责任单位), which alone may edit it. Its library
status (草稿 → 已提交 → 审核中 → 已入库 / 退回修改 / 不予入库; 已入库 → 已出库) changes only
through the named transitions in ``apps.projects.services``; the field is not editable anywhere
and ``Project.save()`` refuses a status change that did not come from a transition.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel, VersionedModel
from apps.projects import codes
from apps.projects.models.campaign import Campaign, CampaignBatch
from apps.projects.models.choices import (
    EDITABLE_STATUSES,
    FUNDING_SOURCES,
    ApprovalType,
    CodeStatus,
    LibraryStatus,
    SizeClass,
    Stage,
    Tier,
    size_class_of,
)
from apps.projects.models.fields import (
    QINGHAI_LAT,
    QINGHAI_LNG,
    ZERO,
    money,
    prefecture_expression,
    size_class_expression,
)


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
        from apps.projects.models.monthly import ProjectMonthlyUpdate  # it points back here

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
