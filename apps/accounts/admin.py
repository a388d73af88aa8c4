from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy

from apps.accounts.models import ApiToken, User
from apps.accounts.tokens import revoke_token
from apps.core.admin import HistoryAdmin


@admin.register(User)
class UserAdmin(HistoryAdmin, BaseUserAdmin):
    list_display = ["username", "display_name", "role", "organization", "is_active"]
    list_filter = ["role", "is_active", "organization__kind"]
    search_fields = ["username", "first_name", "last_name", "organization__name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            gettext_lazy("角色与单位"),
            {"fields": ("role", "organization", "phone", "api_write", "language")},
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (gettext_lazy("角色与单位"), {"fields": ("role", "organization", "language")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(HistoryAdmin):
    """Listed and revoked here; made on the tokens page (the plain key is shown once there)."""

    list_display = [
        "name",
        "prefix",
        "owner",
        "scope",
        "expires_at",
        "last_used_at",
        "last_used_ip",
        "revoked_at",
    ]
    list_filter = ["scope"]
    search_fields = ["name", "prefix", "owner__username"]
    list_select_related = ["owner"]
    readonly_fields = [
        "owner",
        "prefix",
        "scope",
        "created_at",
        "created_by",
        "last_used_at",
        "last_used_ip",
        "revoked_at",
    ]
    fields = ["name", "expires_at", *readonly_fields]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoked tokens stay, so their use stays explainable

    @admin.action(description=gettext_lazy("吊销所选令牌"))
    def revoke(self, request, queryset):
        for token in queryset.select_related("owner"):
            revoke_token(actor=request.user, token=token)
