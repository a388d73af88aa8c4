"""REST API of tasks and supervision.

Reads are scoped by the policy (a unit user sees its own unit's tasks and assignments).
Writes are POST actions that call the services, which decide who may act (see
apps.tasks.services): a unit on its own assignments; coordinators, or a task's lead unit for
its participating units, to accept or return; coordinators to decide extensions.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.core import permissions as policy
from apps.core.api import ScopedReadOnlyViewSet, as_drf_validation_error
from apps.core.concurrency import ConcurrentEditError
from apps.core.downloads import file_download
from apps.tasks import selectors, services
from apps.tasks.api import serializers
from apps.tasks.filters import AssignmentFilter, TaskFilter
from apps.tasks.models import Assignment, AssignmentEvent, ExtensionRequest, ProgressReport, Task


def _service_call(fn, **kwargs):
    """Run a service; its ValidationError becomes 400 (409 for a stale version)."""
    try:
        return fn(**kwargs), None
    except ConcurrentEditError as exc:
        return None, Response({"detail": exc.messages}, status=status.HTTP_409_CONFLICT)
    except DjangoValidationError as exc:
        raise as_drf_validation_error(exc) from exc


class TaskViewSet(ScopedReadOnlyViewSet):
    """Tasks of the three documents with their units, deadline and progress counts."""

    queryset = Task.objects.all()
    updated_since_fields = ("assignments__updated_at",)  # its units' assignments
    serializer_class = serializers.TaskSerializer
    filterset_class = TaskFilter
    ordering_fields = ["number", "due_date"]

    def get_queryset(self):
        # task_list applies the policy (restrict VIEW) itself.
        return selectors.task_list(self.request.user)

    def list_filter(self, request, queryset):
        """Filtered as the page and the export are (``ListFilterBackend``)."""
        return selectors.filtered_task_list(
            user=request.user, data=request.query_params, queryset=queryset, request=request
        )


class AssignmentViewSet(ScopedReadOnlyViewSet):
    """One unit's part of a task, with POST actions for the supervision transitions."""

    queryset = Assignment.objects.all()
    serializer_class = serializers.AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["due_date", "status_changed_at"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    # Asked before the body is read (then again by the service): a refusal is always a 403.
    policy_actions = {
        "start": policy.Action.CHANGE,
        "submit": policy.Action.CHANGE,
        "report": policy.Action.CHANGE,
        "request_extension": policy.Action.CHANGE,
        # The document's supervisors or the task's lead unit (the service asks again).
        "accept": policy.Action.SUPERVISE,
        "return_": policy.Action.SUPERVISE,
    }

    def get_queryset(self):
        user = self.request.user
        # The policy's VIEW includes, for a task's lead unit, its participating units' rows.
        qs = selectors.assignment_list(user)
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("events", queryset=AssignmentEvent.objects.select_related("actor")),
                "reports__reported_by",
                "extensions__assignment__unit",
            )
        return qs

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.AssignmentDetailSerializer
        return super().get_serializer_class()

    def _respond(self, assignment):
        fresh = self.get_queryset().get(pk=assignment.pk)
        return Response(serializers.AssignmentSerializer(fresh).data)

    def _transition(self, request, fn):
        assignment = self.get_object()
        payload = serializers.AssignmentTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result, conflict = _service_call(
            fn,
            assignment=assignment,
            user=request.user,
            comment=payload.validated_data["comment"],
            expected_version=payload.validated_data["version"],
        )
        return conflict or self._respond(result)

    @extend_schema(
        request=serializers.AssignmentTransitionSerializer,
        responses=serializers.AssignmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """开始办理 (本单位)."""
        return self._transition(request, services.start_assignment)

    @extend_schema(
        request=serializers.AssignmentTransitionSerializer,
        responses=serializers.AssignmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """报办结 (本单位); ``comment``: 办理结果, required."""
        return self._transition(request, services.submit_assignment)

    @extend_schema(
        request=serializers.AssignmentTransitionSerializer,
        responses=serializers.AssignmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """审核通过 (牵头协调单位, or the task's lead unit for a participating unit)."""
        return self._transition(request, services.accept_assignment)

    @extend_schema(
        request=serializers.AssignmentTransitionSerializer,
        responses=serializers.AssignmentSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """退回重办; ``comment``: 退回理由, required. The redo is due within 10 working days."""
        return self._transition(request, services.return_assignment)

    @extend_schema(
        request=serializers.ExtensionRequestPayload, responses=serializers.ExtensionSerializer
    )
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request, pk=None):
        """延期申请 (本单位): 1–10 working days, at most 10 in total, by the due date."""
        assignment = self.get_object()
        payload = serializers.ExtensionRequestPayload(data=request.data)
        payload.is_valid(raise_exception=True)
        extension, conflict = _service_call(
            services.request_extension,
            assignment=assignment,
            user=request.user,
            working_days=payload.validated_data["working_days"],
            reason=payload.validated_data["reason"],
        )
        if conflict:
            return conflict
        return Response(
            serializers.ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request={"multipart/form-data": serializers.ProgressReportPayload},
        responses=serializers.ProgressReportSerializer,
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """报送进展 (本单位), optionally with an attachment (multipart)."""
        assignment = self.get_object()
        payload = serializers.ProgressReportPayload(data=request.data)
        payload.is_valid(raise_exception=True)
        report, conflict = _service_call(
            services.report_progress,
            assignment=assignment,
            user=request.user,
            text=payload.validated_data["text"],
            attachment=payload.validated_data.get("attachment"),
        )
        if conflict:
            return conflict
        return Response(
            serializers.ProgressReportSerializer(report, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ProgressReportViewSet(ScopedReadOnlyViewSet):
    """进展报告: a unit's own reports; a task's lead units and those who see everything see
    all reports of the task. ``attachment`` downloads the file (never served from /media/)."""

    queryset = ProgressReport.objects.all()
    serializer_class = serializers.ProgressReportSerializer
    filterset_fields = ["assignment"]
    updated_since_fields = ("reported_at",)  # a report is not edited after it is sent

    def get_queryset(self):
        return selectors.visible_reports_for(self.request.user).select_related("reported_by")

    @action(detail=True, methods=["get"])
    def attachment(self, request, pk=None):
        report = self.get_object()
        return file_download(report.attachment, filename=report.attachment_name)


class ExtensionRequestViewSet(ScopedReadOnlyViewSet):
    """延期申请: units see their own; coordinators see all and approve or reject."""

    queryset = ExtensionRequest.objects.select_related("assignment__unit").order_by("-requested_at")
    serializer_class = serializers.ExtensionSerializer
    filterset_fields = ["status"]
    # The document's supervisors decide extensions (the service asks again).
    policy_actions = {"approve": policy.Action.DECIDE, "reject": policy.Action.DECIDE}
    updated_since_fields = ("requested_at", "decided_at")

    def _decide(self, request, approve: bool):
        extension = self.get_object()
        payload = serializers.DecisionPayload(data=request.data)
        payload.is_valid(raise_exception=True)
        decided, _ = _service_call(
            services.decide_extension,
            extension=extension,
            user=request.user,
            approve=approve,
            comment=payload.validated_data["comment"],
        )
        decided.refresh_from_db()
        return Response(serializers.ExtensionSerializer(decided).data)

    @extend_schema(request=serializers.DecisionPayload, responses=serializers.ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """批准延期 (牵头协调单位): the assignment's due date moves by the working days."""
        return self._decide(request, True)

    @extend_schema(request=serializers.DecisionPayload, responses=serializers.ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """不予延期 (牵头协调单位); ``comment`` required."""
        return self._decide(request, False)
