"""One error shape for every API error, Chinese by default, English with Accept-Language: en;
400 for bad filters; malformed ids and unmatched /api/ URLs are JSON 404s, never a 500."""

import json

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.test import APIClient

from apps.accounts.models import ApiTokenScope
from apps.accounts.tokens import issue_token
from apps.core.drf import error_body, exception_handler
from apps.projects.models import LibraryStatus
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def client_for(user) -> APIClient:
    client = APIClient()
    _, key = issue_token(actor=user, owner=user, name="errors", scope=ApiTokenScope.READ_WRITE)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def assert_shape(body) -> None:
    """Every error body: an object whose every value is a list of strings."""
    assert isinstance(body, dict) and body
    for key, messages in body.items():
        assert isinstance(key, str)
        assert isinstance(messages, list) and messages
        assert all(isinstance(m, str) and m for m in messages)


# --- the shape ---------------------------------------------------------------------------------


def test_field_errors_keep_their_field_in_chinese_by_default(staff_xining):
    response = client_for(staff_xining).post("/api/v1/projects/", {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert_shape(body)
    assert body["name"] == ["该字段是必填项。"]
    assert response["Content-Language"] == "zh-hans"


def test_field_errors_in_english_with_accept_language_en(staff_xining):
    response = client_for(staff_xining).post("/api/v1/projects/", {}, format="json", **EN)
    assert response.status_code == 400
    assert response.json()["name"] == ["This field is required."]
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


def test_browser_accept_language_picks_its_first_supported_language(staff_xining):
    client = client_for(staff_xining)
    zh_browser = client.get(
        "/api/v1/projects/999999/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.8"
    )
    en_browser = client.get("/api/v1/projects/999999/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert zh_browser.json() == {"detail": ["未找到。"]}
    assert en_browser.json() == {"detail": ["Not found."]}


def test_pages_stay_chinese_for_an_english_browser(client, staff_xining):
    client.force_login(staff_xining)
    response = client.get("/", **EN)
    assert response["Content-Language"] == "zh-hans"


def test_our_own_messages_are_translated_too(staff_xining, xining):
    project = make_project(xining)
    client = client_for(staff_xining)
    url = f"/api/v1/projects/{project.pk}/"
    zh = client.patch(url, {"name": "改名"}, format="json")
    en = client.patch(url, {"name": "改名"}, format="json", **EN)
    assert zh.status_code == en.status_code == 400
    assert zh.json() == {"version": ["修改项目时必须提供 version（开始编辑时读取到的版本号）。"]}
    assert_shape(en.json())
    bad_month = client.get("/api/v1/project-updates/", {"period": "2026-1x"}, **EN)
    assert bad_month.status_code == 400
    assert bad_month.json() == {"period": ["The month must be YYYY-MM, e.g. 2026-10."]}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ({}, "身份认证信息未提供。"),
        (EN, "Authentication credentials were not provided."),
    ],
)
def test_401_without_a_token(lang, expected):
    response = APIClient().get("/api/v1/projects/", **lang)
    assert response.status_code == 401
    assert response.json() == {"detail": [expected]}
    assert response["WWW-Authenticate"] == "Token"


def test_403_for_a_read_only_client_writing(api_client_user):
    response = client_for(api_client_user).post("/api/v1/projects/", {}, format="json", **EN)
    assert response.status_code == 403
    assert response.json() == {"detail": ["You do not have permission to perform this action."]}


def test_another_units_draft_is_a_404_in_the_same_shape(staff_haidong, xining):
    project = make_project(xining)
    response = client_for(staff_haidong).post(
        f"/api/v1/projects/{project.pk}/submit/", {}, format="json"
    )
    assert response.status_code == 404  # another unit's draft is not even visible
    assert response.json() == {"detail": ["未找到。"]}


def test_non_field_errors_go_under_detail(staff_xining, xining):
    """A workflow step refused for the project's state: a non-field error, under detail."""
    project = make_project(xining, LibraryStatus.APPROVED)
    response = client_for(staff_xining).post(
        f"/api/v1/projects/{project.pk}/submit/", {}, format="json"
    )
    assert response.status_code in (400, 403)
    body = response.json()
    assert_shape(body)
    assert list(body) == ["detail"]


# --- never a 500 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/projects/null,null/",
        "/api/v1/projects/abc/submit/",
        "/api/v1/projects/abc/updates/",
        "/api/v1/project-updates/abc/",
        "/api/v1/projects/1.5/",
        "/api/v1/no-such-endpoint/",
    ],
)
def test_malformed_ids_and_unknown_urls_are_json_404s(staff_xining, path):
    client = client_for(staff_xining)
    response = client.post(path, {}, format="json") if "submit" in path else client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": ["未找到。"]}


