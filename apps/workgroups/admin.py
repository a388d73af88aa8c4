from django.contrib import admin

from apps.core.admin import HistoryAdmin
from apps.workgroups.models import GroupMember, WorkingGroup


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["order", "role", "person_name", "title", "organization"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(HistoryAdmin):
    list_display = ["order", "name", "short_name"]
    list_display_links = ["name"]
    filter_horizontal = ["domains"]
    inlines = [GroupMemberInline]


@admin.register(GroupMember)
class GroupMemberAdmin(HistoryAdmin):
    list_display = ["group", "role", "person_name", "title", "organization"]
    list_filter = ["group", "role"]
    search_fields = ["person_name", "title", "organization__name"]
    list_select_related = ["group", "organization"]
    autocomplete_fields = ["organization"]
