import importlib.util

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from apps.accounts import views as accounts_views
from apps.core import api as core_api
from apps.core import views as core_views
from apps.core.api_deletions import DeletionsView

admin.site.site_header = gettext_lazy("青海省项目管理平台 · 系统管理")
admin.site.site_title = gettext_lazy("青海省项目管理平台")
admin.site.index_title = gettext_lazy("系统管理")

# Refusals and missing pages in the platform's layout with a way back (apps/core/errors.py);
# 500 is Django's handler with templates/500.html (no request, no database needed).
handler403 = "apps.core.errors.permission_denied"
handler404 = "apps.core.errors.page_not_found"

# Each bounded context mounts its pages at <prefix>/ and its API under api/v1/.
APP_PREFIXES = [
    ("projects", "projects/"),
    ("contracts", "contracts/"),
    ("workgroups", "workgroups/"),
    ("indicators", "indicators/"),
    ("tasks", "tasks/"),
    ("problems", "problems/"),
    ("rankings", "rankings/"),
    ("notifications", "notifications/"),
    ("jobs", "jobs/"),
    ("dashboard", "dashboard/"),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz/", core_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("apps.accounts.urls")),
    path("units/", include("apps.reference.urls")),
    path(
        "history/<str:app_label>/<str:model_name>/<int:pk>/",
        core_views.object_history,
        name="object-history",
    ),
    # Django's language switch, which also keeps a signed-in user's choice (User.language).
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("apps.reference.api.urls")),
    path("api/v1/deletions/", DeletionsView.as_view(), name="api-deletions"),
    # The public explanation of the OC4IDS publication (/api/v1/oc4ids/); no sign-in.
    path(
        "open-data/",
        TemplateView.as_view(template_name="open_data.html"),
        name="open-data",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's start-up script comes from the same URL (?script=), not inline: no allowance.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # ReDoc renders with styled-components (<style> elements), searches in a blob: worker and
    # shows Redocly's logo from its CDN (where there is internet); allowed on this page only.
    path(
        "api/redoc/",
        csp_update(
            {
                "style-src": [UNSAFE_INLINE],
                "worker-src": [SELF, "blob:"],
                "img-src": ["https://cdn.redoc.ly"],
            }
        )(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
]


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # the parent package (e.g. apps.x.api) does not exist
        return False


for app, prefix in APP_PREFIXES:
    for module, mount in ((f"apps.{app}.urls", prefix), (f"apps.{app}.api.urls", "api/v1/")):
        if _exists(module):
            urlpatterns.append(path(mount, include(module)))

# No static route for MEDIA_ROOT, in any mode: uploaded and generated files are handed out only
# by views that ask the policy first (apps/core/downloads.py).

# Last: an /api/ URL that matched no route is a JSON 404 in the API's error shape. Only URLs
# ending in a slash, so APPEND_SLASH still redirects /api/v1/projects to /api/v1/projects/.
urlpatterns.append(re_path(r"^api/.*/$", core_api.not_found))
