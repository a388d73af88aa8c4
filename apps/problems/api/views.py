"""/api/v1/problems/: the tickets the user may see, filtered (apps.problems.filters), with
POST steps that call the services (which decide, through the policy, who may take them)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from apps.core.api import ScopedReadOnlyViewSet, as_drf_validation_error
from apps.core.concurrency import ConcurrentEditError
from apps.core.drf import PolicyPermission
from apps.problems import services
from apps.problems.api import serializers
from apps.problems.filters import ProblemFilter
from apps.problems.models import ProblemEvent, ProblemTicket


class StepPermission(PolicyPermission):
    """Reads as everywhere; a step reaches only visible rows, and the service decides."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return super().has_object_permission(request, view, obj)
        return True


class ProblemViewSet(ScopedReadOnlyViewSet):
    """问题协调工单 (filters: status, open, category, working_group, department, unit, project,
    contract, overdue, q)."""

    queryset = ProblemTicket.objects.select_related(
        "reporting_unit", "responsible_department", "working_group", "project", "contract"
    )
    serializer_class = serializers.ProblemSerializer
    filterset_class = ProblemFilter
    ordering_fields = ["opened_on", "deadline", "status"]
    ordering = ["-opened_on", "-id"]
    permission_classes = [StepPermission]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("events", queryset=ProblemEvent.objects.select_related("actor"))
            )
        return qs

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ProblemDetailSerializer
        return super().get_serializer_class()

    def _step(self, request, step: str):
        ticket = self.get_object()
        payload = serializers.ProblemStepPayload(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            services.perform(
                user=request.user,
                ticket=ticket,
                step=step,
                comment=payload.validated_data["comment"],
                expected_version=payload.validated_data["version"],
            )
        except ConcurrentEditError as exc:
            return Response({"detail": exc.messages}, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as exc:
            raise as_drf_validation_error(exc) from exc
        fresh = self.get_queryset().get(pk=ticket.pk)
        return Response(serializers.ProblemSerializer(fresh).data)

    @extend_schema(request=serializers.ProblemStepPayload, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """受理 (责任部门)."""
        return self._step(request, "accept")

    @extend_schema(request=serializers.ProblemStepPayload, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """答复 (责任部门); ``comment``: 答复意见, required."""
        return self._step(request, "answer")

    @extend_schema(request=serializers.ProblemStepPayload, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """确认解决 (报告单位)."""
        return self._step(request, "resolve")

    @extend_schema(request=serializers.ProblemStepPayload, responses=serializers.ProblemSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """仍未解决 (报告单位); ``comment`` required; the department gets a new time limit."""
        return self._step(request, "reopen")
