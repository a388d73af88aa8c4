"""The working groups are public to every signed-in user and API client; read-only."""

from django.db.models import Prefetch

from apps.core.api import ScopedReadOnlyViewSet
from apps.workgroups.api.serializers import WorkingGroupSerializer
from apps.workgroups.models import GroupMember, WorkingGroup

# ``tasks.Task.group`` points here; the reverse relation it declares names the model, so this
# app reads a group's tasks without importing the tasks app (which depends on this one).
Task = WorkingGroup.tasks.rel.related_model


class WorkingGroupViewSet(ScopedReadOnlyViewSet):
    """专项工作组: 组长 and 成员 with their units, the domains they drive, and their tasks."""

    updated_since_fields = ()  # groups and members carry no timestamps

    queryset = WorkingGroup.objects.prefetch_related(
        "domains",
        Prefetch("members", queryset=GroupMember.objects.select_related("organization")),
        Prefetch("tasks", queryset=Task.objects.select_related("source").order_by("number")),
    ).order_by("order")
    serializer_class = WorkingGroupSerializer
    pagination_class = None
