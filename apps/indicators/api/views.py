"""/api/v1/indicators/ (read) and /api/v1/indicator-values/ (lead-unit staff write)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status as http
from rest_framework.exceptions import APIException, ValidationError

from apps.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet, as_drf_validation_error
from apps.core.concurrency import ConcurrentEditError
from apps.indicators import selectors, services
from apps.indicators.api.serializers import IndicatorSerializer, MeasureValueSerializer
from apps.indicators.filters import MONITORED_YEARS, IndicatorFilterSet, year_from
from apps.indicators.models import Indicator, MeasureValue


class Conflict(APIException):
    status_code = http.HTTP_409_CONFLICT
    default_code = "concurrent_edit"


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                enum=list(MONITORED_YEARS),
                description="监测年度（值与状态取该年），默认为上一个已结束的年度",
            )
        ]
    )
)
class IndicatorViewSet(ScopedReadOnlyViewSet):
    """十四五指标: ``?year=2023`` picks the monitoring year of values and statuses
    (default: the last completed year); filters level, kind, chapter, lead_unit, status, q."""

    queryset = Indicator.objects.all()
    updated_since_fields = ("measures__values__updated_at",)  # its monitored values
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    ordering_fields = ["level", "number"]

    def get_queryset(self):
        # indicators_for applies the policy (restrict VIEW) itself and annotates the year.
        return selectors.indicators_for(self.request.user, year=self.year)

    @property
    def year(self) -> int:
        text = self.request.query_params.get("year")
        if text and not (text.strip().isdigit() and int(text) in MONITORED_YEARS):
            # A year we do not monitor is a 400, not silently the default year's values.
            years = ", ".join(str(y) for y in MONITORED_YEARS)
            raise ValidationError(
                {
                    "year": [
                        _("监测年度只能是 %(years)s，实为“%(text)s”")
                        % {"years": years, "text": text}
                    ]
                }
            )
        return year_from(self.request.query_params)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "year": self.year}


class MeasureValueViewSet(ScopedModelViewSet):
    """年度监测值: the lead unit's staff POST a new year's value and PATCH it with the
    ``version`` they read; other units get 403, a stale version 409."""

    queryset = MeasureValue.objects.select_related("measure__indicator", "entered_by")
    serializer_class = MeasureValueSerializer
    filterset_fields = ["measure", "year", "status", "measure__indicator"]
    ordering_fields = ["year", "updated_at"]

    def _save(self, serializer, **kwargs):
        data = serializer.validated_data
        try:
            serializer.instance = services.record_value(
                user=self.request.user,
                value=data["value"],
                note=data.get("note", ""),
                **kwargs,
            )
        except ConcurrentEditError as exc:
            raise Conflict(exc.messages[0]) from exc
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc

    def perform_create(self, serializer):
        data = serializer.validated_data
        self._save(serializer, measure=data["measure"], year=data["year"], version=None)

    def perform_update(self, serializer):
        version = serializer.validated_data.get("version")
        if version is None:
            raise ValidationError({"version": _("请提供读取时的版本号（version）。")})
        # A PATCH may send only one of value / note; the other stays as it was.
        serializer.validated_data.setdefault("value", serializer.instance.value)
        serializer.validated_data.setdefault("note", serializer.instance.note)
        obj = serializer.instance
        self._save(serializer, measure=obj.measure, year=obj.year, version=version)
