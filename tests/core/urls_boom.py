"""The real URL configuration plus one view that fails, for the 500-page test."""

from django.urls import path

from qhprojects.urls import handler403, handler404
from qhprojects.urls import urlpatterns as real_patterns


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *real_patterns]
__all__ = ["handler403", "handler404", "urlpatterns"]
