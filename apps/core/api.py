"""Base viewsets every API endpoint builds on, so none can forget the permission policy.

Every row an endpoint serves — its list, its detail, the object of a custom action — comes
from ``get_queryset``, and the base wraps every ``get_queryset`` (the subclass's own too) in
``policy.restrict(VIEW)``. A row outside the user's VIEW scope is a 404; a row the user sees
but may not change is a 403 (``PolicyPermission.has_object_permission`` or the service).
``tests/core/test_permission_matrix.py`` checks that every registered viewset inherits it.
"""

from functools import wraps

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.permissions import SAFE_METHODS, AllowAny

from apps.core import permissions as policy
from apps.core.api_sync import SyncExportMixin
from apps.core.drf import token_allows_write


def _scoped(get_queryset):
    @wraps(get_queryset)
    def scoped_get_queryset(self):
        return policy.restrict(get_queryset(self), self.request.user, policy.Action.VIEW)

    scoped_get_queryset.policy_scoped = True
    return scoped_get_queryset


class ScopedViewSetMixin(SyncExportMixin):
    """Scopes ``get_queryset`` to what the requesting user may see; lists and details get
    incremental sync, exports and ETags from ``SyncExportMixin``.

    Writes still look rows up in the *visible* set, so a unit user gets 403 (not 404) on a
    record they may see but not change; invisible rows are 404 either way.
    """

    queryset = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("get_queryset")
        if own is not None and not getattr(own, "policy_scoped", False):
            cls.get_queryset = _scoped(own)

    @_scoped
    def get_queryset(self):
        return super().get_queryset()

    def check_permissions(self, request) -> None:
        super().check_permissions(request)
        # Here as well as in PolicyPermission: some viewsets use permission classes that leave
        # writes to the services, and a read-scoped token must not reach those either.
        if request.method not in SAFE_METHODS and not token_allows_write(request.auth):
            self.permission_denied(request, message=_("只读令牌不能写入。"))

    def check_owner(self, organization) -> None:
        """Refuse to create or move a record into an organisation the user may not write for."""
        if not policy.can_create_for(self.request.user, organization):
            raise PermissionDenied(_("只能为本单位创建或修改记录。"))


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


def as_drf_validation_error(exc: DjangoValidationError) -> DRFValidationError:
    """Translate a service-layer ValidationError into the API's 400 response."""
    if hasattr(exc, "message_dict"):
        return DRFValidationError(exc.message_dict)
    return DRFValidationError({"detail": exc.messages})


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
def not_found(request, *args, **kwargs):
    """Any /api/ URL no route matches (e.g. /api/v1/projects/1.5/): a 404 in the API's error
    shape rather than the site's HTML page."""
    raise NotFound()
