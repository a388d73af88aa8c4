"""Serializers of the tasks API: they validate and format; the services decide."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.tasks.models import (
    Assignment,
    AssignmentEvent,
    ExtensionRequest,
    ProgressReport,
    Task,
)


class TaskUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    assignments = serializers.IntegerField(source="n_assignments")
    accepted = serializers.IntegerField(source="n_accepted")
    submitted = serializers.IntegerField(source="n_submitted")
    overdue = serializers.IntegerField(source="n_overdue")


class TaskSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.code", read_only=True)
    source_name = serializers.CharField(source="source.short_name", read_only=True)
    chapter = serializers.IntegerField(source="chapter.number", read_only=True, allow_null=True)
    chapter_title = serializers.CharField(source="chapter.title", read_only=True, allow_null=True)
    lead_units = TaskUnitSerializer(many=True, read_only=True)
    participating_units = TaskUnitSerializer(many=True, read_only=True)
    working_groups = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    progress = ProgressSerializer(source="*", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "source",
            "source_name",
            "chapter",
            "chapter_title",
            "number",
            "title",
            "content",
            "lead_text",
            "participating_text",
            "unresolved_text",
            "lead_units",
            "participating_units",
            "working_groups",
            "deadline_text",
            "deadline_note",
            "due_date",
            "is_continuous",
            "progress",
        ]


class AssignmentSerializer(serializers.ModelSerializer):
    task_source = serializers.CharField(source="task.source.code", read_only=True)
    task_number = serializers.IntegerField(source="task.number", read_only=True)
    task_title = serializers.CharField(source="task.short_title", read_only=True)
    unit = TaskUnitSerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "task",
            "task_source",
            "task_number",
            "task_title",
            "unit",
            "role",
            "role_display",
            "status",
            "status_display",
            "due_date",
            "extension_days",
            "is_overdue",
            "status_changed_at",
            "version",
        ]


class EventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    actor = serializers.CharField(source="actor.display_name", read_only=True, allow_null=True)

    class Meta:
        model = AssignmentEvent
        fields = ["kind", "kind_display", "from_status", "to_status", "actor", "at", "comment"]


class ProgressReportSerializer(serializers.ModelSerializer):
    reported_by = serializers.CharField(
        source="reported_by.display_name", read_only=True, allow_null=True
    )
    attachment_url = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["id", "text", "attachment_name", "attachment_url", "reported_by", "reported_at"]

    def get_attachment_url(self, obj) -> str | None:
        from django.urls import reverse

        if not obj.attachment:
            return None
        url = reverse("progress-report-attachment", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ExtensionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    assignment_unit = serializers.CharField(source="assignment.unit.name", read_only=True)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "assignment",
            "assignment_unit",
            "working_days",
            "reason",
            "status",
            "status_display",
            "requested_at",
            "due_date_before",
            "due_date_after",
            "decided_at",
            "decision_comment",
        ]


class AssignmentDetailSerializer(AssignmentSerializer):
    events = EventSerializer(many=True, read_only=True)
    reports = ProgressReportSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)

    class Meta(AssignmentSerializer.Meta):
        fields = [*AssignmentSerializer.Meta.fields, "events", "reports", "extensions"]


# --- action payloads --------------------------------------------------------------------------


class AssignmentTransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", label=_("说明"))
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("客户端读取时的版本号（乐观锁）")
    )


class ExtensionRequestPayload(serializers.Serializer):
    working_days = serializers.IntegerField(min_value=1, max_value=10, label=_("延期工作日"))
    reason = serializers.CharField(label=_("延期理由"))


class ProgressReportPayload(serializers.Serializer):
    text = serializers.CharField(label=_("进展情况"))
    attachment = serializers.FileField(required=False, allow_null=True, label=_("附件"))


class DecisionPayload(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("审批意见")
    )
