"""API shapes: indicators with units and measures (values of the asked year and the latest),
and yearly values for lead-unit staff to POST/PATCH (policy-checked in the service)."""

from rest_framework import serializers

from apps.core import permissions as policy
from apps.indicators.choices import Status
from apps.indicators.models import Indicator, Measure, MeasureValue


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="organization.id")
    name = serializers.CharField(source="organization.name")


class MeasureSerializer(serializers.ModelSerializer):
    direction_display = serializers.CharField(source="get_direction_display")
    year_value = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    year_status = serializers.ChoiceField(choices=Status.choices)
    latest = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = [
            "id",
            "order",
            "name",
            "target_text",
            "target_value",
            "unit",
            "direction",
            "direction_display",
            "base_value",
            "base_year",
            "target_year",
            "yearly",
            "tolerance",
            "year_value",
            "year_status",
            "latest",
        ]

    def get_latest(self, obj) -> dict | None:
        """The most recent year with a value (prefetched, no query)."""
        if not obj.series:
            return None
        last = obj.series[-1]
        return {"year": last.year, "value": str(last.value), "status": last.status}


class IndicatorSerializer(serializers.ModelSerializer):
    code = serializers.CharField()
    level_display = serializers.CharField(source="get_level_display")
    kind_display = serializers.CharField(source="kind_label")
    chapter_display = serializers.CharField(source="get_chapter_display")
    lead_units = UnitSerializer(source="lead_links", many=True)
    participating_units = UnitSerializer(source="participating_links", many=True)
    year = serializers.SerializerMethodField()
    status = serializers.ChoiceField(source="year_status", choices=Status.choices)
    status_display = serializers.SerializerMethodField()
    measures = MeasureSerializer(source="measure_list", many=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "level",
            "level_display",
            "number",
            "code",
            "text",
            "kind",
            "kind_display",
            "chapter",
            "chapter_display",
            "lead_units",
            "lead_groups",
            "participating_units",
            "participating_groups",
            "participating_etc",
            "year",
            "status",
            "status_display",
            "measures",
        ]

    def get_year(self, obj) -> int:
        return self.context["year"]

    def get_status_display(self, obj) -> str:
        return Status(obj.year_status).label


class MeasureValueSerializer(serializers.ModelSerializer):
    """POST: measure, year, value, note. PATCH: value, note and the ``version`` you read."""

    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.none())
    version = serializers.IntegerField(required=False)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    entered_by = serializers.StringRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = MeasureValue
        fields = [
            "id",
            "measure",
            "year",
            "value",
            "note",
            "status",
            "version",
            "entered_by",
            "updated_at",
        ]
        read_only_fields = ["status", "entered_by", "updated_at"]
        validators = []  # (measure, year) uniqueness is the service's: it answers 409

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only measures the user may see can be named; the service checks the lead unit.
            self.fields["measure"].queryset = policy.restrict(
                Measure.objects.all(), request.user, policy.Action.VIEW
            )
        if self.instance is not None:
            self.fields["measure"].read_only = True
            self.fields["year"].read_only = True
