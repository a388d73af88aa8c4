"""/api/v1/oc4ids/: the approved library as an OC4IDS 0.9.5 package, valid by libcoveoc4ids
(offline, against the schema shipped in fixtures/oc4ids/) with zero findings."""

import datetime as dt
import functools
import threading
from decimal import Decimal
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from freezegun import freeze_time
from rest_framework.test import APIClient

from apps.projects import services as project_services
from apps.projects.models import LibraryStatus, Project, Stage
from tests.projects.factories import make_project, workflow_admin

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(settings.BASE_DIR) / "fixtures" / "oc4ids" / "0.9.5"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def schema_server():
    handler = functools.partial(_Quiet, directory=str(SCHEMA_DIR))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # a free port: runs may overlap
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def validate(package: dict, base: str) -> dict:
    from libcoveoc4ids.api import oc4ids_json_output
    from libcoveoc4ids.config import LibCoveOC4IDSConfig

    config = LibCoveOC4IDSConfig(
        {
            "schema_host": base,
            "schema_version_choices": {"0.9.5": ("0.9.5", base)},
            "schema_codelists": {"0.9": base + "codelists/"},
        }
    )
    return oc4ids_json_output(json_data=package, lib_cove_oc4ids_config=config)


def assert_clean(result: dict) -> None:
    findings = {
        "validation_errors": result.get("validation_errors"),
        "additional_closed_codelist_values": result.get("additional_closed_codelist_values"),
        "additional_checks": result.get("additional_checks"),
    }
    assert result["validation_errors_count"] == 0, findings
    assert not result["additional_closed_codelist_values"], findings
    assert not result["additional_checks"], findings


@pytest.fixture
def seeded(settings):
    """The seed campaign and demo library, made inside the test's transaction."""
    from apps.demo.library import load_demo_library
    from apps.projects.seed import load_campaign

    settings.DEMO_MODE = True
    load_campaign()
    load_demo_library(campaign=None, today=dt.date(2026, 12, 1))


@pytest.fixture
def rich(xining, haidong, org):
    """Approved projects with every mapped field, and one of each excluded status."""
    with freeze_time("2026-06-01 02:00:00"):
        full = make_project(
            xining,
            LibraryStatus.APPROVED,
            name="西宁市综合管廊项目",
            implementing_entity="西宁城投集团",
            is_14th_fyp_major=True,
            total_investment=Decimal("12.3456"),
            planned_start=dt.date(2026, 3, 1),
            planned_end=dt.date(2028, 12, 31),
            stage=Stage.UNDER_CONSTRUCTION,
        )
        project_services.record_monthly_update(
            user=workflow_admin(),
            project=full,
            period=dt.date(2026, 5, 1),
            completed_this_month=Decimal("0.7500"),
            stage=Stage.UNDER_CONSTRUCTION,
            progress="管廊主体施工",
        )
        bare = make_project(haidong, LibraryStatus.APPROVED, implementing_entity="")
        draft = make_project(haidong, LibraryStatus.DRAFT)
        removed = make_project(haidong, LibraryStatus.REMOVED)
    return full, bare, draft, removed


def test_package_of_the_seed_and_test_projects_validates_with_zero_findings(
    schema_server, seeded, rich
):
    response = APIClient().get("/api/v1/oc4ids/", {"format": "json"})  # anonymous
    assert response.status_code == 200
    package = response.json()
    approved = Project.objects.filter(library_status=LibraryStatus.APPROVED).count()
    assert approved > 2 and len(package["projects"]) == approved
    assert_clean(validate(package, schema_server))


def test_project_fields_are_mapped(schema_server, rich):
    full, bare, _draft, _removed = rich
    package = APIClient().get("/api/v1/oc4ids/", {"format": "json"}).json()
    by_id = {p["id"]: p for p in package["projects"]}
    assert set(by_id) == {f"oc4ids-qh0000-{full.pk}", f"oc4ids-qh0000-{bare.pk}"}
    p = by_id[f"oc4ids-qh0000-{full.pk}"]
    assert p["title"] == "西宁市综合管廊项目"
    assert p["status"] == "implementation" and p["type"] == "construction"
    assert p["budget"] == {"amount": {"amount": 1234560000, "currency": "CNY"}}
    assert p["period"] == {
        "startDate": "2026-03-01T00:00:00+08:00",
        "endDate": "2028-12-31T00:00:00+08:00",
    }
    assert p["publicAuthority"] == {"id": f"org-{full.responsible_unit_id}", "name": "西宁市政府"}
    roles = {party["name"]: party["roles"] for party in p["parties"]}
    assert roles["西宁市政府"] == ["publicAuthority"] and roles["西宁城投集团"] == ["payee"]
    assert p["transactions"] == [
        {
            "id": f"{full.pk}-2026-05",
            "date": "2026-05-31T00:00:00+08:00",
            "value": {"amount": 75000000, "currency": "CNY"},
            "payee": {"id": f"entity-{full.pk}", "name": "西宁城投集团"},
        }
    ]
    assert p["policyAlignment"]["policies"] == ["nationalPlan", "infrastructurePlan"]
    assert p["locations"][0]["address"]["countryName"] == "中国"
    # No implementing entity: no payee party and no empty fields.
    assert [party["roles"] for party in by_id[f"oc4ids-qh0000-{bare.pk}"]["parties"]] == [
        ["publicAuthority"]
    ]
    assert_clean(validate(package, schema_server))


def test_the_public_page_explains_it(client):
    response = client.get("/open-data/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "OC4IDS" in text and "/api/v1/oc4ids/" in text and "oc4ids-qh0000-" in text


def test_the_offline_validator_does_find_problems(schema_server, rich):
    """A control: the same validator set-up reports a bad status, an empty field and a
    party reference to nobody, so the zero findings above mean something."""
    package = APIClient().get("/api/v1/oc4ids/", {"format": "json"}).json()
    project = package["projects"][0]
    project["status"] = "在建"
    project["title"] = " "
    project["publicAuthority"]["id"] = "nobody"
    result = validate(package, schema_server)
    assert result["validation_errors_count"] > 0 or result["additional_closed_codelist_values"]
    checks = (
        {c["check_id"] for c in result["additional_checks"]}
        if isinstance(result["additional_checks"], list)
        else set(result["additional_checks"])
    )
    assert {"missing-values", "missing-org-refs"} <= checks, result["additional_checks"]


def test_the_public_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get("/open-data/").content.decode()
    assert "Open data: infrastructure projects (OC4IDS)" in text
    assert "placeholder prefix" in text and "公开数据" not in text
