from rest_framework import serializers

from apps.contracts.models import Contract, ContractReport, Fair, RateTarget
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
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.display_name", read_only=True, default=None)

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
            "needs_correction",
            "correction_note",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class ContractReportSerializer(serializers.ModelSerializer):
    period = PeriodField(help_text="所报月份：YYYY-MM 或 YYYY-MM-01")
    contract_name = serializers.CharField(source="contract.name", read_only=True)
    contract_seq = serializers.IntegerField(source="contract.seq", read_only=True)
    responsible_unit = serializers.IntegerField(
        source="contract.responsible_unit_id", read_only=True
    )
    reported_by = serializers.CharField(source="reported_by.username", read_only=True, default=None)
    version = serializers.IntegerField(
        required=False, help_text="修改时必填：您读取到的版本号（乐观锁），过期则拒绝保存"
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
            "is_performing",
            "is_started",
            "started_on",
            "funds_arrived_to_date",
            "progress",
            "problems",
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


class RatesSerializer(serializers.Serializer):
    """One row of rates (the whole fair, a unit or a 市州) with the target in force."""

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
    fulfillment_rate = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    start_rate = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    funding_rate = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    target = serializers.SerializerMethodField()
    gap = serializers.SerializerMethodField()

    def _decimals(self, data):
        if data is None:
            return None
        return {k: (str(v) if v is not None and k != "due_on" else v) for k, v in data.items()}

    def get_target(self, row) -> dict | None:
        return self._decimals(row.get("target"))

    def get_gap(self, row) -> dict | None:
        return self._decimals(row.get("gap"))


class ReportingStatusSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    contracts = serializers.IntegerField()
    reported = serializers.IntegerField()
    missing = serializers.IntegerField()
    last_reported_at = serializers.DateTimeField(allow_null=True)
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