def test_a_service_validation_error_that_escapes_a_view_is_a_400():
    response = exception_handler(
        DjangoValidationError({"period": ["月份不对"], "__all__": ["整体不对"]}), {}
    )
    assert response.status_code == 400
    assert response.data == {"period": ["月份不对"], "detail": ["整体不对"]}
    plain = exception_handler(DjangoValidationError("不能这样做"), {})
    assert plain.status_code == 400 and plain.data == {"detail": ["不能这样做"]}


def test_nested_errors_are_flattened_with_dots():
    nested = {"targets": [{}, {"due_on": ["日期不对"]}], "gap": {"start": ["x"]}, "detail": "y"}
    assert error_body(nested) == {
        "targets.1.due_on": ["日期不对"],
        "gap.start": ["x"],
        "detail": ["y"],
    }
    assert error_body(["a", "b"]) == {"detail": ["a", "b"]}


# --- bad filters are 400 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/projects/", {"tier": "bogus"}, "tier"),
        ("/api/v1/projects/", {"ordering": "bogus"}, "ordering"),
        ("/api/v1/contracts/", {"ordering": "-nope"}, "ordering"),
        ("/api/v1/contracts/", {"investment_min": "abc"}, "investment_min"),
        ("/api/v1/contract-reports/", {"month": "2017-13"}, "month"),
        ("/api/v1/project-updates/", {"year": "abc"}, "year"),
        ("/api/v1/tasks/", {"overdue": "maybe"}, "overdue"),
        ("/api/v1/tasks/", {"ordering": "content"}, "ordering"),
        ("/api/v1/indicators/", {"year": "1900"}, "year"),
        ("/api/v1/organizations/", {"kind": "bogus"}, "kind"),
    ],
)
def test_bad_filters_are_400_not_an_empty_or_unfiltered_list(api_client_user, path, params, field):
    response = client_for(api_client_user).get(path, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert_shape(body)
    assert list(body) == [field]


def test_bad_ordering_names_the_allowed_fields(api_client_user):
    response = client_for(api_client_user).get("/api/v1/tasks/", {"ordering": "x"}, **EN)
    assert response.json() == {
        "ordering": ["Cannot order by “x”; fields: due_date, number (prefix - for descending)"]
    }
    ok = client_for(api_client_user).get("/api/v1/tasks/", {"ordering": "-due_date,number"})
    assert ok.status_code == 200


def test_bad_month_on_rates_is_a_400_in_english(api_client_user):
    from apps.contracts import seed

    fair = seed.load_fair()
    client = client_for(api_client_user)
    url = f"/api/v1/fairs/{fair.pk}/rates/"
    assert client.get(url, {"month": "2017-13"}, **EN).json() == {
        "month": ["The month must be YYYY-MM, not “2017-13”"]
    }
    assert client.get(url, {"by": "sector"}).json() == {
        "by": ["by 只能是 unit 或 region，实为“sector”"]
    }


def test_indicator_detail_refuses_an_unmonitored_year(api_client_user):
    from apps.indicators import seed

    seed.load(stdout=__import__("io").StringIO())
    from apps.indicators.models import Indicator

    pk = Indicator.objects.order_by("pk").values_list("pk", flat=True).first()
    client = client_for(api_client_user)
    assert client.get(f"/api/v1/indicators/{pk}/", {"year": "2023"}).status_code == 200
    response = client.get(f"/api/v1/indicators/{pk}/", {"year": "1999"})
    assert response.status_code == 400 and list(response.json()) == ["year"]


# --- the shape is in the schema ---------------------------------------------------------------


def test_every_operation_documents_its_errors_with_the_error_component(client, api_client_user):
    client.force_login(api_client_user)
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    error = schema["components"]["schemas"]["Error"]
    assert error["additionalProperties"] == {"type": "array", "items": {"type": "string"}}
    ref = {"$ref": "#/components/schemas/Error"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = operation["responses"]
            for code in ("401", "403", "429"):
                assert codes[code]["content"]["application/json"]["schema"] == ref, (path, method)
            assert "Retry-After" in codes["429"]["headers"]
            if "{" in path:
                assert "404" in codes, (path, method)
            if method in ("post", "put", "patch"):
                assert "400" in codes and "409" in codes, (path, method)


@pytest.mark.parametrize("kind", ["regions", "sectors", "domains", "workgroups", "organizations"])
def test_reference_details_are_readable_by_unit_staff(staff_xining, kind):
    """Was a TypeError (these models declare no owner) and a 500 for unit staff."""
    from apps.workgroups import seed

    seed.load(stdout=__import__("io").StringIO())
    client = client_for(staff_xining)
    first = client.get(f"/api/v1/{kind}/").json()
    rows = first["results"] if isinstance(first, dict) else first
    response = client.get(f"/api/v1/{kind}/{rows[0]['id']}/")
    assert response.status_code == 200
    assert client.post(f"/api/v1/{kind}/", {}, format="json").status_code in (403, 405)
