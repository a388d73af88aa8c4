"""Error pages: 403, 404 and the CSRF refusal in the platform's layout, with a way back.

403/404 render with the request (navigation, user menu); 500 is Django's own handler with
templates/500.html, which needs neither the request nor the database.
"""

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from apps.core.redirects import referer_url


def _back(request: HttpRequest) -> str | None:
    """The page the user came from on this site, for the "back" button (none if unknown)."""
    try:
        url = referer_url(request, default="")
    except DisallowedHost:
        return None
    # Going "back" to the page that failed would loop.
    return url if url and not url.endswith(request.get_full_path()) else None


def _message(exception: Exception | None) -> str:
    """A refusal's own reason when a view gave one in words (PermissionDenied("只能…"))."""
    return str(exception or "").strip()


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {"back_url": _back(request), "detail": _message(exception)}
    return render(request, "403.html", context, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Django's message ("No Project matches the given query.") says what exists: not shown.
    return render(request, "404.html", {"back_url": _back(request)}, status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form was stale or posted from elsewhere."""
    back = _back(request) or reverse("home")
    return render(request, "403_csrf.html", {"back_url": back}, status=403)
