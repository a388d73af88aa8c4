"""The one decorator every page goes through, so no page can forget the permission policy.

``@policy_view(...)`` signs the user in (or sends them to the login page), allows only the
declared HTTP methods, asks the policy's ``gate`` (a role question such as "may review"), and —
for a page about one record — loads that record through ``policy.restrict`` and checks the
page's ``action`` on it::

    @policy_view(model=Project, action=Action.CHANGE, methods=("GET", "POST"))
    def project_edit(request, project): ...

The record comes from the ``pk`` URL argument and is passed to the view under the model's name
(``project``) instead. Refusals follow the one rule of ``apps.core.permissions``: a record the
user may not view is a 404, a page or action they may not use a 403 (``PermissionDenied``).

The declaration is kept on the view (``view.page_policy``), so the navigation shows an entry
exactly when its page would open (``apps.core.registry``), and the permission-matrix test can
check that every page in the URL configuration has one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.utils.translation import gettext

from apps.core import permissions as policy


@dataclass(frozen=True)
class PagePolicy:
    gate: Callable[[Any], bool]
    methods: frozenset[str]
    model: type[models.Model] | None = None
    action: str = policy.Action.VIEW

    def opens_for(self, user: Any) -> bool:
        """Would the page open for ``user`` (before any record is looked at)?"""
        return policy.is_signed_in(user) and bool(self.gate(user))


def policy_view(
    *,
    gate: Callable[[Any], bool] = policy.is_signed_in,
    methods: Iterable[str] = ("GET",),
    model: type[models.Model] | None = None,
    action: str = policy.Action.VIEW,
    queryset: Callable[[HttpRequest], models.QuerySet] | None = None,
    lookup: str = "pk",
    pass_as: str | None = None,
    refusal: str | None = None,
):
    allowed = frozenset(m.upper() for m in methods)
    if "GET" in allowed:
        allowed |= {"HEAD"}
    declared = PagePolicy(gate=gate, methods=allowed, model=model, action=action)
    name = pass_as or (model._meta.model_name if model is not None else None)

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not policy.is_signed_in(user):
                return redirect_to_login(request.get_full_path())
            if request.method not in allowed:
                return HttpResponseNotAllowed(sorted(allowed))
            if not gate(user):
                raise PermissionDenied(refusal or gettext("您的角色不能使用此页面。"))
            if model is not None and lookup in kwargs:
                base = queryset(request) if queryset else model._default_manager.all()
                obj = (
                    policy.restrict(base, user, policy.Action.VIEW)
                    .filter(pk=kwargs.pop(lookup))
                    .first()
                )
                if obj is None:
                    raise Http404
                if action != policy.Action.VIEW and not policy.can(user, action, obj):
                    raise PermissionDenied(policy.refusal(action))
                kwargs[name] = obj
            return view(request, *args, **kwargs)

        wrapper.page_policy = declared
        return wrapper

    return decorate


def page_policy_of(callback: Any) -> PagePolicy | None:
    return getattr(callback, "page_policy", None)
