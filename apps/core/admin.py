"""Admin integration of the permission policy, for models that have an owning unit.

Platform administrators use the admin; this mixin makes sure that even a unit user given admin
access could only see and change their own unit's rows.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

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


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin, with the object id checked before it reaches a query.

    Django's own change/delete views turn a malformed id (``abc``, ``1e999``, a NUL byte) into
    "object not found"; simple-history's history views pass it to the database and fail with
    a 500. Every admin with a history page inherits this instead of ``SimpleHistoryAdmin``.
    """

    def history_view(self, request, object_id, extra_context=None):
        _valid_pk_or_404(self.model, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _valid_pk_or_404(self.model, object_id)
        _valid_pk_or_404(self.model.history.model, version_id)
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )


def _valid_pk_or_404(model, value: str) -> None:
    try:
        model._meta.pk.to_python(unquote(value))
    except ValidationError as exc:
        raise Http404 from exc
