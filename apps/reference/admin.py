from django.contrib import admin

from apps.core.admin import HistoryAdmin
from apps.reference.models import InfrastructureDomain, Organization, Region, Sector


@admin.register(Region)
class RegionAdmin(HistoryAdmin):
    list_display = ["code", "name", "short_name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["parent"]


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
    list_display = ["name", "full_name", "kind", "region", "parent", "is_active"]
    list_filter = ["kind", "is_active", "region"]
    search_fields = ["name", "full_name", "aliases"]
    list_select_related = ["region", "parent"]
    autocomplete_fields = ["parent"]


@admin.register(Sector)
class SectorAdmin(HistoryAdmin):
    list_display = ["code", "name", "sort_order"]


@admin.register(InfrastructureDomain)
class InfrastructureDomainAdmin(HistoryAdmin):
    list_display = ["code", "name", "sort_order"]
