"""Admin: documents, chapters and tasks are reference data; supervision states are read-only.

An administrator may correct a task's wording, units or deadline (the holiday calendar is in
apps.core.admin); the status of an assignment, extension request or event trail changes only through
the services (apps.tasks.services), never by editing a field here.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin import (
    LIFECYCLE_READONLY,
    HistoryAdmin,
    LifecycleReadonlyMixin,
    PolicyAdminMixin,
)
from apps.tasks.models import (
    Assignment,
    AssignmentEvent,
    Chapter,
    ExtensionRequest,
    ProgressReport,
    SourceDocument,
    Task,
)


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 0


@admin.register(SourceDocument)
class SourceDocumentAdmin(LifecycleReadonlyMixin, HistoryAdmin):
    """A document's status changes on the 来源文件 page through ``services`` (the step is
    checked, closing needs a date and a note): read-only here, like the assignments'."""

    list_display = ["code", "short_name", "doc_number", "issued_on", "status"]
    list_filter = ["status"]
    readonly_fields = LIFECYCLE_READONLY
    status_url_name = "tasks:sources"
    inlines = [ChapterInline]


@admin.register(Task)
class TaskAdmin(PolicyAdminMixin, HistoryAdmin):
    list_display = ["source", "number", "short_title", "lead_text", "deadline_text", "due_date"]
    list_display_links = ["number", "short_title"]
    list_filter = ["source", "chapter", "is_continuous"]
    search_fields = ["content", "lead_text", "participating_text"]
    list_select_related = ["source"]
    autocomplete_fields = ["lead_units", "participating_units"]
    filter_horizontal = ["working_groups"]


class EventInline(admin.TabularInline):
    model = AssignmentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "from_status", "to_status", "actor", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(PolicyAdminMixin, HistoryAdmin):
    list_display = ["task", "unit", "role", "status", "due_date", "extension_days"]
    list_filter = ["status", "role", "task__source"]
    search_fields = ["task__content", "unit__name"]
    list_select_related = ["task__source", "unit"]
    # The workflow owns these: no admin edit may skip a step or move a deadline.
    readonly_fields = [
        "task",
        "unit",
        "role",
        "status",
        "due_date",
        "extension_days",
        "status_changed_at",
        "version",
    ]
    inlines = [EventInline]

    def has_add_permission(self, request):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(PolicyAdminMixin, HistoryAdmin):
    list_display = ["assignment", "reported_by", "reported_at"]
    list_select_related = ["assignment__task__source", "assignment__unit", "reported_by"]
    fields = ["assignment", "text", "attachment_link", "reported_by", "reported_at"]
    readonly_fields = fields

    @admin.display(description=_("附件"))
    def attachment_link(self, obj):
        # Through the policy-checked download view: uploads have no static URL.
        if not obj.attachment:
            return "—"
        url = reverse("tasks:attachment", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.attachment_name)

    def has_add_permission(self, request):
        return False


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(PolicyAdminMixin, HistoryAdmin):
    list_display = ["assignment", "working_days", "status", "requested_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["assignment__task__source", "assignment__unit", "decided_by"]
    readonly_fields = [
        "assignment",
        "working_days",
        "reason",
        "status",
        "requested_by",
        "requested_at",
        "due_date_before",
        "due_date_after",
        "decided_by",
        "decided_at",
        "decision_comment",
    ]

    def has_add_permission(self, request):
        return False
