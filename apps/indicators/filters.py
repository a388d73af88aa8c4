"""The one FilterSet of the indicator list: the board, the API and the Excel export share it.

Status filters on the indicator's status in the chosen ``year`` (the worst of its measures);
the queryset must come from ``selectors.indicators_for(user, year=...)``, which annotates it.
"""

import django_filters
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.forms import CompactForm
from apps.indicators.choices import CHAPTER_CHOICES, Kind, Level, Status
from apps.indicators.models import IndicatorLeadUnit, Measure
from apps.indicators.selectors import MONITORED_YEARS, default_year
from apps.reference.models import Organization


def _year_label(year: int) -> str:
    return gettext("%(year)s年") % {"year": year}


YEAR_CHOICES = [(y, lazy(_year_label, str)(y)) for y in MONITORED_YEARS]


def year_from(params) -> int:
    """The monitoring year asked for (``?year=2023``), else the default year."""
    try:
        year = int(params.get("year") or 0)
    except (TypeError, ValueError):
        year = 0
    return year if year in MONITORED_YEARS else default_year()


def lead_unit_choices(request=None):
    return Organization.objects.filter(
        pk__in=IndicatorLeadUnit.objects.values("organization")
    ).order_by("kind", "name")


class IndicatorFilterSet(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        label=_("年份"), choices=YEAR_CHOICES, method="filter_year", empty_label=_("默认（上年）")
    )
    level = django_filters.ChoiceFilter(
        label=_("级别"), choices=Level.choices, empty_label=_("全部")
    )
    kind = django_filters.ChoiceFilter(label=_("属性"), choices=Kind.choices, empty_label=_("全部"))
    chapter = django_filters.ChoiceFilter(
        label=_("归口章节"), choices=CHAPTER_CHOICES, empty_label=_("全部")
    )
    lead_unit = django_filters.ModelChoiceFilter(
        label=_("牵头单位"),
        queryset=lead_unit_choices,
        method="filter_lead_unit",
        empty_label=_("全部"),
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Status.choices, field_name="year_status", empty_label=_("全部")
    )
    q = django_filters.CharFilter(label=_("关键词"), method="filter_q")

    class Meta:
        form = CompactForm

    def filter_year(self, queryset, name, value: str):
        return queryset  # the year is applied by the selector's annotations (year_from)

    def filter_lead_unit(self, queryset, name, value: Organization):
        # A subquery, not a join: the status counts of the queryset must not be multiplied.
        return queryset.filter(
            pk__in=IndicatorLeadUnit.objects.filter(organization=value).values("indicator")
        )

    def filter_q(self, queryset, name, value):
        matching = Measure.objects.filter(name__icontains=value).values("indicator")
        return queryset.filter(Q(text__icontains=value) | Q(pk__in=matching))
