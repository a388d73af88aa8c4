"""Admin: indicators and measures are reference data of the plan (edited by administrators);
yearly values are entered by lead units in the app, their derived status is read-only."""

from django.contrib import admin

from apps.core.admin import HistoryAdmin, PolicyAdminMixin
from apps.indicators.models import (
    Indicator,
    IndicatorLeadUnit,
    IndicatorParticipatingUnit,
    Measure,
    MeasureValue,
    MeasureYearTarget,
)
from apps.indicators.services import refresh_statuses


class LeadUnitInline(admin.TabularInline):
    model = IndicatorLeadUnit
    extra = 0
    autocomplete_fields = ["organization"]


class ParticipatingUnitInline(admin.TabularInline):
    model = IndicatorParticipatingUnit
    extra = 0
    autocomplete_fields = ["organization"]


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["order", "name", "target_text", "target_value", "unit", "direction", "base_value"]
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(PolicyAdminMixin, HistoryAdmin):
    list_display = ["__str__", "level", "kind", "chapter"]
    list_filter = ["level", "kind", "chapter"]
    search_fields = ["text"]
    inlines = [LeadUnitInline, ParticipatingUnitInline, MeasureInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Measure:
            for measure in form.instance.measures.all():
                refresh_statuses(measure=measure)


@admin.register(Measure)
class MeasureAdmin(PolicyAdminMixin, HistoryAdmin):
    list_display = ["__str__", "target_text", "target_value", "unit", "direction", "yearly"]
    list_filter = ["direction", "yearly", "indicator__level"]
    search_fields = ["name", "indicator__text"]
    list_select_related = ["indicator"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_statuses(measure=obj)  # a new target or base changes every year's status


@admin.register(MeasureValue)
class MeasureValueAdmin(PolicyAdminMixin, HistoryAdmin):
    list_display = ["measure", "year", "value", "status", "is_demo", "entered_by", "updated_at"]
    list_filter = ["year", "status", "is_demo"]
    list_select_related = ["measure__indicator", "entered_by"]
    # Values go through the lead unit's form or API (services.record_value), which derives
    # the status and checks the version; the admin only reads them.
    readonly_fields = ["measure", "year", "value", "note", "status", "entered_by", "version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_change_permission(request, obj)


@admin.register(MeasureYearTarget)
class MeasureYearTargetAdmin(PolicyAdminMixin, HistoryAdmin):
    """分年度目标 are entered by the lead unit (services.set_year_target); the admin reads."""

    list_display = ["measure", "year", "value", "entered_by", "updated_at"]
    list_filter = ["year"]
    list_select_related = ["measure__indicator", "entered_by"]
    readonly_fields = ["measure", "year", "value", "note", "entered_by", "version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_change_permission(request, obj)
