"""Admin integration of the permission policy, for models that have an owning unit.

Platform administrators use the admin; this mixin makes sure that even a unit user given admin
access could only see and change their own unit's rows.
"""

from apps.core import permissions as policy


class PolicyAdminMixin:
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return policy.restrict(qs, request.user, policy.Action.VIEW)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return policy.can(request.user, policy.Action.CHANGE, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return policy.can(request.user, policy.Action.CHANGE, obj)
