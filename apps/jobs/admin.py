"""Admin: every job run, failures first to hand (filter by status and kind). Read-only."""

from django.contrib import admin

from apps.jobs.models import JobRun


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
    readonly_fields = [f.name for f in JobRun._meta.fields]

    @admin.display(description="进度")
    def progress(self, obj):
        if obj.progress_total:
            return f"{obj.progress_done}/{obj.progress_total}"
        return f"{obj.percent}%" if obj.percent is not None else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
