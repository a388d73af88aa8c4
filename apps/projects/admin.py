"""Admin for the project library.

The library status is read-only here as everywhere: administrators move projects through the
workflow with the admin actions below, which call the same services (and are refused with the
same messages) as the pages and the API.
"""

import secrets

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import PushDelivery, PushSubscription
from apps.core import permissions as policy
from apps.core.admin import HistoryAdmin, PolicyAdminMixin
from apps.core.delivery import PermanentChannelError
from apps.projects import services
from apps.projects.models import (
    Campaign,
    CampaignBatch,
    CampaignMilestone,
    EntryCriterion,
    Expert,
    Project,
    ProjectMonthlyUpdate,
    ProjectReviewEvent,
    ProjectStageChange,
    Target,
)
from apps.projects.push import check_push_url
from apps.projects.workflow import TRANSITIONS


class CampaignBatchInline(admin.TabularInline):
    model = CampaignBatch
    extra = 0


class CampaignMilestoneInline(admin.TabularInline):
    model = CampaignMilestone
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["dimension", "region", "sector", "tier", "amount", "per_region", "wording"]


class EntryCriterionInline(admin.TabularInline):
    model = EntryCriterion
    extra = 0
    fields = ["sort_order", "group", "name", "guidance", "source", "is_active"]


@admin.register(Campaign)
class CampaignAdmin(HistoryAdmin):
    list_display = ["name", "year", "total_goal", "late_policy", "is_demo", "source"]
    list_filter = ["is_demo", "late_policy"]
    inlines = [CampaignBatchInline, CampaignMilestoneInline, TargetInline, EntryCriterionInline]


@admin.register(EntryCriterion)
class EntryCriterionAdmin(HistoryAdmin):
    """入库条件 (001 五(三)) per campaign: data the administrator keeps, not code."""

    list_display = ["name", "group", "campaign", "sort_order", "is_active"]
    list_filter = ["campaign", "is_active"]
    search_fields = ["name", "group"]


@admin.register(Expert)
class ExpertAdmin(HistoryAdmin):
    """专家库: the experts whose 专家论证 opinions reviewers record."""

    list_display = ["name", "employer", "title", "specialty", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "employer", "specialty"]


