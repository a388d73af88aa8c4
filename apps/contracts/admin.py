"""Admin of the contract ledgers: fairs and their rate targets are configured here.

Ledgers come in through the importer and reports through the monthly form or the API; the
admin shows them (with their audit trail) and lets an administrator correct a row, but keeps
the import bookkeeping (source row, version, reporter) read-only. A ledger's status (执行中 →
总结评估 → 已办结 → 归档) is read-only too: it changes on the fair's status page through
``services.change_fair_status``, which checks the step, requires the closing date and note, and
records who closed it — an edited field here would skip all of that.
"""

from django.contrib import admin

from apps.contracts.models import Contract, ContractReport, Fair, RateTarget
from apps.core.admin import (
    LIFECYCLE_READONLY,
    HistoryAdmin,
    LifecycleReadonlyMixin,
    PolicyAdminMixin,
)


class RateTargetInline(admin.TabularInline):
    model = RateTarget
    extra = 0


@admin.register(Fair)
class FairAdmin(LifecycleReadonlyMixin, PolicyAdminMixin, HistoryAdmin):
    list_display = ["short_name", "name", "held_on", "document_no", "coordinating_unit", "status"]
    list_filter = ["status"]
    readonly_fields = LIFECYCLE_READONLY
    status_url_name = "contracts:fair-status"
    search_fields = ["name", "short_name"]
    list_select_related = ["coordinating_unit"]
    autocomplete_fields = ["coordinating_unit"]
    inlines = [RateTargetInline]


@admin.register(Contract)
class ContractAdmin(PolicyAdminMixin, HistoryAdmin):
    list_display = [
        "seq",
        "name",
        "responsible_unit_label",
        "responsible_unit",
        "total_investment",
        "region",
        "needs_correction",
    ]
    list_display_links = ["seq", "name"]
    list_filter = ["fair", "needs_correction", "responsible_unit"]
    search_fields = ["name", "search_text"]
    list_select_related = ["responsible_unit", "region"]
    autocomplete_fields = ["responsible_unit"]
    readonly_fields = ["fair", "seq", "responsible_unit_label", "source_row", "version"]


@admin.register(ContractReport)
class ContractReportAdmin(PolicyAdminMixin, HistoryAdmin):
    list_display = [
        "contract",
        "period",
        "is_performing",
        "is_started",
        "started_on",
        "funds_arrived_to_date",
        "reported_by",
        "updated_at",
    ]
    list_filter = ["period", "is_performing", "is_started", "contract__fair"]
    search_fields = ["contract__name"]
    list_select_related = ["contract", "reported_by"]
    raw_id_fields = ["contract"]
    readonly_fields = ["reported_by", "version"]
