"""Admin: the routing rules are the administrator's data; tickets are read-only here (their
states move only through the services, from the pages or the API)."""

from django.contrib import admin

from apps.core.admin import HistoryAdmin, PolicyAdminMixin
from apps.problems.models import CategoryRoute, ProblemEvent, ProblemTicket


@admin.register(CategoryRoute)
class CategoryRouteAdmin(HistoryAdmin):
    list_display = ["category", "department", "working_days"]
    list_select_related = ["department"]
    autocomplete_fields = ["department"]


class EventInline(admin.TabularInline):
    model = ProblemEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "from_status", "to_status", "actor", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProblemTicket)
class ProblemTicketAdmin(PolicyAdminMixin, HistoryAdmin):
    list_display = [
        "pk",
        "title",
        "category",
        "status",
        "reporting_unit",
        "responsible_department",
        "working_group",
        "deadline",
    ]
    list_filter = ["status", "category", "working_group"]
    search_fields = ["title", "description"]
    list_select_related = ["reporting_unit", "responsible_department", "working_group"]
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False
