"""Base viewsets every API endpoint builds on, so none can forget the permission policy."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.permissions import AllowAny

from apps.core import permissions as policy


class ScopedViewSetMixin:
    """Scopes ``queryset`` to what the requesting user may see (or change, for writes)."""

    queryset = None

    def get_queryset(self):
        qs = super().get_queryset()
        # Writes still look rows up in the *visible* set, so a unit user gets 403 (not 404) on
        # a record they may see but not change; invisible rows are 404 either way.
        return policy.restrict(qs, self.request.user, policy.Action.VIEW)

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
