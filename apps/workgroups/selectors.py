"""Reads of the working groups: members, the plan's tasks, and the library projects of the
domains a group drives.

The tasks app depends on this one (``Task.group``), so a group's tasks are read through that
reverse relation, never by importing ``apps.tasks``; the project library is below this app.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from apps.core import permissions as policy
from apps.projects.models import Project
from apps.workgroups.models import GroupMember, WorkingGroup


def groups_for_list() -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.prefetch_related(
        "domains",
        Prefetch(
            "members",
            queryset=GroupMember.objects.select_related("organization").order_by("order"),
        ),
        "tasks",
    ).order_by("order")


def group_tasks(group: WorkingGroup) -> QuerySet:
    return group.tasks.select_related("source").with_progress().order_by("number")


def library_projects(group: WorkingGroup, user: Any) -> QuerySet:
    """Projects in the library (已入库) in the group's domains that the user may see; an
    empty QuerySet for a group without domains (要素保障)."""
    domains = list(group.domains.all())
    qs = policy.restrict(Project.objects.all(), user, policy.Action.VIEW).in_library()
    if not domains:
        return qs.none()
    return (
        qs.filter(infrastructure_domain__in=domains)
        .select_related("infrastructure_domain", "responsible_unit", "region")
        .order_by("-total_investment", "name")
    )
