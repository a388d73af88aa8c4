"""Middleware of the shell: the health check, and the language rule."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"


def _accept_language(request) -> str | None:
    """The first language of Accept-Language (by q) that we support, or None."""
    for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


class HealthCheckMiddleware:
    """Answer GET/HEAD /healthz/ before anything looks at the Host header.

    Container and load-balancer probes call the app by IP or service name, which
    ALLOWED_HOSTS rightly does not list; host validation (CommonMiddleware) and the HTTPS
    redirect (SecurityMiddleware) would turn the probe into a 400 or a 301. The answer
    reveals nothing but whether the database responds.
    """

    path = "/healthz/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == self.path and request.method in ("GET", "HEAD"):
            from apps.core.views import healthz

            return healthz(request)
        return self.get_response(request)


class ChineseFirstLocaleMiddleware:
    """zh-hans first for everyone; English only when the user switches to it.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on many
    intranet PCs is English; our users expect Chinese unless they choose otherwise. The API is
    the exception: a machine client has no switch and says what it wants in Accept-Language,
    so under /api/ an Accept-Language naming a supported language wins (else the cookie, else
    Chinese), and responses vary by it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = dict(settings.LANGUAGES)

    def __call__(self, request):
        is_api = request.path.startswith(API_PREFIX)
        lang = _accept_language(request) if is_api else None
        if lang is None:
            lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in self.languages:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        if is_api:
            patch_vary_headers(response, ("Accept-Language",))
        translation.deactivate()
        return response
