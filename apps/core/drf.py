"""DRF settings hooks (default permission and pagination).

Kept apart from apps.core.api: DRF reads these classes while importing its views, so this
module must not import rest_framework.views itself.
"""

from rest_framework import permissions
from rest_framework.pagination import PageNumberPagination

from apps.core import permissions as policy


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class PolicyPermission(permissions.BasePermission):
    """Authenticated users only; writes only for roles that may change anything.

    Row-level scoping happens in ``ScopedViewSetMixin.get_queryset``; object-level checks
    ask the policy module again.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        action = getattr(view, "policy_action_for_write", policy.Action.CHANGE)
        if action == policy.Action.CHANGE:
            return policy.can_create(user)
        return True  # review / coordinate actions are checked per object

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return policy.can(request.user, policy.Action.VIEW, obj)
        action = getattr(view, "policy_action_for_write", policy.Action.CHANGE)
        return policy.can(request.user, action, obj)
