"""The one rule for following a redirect target that came with the request.

A ``next`` field, a stored link or the Referer is user-controlled: ``//evil.example/`` and
``https://evil.example/`` start like paths or look like links, and following them turns the
platform into a phishing relay. Every view that redirects to such a target goes through
``safe_url``/``redirect_next``; a target is followed only if it stays on this site (same host,
and https when the request came over https).
"""

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_target(request: HttpRequest, url: str | None) -> bool:
    """True for a non-empty URL on this site (relative, or absolute to the request's host)."""
    if not url:
        return False
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_url(request: HttpRequest, *candidates: str | None, default: str) -> str:
    """The first candidate that is safe to redirect to, else ``default`` (ours, trusted)."""
    for url in candidates:
        if is_safe_target(request, url):
            return url  # type: ignore[return-value]  # is_safe_target rules out None
    return default


def next_url(request: HttpRequest, default: str, *, field: str = "next") -> str:
    """Where the request asks to go next (POST, then the query string) if safe, else default."""
    return safe_url(request, request.POST.get(field), request.GET.get(field), default=default)


def redirect_next(
    request: HttpRequest, default: str, *, field: str = "next"
) -> HttpResponseRedirect:
    """A redirect to ``next_url``."""
    return HttpResponseRedirect(next_url(request, default, field=field))


def referer_url(request: HttpRequest, default: str) -> str:
    """The page the user came from, for a "back" link, if it is on this site."""
    return safe_url(request, request.META.get("HTTP_REFERER"), default=default)
