"""One FilterSet per list, shared by the project pages, the API and the Excel export."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db import connection
from django.db.models import BooleanField, Func, Q, TextField, Value
from django.db.models.functions import Upper
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy

from apps.core.paging import keys_first
from apps.core.periods import parse_period
from apps.projects.models import (
    SIZE_CLASS_BOUNDS,
    Campaign,
    CampaignBatch,
    CodeStatus,
    LibraryStatus,
    Project,
    ProjectMonthlyUpdate,
    SizeClass,
    Stage,
    Tier,
)
from apps.reference.models import InfrastructureDomain, Organization, Region, Sector

YES_NO = forms.Select(
    choices=[
        ("", gettext_lazy("全部")),
        ("true", gettext_lazy("是")),
        ("false", gettext_lazy("否")),
    ]
)


def _regions(request):
    return Region.objects.exclude(level=Region.Level.PROVINCE).select_related("parent")


def _units(request):
    # Units that own a project: a short list instead of every organisation.
    return Organization.objects.filter(pk__in=Project.objects.values("responsible_unit")).order_by(
        "name"
    )


class GroupedRegionIterator(ModelChoiceIterator):
    """The regions as one <optgroup> per 市州: the 市州 itself first, then its 县区. Ordered by
    the regions' own order, the counties would all follow the last 市州 (海西州) and look like
    its own."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[int, tuple[Region, list[Region]]] = {}
        orphans: list[Region] = []
        regions = list(self.queryset)
        for r in regions:
            if r.level == Region.Level.PREFECTURE:
                groups.setdefault(r.pk, (r, []))
        for r in regions:
            if r.level == Region.Level.PREFECTURE:
                groups[r.pk][1].insert(0, r)
            elif r.parent_id in groups:
                groups[r.parent_id][1].append(r)
            else:
                orphans.append(r)  # a county whose 市州 is not offered
        for prefecture, members in groups.values():
            yield (prefecture.display_name, [self.choice(r) for r in members])
        for r in orphans:
            yield self.choice(r)

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class RegionChoiceField(forms.ModelChoiceField):
    iterator = GroupedRegionIterator

    def label_from_instance(self, obj: Region) -> str:
        return obj.display_name


class RegionFilter(django_filters.ModelChoiceFilter):
    field_class = RegionChoiceField


class _Bigrams(Func):
    function = "qh_bigrams"  # migration projects 0007 (PostgreSQL)
    output_field = TextField()


class _SearchedText(Func):
    """The searched columns as the bigram index has them: upper-cased, chr(1) between."""

    arg_joiner = " || chr(1) || "
    template = "%(expressions)s"
    output_field = TextField()


