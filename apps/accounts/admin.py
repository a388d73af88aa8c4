import secrets

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from apps.accounts.models import ApiToken, PushDelivery, PushSubscription, User
from apps.accounts.push import check_push_url
from apps.accounts.tokens import revoke_token
from apps.core.admin import HistoryAdmin
from apps.notifications.channels import PermanentChannelError


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


@admin.register(PushSubscription)
class PushSubscriptionAdmin(HistoryAdmin):
    """Administrators register a client's webhook; the secret is made here and shown to them
    to hand to the client (it signs every push)."""

    list_display = ["owner", "url", "is_active", "last_pushed_at"]
    list_select_related = ["owner"]
    readonly_fields = ["secret", "last_pushed_at", "created_at"]
    fields = ["owner", "url", "allowed_hosts", "is_active", *readonly_fields]

    def save_model(self, request, obj, form, change):
        if not obj.secret:
            obj.secret = secrets.token_hex(32)
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        def clean(self_form):
            data = forms.ModelForm.clean(self_form)
            try:
                check_push_url(
                    PushSubscription(
                        url=data.get("url") or "", allowed_hosts=data.get("allowed_hosts") or []
                    )
                )
            except PermanentChannelError as exc:
                raise ValidationError({"url": str(exc)}) from exc
            return data

        form.clean = clean
        return form


@admin.register(PushDelivery)
class PushDeliveryAdmin(admin.ModelAdmin):
    list_display = ["subscription", "at", "attempt", "status", "http_status", "project_count"]
    list_filter = ["status"]
    list_select_related = ["subscription__owner"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
