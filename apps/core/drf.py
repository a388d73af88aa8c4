"""DRF settings hooks (default permission, pagination and exception handler).

Kept apart from apps.core.api: DRF reads these classes while importing its views, so this
module must not import rest_framework.views at import time (the handler imports it lazily).
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters, permissions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination

from apps.core import permissions as policy
from apps.core.paging import DeferredJoinPaginator


def token_allows_write(auth) -> bool:
    """A credential that declares ``allows_write`` (``accounts.ApiToken``: its scope) is taken
    at its word; other credentials (a session, none) are unaffected. Core asks the credential
    instead of importing the app that defines it."""
    return bool(getattr(auth, "allows_write", True))


class FormatNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, except that an unknown ``?format=`` is a 406 that names the formats
    the endpoint offers (DRF answers a bare 404 "Not found", as if the rows were missing)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404 as exc:
            wanted = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
            offered = sorted({r.format for r in renderers if r.format})
            raise exceptions.NotAcceptable(
                _("不支持的格式“%(format)s”，可用：%(offered)s。")
                % {"format": wanted, "offered": ", ".join(offered)}
            ) from exc


class StandardPagination(PageNumberPagination):
    # Deep pages read the page's keys first (apps.core.paging): same rows, no full sort.
    django_paginator_class = DeferredJoinPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class StrictOrderingFilter(filters.OrderingFilter):
    """``?ordering=`` as DRF has it, except that an unknown field is a 400, not silently
    ignored (a client would otherwise take the unsorted list for the sorted one)."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",") if param.strip()]
            valid = self.remove_invalid_fields(queryset, fields, view, request)
            if len(valid) != len(fields):
                allowed = sorted(name for name, _label in self.get_valid_fields(queryset, view))
                raise exceptions.ValidationError(
                    {
                        self.ordering_param: [
                            _("不能按“%(value)s”排序，可用字段：%(allowed)s（前加 - 为倒序）")
                            % {"value": params, "allowed": ", ".join(allowed)}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)


class PolicyPermission(permissions.BasePermission):
    """Authenticated users only; a write asks the policy for its named action *before* the
    request body is validated, so a refused user gets 403 whatever they sent.

    A viewset names the action of each write in ``policy_actions`` (viewset action name →
    ``policy.Action``, e.g. ``{"accept": Action.SUPERVISE}``); other writes are ``CHANGE``
    (or ``policy_action_for_write``). ``None`` means the service alone decides (it must then
    refuse with PermissionDenied). Row-level scoping happens in
    ``ScopedViewSetMixin.get_queryset``.
    """

    @staticmethod
    def write_action(view) -> str | None:
        actions = getattr(view, "policy_actions", {})
        name = getattr(view, "action", None)
        if name in actions:
            return actions[name]
        return getattr(view, "policy_action_for_write", policy.Action.CHANGE)

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if not token_allows_write(request.auth):  # a read-scoped API token never writes
            self.message = _("只读令牌不能写入。")
            return False
        if self.write_action(view) == policy.Action.CHANGE:
            return policy.can_create(user)
        return True  # the other actions are checked per object

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return policy.can(request.user, policy.Action.VIEW, obj)
        if not token_allows_write(request.auth):
            self.message = _("只读令牌不能写入。")
            return False
        action = self.write_action(view)
        if action is None or policy.can(request.user, action, obj):
            return True
        self.message = policy.refusal(action)  # DRF's 403 detail
        return False


# --- one error shape ---------------------------------------------------------------------------

#: Where errors that belong to no single field go (DRF's NON_FIELD_ERRORS_KEY is set to it).
NON_FIELD_KEY = "detail"


def error_body(data) -> dict[str, list[str]]:
    """Every API error as ``{"field": ["message", ...]}``.

    Field errors keep their field name (nested ones joined with dots: ``targets.0.due_on``);
    everything else — non-field validation errors, 401/403/404/405/409/429 — goes under
    ``detail``. A client handles one shape whatever went wrong.
    """
    out: dict[str, list[str]] = {}

    def add(key: str, value) -> None:
        if isinstance(value, dict):
            for sub, item in value.items():
                sub = NON_FIELD_KEY if sub in (NON_FIELD_ERRORS, NON_FIELD_KEY) else str(sub)
                add(sub if key == NON_FIELD_KEY else f"{key}.{sub}", item)
        elif isinstance(value, list | tuple):
            if all(not isinstance(item, dict | list | tuple) for item in value):
                out.setdefault(key, []).extend(str(item) for item in value)
            else:
                for index, item in enumerate(value):
                    if item:  # a list serializer reports {} for each row without errors
                        add(f"{key}.{index}" if key != NON_FIELD_KEY else str(index), item)
        else:
            out.setdefault(key, []).append(str(value))

    add(NON_FIELD_KEY, data)
    return out


def exception_handler(exc, context):
    """DRF's handler, with Django's own refusals mapped too and every body in one shape.

    A service's ``ValidationError`` that reached the view unconverted is still a 400 (not a
    500); anything else DRF does not handle stays a 500 and is logged as one.
    """
    if isinstance(exc, Http404):
        # Django's message ("No Project matches the given query.") is untranslated and names
        # the model; DRF's own is translated and says no more than "not found".
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_KEY: exc.messages}
        )
    from rest_framework import views as drf_views

    response = drf_views.exception_handler(exc, context)
    if response is not None:
        response.data = error_body(response.data)
    return response


class ReferenceReadPermission(PolicyPermission):
    """Reference data and the working groups: every signed-in user reads every row, nobody
    writes through the API. (Asking the policy per object raised a TypeError — these models
    declare no owner — and the detail endpoints answered 500 to unit staff.)"""

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.method in permissions.SAFE_METHODS

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in permissions.SAFE_METHODS


class ListFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend taking a list's FilterSet from the list's selector where the view
    names one (``list_filter(request, queryset)``): the API then filters a list exactly as its
    page and its export do. Without one, the FilterSet of ``filterset_class`` as usual."""

    def get_filterset(self, request, queryset, view):
        selector = getattr(view, "list_filter", None)
        if selector is None or self.get_filterset_class(view, queryset) is None:
            return super().get_filterset(request, queryset, view)
        return selector(request, queryset)
