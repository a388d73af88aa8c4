"""Views of the shell: health check, home page, audit trail."""

from django.apps import apps as django_apps
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.generic import TemplateView

from apps.core import permissions as policy
from apps.core.pages import policy_view
from apps.core.registry import home_widgets


def healthz(request):
    """Liveness/readiness for the load balancer and docker-compose: the database answers.

    Served by HealthCheckMiddleware before host validation, so a probe on any host name
    (127.0.0.1 inside the container) gets an answer; this URL route is the same function.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


class HomeView(TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["widgets"] = home_widgets(self.request)
        return ctx


home = policy_view()(HomeView.as_view())


@policy_view()
def object_history(request, app_label: str, model_name: str, pk: int):
    """The audit trail (who, when, what changed) of one business record, if the user may read
    it (``policy.restrict_audit_trail``); accounts, tokens and sessions are never shown."""
    try:
        model = django_apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404 from exc
    if not policy.serves_audit_trail(model):
        raise Http404
    qs = policy.restrict_audit_trail(model._default_manager.all(), request.user)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    entries = []
    records = list(obj.history.select_related("history_user").order_by("-history_date"))
    for index, newer in enumerate(records):  # a record may have no history rows at all
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": change.old, "new": change.new})
        entries.append({"record": newer, "changes": changes})
    return render(
        request,
        "core/history.html",
        {"object": obj, "entries": entries, "model_name": model._meta.verbose_name},
    )
