"""API tokens for machine clients: hashed at rest, scoped, expiring, revocable, audited use."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.test import APIClient

from apps.accounts.models import ApiToken, ApiTokenScope, Role
from apps.accounts.tokens import issue_token, revoke_token
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/"


@pytest.fixture
def writer(make_user, xining):
    return make_user(Role.API_CLIENT, xining, username="tok_writer", api_write=True)


def client(key: str, keyword: str = "Token") -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}", REMOTE_ADDR="10.1.2.3")
    return c


def rename(c: APIClient, project, name: str):
    return c.patch(f"{URL}{project.pk}/", {"name": name, "version": project.version}, format="json")


def test_token_is_hashed_at_rest_and_shown_once(writer):
    token, key = issue_token(actor=writer, owner=writer, name="银行对接")
    token.refresh_from_db()
    assert key not in {token.digest, token.prefix, token.name}
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix) and len(token.prefix) == 10
    # Several tokens per client.
    issue_token(actor=writer, owner=writer, name="统计局")
    assert writer.api_tokens.count() == 2


def test_token_and_bearer_both_authenticate_and_record_last_use(writer):
    token, key = issue_token(actor=writer, owner=writer, name="x")
    with freeze_time("2026-12-01 10:00:00"):
        assert client(key).get(URL).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert token.last_used_ip == "10.1.2.3"
    assert client(key, "Bearer").get(URL).status_code == 200
    assert client(key + "x").get(URL).status_code == 401


def test_read_token_cannot_write(writer, xining):
    project = make_project(xining)
    _, key = issue_token(actor=writer, owner=writer, name="r", scope=ApiTokenScope.READ)
    c = client(key)
    assert c.get(f"{URL}{project.pk}/").status_code == 200
    assert rename(c, project, "改名").status_code == 403
    project.refresh_from_db()
    assert project.name != "改名"


def test_read_write_token_writes_only_its_units_rows(writer, xining, haidong):
    own, other = make_project(xining), make_project(haidong)
    _, key = issue_token(actor=writer, owner=writer, name="rw", scope=ApiTokenScope.READ_WRITE)
    c = client(key)
    assert rename(c, own, "本单位改名").status_code == 200
    assert rename(c, other, "他单位改名").status_code == 403
    other.refresh_from_db()
    assert other.name != "他单位改名"


def test_read_write_token_of_a_read_only_client_still_cannot_write(make_user, xining):
    reader = make_user(Role.API_CLIENT, xining, username="tok_reader")  # api_write off
    project = make_project(xining)
    _, key = issue_token(actor=reader, owner=reader, name="rw", scope=ApiTokenScope.READ_WRITE)
    assert rename(client(key), project, "x").status_code == 403


def test_revoked_and_expired_tokens_are_refused(writer):
    revoked, revoked_key = issue_token(actor=writer, owner=writer, name="old")
    revoke_token(actor=writer, token=revoked)
    assert client(revoked_key).get(URL).status_code == 401
    with freeze_time("2026-12-01 10:00:00"):
        _, key = issue_token(
            actor=writer, owner=writer, name="短期", expires_at=timezone.now() + timedelta(days=1)
        )
        assert client(key).get(URL).status_code == 200
    with freeze_time("2026-12-02 10:00:01"):
        assert client(key).get(URL).status_code == 401


def test_only_admins_manage_other_clients_tokens(writer, make_user, admin_user_):
    other = make_user(Role.API_CLIENT, None, username="tok_other")
    with pytest.raises(PermissionDenied):
        issue_token(actor=other, owner=writer, name="x")
    token, _ = issue_token(actor=admin_user_, owner=writer, name="由管理员创建")
    with pytest.raises(PermissionDenied):
        revoke_token(actor=other, token=token)
    revoke_token(actor=admin_user_, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_client_manages_its_own_tokens_on_the_page(client, writer, make_user):
    client.force_login(writer)
    response = client.post(
        reverse("accounts:tokens"), {"owner": writer.pk, "name": "页面创建", "scope": "read"}
    )
    assert response.status_code == 200
    plain = response.context["plain"]
    token = ApiToken.objects.get(owner=writer, name="页面创建")
    assert plain.startswith(token.prefix) and plain.encode() in response.content
    # Listed afterwards without the plain key.
    listing = client.get(reverse("accounts:tokens"))
    assert "页面创建" in listing.content.decode() and plain not in listing.content.decode()
    # Someone else's token cannot be revoked from here; one's own can.
    other = make_user(Role.API_CLIENT, None, username="tok_other2")
    foreign, _ = issue_token(actor=other, owner=other, name="他人")
    assert client.post(reverse("accounts:token-revoke", args=[foreign.pk])).status_code == 403
    assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_staff_have_no_token_page(client, staff_xining):
    client.force_login(staff_xining)
    assert client.get(reverse("accounts:tokens")).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/problems/999999/accept/",  # StepPermission leaves steps to the services
        "/api/v1/assignments/999999/submit/",  # so does ServiceCheckedWrites
        URL,
    ],
)
def test_a_read_token_cannot_write_even_where_services_decide(admin_user_, url):
    _, key = issue_token(actor=admin_user_, owner=admin_user_, name="admin-read")
    # Refused before the row is even looked up (a write-capable session would get 404/400).
    response = client(key).post(url, {}, format="json")
    assert response.status_code == 403
    session = APIClient()
    session.force_authenticate(admin_user_)
    assert session.post(url, {}, format="json").status_code != 403
