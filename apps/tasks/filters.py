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

from apps.reference.models import Organization
from apps.tasks.models import Assignment, SourceDocument, Task
from apps.workgroups.models import WorkingGroup

OVERDUE_CHOICES = (("true", _("已逾期")), ("false", _("未逾期")))
SCOPE_CHOICES = (
    ("live", _("在办（执行中文件）")),
    ("history", _("历史（已结束文件）")),
    ("all", _("全部")),
)


def _overdue_q(prefix: str = "") -> Q:
    """Overdue as the boards count it: live work only (apps.tasks.selectors.overdue_q)."""
    from apps.tasks.selectors import overdue_q

    return overdue_q(timezone.localdate(), prefix)


class _Common(django_filters.FilterSet):
    source = django_filters.ModelChoiceFilter(
        label=_("来源文件"),
        queryset=SourceDocument.objects.all(),
        to_field_name="code",
        empty_label=_("全部文件"),
        method="noop_str",
    )
    chapter = django_filters.NumberFilter(label=_("章节"), method="noop_int")
    unit = django_filters.ModelChoiceFilter(
        label=_("承办单位"),
        queryset=Organization.objects.all(),
        empty_label=_("全部单位"),
        method="noop_int",
    )
    role = django_filters.ChoiceFilter(
        label=_("分工"), choices=Assignment.Role.choices, empty_label=_("全部"), method="noop_str"
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Assignment.Status.choices, empty_label=_("全部"), method="noop_str"
    )
    overdue = django_filters.ChoiceFilter(
        label=_("逾期"), choices=OVERDUE_CHOICES, empty_label=_("全部"), method="noop_bool"
    )
    q = django_filters.CharFilter(label=_("关键词"), method="noop_str")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            css = "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
            if name == "chapter":
                css = "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)
        if "unit" in self.form.fields:
            # Only units that have assignments: a short list instead of every organisation.
            self.form.fields["unit"].queryset = Organization.objects.filter(
                pk__in=Assignment.objects.values("unit_id")
            ).order_by("kind", "name")

    # The parameters are combined in ``filter_queryset`` (they describe one assignment); the
    # type hints tell the OpenAPI schema what each parameter is.
    def noop_str(self, queryset, name, value: str):
        return queryset

    def noop_int(self, queryset, name, value: int):
        return queryset

    def noop_bool(self, queryset, name, value: bool):  # "true" / "false"
        return queryset

    def _assignment_q(self, prefix: str) -> Q | None:
        data = self.form.cleaned_data
        cond = Q()
        used = False
        if data.get("unit"):
            cond &= Q(**{f"{prefix}unit": data["unit"]})
            used = True
        if data.get("role"):
            cond &= Q(**{f"{prefix}role": data["role"]})
            used = True
        if data.get("status"):
            cond &= Q(**{f"{prefix}status": data["status"]})
            used = True
        overdue = {"true": True, "false": False}.get(data.get("overdue") or "")
        if overdue is True:
            cond &= _overdue_q(prefix)
            used = True
        elif overdue is False:
            cond &= ~_overdue_q(prefix)
            used = True
        return cond if used else None


class TaskFilter(_Common):
    working_group = django_filters.ModelChoiceFilter(
        label=_("专项工作组"),
        queryset=WorkingGroup.objects.all(),
        field_name="working_groups",
        empty_label=_("全部工作组"),
    )

    class Meta:
        model = Task
        fields = ["source", "chapter", "unit", "role", "status", "overdue", "q", "working_group"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("source"):
            queryset = queryset.filter(source=data["source"])
        if data.get("chapter") is not None:
            queryset = queryset.filter(chapter__number=data["chapter"])
        if data.get("q"):
            queryset = queryset.filter(
                Q(content__icontains=data["q"]) | Q(title__icontains=data["q"])
            )
        cond = self._assignment_q("")
        if cond is not None:
            queryset = queryset.filter(pk__in=Assignment.objects.filter(cond).values("task_id"))
        return queryset


class AssignmentFilter(_Common):
    scope = django_filters.ChoiceFilter(
        label=_("范围"), choices=SCOPE_CHOICES, empty_label=None, method="noop_str"
    )
    default_scope = "all"

    class Meta:
        model = Assignment
        fields = ["source", "chapter", "unit", "role", "status", "overdue", "q", "scope"]

    def filter_queryset(self, queryset):
        from apps.tasks.selectors import live_q

        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        scope = data.get("scope") or self.default_scope
        if scope == "live":
            queryset = queryset.filter(live_q())
        elif scope == "history":
            queryset = queryset.exclude(live_q())
        if data.get("source"):
            queryset = queryset.filter(task__source=data["source"])
        if data.get("chapter") is not None:
            queryset = queryset.filter(task__chapter__number=data["chapter"])
        if data.get("q"):
            queryset = queryset.filter(
                Q(task__content__icontains=data["q"]) | Q(unit__name__icontains=data["q"])
            )
        cond = self._assignment_q("")
        if cond is not None:
            queryset = queryset.filter(cond)
        return queryset
