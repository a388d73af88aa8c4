"""Admin: every job run, failures first to hand (filter by status and kind). Read-only."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.jobs.models import JobRun

# Uploads have no static URL: the result file links to the policy-checked download view, the
# uploaded input shows its name only.
_FILE_FIELDS = {"input_file": "input_name_shown", "result_file": "result_link"}


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "label",
        "status",
        "progress",
        "user",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["kind", "label", "message", "error", "task_id"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    readonly_fields = [_FILE_FIELDS.get(f.name, f.name) for f in JobRun._meta.fields]
    fields = readonly_fields

    @admin.display(description=_("上传文件"))
    def input_name_shown(self, obj):
        return obj.input_name or "—"

    @admin.display(description=_("结果文件"))
    def result_link(self, obj):
        if not obj.result_file:
            return "—"
        url = reverse("jobs:download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.result_name or _("下载"))

    @admin.display(description=_("进度"))
    def progress(self, obj):
        if obj.progress_total:
            return f"{obj.progress_done}/{obj.progress_total}"
        return f"{obj.percent}%" if obj.percent is not None else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
