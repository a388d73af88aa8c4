"""Admin integration of the permission policy, for models that have an owning unit.

Platform administrators use the admin; this mixin makes sure that even a unit user given admin
access could only see and change their own unit's rows. Also the working-day calendar's admin
(节假日安排), the authority for each year's State Council arrangement.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.core import permissions as policy
from apps.core.models import CalendarDay


class PolicyAdminMixin:
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return policy.restrict(qs, request.user, policy.Action.VIEW)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return policy.can(request.user, policy.Action.CHANGE, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return policy.can(request.user, policy.Action.CHANGE, obj)


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin, with the object id checked before it reaches a query.

    Django's own change/delete views turn a malformed id (``abc``, ``1e999``, a NUL byte) into
    "object not found"; simple-history's history views pass it to the database and fail with
    a 500. Every admin with a history page inherits this instead of ``SimpleHistoryAdmin``.
    """

    def history_view(self, request, object_id, extra_context=None):
        _valid_pk_or_404(self.model, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _valid_pk_or_404(self.model, object_id)
        _valid_pk_or_404(self.model.history.model, version_id)
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )


def _valid_pk_or_404(model, value: str) -> None:
    try:
        model._meta.pk.to_python(unquote(value))
    except ValidationError as exc:
        raise Http404 from exc


# A source document's life cycle (apps.core.lifecycle) moves only through its app's service:
# the step is checked, closing needs a date and a note, and who closed it is recorded.
LIFECYCLE_READONLY = ("status", "status_note", "closed_on", "closed_by", "status_page")


class LifecycleReadonlyMixin:
    """Shows a document's status read-only in the admin, with a link to the page that changes
    it (``status_url_name``: a URL name taking the object's pk, or one without arguments)."""

    status_url_name = ""

    @admin.display(description=_("变更状态"))
    def status_page(self, obj):
        if obj is None or obj.pk is None or not self.status_url_name:
            return "—"
        try:
            url = reverse(self.status_url_name, args=[obj.pk])
        except NoReverseMatch:
            url = reverse(self.status_url_name)
        return format_html(
            '<a href="{}">{}</a>', url, _("在状态页面变更（需填写日期和说明，记入审计）")
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(HistoryAdmin):
    """Administrators add each year's State Council arrangement here (放假 and 调休上班 days).

    The list warns while this year (or, from October, the coming year) has none — the same
    rule as the system check core.W001 and the administrators' home notice.
    """

    list_display = ["date", "name", "is_workday", "note"]
    list_filter = ["is_workday", "name"]
    date_hierarchy = "date"
    search_fields = ["name", "note"]

    def changelist_view(self, request, extra_context=None):
        from apps.core.calendar import coverage_message, missing_years

        if request.method == "GET":
            for year in missing_years():
                messages.warning(request, coverage_message(year))
        return super().changelist_view(request, extra_context=extra_context)
