"""/api/v1/rankings/?month=YYYY-MM&by=region|unit|park (or quarter=YYYY-Qn): the ordered rows."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import permissions as policy
from apps.rankings import selectors
from apps.rankings.models import By
from apps.rankings.views import parse_window, window_label


class RankingView(APIView):
    """通报排名: month defaults to the last complete month; 8 rows for ``by=region``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM"),
            OpenApiParameter("quarter", OpenApiTypes.STR, description="YYYY-Qn"),
            OpenApiParameter("by", OpenApiTypes.STR, enum=By.values),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        if not policy.sees_everything(request.user):
            raise PermissionDenied(_("排名仅对领导、审核、协调和接口角色开放。"))
        by = request.query_params.get("by") or By.REGION
        if by not in By.values:
            raise ValidationError({"by": _("by 只能是 region、unit 或 park。")})
        try:
            period, months, _kind = parse_window(request.query_params)
        except ValueError as exc:
            raise ValidationError({"month": str(exc)}) from exc
        rows = selectors.ranking(period=period, by=by, months=months)
        return Response(
            {
                "period": f"{period:%Y-%m}",
                "months": months,
                "label": window_label(period, months),
                "by": by,
                "weights": selectors.current_weights(),
                "count": len(rows),
                "results": rows,
            }
        )
