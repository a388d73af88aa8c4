from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.contracts.models import REPORT_FIELDS, Contract, ContractReport, Fair, RateTarget
from apps.core import permissions as policy
from apps.core.serializers import PeriodField


class RateTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = RateTarget
        fields = ["due_on", "fulfillment", "start", "funding"]


class FairSerializer(serializers.ModelSerializer):
    coordinating_unit = serializers.SlugRelatedField(slug_field="name", read_only=True)
    targets = RateTargetSerializer(many=True, read_only=True)
    contract_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Fair
        fields = [
            "id",
            "name",
            "short_name",
            "held_on",
            "document_no",
            "document_date",
            "coordinating_unit",
            "first_period",
            "targets",
            "contract_count",
        ]


class ContractSerializer(serializers.ModelSerializer):
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    region_name = serializers.CharField(
        source="region.display_name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "fair",
            "seq",
            "name",
            "party_a",
            "party_b",
            "total_investment",
            "funding_source_places",
            "responsible_leader",
            "responsible_persons",
            "responsible_unit",
            "responsible_unit_name",
            "responsible_unit_label",
            "region",
            "region_name",
            "region_basis",
            "needs_correction",
            "correction_note",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class ContractReportSerializer(serializers.ModelSerializer):
    period = PeriodField(help_text=_("所报月份：YYYY-MM 或 YYYY-MM-01"))
    contract_name = serializers.CharField(source="contract.name", read_only=True)
    contract_seq = serializers.IntegerField(source="contract.seq", read_only=True)
    responsible_unit = serializers.IntegerField(
        source="contract.responsible_unit_id", read_only=True
    )
    reported_by = serializers.CharField(
        source="reported_by.username", read_only=True, default=None, allow_null=True
    )
    version = serializers.IntegerField(
        required=False, help_text=_("修改时必填：您读取到的版本号（乐观锁），过期则拒绝保存")
    )

    class Meta:
        model = ContractReport
        fields = [
            "id",
            "contract",
            "contract_seq",
            "contract_name",
            "responsible_unit",
            "period",
            *REPORT_FIELDS,
            "reported_by",
            "version",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]
        # Uniqueness is checked by the service with a clear message, not by DRF's validator.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "contract" in self.fields:
            # Only contracts the user may see can be named at all.
            self.fields["contract"].queryset = policy.restrict(
                Contract.objects.select_related("fair"), request.user, policy.Action.VIEW
            )


def _rate(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=7, decimal_places=4, **kwargs)


class TargetInForceSerializer(serializers.Serializer):
    """The fair's target in force for the month (fractions: 0.7000 = 70%)."""

    due_on = serializers.DateField()
    fulfillment = _rate()
    start = _rate()
    funding = _rate()


class RateGapSerializer(serializers.Serializer):
    """Rate − target per measure; negative is behind; null without a target or a rate."""

    fulfillment = _rate(allow_null=True)
    start = _rate(allow_null=True)
    funding = _rate(allow_null=True)


class RatesSerializer(serializers.Serializer):
    """One row of rates (the whole fair, a unit or a 市州) with the target in force.

    ``unit_id``/``unit_name`` appear in rows by unit, ``region_*`` in rows by region.
    """

    unit_id = serializers.IntegerField(required=False)
    unit_name = serializers.CharField(required=False)
    region_id = serializers.IntegerField(required=False, allow_null=True)
    region_code = serializers.CharField(required=False, allow_null=True)
    region_name = serializers.CharField(required=False)
    contracts = serializers.IntegerField()
    reported = serializers.IntegerField()
    performing = serializers.IntegerField()
    started = serializers.IntegerField()
    total_investment = serializers.DecimalField(max_digits=16, decimal_places=4)
    funds_arrived = serializers.DecimalField(max_digits=16, decimal_places=4)
    fulfillment_rate = _rate(allow_null=True)
    start_rate = _rate(allow_null=True)
    funding_rate = _rate(allow_null=True)
    target = TargetInForceSerializer(allow_null=True)
    gap = RateGapSerializer()


class RatesResponseSerializer(serializers.Serializer):
    """GET /fairs/{id}/rates/: ``result`` for the whole fair, or ``results`` when ``by`` is
    given (one row per unit or 市州)."""

    fair = serializers.IntegerField()
    month = serializers.CharField(help_text="YYYY-MM")
    by = serializers.ChoiceField(
        choices=[("unit", _("按责任单位")), ("region", _("按市州"))], allow_null=True
    )
    result = RatesSerializer(required=False, help_text=_("整体（未给出 by 时）"))
    results = RatesSerializer(many=True, required=False, help_text=_("分组结果（给出 by 时）"))


class ReportingStatusSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    contracts = serializers.IntegerField()
    reported = serializers.IntegerField()
    missing = serializers.IntegerField()
    last_reported_at = serializers.DateTimeField(allow_null=True)
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()


class ReportingStatusResponseSerializer(serializers.Serializer):
    """GET /fairs/{id}/reporting-status/: one row per responsible unit."""

    fair = serializers.IntegerField()
    month = serializers.CharField(help_text="YYYY-MM")
    results = ReportingStatusSerializer(many=True)
