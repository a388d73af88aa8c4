"""One FilterSet for the problem list, its API (/api/v1/problems/) and its export.

* ``status`` — pending, in_progress, answered, resolved, escalated; ``open=true`` the three
  open states
* ``category`` — land, forest, grassland, energy, environment, funding, approval, utilities,
  other
* ``working_group``, ``department`` (responsible), ``unit`` (reporting), ``project``,
  ``contract`` — ids
* ``overdue=true`` — 待受理/办理中 past the deadline
* ``q`` — text in the title or description
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import CompactForm
from apps.problems.models import OPEN_STATUSES, Category, ProblemTicket, Status
from apps.reference.models import Organization
from apps.workgroups.models import WorkingGroup

BOOL_CHOICES = (("true", _("是")), ("false", _("否")))


class ProblemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Status.choices, empty_label=_("全部")
    )
    open = django_filters.ChoiceFilter(
        label=_("未办结"), choices=BOOL_CHOICES, method="filter_open", empty_label=_("全部")
    )
    category = django_filters.ChoiceFilter(
        label=_("问题类别"), choices=Category.choices, empty_label=_("全部类别")
    )
    working_group = django_filters.ModelChoiceFilter(
        label=_("专项工作组"), queryset=WorkingGroup.objects.all(), empty_label=_("全部工作组")
    )
    department = django_filters.ModelChoiceFilter(
        label=_("责任部门"),
        field_name="responsible_department",
        queryset=Organization.objects.filter(problem_routes__isnull=False).distinct(),
        empty_label=_("全部部门"),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("报告单位"),
        field_name="reporting_unit",
        queryset=Organization.objects.all(),
        empty_label=_("全部单位"),
    )
    project = django_filters.NumberFilter(
        label=_("项目"), field_name="project_id", min_value=1, max_value=2**63 - 1
    )
    contract = django_filters.NumberFilter(
        label=_("签约项目"), field_name="contract_id", min_value=1, max_value=2**63 - 1
    )
    overdue = django_filters.ChoiceFilter(
        label=_("逾期"), choices=BOOL_CHOICES, method="filter_overdue", empty_label=_("全部")
    )
    q = django_filters.CharFilter(label=_("关键词"), method="filter_q", max_length=100)

    class Meta:
        model = ProblemTicket
        fields: list[str] = []
        form = CompactForm

    def filter_open(self, queryset, name, value):
        q = Q(status__in=OPEN_STATUSES)
        return queryset.filter(q) if value == "true" else queryset.exclude(q)

    def filter_overdue(self, queryset, name, value):
        q = Q(status__in=(Status.PENDING, Status.IN_PROGRESS), deadline__lt=timezone.localdate())
        return queryset.filter(q) if value == "true" else queryset.exclude(q)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))
