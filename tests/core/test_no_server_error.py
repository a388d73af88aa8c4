"""No input gives a 500 (issue 9, point 13).

The sweep walks the whole URL configuration, so a page or endpoint added later is covered
without touching this file: every pattern that takes path arguments is requested, as the
administrator (who passes every permission check, so the view itself runs), with arguments a
client can type — non-numeric, huge, negative, a NUL byte, a comma list — by GET and POST.
A 404 or 400 is the right answer; a 500 (or an exception escaping the view) is a defect.
"""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import quote, unquote

import pytest
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from apps.projects.models import Project
from tests.projects.factories import make_project

MALFORMED = [
    "null,null",
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "1e999",
    "NaN",
    "1.5",
    "%00",
    "..%2F..",
]

_ROUTE_PARAM = re.compile(r"<(?:\w+:)?\w+>")


def _regex_to_path(regex: str, value: str) -> str:
    """Turn a router's regex ('^projects/(?P<pk>[^/.]+)/updates/$') into a concrete path."""
    out, i = [], 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            depth, j = 0, i
            while True:  # skip to the group's closing parenthesis
                if regex[j] == "(" and regex[j - 1] != "\\":
                    depth += 1
                elif regex[j] == ")" and regex[j - 1] != "\\":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            out.append(value)
            i = j + 1
        elif regex[i] in "^$":
            i += 1
        elif regex[i] == "\\" and i + 1 < len(regex):
            out.append(regex[i + 1])
            i += 2
        elif regex[i] == "?" and out and out[-1] == "/":
            i += 1  # an optional trailing slash: keep it
        else:
            out.append(regex[i])
            i += 1
    return "".join(out)


def _templates(patterns, prefix: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _templates(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _resolves(path: str) -> bool:
    try:
        resolve(unquote(path))
    except Resolver404:
        return False  # the URL configuration already answers 404: no view runs
    return True


def _paths_with_arguments() -> list[str]:
    paths = set()
    for template in _templates(get_resolver().url_patterns):
        if "<" not in template:
            continue
        if "(?P<format>" in template or template.startswith("^media/"):
            continue  # format suffixes repeat their pattern; media is static serving
        for value in MALFORMED:
            path = "/" + _ROUTE_PARAM.sub(value, _regex_to_path(template, value))
            if _resolves(path):
                paths.add(path)
    return sorted(paths)


def _admin_client(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _server_errors(client: Client, paths: list[str], methods=("get", "post")) -> list[str]:
    found = []
    for path in paths:
        for method in methods:
            try:
                response = getattr(client, method)(path)
            except Exception as exc:  # the view raised: what a user would see as a 500
                found.append(f"{method.upper()} {path}: {type(exc).__name__}: {exc}"[:300])
                continue
            if response.status_code >= 500:
                found.append(f"{method.upper()} {path}: {response.status_code}")
    return found


@pytest.mark.django_db
def test_sweep_covers_the_nested_api_routes():
    paths = _paths_with_arguments()
    assert "/api/v1/projects/null,null/updates/" in paths
    assert "/history/0/0/0/" in paths
    assert "/projects/99999999999999999999/edit/" in paths


@pytest.mark.django_db
def test_no_path_argument_gives_a_server_error(admin_user_):
    paths = [p for p in _paths_with_arguments() if not p.startswith("/admin/")]
    assert _server_errors(_admin_client(admin_user_), paths) == []


# Django's own admin views are tested upstream; ours are the history pages (simple-history) and
# the change forms behind the policy mixin. They are read with the most telling arguments.
ADMIN_PAGE = re.compile(r"^/admin/\w+/\w+/(abc|%00|99999999999999999999|-1)/(change|history)/")


@pytest.mark.django_db
def test_no_admin_path_argument_gives_a_server_error(admin_user_):
    paths = [p for p in _paths_with_arguments() if ADMIN_PAGE.match(p)]
    assert "/admin/projects/project/abc/history/" in paths
    assert _server_errors(_admin_client(admin_user_), paths, methods=("get",)) == []


@pytest.mark.django_db
def test_nested_updates_with_a_malformed_project_id_is_a_404(admin_user_):
    client = _admin_client(admin_user_)
    response = client.get("/api/v1/projects/null,null/updates/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_history_of_a_record_without_history_rows(admin_user_, xining):
    project = make_project(xining)
    project.history.all().delete()  # e.g. a row bulk-created before history was enabled
    response = _admin_client(admin_user_).get(f"/history/projects/project/{project.pk}/")
    assert response.status_code == 200
    assert "暂无记录" in response.content.decode()
    assert Project.objects.filter(pk=project.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "app_label, model_name",
    [
        ("projects", "historicalproject"),  # a history table has no history of its own
        ("projects", "project%00"),
        ("contenttypes", "contenttype"),
        ("nosuchapp", "project"),
    ],
)
def test_history_of_odd_models_is_a_404(admin_user_, app_label, model_name):
    response = _admin_client(admin_user_).get(f"/history/{app_label}/{model_name}/1/")
    assert response.status_code == 404


def test_regex_paths_are_built_as_a_client_would_type_them():
    assert (
        _regex_to_path("api/v1/^projects/(?P<pk>[^/.]+)/updates/$", quote("null,null", safe=","))
        == "api/v1/projects/null,null/updates/"
    )


# --- amounts typed into forms, the API and filters (point 13) --------------------------------

HUGE_OR_NOT_A_NUMBER = ["1e30", "1e999", "NaN", "inf", "-inf", "1e-999"]


@pytest.mark.django_db
@pytest.mark.parametrize("amount", HUGE_OR_NOT_A_NUMBER)
def test_amounts_in_the_project_form_and_api_are_refused_not_a_500(
    admin_user_, staff_xining, xining, amount
):
    project = make_project(xining)
    client = _admin_client(staff_xining)
    page = client.post(
        f"/projects/{project.pk}/edit/",
        {"name": project.name, "total_investment": amount, "version": project.version},
    )
    assert page.status_code == 200  # the form again, with the field's error
    api = client.patch(
        f"/api/v1/projects/{project.pk}/",
        {"total_investment": amount, "version": project.version},
        content_type="application/json",
    )
    assert api.status_code == 400 and "total_investment" in api.json()
    project.refresh_from_db()
    assert project.total_investment == Decimal("12.5000")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/projects/", "/projects/export/", "/api/v1/projects/", "/contracts/"]
)
def test_amount_filters_with_huge_or_non_numbers(admin_user_, url):
    client = _admin_client(admin_user_)
    for amount in HUGE_OR_NOT_A_NUMBER:
        response = client.get(url, {"investment_min": amount, "investment_max": amount})
        assert response.status_code < 500, (url, amount)
