"""Incremental sync (updated_since, deletions, ETag) and exports of every API list."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from freezegun import freeze_time
from openpyxl import load_workbook
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.core.excel import csv_safe
from apps.projects import services as project_services
from apps.projects.models import LibraryStatus, Stage
from tests.contracts.factories import ContractReportFactory
from tests.projects.factories import make_project, workflow_admin

pytestmark = pytest.mark.django_db


def list_endpoints() -> list[str]:
    """Every router list under /api/v1/ — a new endpoint is covered without editing this."""
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and (p.name or "").endswith("-list"):
                route = (prefix + str(p.pattern)).replace("^", "").replace("$", "")
                if route.startswith("api/v1/") and "<" not in route and "(?P" not in route:
                    found.append("/" + route)

    walk(get_resolver().url_patterns)
    return sorted(set(found))


ENDPOINTS = list_endpoints()


def test_the_router_list_is_found():
    assert {"/api/v1/projects/", "/api/v1/contracts/", "/api/v1/regions/", "/api/v1/tasks/"} <= set(
        ENDPOINTS
    )
    assert len(ENDPOINTS) >= 17


@pytest.fixture
def admin_api(admin_user_):
    c = APIClient()
    c.force_authenticate(admin_user_)
    return c


@pytest.fixture
def library(xining, haidong):
    """Projects (one named like a formula), a monthly update and a contract report."""
    with freeze_time("2026-11-05 09:00:00"):
        a = make_project(xining, LibraryStatus.APPROVED, name='=HYPERLINK("x")项目')
        b = make_project(haidong, LibraryStatus.APPROVED)
        project_services.record_monthly_update(
            user=workflow_admin(),
            project=a,
            period=dt.date(2026, 10, 1),
            completed_this_month=Decimal("1.2500"),
            stage=Stage.UNDER_CONSTRUCTION,
            progress="主体施工",
        )
        ContractReportFactory()
    return a, b


def all_json_rows(api: APIClient, url: str) -> list[dict]:
    # The test client replaces a URL's query string by ``data``: page_size goes in the URL.
    sep = "&" if "?" in url else "?"
    rows, next_url, params = [], f"{url}{sep}page_size=500", {}
    while next_url:
        body = api.get(next_url, params).json()
        params = {}
        if isinstance(body, list):
            return body
        rows += body["results"]
        next_url = body["next"]
    return rows


def as_cells(row: dict, columns: list[str]) -> list[str]:
    out = []
    for c in columns:
        v = row.get(c)
        if isinstance(v, dict | list):
            v = json.dumps(v, ensure_ascii=False, default=str)
        v = csv_safe(v)
        out.append("" if v is None else str(v))
    return out


@pytest.mark.parametrize("url", ENDPOINTS)
def test_export_equals_the_list(api_dataset, admin_api, library, url):
    expected = all_json_rows(admin_api, url)
    response = admin_api.get(url, {"format": "csv"})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *body = list(csv.reader(io.StringIO(text)))
    assert body == [as_cells(r, header) for r in expected]
    assert set(header) == set(expected[0]) if expected else header

    response = admin_api.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    sheet = [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
    assert sheet[0] == header
    # Same rows, same order (xlsx keeps text that looks like a formula as plain text).
    assert [r[0] for r in sheet[1:]] == [c[0] for c in body]


def test_exports_follow_filters_and_ordering_across_pages(admin_api, library):
    a, _ = library
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    admin_api.get(
                        "/api/v1/projects/", {"format": "csv", "unit": a.responsible_unit_id}
                    ).streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    assert [r[rows[0].index("id")] for r in rows[1:]] == [str(a.pk)]
    # Formula-safe: the name is inert text in the CSV.
    assert rows[1][rows[0].index("name")] == '\'=HYPERLINK("x")项目'


def test_export_of_all_pages_not_one(admin_api, library):
    json_page = admin_api.get("/api/v1/projects/", {"page_size": 1}).json()
    assert len(json_page["results"]) == 1 and json_page["count"] == 2
    text = b"".join(
        admin_api.get("/api/v1/projects/", {"format": "csv", "page_size": 1}).streaming_content
    ).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 3  # header + both projects


def ids(api, url, since):
    return [r["id"] for r in all_json_rows(api, f"{url}?updated_since={since}")]


def test_updated_since_before_and_after_a_change(admin_api, library):
    a, b = library
    url = "/api/v1/projects/"
    # Made at 09:00 UTC, 17:00 in Beijing: "at or after" includes the instant itself.
    assert sorted(ids(admin_api, url, "2026-11-05T17:00:00+08:00")) == sorted([a.pk, b.pk])
    assert ids(admin_api, url, "2026-11-05T17:00:01+08:00") == []
    assert ids(admin_api, url, "2026-11-06") == []
    with freeze_time("2026-11-20 10:00:00"):
        project_services.update_project(
            user=workflow_admin(), project=b, data={"name": "改名后的项目"}, version=b.version
        )
    assert ids(admin_api, url, "2026-11-06") == [b.pk]
    # A related row the list shows: a new monthly update marks its project as changed.
    with freeze_time("2026-11-25 10:00:00"):
        project_services.record_monthly_update(
            user=workflow_admin(),
            project=a,
            period=dt.date(2026, 11, 1),
            completed_this_month=Decimal("0.5000"),
            stage=Stage.UNDER_CONSTRUCTION,
            progress="继续施工",
        )
    assert ids(admin_api, url, "2026-11-21T00:00:00+08:00") == [a.pk]
    assert [
        r["project"]
        for r in all_json_rows(admin_api, "/api/v1/project-updates/?updated_since=2026-11-21")
    ] == [a.pk]


def test_updated_since_refuses_bad_input_and_unsupported_endpoints(admin_api):
    bad = admin_api.get("/api/v1/projects/", {"updated_since": "yesterday"})
    assert bad.status_code == 400 and "updated_since" in bad.json()
    assert admin_api.get("/api/v1/regions/", {"updated_since": "2026-01-01"}).status_code == 400


def test_deletions_list_removed_projects(admin_api, library):
    a, _ = library
    with freeze_time("2026-11-28 10:00:00"):
        project_services.transition(
            user=workflow_admin(), project=a, action="remove", comment="项目终止"
        )
    body = admin_api.get("/api/v1/deletions/", {"since": "2026-11-27"}).json()
    assert [(r["resource"], r["id"], r["kind"]) for r in body] == [("projects", a.pk, "removed")]
    assert admin_api.get("/api/v1/deletions/", {"since": "2026-11-29"}).json() == []
    assert admin_api.get("/api/v1/deletions/").status_code == 400


def test_deletions_list_deleted_rows(admin_api, library):
    from apps.contracts.models import ContractReport

    report = ContractReport.objects.get()
    pk = report.pk
    report.delete()
    body = admin_api.get("/api/v1/deletions/", {"since": "2026-01-01"}).json()
    assert {"resource": "contract-reports", "id": pk, "kind": "deleted"} in [
        {k: r[k] for k in ("resource", "id", "kind")} for r in body
    ]


def test_etag_and_304_on_details(admin_api, library):
    a, _ = library
    url = f"/api/v1/projects/{a.pk}/"
    first = admin_api.get(url)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = admin_api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    project_services.update_project(
        user=workflow_admin(), project=a, data={"name": "新的名称"}, version=a.version
    )
    changed = admin_api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_staff_export_is_scoped_like_their_list(make_user, xining, library):
    staff = make_user(Role.STAFF, xining, username="exp_staff")
    c = APIClient()
    c.force_authenticate(staff)
    text = b"".join(c.get("/api/v1/projects/", {"format": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[rows[0].index("id")] for r in rows[1:]] == [str(library[0].pk)]