@admin.register(Target)
class TargetAdmin(HistoryAdmin):
    list_display = ["campaign", "dimension", "subject_label", "amount", "per_region", "wording"]
    list_filter = ["campaign", "dimension"]
    list_select_related = ["campaign", "region", "sector"]

    @admin.display(description=_("对象"))
    def subject_label(self, obj):
        return obj.subject_label


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewEventInline(ReadOnlyInline):
    model = ProjectReviewEvent
    fields = ["at", "action", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields


class StageChangeInline(ReadOnlyInline):
    model = ProjectStageChange
    fields = ["changed_on", "from_stage", "to_stage", "changed_by", "note"]
    readonly_fields = fields


class AdminProjectForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [f for f in services.PROJECT_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not self.instance.is_editable:
            raise ValidationError(
                gettext("项目当前为“%(library_status)s”，审核期间或已关闭的项目不能修改。")
                % {"library_status": self.instance.get_library_status_display()}
            )
        return cleaned


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("意见/理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


def _make_action(action: str):
    step = TRANSITIONS[action]

    def run(modeladmin, request, queryset):
        if "apply" in request.POST:
            form = TransitionForm(request.POST)
            if form.is_valid():
                done, refused = 0, []
                for project in queryset:
                    try:
                        services.transition(
                            user=request.user,
                            project=project,
                            action=action,
                            comment=form.cleaned_data["comment"],
                        )
                        done += 1
                    except (PermissionDenied, ValidationError) as exc:
                        text = "；".join(getattr(exc, "messages", [str(exc)]))
                        refused.append(f"“{project.name}”：{text}")
                if done:
                    modeladmin.message_user(
                        request,
                        gettext("已%(label)s %(done)s 个项目。")
                        % {"label": step.label, "done": done},
                        messages.SUCCESS,
                    )
                for line in refused:
                    modeladmin.message_user(
                        request,
                        gettext("未能%(label)s%(line)s") % {"label": step.label, "line": line},
                        messages.ERROR,
                    )
                return None
        else:
            form = TransitionForm()
        return TemplateResponse(
            request,
            "projects/admin/transition.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": gettext("%(label)s：填写%(comment_label)s")
                % {"label": step.label, "comment_label": step.comment_label},
                "step": step,
                "projects": queryset,
                "form": form,
                "action_name": f"workflow_{action}",
                "opts": modeladmin.model._meta,
            },
        )

    run.__name__ = f"workflow_{action}"
    return admin.action(description=gettext("审核流程：%(label)s") % {"label": step.label})(run)


@admin.register(Project)
class ProjectAdmin(PolicyAdminMixin, HistoryAdmin):
    form = AdminProjectForm
    list_display = [
        "name",
        "tier",
        "region",
        "sector",
        "responsible_unit",
        "total_investment",
        "stage",
        "library_status",
        "is_demo",
    ]
    list_filter = ["library_status", "tier", "sector", "stage", "is_demo", "is_head_project"]
    search_fields = ["name", "code", "implementing_entity"]
    list_select_related = ["region", "sector", "responsible_unit"]
    autocomplete_fields = ["responsible_unit", "supervising_department"]
    readonly_fields = [
        "library_status",
        "status_changed_at",
        "approved_on",
        "stage",
        "stage_changed_on",
        "is_demo",
    ]
    inlines = [ReviewEventInline, StageChangeInline]
    actions = [_make_action(a) for a in TRANSITIONS]

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in services.PROJECT_FIELDS if f in form.cleaned_data}
        if change:
            services.update_project(
                user=request.user,
                project=obj,
                data=data,
                version=form.cleaned_data.get("edit_version"),
            )
            return
        created = services.create_project(user=request.user, data=data)
        obj.pk = created.pk
        obj.version = created.version
        obj._state.adding = False

    def has_add_permission(self, request):
        return super().has_add_permission(request) and policy.can_create(request.user)


@admin.register(ProjectMonthlyUpdate)
class ProjectMonthlyUpdateAdmin(PolicyAdminMixin, HistoryAdmin):
    """Read-only here: units file and correct reports on the project pages."""

    list_display = ["project", "period", "completed_this_month", "stage", "reported_by"]
    list_filter = ["period", "stage"]
    search_fields = ["project__name"]
    list_select_related = ["project", "reported_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProjectReviewEvent)
class ProjectReviewEventAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["project", "action", "from_status", "to_status", "actor", "at"]
    list_filter = ["action", "to_status"]
    list_select_related = ["project", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The client push's subscriptions are accounts' models; their admin sits with the push, which
# publishes this app's library (apps.projects.push).
@admin.register(PushSubscription)
class PushSubscriptionAdmin(HistoryAdmin):
    """Administrators register a client's webhook; the secret is made here and shown to them
    to hand to the client (it signs every push)."""

    list_display = ["owner", "url", "is_active", "last_pushed_at"]
    list_select_related = ["owner"]
    readonly_fields = ["secret", "last_pushed_at", "created_at"]
    fields = ["owner", "url", "allowed_hosts", "is_active", *readonly_fields]

    def save_model(self, request, obj, form, change):
        if not obj.secret:
            obj.secret = secrets.token_hex(32)
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        def clean(self_form):
            data = forms.ModelForm.clean(self_form)
            try:
                check_push_url(
                    PushSubscription(
                        url=data.get("url") or "", allowed_hosts=data.get("allowed_hosts") or []
                    )
                )
            except PermanentChannelError as exc:
                raise ValidationError({"url": str(exc)}) from exc
            return data

        form.clean = clean
        return form


@admin.register(PushDelivery)
class PushDeliveryAdmin(admin.ModelAdmin):
    list_display = ["subscription", "at", "attempt", "status", "http_status", "project_count"]
    list_filter = ["status"]
    list_select_related = ["subscription__owner"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
