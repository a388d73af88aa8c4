"""Login lockout helpers for django-axes (settings: "Accounts and abuse")."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import password_validation
from django.http import HttpRequest
from django.utils.translation import gettext


def client_ip(request: HttpRequest) -> str:
    """The address a failed login is counted against.

    Behind ``QH_TRUSTED_PROXY_COUNT`` proxies, each appending the address it saw to
    X-Forwarded-For, the client is the entry the outermost trusted proxy wrote: that many
    places from the right. Entries further left were written by the client and may be forged,
    so they never count (a forged address per attempt would escape the lockout).
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "QH_TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) >= count:
        return forwarded[-count]
    return forwarded[0] if forwarded else remote


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The lockout page (429), in the user's language, saying how long to wait."""
    from axes.helpers import get_cool_off, get_failure_limit
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a Chinese message (Django 5.2's zh-hans catalogue lacks this one)."""

    def get_error_message(self) -> str:
        return gettext("密码太短，至少需要 %(min_length)d 个字符。") % {
            "min_length": self.min_length
        }

    def get_help_text(self) -> str:
        return gettext("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
