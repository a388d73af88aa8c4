from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.tasks.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """Administrators add each year's State Council arrangement here (放假 and 调休上班 days)."""

    list_display = ["date", "name", "is_workday", "note"]
    list_filter = ["is_workday", "name"]
    date_hierarchy = "date"
    search_fields = ["name", "note"]
