"""The web shell: login, per-role home, admin in Chinese, audit trail, offline assets."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_chinese(client):
    body = client.get(reverse("login")).content.decode()
    assert "登录" in body and "青海省项目管理平台" in body


@pytest.mark.parametrize(
    ("fixture", "phrase"),
    [
        ("staff_xining", "本单位"),
        ("reviewer", "审核"),
        ("leader", "汇总"),
        ("coordinator", "催办"),
        ("api_client_user", "接口"),
        ("admin_user_", "系统管理员"),
    ],
)
def test_home_page_speaks_to_each_role(client, request, fixture, phrase):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    body = client.get("/").content.decode()
    assert phrase in body
    assert user.display_name in body


def test_logout_is_a_post(client, staff_xining):
    client.force_login(staff_xining)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_admin_is_in_chinese(client, admin_user_):
    client.force_login(admin_user_)
    body = client.get("/admin/").content.decode()
    assert "系统管理" in body and "行政区划" in body and "单位" in body


def test_no_page_template_loads_anything_from_outside():
    external = re.compile(r"""(src|href)=["'](https?:)?//""")
    offenders = [
        str(p)
        for p in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if external.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_vendored_assets_are_served_locally(client, staff_xining):
    client.force_login(staff_xining)
    body = client.get("/").content.decode()
    for asset in ("vendor/bootstrap/bootstrap.min.css", "vendor/htmx/htmx.min.js"):
        assert f"/static/{asset}" in body
        assert Path(settings.BASE_DIR, "static", asset).exists(), f"{asset}: run setup.sh"


def test_api_docs_are_served_without_a_cdn(client, staff_xining):
    client.force_login(staff_xining)
    body = client.get(reverse("api-docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/" in body
    assert "cdn" not in body.lower()


def test_openapi_schema_generates(client, staff_xining):
    client.force_login(staff_xining)
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/regions/" in response.json()["paths"]


def test_api_requires_a_token_or_session(client):
    assert client.get("/api/v1/regions/").status_code in (401, 403)


def test_api_token_authentication(client, api_client_user):
    from apps.accounts.tokens import issue_token

    _, key = issue_token(actor=api_client_user, owner=api_client_user, name="shell")
    response = client.get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert len(response.json()) == 54


def test_healthz(client):
    assert client.get("/healthz/").json() == {"status": "ok"}


class TestDemoUsers:
    def test_created_in_demo_mode_with_documented_roles(self, settings):
        settings.DEMO_MODE = True
        call_command("load_demo_users", stdout=__import__("io").StringIO())
        users = {u.username: u for u in User.objects.filter(username__in=_DEMO)}
        assert set(users) == set(_DEMO)
        assert users["staff_xining"].organization.name == "西宁市政府"
        assert users["staff_haidong"].organization.name == "海东市政府"
        assert users["reviewer"].role == Role.REVIEWER
        assert users["coordinator"].organization.name == "省工业和信息化厅"
        assert users["leader"].check_password("demo12345")

    def test_refused_outside_demo_mode(self, settings):
        settings.DEMO_MODE = False
        with pytest.raises(CommandError, match="演示模式"):
            call_command("load_demo_users")
        assert not User.objects.filter(username__in=_DEMO).exists()


_DEMO = [
    "admin",
    "reviewer",
    "leader",
    "coordinator",
    "staff_xining",
    "staff_haidong",
    "api_client",
]


class TestUnitProfile:
    def test_staff_edit_their_own_unit(self, client, staff_xining, xining):
        client.force_login(staff_xining)
        url = reverse("reference:organization", args=[xining.pk])
        assert "通知设置" in client.get(url).content.decode()
        response = client.post(url, {"webhook_url": "http://127.0.0.1:9/robot"})
        assert response.status_code == 302
        xining.refresh_from_db()
        assert xining.webhook_url == "http://127.0.0.1:9/robot"

    def test_staff_never_see_another_units_form(self, client, staff_xining, haidong):
        # Organisations are public reference data: another unit's staff read the profile,
        # without the form and without its users; a POST is refused (403), nothing changes.
        client.force_login(staff_xining)
        url = reverse("reference:organization", args=[haidong.pk])
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200
        assert haidong.name in body and '<form method="post">' not in body
        assert response.context["users"] is None
        assert client.post(url, {"webhook_url": "http://x.invalid/"}).status_code == 403
        haidong.refresh_from_db()
        assert haidong.webhook_url == ""

    def test_leader_reads_but_cannot_change(self, client, leader, xining):
        client.force_login(leader)
        url = reverse("reference:organization", args=[xining.pk])
        body = client.get(url).content.decode()
        assert xining.name in body and '<form method="post">' not in body
        assert client.post(url, {"webhook_url": "http://x.invalid/"}).status_code == 403


def test_every_change_is_in_the_audit_trail(client, staff_xining, xining):
    client.force_login(staff_xining)
    client.post(
        reverse("reference:organization", args=[xining.pk]),
        {"webhook_url": "http://127.0.0.1:9/robot"},
    )
    record = xining.history.order_by("-history_date").first()
    assert record.history_user == staff_xining
    body = client.get(reverse("object-history", args=["reference", "organization", xining.pk]))
    text = body.content.decode()
    assert "群机器人地址" in text and "http://127.0.0.1:9/robot" in text
    assert staff_xining.username in text


def test_history_of_another_units_record_is_hidden(client, staff_xining, haidong):
    client.force_login(staff_xining)
    url = reverse("object-history", args=["reference", "organization", haidong.pk])
    assert client.get(url).status_code == 404


def test_chinese_first_even_for_an_english_browser(client, admin_user_):
    client.force_login(admin_user_)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert "站点管理" in response.content.decode() or "系统管理" in response.content.decode()


def test_english_is_a_switch_away(client, admin_user_):
    client.force_login(admin_user_)
    client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})
    response = client.get("/admin/password_change/")
    assert response["Content-Language"] == "en"
    assert "Password change" in response.content.decode()


def test_the_shell_speaks_english_after_the_switch(client, staff_xining):
    client.force_login(staff_xining)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert "Qinghai Project Pipeline Platform" in body
    assert "Project library" in body and "Log out" in body
    assert f"Hello, {staff_xining.display_name}" in body
