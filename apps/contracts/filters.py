"""One FilterSet per list, shared by the pages, the API and the Excel exports."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.contracts.models import Contract, ContractReport, Fair
from apps.core.forms import MonthField
from apps.reference.models import Organization, Region


def _units(request):
    return Organization.objects.filter(contracts__isnull=False).distinct().order_by("name")


def _prefectures(request):
    return Region.objects.filter(level=Region.Level.PREFECTURE)


@extend_schema_field(OpenApiTypes.STR)
class PrefectureCodeFilter(django_filters.ModelChoiceFilter):
    """A 市州 chosen by its code (e.g. 630100); documented as a string in the API schema."""


class ContractFilter(django_filters.FilterSet):
    fair = django_filters.ModelChoiceFilter(queryset=Fair.objects.all(), label=_("招商活动"))
    unit = django_filters.ModelChoiceFilter(
        field_name="responsible_unit", queryset=_units, label=_("责任单位")
    )
    region = PrefectureCodeFilter(
        queryset=_prefectures, to_field_name="code", method="filter_region", label=_("落地市州")
    )
    place = django_filters.CharFilter(method="filter_place", label=_("资金来源地"))
    investment_min = django_filters.NumberFilter(
        field_name="total_investment", lookup_expr="gte", label=_("总投资不低于(亿元)")
    )
    investment_max = django_filters.NumberFilter(
        field_name="total_investment", lookup_expr="lte", label=_("总投资不高于(亿元)")
    )
    q = django_filters.CharFilter(method="filter_text", label=_("关键词"))
    flagged = django_filters.BooleanFilter(
        method="filter_flagged", label=_("仅待更正"), widget=forms.CheckboxInput
    )

    class Meta:
        model = Contract
        fields = [
            "fair",
            "unit",
            "region",
            "place",
            "investment_min",
            "investment_max",
            "q",
            "flagged",
        ]

    def filter_region(self, queryset, name, value):
        return queryset.filter(value.within_q()) if value else queryset

    def filter_place(self, queryset, name, value):
        return queryset.from_place(value)

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_flagged(self, queryset, name, value):
        # An unticked box means "all rows", not "only the rows that need no correction".
        return queryset.flagged() if value else queryset


class MonthFilter(django_filters.Filter):
    """?month=YYYY-MM → the reports covering that month."""

    field_class = MonthField


class ContractReportFilter(django_filters.FilterSet):
    fair = django_filters.ModelChoiceFilter(
        field_name="contract__fair", queryset=Fair.objects.all(), label=_("招商活动")
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="contract__responsible_unit", queryset=_units, label=_("责任单位")
    )
    region = PrefectureCodeFilter(
        queryset=_prefectures, to_field_name="code", method="filter_region", label=_("落地市州")
    )
    month = MonthFilter(field_name="period", label=_("月份(YYYY-MM)"))
    is_performing = django_filters.BooleanFilter(label=_("正在履约"))
    is_started = django_filters.BooleanFilter(label=_("已开工"))

    class Meta:
        model = ContractReport
        fields = ["contract", "fair", "unit", "region", "month", "is_performing", "is_started"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(value.within_q("contract__")) if value else queryset
