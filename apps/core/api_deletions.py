"""/api/v1/deletions/?since=…: what a syncing client must drop (issue 14 point 3).

``updated_since`` finds changed rows but cannot show rows that are gone. This endpoint lists,
since an instant, every row of an API resource deleted (simple-history's ``-`` records) and
every project taken out of the library (出库, which keeps the row but removes it from the
published library), oldest first.

Scoped like the lists: a user learns of a deleted row only if the policy would have let them
view it (judged on the row as it was, from its last history record), and of a removed project
only if they may view the project.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps as django_apps
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import permissions as policy
from apps.core.api_sync import parse_instant
from apps.core.drf import PolicyPermission

# Rows that stay in the database but leave what the API publishes (a project's 出库): each app
# that has such a state registers a source in its AppConfig.ready(); core names no app.
# A source takes (user, since) and yields {"resource", "id", "kind": "removed", "at"} rows.
RemovalSource = Callable[[Any, Any], Iterable[dict]]
_removal_sources: list[RemovalSource] = []


def register_removals(source: RemovalSource) -> None:
    if source not in _removal_sources:
        _removal_sources.append(source)


def _api_url_modules() -> list:
    """Every installed app's ``<app>.api.urls`` (the convention each API app follows)."""
    found = []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.api.urls"))
        except ModuleNotFoundError as exc:
            if not f"{config.name}.api.urls".startswith(exc.name or "\0"):
                raise  # a broken import inside an API module, not a missing one
    return found


def resources() -> dict[str, type]:
    """API resource name → model, for every router-registered viewset with history."""
    found: dict[str, type] = {}
    for module in _api_url_modules():
        router = getattr(module, "router", None)
        for prefix, viewset, _basename in getattr(router, "registry", []):
            queryset = getattr(viewset, "queryset", None)
            model = getattr(queryset, "model", None)
            if model is not None and hasattr(model, "history"):
                found[prefix] = model
    return found


class Deletion(serializers.Serializer):
    resource = serializers.CharField(help_text=_("接口资源名，如 projects"))
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=[("deleted", _("已删除")), ("removed", _("已出库"))])
    at = serializers.DateTimeField()


class DeletionsView(APIView):
    permission_classes = [PolicyPermission]

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATETIME, required=True, description="ISO-8601")
        ],
        responses=Deletion(many=True),
    )
    def get(self, request):
        """自某时刻起删除的记录与出库的项目（按时间先后），供增量同步的客户端删除本地副本。"""
        since = parse_instant(request.query_params.get("since", ""), field="since")
        user = request.user
        rows = []
        for resource, model in resources().items():
            for record in model.history.filter(history_type="-", history_date__gte=since).order_by(
                "history_date"
            ):
                if _may_have_viewed(user, record):
                    rows.append(
                        {
                            "resource": resource,
                            "id": record.id,
                            "kind": "deleted",
                            "at": record.history_date,
                        }
                    )
        for source in _removal_sources:
            rows.extend(source(user, since))
        rows.sort(key=lambda r: (r["at"], r["resource"], r["id"]))
        return Response(Deletion(rows, many=True).data)


def _may_have_viewed(user, record) -> bool:
    """Could ``user`` view the row a ``-`` history record describes, as it was?"""
    if policy.sees_everything(user) or policy.is_admin(user):
        return True
    try:
        return policy.can(user, policy.Action.VIEW, record.instance)
    except ObjectDoesNotExist:
        # The owner path runs through a row deleted with it (a cascade): nobody but those
        # who see everything can be told it existed.
        return False