class _Contains(Func):
    arg_joiner = " @> "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def text_search_q(value: str) -> Q:
    """``?q=``: the term in the name, the code, the 实施主体 or the responsible unit's name
    (icontains, so the same rows on every database).

    The unit's name is matched among the few hundred units first and the ids put in the
    condition, not by joining every project to its unit (the unit is never null, so the same
    rows as the join). On PostgreSQL a term of two characters or more also carries
    ``bigrams(columns) @> bigrams(term)`` — implied by any substring match, so the rows do not
    change — which the bigram index of migration 0006/0007 serves, and the unit ids an index
    on responsible_unit: a bitmap of the few matching rows instead of reading the library
    (issue 15; trigrams cannot serve the two-character terms Chinese searches mostly are).
    """
    text = (
        Q(name__icontains=value)
        | Q(code__icontains=value)
        | Q(implementing_entity__icontains=value)
    )
    if connection.vendor != "postgresql":
        units = Organization.objects.filter(name__icontains=value).values("pk")
        return text | Q(responsible_unit__in=units)
    if len(value) >= 2:
        searched = _SearchedText(Upper("name"), Upper("code"), Upper("implementing_entity"))
        text = Q(_Contains(_Bigrams(searched), _Bigrams(Upper(Value(value))))) & text
    units = list(Organization.objects.filter(name__icontains=value).values_list("pk", flat=True))
    return text | Q(responsible_unit__in=units) if units else text


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=gettext_lazy("关键词"))
    tier = django_filters.ChoiceFilter(
        choices=Tier.choices, label=gettext_lazy("层级"), empty_label=gettext_lazy("全部层级")
    )
    region = RegionFilter(
        queryset=_regions,
        to_field_name="code",
        method="filter_region",
        label=gettext_lazy("地区"),
        empty_label=gettext_lazy("全部地区"),
    )
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(),
        to_field_name="code",
        label=gettext_lazy("行业"),
        empty_label=gettext_lazy("全部行业"),
    )
    domain = django_filters.ModelChoiceFilter(
        field_name="infrastructure_domain",
        queryset=InfrastructureDomain.objects.all(),
        to_field_name="code",
        label=gettext_lazy("基础设施领域"),
        empty_label=gettext_lazy("全部领域"),
    )
    stage = django_filters.ChoiceFilter(
        choices=Stage.choices, label=gettext_lazy("阶段"), empty_label=gettext_lazy("全部阶段")
    )
    status = django_filters.ChoiceFilter(
        field_name="library_status",
        choices=LibraryStatus.choices,
        label=gettext_lazy("入库状态"),
        empty_label=gettext_lazy("全部状态"),
    )
    size = django_filters.ChoiceFilter(
        choices=SizeClass.choices,
        method="filter_size",
        label=gettext_lazy("规模"),
        empty_label=gettext_lazy("全部规模"),
    )
    investment_min = django_filters.NumberFilter(
        field_name="total_investment", lookup_expr="gte", label=gettext_lazy("总投资≥(亿元)")
    )
    investment_max = django_filters.NumberFilter(
        field_name="total_investment", lookup_expr="lte", label=gettext_lazy("总投资≤(亿元)")
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="responsible_unit",
        queryset=_units,
        label=gettext_lazy("责任单位"),
        empty_label=gettext_lazy("全部单位"),
    )
    head = django_filters.BooleanFilter(
        field_name="is_head_project", label=gettext_lazy("头部项目"), widget=YES_NO
    )
    fyp = django_filters.BooleanFilter(
        field_name="is_14th_fyp_major", label=gettext_lazy("十四五重大项目"), widget=YES_NO
    )
    ppp = django_filters.BooleanFilter(field_name="is_ppp", label="PPP", widget=YES_NO)
    code_status = django_filters.ChoiceFilter(
        choices=CodeStatus.choices,
        method="filter_code_status",
        label=gettext_lazy("赋码状态"),
        empty_label=gettext_lazy("全部"),
    )
    demo = django_filters.BooleanFilter(
        field_name="is_demo", label=gettext_lazy("演示数据"), widget=YES_NO
    )
    campaign = django_filters.ModelChoiceFilter(
        queryset=Campaign.objects.all(),
        label=gettext_lazy("谋划行动"),
        empty_label=gettext_lazy("全部行动"),
    )
    batch = django_filters.ChoiceFilter(
        choices=CampaignBatch.Number.choices,
        label=gettext_lazy("批次"),
        empty_label=gettext_lazy("全部批次"),
    )
    plan_year = django_filters.NumberFilter(
        label=gettext_lazy("计划年度"), min_value=2000, max_value=2100
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("total_investment", "total_investment"),
            ("planned_investment_year", "planned_investment_year"),
            ("tier", "tier"),
            ("region__sort_order", "region"),
            ("sector__sort_order", "sector"),
            ("responsible_unit__name", "unit"),
            ("stage", "stage"),
            ("library_status", "status"),
            ("status_changed_at", "status_changed_at"),
            ("updated_at", "updated_at"),
            ("planned_start", "planned_start"),
        ),
        field_labels={
            "name": gettext_lazy("项目名称"),
            "total_investment": gettext_lazy("总投资"),
            "planned_investment_year": gettext_lazy("年度计划投资"),
            "tier": gettext_lazy("层级"),
            "region__sort_order": gettext_lazy("地区"),
            "sector__sort_order": gettext_lazy("行业"),
            "responsible_unit__name": gettext_lazy("责任单位"),
            "stage": gettext_lazy("阶段"),
            "library_status": gettext_lazy("入库状态"),
            "status_changed_at": gettext_lazy("状态变更时间"),
            "updated_at": gettext_lazy("更新时间"),
            "planned_start": gettext_lazy("计划开工"),
        },
        label=gettext_lazy("排序"),
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def filter_code_status(self, queryset, name, value):
        if value == CodeStatus.CODED:
            return queryset.exclude(code="")
        return queryset.filter(code="")

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Matches are scattered over the library: the page's keys first (apps.core.paging).
        return keys_first(queryset.filter(text_search_q(value)))

    def filter_region(self, queryset, name, value):
        return queryset.filter(value.within_q()) if value else queryset

    def filter_size(self, queryset, name, value):
        bounds = dict(SIZE_CLASS_BOUNDS)
        order = [c for c, _ in SIZE_CLASS_BOUNDS]
        if value == SizeClass.BELOW:
            return queryset.filter(total_investment__lt=bounds[SizeClass.ONE_YI])
        lower = bounds[value]
        i = order.index(value)
        qs = queryset.filter(total_investment__gte=lower)
        if i > 0:
            qs = qs.filter(total_investment__lt=bounds[order[i - 1]])
        return qs

    @property
    def qs(self):
        qs = super().qs
        # A stable default order: largest first (what leaders read), then newest.
        if not getattr(self.form, "cleaned_data", {}).get("ordering"):
            qs = qs.order_by("-total_investment", "-pk")
        else:
            qs = qs.order_by(*qs.query.order_by, "-pk")
        return qs


class MonthlyUpdateFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(
        field_name="project_id", label=gettext_lazy("项目"), min_value=1, max_value=2**63 - 1
    )
    period = django_filters.CharFilter(
        method="filter_period",
        label=gettext_lazy("月份(YYYY-MM)"),
        validators=[
            RegexValidator(r"^\d{4}-\d{1,2}$", gettext_lazy("月份格式应为 YYYY-MM，如 2026-10。"))
        ],
    )
    # Bounded: a year lookup builds Python dates, which reject years like -1.
    year = django_filters.NumberFilter(
        field_name="period__year", label=gettext_lazy("年度"), min_value=2000, max_value=2100
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="project__responsible_unit",
        queryset=_units,
        label=gettext_lazy("责任单位"),
        empty_label=gettext_lazy("全部单位"),
    )
    region = RegionFilter(
        queryset=_regions,
        to_field_name="code",
        method="filter_region",
        label=gettext_lazy("地区"),
        empty_label=gettext_lazy("全部地区"),
    )
    problems = django_filters.BooleanFilter(
        method="filter_problems", label=gettext_lazy("有困难问题"), widget=YES_NO
    )

    class Meta:
        model = ProjectMonthlyUpdate
        fields: list[str] = []

    def filter_period(self, queryset, name, value):
        if not value:
            return queryset
        try:
            return queryset.filter(period=parse_period(value))
        except ValueError:
            return queryset.none()

    def filter_region(self, queryset, name, value: str):  # the hint is for the schema: a code
        return queryset.filter(value.within_q("project__")) if value else queryset

    def filter_problems(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(problems="") if value else queryset.filter(problems="")


def _prefectures(request):
    return Region.objects.filter(level=Region.Level.PREFECTURE)


def _queue_units(request):
    # The units with a project waiting in this reviewer's queue: a short list.
    from apps.projects import selectors

    user = getattr(request, "user", None)
    waiting = selectors.review_queue(user).values("responsible_unit") if user else []
    return Organization.objects.filter(pk__in=waiting).order_by("name")


class ReviewQueueFilter(django_filters.FilterSet):
    """The review queue's filters (市州, 单位, 批次, 状态) and its sorts."""

    status = django_filters.ChoiceFilter(
        choices=[
            (LibraryStatus.SUBMITTED, LibraryStatus.SUBMITTED.label),
            (LibraryStatus.IN_REVIEW, LibraryStatus.IN_REVIEW.label),
        ],
        field_name="library_status",
        label=gettext_lazy("状态"),
        empty_label=gettext_lazy("全部待办"),
    )
    region = django_filters.ModelChoiceFilter(
        queryset=_prefectures,
        to_field_name="code",
        method="filter_region",
        label=gettext_lazy("市州"),
        empty_label=gettext_lazy("全部市州"),
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="responsible_unit",
        queryset=_queue_units,
        label=gettext_lazy("责任单位"),
        empty_label=gettext_lazy("全部单位"),
    )
    batch = django_filters.ChoiceFilter(
        choices=CampaignBatch.Number.choices,
        label=gettext_lazy("批次"),
        empty_label=gettext_lazy("全部批次"),
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("status_changed_at", "waiting"),
            ("total_investment", "total_investment"),
            ("name", "name"),
            ("region__sort_order", "region"),
            ("responsible_unit__name", "unit"),
        ),
        # Choices spelled out (django-filter's "(descending)" labels are built at import,
        # before any language is chosen) and only the directions a reviewer asks for.
        choices=[
            ("-waiting", gettext_lazy("最近提交在前")),
            ("-total_investment", gettext_lazy("总投资从大到小")),
            ("total_investment", gettext_lazy("总投资从小到大")),
            ("name", gettext_lazy("项目名称")),
            ("region", gettext_lazy("地区")),
            ("unit", gettext_lazy("责任单位")),
        ],
        label=gettext_lazy("排序"),
        empty_label=gettext_lazy("默认（先到先审）"),
    )

    class Meta:
        model = Project
        fields = ["status", "region", "unit", "batch"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(value.within_q()) if value else queryset
