"""One FilterSet per list, shared by the pages, the API and the Excel export.

``TaskFilter`` (task list, /api/v1/tasks/, the division-table export) and ``AssignmentFilter``
(我的任务, the coordinator's board, /api/v1/assignments/) take the same parameters:

* ``source``  — document code: 004, 003, 002
* ``chapter`` — chapter number within the document (use with ``source``)
* ``unit``    — organisation id: tasks it leads or participates in
* ``role``    — lead / participating (with ``unit``: in which capacity)
* ``status``  — assignment status: assigned, in_progress, submitted, accepted, returned
* ``overdue`` — true: live work past its due date and still owed; false: not overdue
* ``q``       — text in the task's content (or the unit's name)
* ``scope``   — assignments only: live (documents 执行中), history (总结评估/已办结/归档), all.
  The API defaults to all; the boards (我的任务, 督办台账) default to live.

For tasks, ``unit``, ``role``, ``status`` and ``overdue`` describe the same assignment: "tasks
where 西宁市政府's assignment is overdue", not "tasks where 西宁 takes part and someone is
overdue".
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from apps.core.forms import CompactForm
from apps.reference.models import Organization
from apps.tasks.models import Assignment, SourceDocument, Task
from apps.workgroups.models import WorkingGroup

OVERDUE_CHOICES = (("true", _("已逾期")), ("false", _("未逾期")))
SCOPE_CHOICES = (
    ("live", _("在办（执行中文件）")),
    ("history", _("历史（已结束文件）")),
    ("all", _("全部")),
)


def _source(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=_("来源文件"),
        field_name=field_name,
        queryset=SourceDocument.objects.all(),
        to_field_name="code",
        empty_label=_("全部文件"),
    )


def _chapter(field_name: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(label=_("章节"), field_name=field_name)


@extend_schema_field(OpenApiTypes.INT)
class _UnitFilter(django_filters.ModelChoiceFilter):
    """An organisation id. For tasks it filters their assignments, so the schema cannot read
    its type off the Task model: say it is the unit's integer id."""


class _Common(django_filters.FilterSet):
    """The parameters every list takes. ``unit``, ``role``, ``status`` and ``overdue`` are
    fields of an assignment (``ASSIGNMENT_FILTERS``)."""

    unit = _UnitFilter(
        label=_("承办单位"), queryset=Organization.objects.all(), empty_label=_("全部单位")
    )
    role = django_filters.ChoiceFilter(
        label=_("分工"), choices=Assignment.Role.choices, empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Assignment.Status.choices, empty_label=_("全部")
    )
    overdue = django_filters.ChoiceFilter(
        label=_("逾期"), choices=OVERDUE_CHOICES, empty_label=_("全部"), method="filter_overdue"
    )
    q = django_filters.CharFilter(label=_("关键词"), method="filter_q")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.form.fields:
            # Only units that have assignments: a short list instead of every organisation.
            self.form.fields["unit"].queryset = Organization.objects.filter(
                pk__in=Assignment.objects.values("unit_id")
            ).order_by("kind", "name")

    def filter_overdue(self, queryset, name, value: str):
        """true: live work past its due date and still owed (``selectors.overdue_q``, as the
        boards count it); false: everything else. On assignments."""
        from apps.tasks.selectors import overdue_q

        overdue = overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value == "true" else queryset.exclude(overdue)


ASSIGNMENT_FILTERS = ("unit", "role", "status", "overdue")


class TaskFilter(_Common):
    source = _source("source")
    chapter = _chapter("chapter__number")
    working_group = django_filters.ModelChoiceFilter(
        label=_("专项工作组"),
        queryset=WorkingGroup.objects.all(),
        field_name="working_groups",
        empty_label=_("全部工作组"),
    )

    class Meta:
        model = Task
        fields = ["source", "chapter", "unit", "role", "status", "overdue", "q", "working_group"]
        form = CompactForm

    def filter_q(self, queryset, name, value: str):
        return queryset.filter(Q(content__icontains=value) | Q(title__icontains=value))

    def filter_queryset(self, queryset):
        """The assignment filters describe one assignment ("tasks where 西宁市政府's assignment
        is overdue"): django-filter applies them to the assignments, and the tasks are those
        of the assignments that pass them all; the other filters apply to the tasks."""
        assignments, narrowed = Assignment.objects.all(), False
        for name, value in self.form.cleaned_data.items():
            if name in ASSIGNMENT_FILTERS:
                if value not in (None, ""):
                    assignments, narrowed = self.filters[name].filter(assignments, value), True
            else:
                queryset = self.filters[name].filter(queryset, value)
        if narrowed:
            queryset = queryset.filter(pk__in=assignments.values("task_id"))
        return queryset


class AssignmentFilter(_Common):
    source = _source("task__source")
    chapter = _chapter("task__chapter__number")
    scope = django_filters.ChoiceFilter(
        label=_("范围"), choices=SCOPE_CHOICES, empty_label=None, method="filter_scope"
    )

    class Meta:
        model = Assignment
        fields = ["source", "chapter", "unit", "role", "status", "overdue", "q", "scope"]
        form = CompactForm

    def filter_q(self, queryset, name, value: str):
        return queryset.filter(Q(task__content__icontains=value) | Q(unit__name__icontains=value))

    def filter_scope(self, queryset, name, value: str):
        """live: documents 执行中; history: the others; all (or absent): every assignment."""
        from apps.tasks.selectors import live_q

        if value == "live":
            return queryset.filter(live_q())
        if value == "history":
            return queryset.exclude(live_q())
        return queryset
