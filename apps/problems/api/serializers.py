from rest_framework import serializers

from apps.problems.models import ProblemEvent, ProblemTicket


class ProblemEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ProblemEvent
        fields = ["kind", "from_status", "to_status", "actor", "at", "comment"]


class ProblemSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    reporting_unit_name = serializers.CharField(source="reporting_unit.name", read_only=True)
    responsible_department_name = serializers.CharField(
        source="responsible_department.name", read_only=True
    )
    working_group_name = serializers.CharField(
        source="working_group.name", read_only=True, default=None, allow_null=True
    )
    project_name = serializers.CharField(
        source="project.name", read_only=True, default=None, allow_null=True
    )
    contract_name = serializers.CharField(
        source="contract.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = ProblemTicket
        fields = [
            "id",
            "category",
            "category_label",
            "title",
            "description",
            "status",
            "status_label",
            "reporting_unit",
            "reporting_unit_name",
            "responsible_department",
            "responsible_department_name",
            "working_group",
            "working_group_name",
            "project",
            "project_name",
            "contract",
            "contract_name",
            "source_note",
            "opened_on",
            "deadline",
            "answer",
            "answered_at",
            "resolved_at",
            "escalated_at",
            "version",
        ]
        read_only_fields = fields


class ProblemDetailSerializer(ProblemSerializer):
    events = ProblemEventSerializer(many=True, read_only=True)

    class Meta(ProblemSerializer.Meta):
        fields = [*ProblemSerializer.Meta.fields, "events"]
        read_only_fields = fields


class ProblemStepPayload(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
