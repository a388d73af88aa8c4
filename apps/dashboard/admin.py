"""Admin: the snapshots, read-only (a stored date is never rewritten)."""

from django.contrib import admin

from apps.dashboard.models import (
    ContractRateSnapshot,
    IndicatorStatusSnapshot,
    LibrarySnapshot,
    SnapshotDate,
    TaskStatusSnapshot,
)


class SnapshotAdmin(admin.ModelAdmin):
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ContractRateSnapshot)
class ContractRateSnapshotAdmin(SnapshotAdmin):
    list_display = [
        "date",
        "fair",
        "scope",
        "unit",
        "region",
        "contracts",
        "fulfillment_rate",
        "start_rate",
        "funding_rate",
    ]
    list_filter = ["scope", "fair", "date"]
    list_select_related = ["fair", "unit", "region"]


@admin.register(LibrarySnapshot)
class LibrarySnapshotAdmin(SnapshotAdmin):
    list_display = [
        "date",
        "region",
        "tier",
        "sector",
        "count",
        "total_investment",
        "planned",
        "completed",
        "completion_rate",
    ]
    list_filter = ["tier", "region", "sector", "date"]
    list_select_related = ["region", "sector"]


@admin.register(IndicatorStatusSnapshot)
class IndicatorStatusSnapshotAdmin(SnapshotAdmin):
    list_display = ["date", "measure", "year", "value", "status"]
    list_filter = ["status", "year", "date"]
    list_select_related = ["measure"]


@admin.register(TaskStatusSnapshot)
class TaskStatusSnapshotAdmin(SnapshotAdmin):
    list_display = ["date", "source", "status", "count", "overdue"]
    list_filter = ["source", "status", "date"]
    list_select_related = ["source"]


@admin.register(SnapshotDate)
class SnapshotDateAdmin(SnapshotAdmin):
    list_display = ["date", "table", "rows", "created_at"]
    list_filter = ["table"]
