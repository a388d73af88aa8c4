"""Middleware of the shell: the health check, and the language rule."""

from django.conf import settings
from django.utils import translation


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
    intranet PCs is English; our users expect Chinese unless they choose otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = dict(settings.LANGUAGES)

    def __call__(self, request):
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in self.languages:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        translation.deactivate()
        return response
