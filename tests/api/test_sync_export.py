"""Incremental sync (updated_since, deletions, ETag) and exports of every API list."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from freezegun import freeze_time
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.projects import services as project_services
from apps.projects.models import Stage
from tests.api.listing import all_json_rows, list_endpoints
from tests.projects.factories import workflow_admin

pytestmark = pytest.mark.django_db


def test_the_router_list_is_found():
    endpoints = list_endpoints()
    assert {"/api/v1/projects/", "/api/v1/contracts/", "/api/v1/regions/", "/api/v1/tasks/"} <= set(
        endpoints
    )
    assert len(endpoints) >= 17


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


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Valid ISO-8601 with an offset PostgreSQL cannot hold (beyond ±15:59): read as UTC.
        ("0359-12-14T12:45:50-22:56", 200),
        ("3336-06-04T11:37:11.72+22:39", 200),
        # No such instant in UTC: a clear 400, not a 500.
        ("0001-01-01T00:00:00+08:00", 400),
        ("9999-12-31T23:59:59-08:00", 400),
    ],
)
def test_updated_since_at_the_edges_of_time(admin_api, value, expected):
    response = admin_api.get("/api/v1/project-updates/", {"updated_since": value})
    assert response.status_code == expected, response.content[:300]
    deletions = admin_api.get("/api/v1/deletions/", {"since": value})
    assert deletions.status_code == expected
    if expected == 400:
        assert response.json() == {
            "updated_since": ["日期时间超出范围：应在公元 1 年至 9999 年之间。"]
        }
        assert deletions.json() == {"since": ["日期时间超出范围：应在公元 1 年至 9999 年之间。"]}
    else:
        assert response.json()["results"] == [] and deletions.json() == []


def test_unknown_format_is_a_406_naming_the_formats(admin_api):
    response = admin_api.get("/api/v1/regions/", {"format": "pdf"})
    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": ["不支持的格式“pdf”，可用：api, csv, json, xlsx。"]}
    detail = admin_api.get("/api/v1/regions/1/", {"format": "csv"})  # exports are lists only
    assert detail.status_code == 406
    assert detail.json() == {"detail": ["不支持的格式“csv”，可用：api, json。"]}
    english = admin_api.get("/api/v1/regions/", {"format": "pdf"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {
        "detail": ["Unsupported format “pdf”; available: api, csv, json, xlsx."]
    }
    since = admin_api.get(
        "/api/v1/projects/", {"updated_since": "yesterday"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert since.json() == {
        "updated_since": ["Expected an ISO-8601 date-time, e.g. 2026-12-01T08:00:00+08:00."]
    }


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


def test_deletions_are_scoped_like_the_lists(make_user, xining, haidong, library):
    from apps.contracts.models import ContractReport

    a, b = library  # a belongs to 西宁, b to 海东
    report = ContractReport.objects.get()  # its contract's responsible unit is 西宁
    pk = report.pk
    report.delete()
    with freeze_time("2026-11-28 10:00:00"):
        for project in (a, b):
            project_services.transition(
                user=workflow_admin(), project=project, action="remove", comment="项目终止"
            )

    def seen(unit):
        c = APIClient()
        c.force_authenticate(make_user(Role.STAFF, unit, username=f"del_{unit.pk}"))
        body = c.get("/api/v1/deletions/", {"since": "2026-01-01"}).json()
        return sorted((r["resource"], r["id"], r["kind"]) for r in body)

    assert seen(xining) == [("contract-reports", pk, "deleted"), ("projects", a.pk, "removed")]
    assert seen(haidong) == [("projects", b.pk, "removed")]


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


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_are_attachments_never_cached_or_sniffed(admin_api, library, fmt):
    response = admin_api.get("/api/v1/projects/", {"format": fmt})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="project-')
    assert response["Content-Disposition"].endswith(f".{fmt}")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
