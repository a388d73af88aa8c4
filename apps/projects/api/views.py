"""REST API of the project library: /api/v1/projects/ and /api/v1/project-updates/.

Lists share the FilterSet of the pages and the export. Writes and workflow steps call the
services, so an illegal transition is refused here exactly as on the pages: 400 with the
reason for a wrong state, 403 for a role or unit that may not act, 404 for a project the
user cannot see.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.core import permissions as policy
from apps.core.api import ScopedModelViewSet, as_drf_validation_error
from apps.core.drf import ListFilterBackend
from apps.projects import selectors, services
from apps.projects.api import serializers
from apps.projects.filters import MonthlyUpdateFilter, ProjectFilter
from apps.projects.models import Project, ProjectMonthlyUpdate, ReviewAction


def _call(fn, **kwargs):
    """Run a service; translate its refusals into API responses."""
    try:
        return fn(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or _("无权执行该操作。")) from exc
    except DjangoValidationError as exc:
        raise as_drf_validation_error(exc) from exc


def _writable(data: dict) -> dict:
    return {k: v for k, v in data.items() if k in services.PROJECT_FIELDS}


class ProjectViewSet(ScopedModelViewSet):
    """万千百亿项目库。筛选参数与页面、Excel 导出一致；金额单位亿元。"""

    queryset = Project.objects.for_lists().select_related("supervising_department")
    serializer_class = serializers.ProjectSerializer
    filter_backends = [ListFilterBackend]  # ordering is part of the shared FilterSet
    filterset_class = ProjectFilter
    # Asked before the body is read (then again by the service): a refusal is always a 403.
    policy_actions = {
        "submit": policy.Action.CHANGE,
        "stage": policy.Action.CHANGE,
        "start_review": policy.Action.REVIEW,
        "approve": policy.Action.REVIEW,
        "return_": policy.Action.REVIEW,
        "reject": policy.Action.REVIEW,
        "remove": policy.Action.REVIEW,
        "withdraw": policy.Action.CHANGE,
        "milestones": policy.Action.CHANGE,
        "factor_needs": policy.Action.CHANGE,
        "checklist": policy.Action.REVIEW,
        "expert_opinions": policy.Action.REVIEW,
    }
    # The list shows each project's latest monthly figures: an update changes the project.
    updated_since_fields = ("updated_at", "monthly_updates__updated_at")

    def list_filter(self, request, queryset):
        """Filtered as the page and the export are (``ListFilterBackend``)."""
        return selectors.project_list(
            user=request.user, data=request.query_params, queryset=queryset, request=request
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ProjectDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                "review_events__actor",
                "stage_changes__changed_by",
                "milestones",
                "factor_needs",
                "documents",
            )
        return qs

    def _reload(self, pk) -> Project:
        return self.get_queryset().get(pk=pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self.check_owner(data["responsible_unit"])
        payload = _writable(data)
        if "stage" in data:
            payload["stage"] = data["stage"]
        project = _call(services.create_project, user=request.user, data=payload)
        out = self.get_serializer(self._reload(project.pk))
        return Response(out.data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        project = self.get_object()  # invisible: 404; visible but not the user's unit: 403
        serializer = self.get_serializer(project, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        _call(
            services.update_project,
            user=request.user,
            project=project,
            data=_writable(data),
            version=version,
        )
        return Response(self.get_serializer(self._reload(project.pk)).data)

    # --- workflow steps: POST {"comment": "..."} -------------------------------------------
    def _step(self, request, pk, step: str):
        project = self.get_object()
        body = serializers.TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _call(
            services.take_step,
            user=request.user,
            project=project,
            action=step,
            comment=body.validated_data["comment"],
        )
        return Response(serializers.ProjectSerializer(self._reload(pk)).data)

    @extend_schema(
        request=serializers.TransitionSerializer, responses=serializers.ProjectSerializer
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """提交（草稿 → 已提交）或重新提交（退回修改 → 已提交）：本单位填报员。"""
        return self._step(request, pk, "submit")

    @extend_schema(
        request=serializers.TransitionSerializer, responses=serializers.ProjectSerializer
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """撤回（已提交 → 草稿），审核开始前：本单位填报员。"""
        return self._step(request, pk, ReviewAction.WITHDRAW)

    @extend_schema(
        request=serializers.TransitionSerializer, responses=serializers.ProjectSerializer
    )
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        """开始审核/专家论证（已提交 → 审核中）：审核员。"""
        return self._step(request, pk, ReviewAction.START_REVIEW)

    @extend_schema(
        request=serializers.TransitionSerializer, responses=serializers.ProjectSerializer
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """入库（审核中 → 已入库）：审核员。"""
        return self._step(request, pk, ReviewAction.APPROVE)

    @extend_schema(
        request=serializers.TransitionSerializer, responses=serializers.ProjectSerializer
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """退回修改（审核中 → 退回修改），须填写理由：审核员。"""
        return self._step(request, pk, ReviewAction.RETURN)

    @extend_schema(
        request=serializers.TransitionSerializer, responses=serializers.ProjectSerializer
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """不予入库（审核中 → 不予入库），须填写理由：审核员。"""
        return self._step(request, pk, ReviewAction.REJECT)

    @extend_schema(
        request=serializers.TransitionSerializer, responses=serializers.ProjectSerializer
    )
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        """出库（已入库 → 已出库），须填写理由：审核员。"""
        return self._step(request, pk, ReviewAction.REMOVE)

    # --- 入库条件审查 (001 五(三)) and 专家论证 -------------------------------------------------
    @extend_schema(methods=["GET"], responses=serializers.ChecklistSerializer, filters=False)
    @extend_schema(
        methods=["POST"],
        request=serializers.ChecklistWriteSerializer,
        responses=serializers.ChecklistSerializer,
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def checklist(self, request, pk=None):
        """入库条件审查：GET 查看；POST 审核员逐项给出 符合/不符合/不适用 及意见（审核中）。"""
        project = self.get_object()
        if request.method == "POST":
            body = serializers.ChecklistWriteSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            _call(
                services.judge_criteria,
                user=request.user,
                project=project,
                judgements=[
                    (j["criterion"], j["verdict"], j["comment"])
                    for j in body.validated_data["judgements"]
                ],
            )
        rows = selectors.checklist_rows(project)
        problems = selectors.checklist_problems(project)
        items = [
            {
                "criterion": c.pk,
                "group": c.group,
                "name": c.name,
                "verdict": j.verdict if j else None,
                "verdict_display": j.get_verdict_display() if j else None,
                "comment": j.comment if j else "",
                "judged_by": j.judged_by.username if j and j.judged_by else None,
                "judged_at": j.judged_at if j else None,
            }
            for c, j in rows
        ]
        data = {"items": items, "ready_for_approval": not problems, "problems": problems}
        return Response(serializers.ChecklistSerializer(data).data)

    @extend_schema(
        methods=["GET"], responses=serializers.ExpertOpinionSerializer(many=True), filters=False
    )
    @extend_schema(
        methods=["POST"],
        request=serializers.ExpertOpinionSerializer,
        responses=serializers.ExpertOpinionSerializer,
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="expert-opinions",
        filterset_class=None,
        pagination_class=None,
    )
    def expert_opinions(self, request, pk=None):
        """专家论证意见：GET 列表；POST 审核员录入专家库中某位专家的论证意见（含日期）。"""
        project = self.get_object()
        if request.method == "POST":
            body = serializers.ExpertOpinionSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            record = _call(
                services.record_expert_opinion,
                user=request.user,
                project=project,
                expert=body.validated_data["expert"],
                given_on=body.validated_data["given_on"],
                conclusion=body.validated_data["conclusion"],
                opinion=body.validated_data["opinion"],
            )
            return Response(
                serializers.ExpertOpinionSerializer(record).data, status=status.HTTP_201_CREATED
            )
        qs = project.expert_opinions.select_related("expert", "recorded_by")
        return Response(serializers.ExpertOpinionSerializer(qs, many=True).data)

    # --- 前期工作 and 要素保障: POST one item (create or correct), the unit's staff -------------
    @extend_schema(
        request=serializers.MilestoneSerializer, responses=serializers.MilestoneSerializer
    )
    @action(detail=True, methods=["post"])
    def milestones(self, request, pk=None):
        """前期工作：登记或更正一项。

        kind：proposal/feasibility/land_site/eia/energy/approval/permit。
        """
        project = self.get_object()
        body = serializers.MilestoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        saved = _call(
            services.save_milestone,
            user=request.user,
            project=project,
            kind=d["kind"],
            done_on=d.get("done_on"),
            document_number=d.get("document_number", ""),
            issuing_body=d.get("issuing_body", ""),
            note=d.get("note", ""),
        )
        return Response(serializers.MilestoneSerializer(saved).data)

    @extend_schema(
        request=serializers.FactorNeedSerializer, responses=serializers.FactorNeedSerializer
    )
    @action(detail=True, methods=["post"], url_path="factor-needs")
    def factor_needs(self, request, pk=None):
        """要素保障：登记或更新一项；status=difficult（存在困难）时自动转为问题工单。"""
        project = self.get_object()
        body = serializers.FactorNeedSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        saved = _call(
            services.save_factor_need,
            user=request.user,
            project=project,
            kind=d["kind"],
            status=d["status"],
            quantity=d.get("quantity"),
            description=d.get("description", ""),
            difficulty=d.get("difficulty", ""),
        )
        return Response(serializers.FactorNeedSerializer(saved).data)

    @extend_schema(
        request=serializers.StageChangeRequestSerializer, responses=serializers.ProjectSerializer
    )
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        """变更项目阶段（记录变更日期）：本单位。"""
        project = self.get_object()
        body = serializers.StageChangeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _call(
            services.change_stage,
            user=request.user,
            project=project,
            stage=body.validated_data["stage"],
            on=body.validated_data.get("changed_on"),
            note=body.validated_data["note"],
        )
        return Response(serializers.ProjectSerializer(self._reload(pk)).data)

    @extend_schema(responses=serializers.MonthlyUpdateSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def updates(self, request, pk=None):
        """该项目的月度调度（含累计完成投资），按月份倒序。"""
        project = self.get_object()
        qs = selectors.updates_with_cumulative(
            project.monthly_updates.select_related("project", "reported_by")
        ).order_by("-period")
        return Response(serializers.MonthlyUpdateSerializer(qs, many=True).data)


class ProjectUpdateViewSet(ScopedModelViewSet):
    """月度调度：按项目、月份（YYYY-MM）、单位、地区筛选；累计完成投资为派生值。"""

    queryset = selectors.updates_with_cumulative(
        ProjectMonthlyUpdate.objects.select_related("project", "reported_by")
    ).order_by("-period", "project_id")
    serializer_class = serializers.MonthlyUpdateSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MonthlyUpdateFilter

    def _save(self, request, instance=None, partial=False):
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        project = data.get("project") or instance.project
        if not policy.can(request.user, policy.Action.CHANGE, project):
            raise PermissionDenied(_("只能填报本单位项目的调度。"))
        merged = {
            "period": data.get("period", getattr(instance, "period", None)),
            "completed_this_month": data.get(
                "completed_this_month", getattr(instance, "completed_this_month", None)
            ),
            "stage": data.get("stage", getattr(instance, "stage", None)),
            "progress": data.get("progress", getattr(instance, "progress", "")),
            "problems": data.get("problems", getattr(instance, "problems", "")),
            "confirmation_note": data.get(
                "confirmation_note", getattr(instance, "confirmation_note", "")
            ),
        }
        update = _call(
            services.record_monthly_update,
            user=request.user,
            project=project,
            update=instance,
            version=data.get("version"),
            **merged,
        )
        return self.get_queryset().get(pk=update.pk)

    def create(self, request, *args, **kwargs):
        update = self._save(request)
        return Response(self.get_serializer(update).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()  # checks CHANGE before the body is validated
        update = self._save(request, instance, partial=kwargs.pop("partial", False))
        return Response(self.get_serializer(update).data)
