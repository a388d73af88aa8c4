"""Admin: what was sent, to whom, and every delivery attempt (failures filterable). Read-only:
these rows are the system's own record and nobody edits history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.core.admin import HistoryAdmin
from apps.notifications.models import Delivery, Notification, ReminderRecord, Urge


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "attempt", "status", "target", "error", "at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "audience", "created_at", "read_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["title", "recipient__username", "organization__name"]
    list_select_related = ["recipient", "organization"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]

    @admin.display(description=_("接收方"))
    def audience(self, obj):
        return obj.audience


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["notification", "channel", "attempt", "status", "target", "short_error", "at"]
    list_filter = ["status", "channel", "at"]
    search_fields = ["notification__title", "target", "error"]
    list_select_related = ["notification"]
    date_hierarchy = "at"

    @admin.display(description=_("错误信息"))
    def short_error(self, obj):
        return (obj.error[:80] + "…") if len(obj.error) > 80 else obj.error


@admin.register(ReminderRecord)
class ReminderRecordAdmin(ReadOnlyAdmin):
    list_display = ["organization", "kind", "period", "recipients", "sent_at"]
    list_filter = ["kind", "period"]
    search_fields = ["organization__name"]
    list_select_related = ["organization"]
    date_hierarchy = "period"


@admin.register(Urge)
class UrgeAdmin(ReadOnlyAdmin, HistoryAdmin):
    list_display = ["on", "organization", "subject", "period", "missing", "recipients", "urged_by"]
    list_filter = ["subject", "on"]
    search_fields = ["organization__name"]
    list_select_related = ["organization", "urged_by"]
    date_hierarchy = "on"
