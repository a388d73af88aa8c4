"""Serializers validate and format only; writes go through apps.projects.services."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.serializers import FastReadMixin, PeriodField
from apps.projects.models import (
    CodeStatus,
    EntryCriterion,
    Expert,
    ExpertOpinion,
    FactorNeed,
    PreparatoryMilestone,
    Project,
    ProjectDocument,
    ProjectMonthlyUpdate,
    ProjectReviewEvent,
    ProjectStageChange,
    SizeClass,
    Verdict,
)
from apps.projects.services import PROJECT_FIELDS
from apps.reference.models import InfrastructureDomain, Organization, Region, Sector


class ProjectSerializer(FastReadMixin, serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.exclude(level=Region.Level.PROVINCE)
    )
    region_name = serializers.CharField(source="region.display_name", read_only=True)
    prefecture = serializers.SerializerMethodField()
    sector = serializers.SlugRelatedField(slug_field="code", queryset=Sector.objects.all())
    sector_name = serializers.CharField(source="sector.name", read_only=True)
    infrastructure_domain = serializers.SlugRelatedField(
        slug_field="code",
        queryset=InfrastructureDomain.objects.all(),
        required=False,
        allow_null=True,
    )
    responsible_unit = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True)
    supervising_department = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    tier_display = serializers.CharField(source="get_tier_display", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    library_status_display = serializers.CharField(
        source="get_library_status_display", read_only=True
    )
    code_status = serializers.ChoiceField(
        choices=CodeStatus.choices, read_only=True, help_text=_("uncoded 未赋码 / coded 已赋码")
    )
    code_status_display = serializers.CharField(source="get_code_status_display", read_only=True)
    size_class = serializers.ChoiceField(choices=SizeClass.choices, read_only=True)
    size_class_display = serializers.CharField(source="get_size_class_display", read_only=True)
    # Annotations: null without a plan year / without monthly updates.
    completed_in_plan_year = serializers.DecimalField(
        max_digits=14, decimal_places=4, read_only=True, default=None, allow_null=True
    )
    completed_total = serializers.DecimalField(
        max_digits=14, decimal_places=4, read_only=True, default=None, allow_null=True
    )
    completion_rate = serializers.DecimalField(
        max_digits=8, decimal_places=4, read_only=True, default=None, allow_null=True
    )
    version = serializers.IntegerField(
        required=False, help_text=_("修改时必填：开始编辑时读取到的版本号（防止覆盖他人的修改）")
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "code",
            "code_status",
            "code_status_display",
            "tier",
            "tier_display",
            "region",
            "region_name",
            "prefecture",
            "sector",
            "sector_name",
            "infrastructure_domain",
            "responsible_unit",
            "responsible_unit_name",
            "implementing_entity",
            "supervising_department",
            "total_investment",
            "size_class",
            "size_class_display",
            "plan_year",
            "planned_investment_year",
            "completed_in_plan_year",
            "completion_rate",
            "completed_total",
            "scale_content",
            "planned_start",
            "planned_end",
            "schedule",
            "fund_central_budget",
            "fund_special_bonds",
            "fund_policy_finance",
            "fund_bank_loans",
            "fund_social_capital",
            "fund_other",
            "approval_type",
            "approval_number",
            "approval_date",
            "latitude",
            "longitude",
            "is_head_project",
            "liaison_leader",
            "is_14th_fyp_major",
            "is_ppp",
            "campaign",
            "batch",
            "stage",
            "stage_display",
            "stage_changed_on",
            "library_status",
            "library_status_display",
            "status_changed_at",
            "approved_on",
            "is_demo",
            "note",
            "version",
            "created_at",
            "updated_at",
        ]
        # Writable: what a unit may set (services.PROJECT_FIELDS, the one list the forms, the
        # Excel import and the services use), the stage on creation, and the version.
        read_only_fields = [f for f in fields if f not in {*PROJECT_FIELDS, "stage", "version"}]
        # Field-level validators (e.g. the conditional unique code) run in services' full_clean.
        validators: list = []

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # Stage changes are dated history: POST …/stage/ instead of editing the field.
            fields["stage"].read_only = True
        return fields

    def get_prefecture(self, obj) -> str | None:
        region = obj.region
        if region.level == Region.Level.PREFECTURE:
            return region.code
        return region.parent.code if region.parent_id else None

    def validate(self, attrs):
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError(
                {"version": gettext("修改项目时必须提供 version（开始编辑时读取到的版本号）。")}
            )
        return attrs


class ReviewEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    action_display = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = ProjectReviewEvent
        fields = ["action", "action_display", "from_status", "to_status", "actor", "at", "comment"]


class StageChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ProjectStageChange
        fields = ["from_stage", "to_stage", "changed_on", "changed_by", "note"]


class ProjectDetailSerializer(ProjectSerializer):
    review_events = ReviewEventSerializer(many=True, read_only=True)
    stage_changes = StageChangeSerializer(many=True, read_only=True)
    milestones = serializers.SerializerMethodField()
    factor_needs = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "review_events",
            "stage_changes",
            "milestones",
            "factor_needs",
            "documents",
        ]

    def get_milestones(self, obj) -> list[dict]:
        return MilestoneSerializer(obj.milestones.all(), many=True).data

    def get_factor_needs(self, obj) -> list[dict]:
        return FactorNeedSerializer(obj.factor_needs.all(), many=True).data

    def get_documents(self, obj) -> list[dict]:
        return DocumentSerializer(obj.documents.all(), many=True).data


class TransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("意见；退回、不予入库、出库时必填"),
    )


class StageChangeRequestSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=ProjectStageChange._meta.get_field("to_stage").choices)
    changed_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)


class MonthlyUpdateSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    project_name = serializers.CharField(source="project.name", read_only=True)
    responsible_unit = serializers.IntegerField(
        source="project.responsible_unit_id", read_only=True
    )
    period = PeriodField(help_text=_("月份 YYYY-MM"))
    cumulative = serializers.DecimalField(
        max_digits=14, decimal_places=4, read_only=True, default=None
    )
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    reported_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    version = serializers.IntegerField(required=False)

    class Meta:
        model = ProjectMonthlyUpdate
        fields = [
            "id",
            "project",
            "project_name",
            "responsible_unit",
            "period",
            "completed_this_month",
            "cumulative",
            "stage",
            "stage_display",
            "progress",
            "problems",
            "confirmation_note",
            "reported_by",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list = []

    def validate(self, attrs):
        if self.instance is not None:
            if "version" not in attrs:
                raise serializers.ValidationError(
                    {"version": gettext("修改调度时必须提供 version。")}
                )
            if "project" in attrs and attrs["project"].pk != self.instance.project_id:
                raise serializers.ValidationError(
                    {"project": gettext("不能把调度记录改到其他项目。")}
                )
        return attrs


# --- 入库条件审查 and 专家论证 -------------------------------------------------------------------


class ChecklistItemSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    group = serializers.CharField()
    name = serializers.CharField()
    verdict = serializers.CharField(
        allow_null=True, help_text=_("meets 符合 / fails 不符合 / na 不适用")
    )
    verdict_display = serializers.CharField(allow_null=True)
    comment = serializers.CharField()
    judged_by = serializers.CharField(allow_null=True)
    judged_at = serializers.DateTimeField(allow_null=True)


class ChecklistSerializer(serializers.Serializer):
    items = ChecklistItemSerializer(many=True)
    ready_for_approval = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


class JudgementInputSerializer(serializers.Serializer):
    criterion = serializers.PrimaryKeyRelatedField(queryset=EntryCriterion.objects.all())
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ChecklistWriteSerializer(serializers.Serializer):
    judgements = JudgementInputSerializer(many=True, allow_empty=False)


class ExpertOpinionSerializer(serializers.ModelSerializer):
    expert = serializers.PrimaryKeyRelatedField(queryset=Expert.objects.filter(is_active=True))
    expert_name = serializers.CharField(source="expert.name", read_only=True)
    expert_employer = serializers.CharField(source="expert.employer", read_only=True)
    conclusion_display = serializers.CharField(source="get_conclusion_display", read_only=True)
    recorded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ExpertOpinion
        fields = [
            "id",
            "expert",
            "expert_name",
            "expert_employer",
            "given_on",
            "conclusion",
            "conclusion_display",
            "opinion",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["recorded_at"]


# --- 前期工作, 要素保障, documents ---------------------------------------------------------------


class MilestoneSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = PreparatoryMilestone
        fields = ["kind", "kind_display", "done_on", "document_number", "issuing_body", "note"]
        validators: list = []


class FactorNeedSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    unit = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    problem_ticket = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = FactorNeed
        fields = [
            "kind",
            "kind_display",
            "quantity",
            "unit",
            "description",
            "status",
            "status_display",
            "difficulty",
            "problem_ticket",
        ]
        validators: list = []


class DocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ProjectDocument
        fields = ["id", "kind", "kind_display", "title", "original_name", "size", "uploaded_at",
                  "download"]  # fmt: skip

    def get_download(self, obj) -> str:
        from django.urls import reverse

        return reverse("projects:document", args=[obj.pk])
