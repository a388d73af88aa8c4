from django.contrib import admin

from apps.core.admin import HistoryAdmin
from apps.rankings.models import Bulletin, Weight


@admin.register(Weight)
class WeightAdmin(HistoryAdmin):
    list_display = ["measure", "weight"]
    list_editable = ["weight"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Bulletin)
class BulletinAdmin(HistoryAdmin):
    """Published bulletins are read-only: a snapshot is never edited or deleted."""

    list_display = ["title", "kind", "period", "by", "published_on", "published_by"]
    list_filter = ["kind", "by"]
    readonly_fields = [
        "kind", "period", "by", "title", "note", "published_on", "published_at",
        "published_by", "weights", "rows",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
