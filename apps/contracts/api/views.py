"""REST API of the contract ledgers: fairs (with rates), contracts, monthly reports."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.contracts import selectors, services
from apps.contracts.api import serializers
from apps.contracts.filters import ContractFilter, ContractReportFilter
from apps.contracts.models import Contract, ContractReport, Fair
from apps.core import permissions as policy
from apps.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet, as_drf_validation_error
from apps.core.periods import parse_period

MONTH_PARAM = OpenApiParameter(
    "month", OpenApiTypes.STR, description="月份 YYYY-MM，默认为当前应报月份（上月）"
)
RATES_MONTH_PARAM = OpenApiParameter(
    "month",
    OpenApiTypes.STR,
    description="月份 YYYY-MM，默认为截至当前应报月份的最近已报月份（与页面、驾驶舱一致）",
)


def _month(request, fair: Fair, *, figures: bool = False):
    """?month=, else the fair's display period (``selectors.display_period``), as on the pages."""
    text = request.query_params.get("month")
    if not text:
        return selectors.display_period(fair, figures=figures)
    try:
        return parse_period(text)
    except ValueError as exc:
        raise ValidationError({"month": [str(exc)]}) from exc


class FairViewSet(ScopedReadOnlyViewSet):
    """Fairs and their rate targets. A fair is public to every signed-in user: the rows of its
    ledger (contracts, reports) are what the policy scopes, and the rates below are computed
    over the contracts the requesting user may see."""

    queryset = (
        Fair.objects.select_related("coordinating_unit")
        .prefetch_related("targets")
        .annotate(contract_count=Count("contracts"))
        .order_by("-held_on", "-document_date", "-pk")
    )
    serializer_class = serializers.FairSerializer
    filterset_fields = ["short_name"]

    def _visible_contracts(self):
        return policy.restrict(Contract.objects.all(), self.request.user, policy.Action.VIEW)

    @extend_schema(
        parameters=[
            RATES_MONTH_PARAM,
            OpenApiParameter(
                "by",
                OpenApiTypes.STR,
                enum=["unit", "region"],
                description="分组：unit 按责任单位，region 按市州；不填为整体",
            ),
        ],
        responses=serializers.RatesResponseSerializer,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def rates(self, request, pk=None):
        """履约率、开工率、资金到位率 as of a month, against the target in force, with the gap."""
        fair = self.get_object()
        period = _month(request, fair, figures=True)
        by = request.query_params.get("by") or None
        if by not in (None, *selectors.BY_CHOICES):
            raise ValidationError(
                {"by": [_("by 只能是 unit 或 region，实为“%(by)s”") % {"by": by}]}
            )
        result = selectors.rates(
            fair=fair, period=period, by=by, queryset=self._visible_contracts()
        )
        body = {"fair": fair.pk, "month": f"{period:%Y-%m}", "by": by}
        body["result" if by is None else "results"] = result
        return Response(serializers.RatesResponseSerializer(body).data)

    @extend_schema(
        parameters=[MONTH_PARAM], responses=serializers.ReportingStatusResponseSerializer
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="reporting-status",
        pagination_class=None,
        filter_backends=[],
    )
    def reporting_status(self, request, pk=None):
        """Per responsible unit: contracts, reports filed for the month, missing, overdue."""
        fair = self.get_object()
        period = _month(request, fair)
        rows = selectors.reporting_status(
            fair=fair, period=period, queryset=self._visible_contracts()
        )
        body = {"fair": fair.pk, "month": f"{period:%Y-%m}", "results": rows}
        return Response(serializers.ReportingStatusResponseSerializer(body).data)


class ContractViewSet(ScopedReadOnlyViewSet):
    """Ledger rows. Filters: fair, unit, region (市州 code), place, investment_min/max, q,
    flagged. Rows are corrected in the application (or re-imported), not through the API."""

    queryset = Contract.objects.select_related("responsible_unit", "region").order_by("fair", "seq")
    serializer_class = serializers.ContractSerializer
    filterset_class = ContractFilter
    ordering_fields = ["seq", "total_investment", "updated_at"]


class ContractReportViewSet(ScopedModelViewSet):
    """Monthly reports. A unit creates and updates reports on its own contracts only; an update
    must carry the ``version`` it read (a stale one is refused)."""

    queryset = ContractReport.objects.select_related(
        "contract", "contract__fair", "reported_by"
    ).order_by("-period", "contract__seq")
    serializer_class = serializers.ContractReportSerializer
    filterset_class = ContractReportFilter
    ordering_fields = ["period", "updated_at"]

    def _data(self, validated):
        return {k: v for k, v in validated.items() if k in services.REPORT_FIELDS}

    def perform_create(self, serializer):
        contract = serializer.validated_data["contract"]
        period = serializer.validated_data["period"]
        self.check_owner(contract.responsible_unit)
        existing = ContractReport.objects.filter(contract=contract, period=period).first()
        if existing is not None:
            raise ValidationError(
                {
                    "period": [
                        _("该项目该月已有月报（id=%(id)s），请用 PATCH 修改并带上 version。")
                        % {"id": existing.pk}
                    ]
                }
            )
        serializer.instance = self._save(contract, period, serializer.validated_data, None)

    def perform_update(self, serializer):
        report = serializer.instance
        data = serializer.validated_data
        if "contract" in data and data["contract"].pk != report.contract_id:
            raise ValidationError({"contract": [_("不能把月报改挂到其他项目。")]})
        if "period" in data and data["period"] != report.period:
            raise ValidationError({"period": [_("不能修改月报所属月份。")]})
        if "version" not in data:
            raise ValidationError({"version": [_("修改月报须带上读取时的 version（乐观锁）。")]})
        serializer.instance = self._save(report.contract, report.period, data, data["version"])

    def _save(self, contract, period, data, version):
        try:
            return services.save_report(
                user=self.request.user,
                contract=contract,
                period=period,
                data=self._data(data),
                expected_version=version,
            )
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
