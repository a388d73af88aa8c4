"""Accounts and abuse (issue 9 §17): login lockout, password rules, session expiry, API throttles.

Each test first shows the defect the shipped code had (no lockout, no throttle) by asserting
the behaviour that was missing.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from freezegun import freeze_time
from rest_framework.test import APIClient

from apps.accounts.security import client_ip
from apps.accounts.tokens import issue_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # tests.factories.UserFactory's password


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()  # throttle counters live in the cache
    yield
    cache.clear()


def _fail(client, username: str, *, ip: str = "10.0.0.7"):
    return client.post(
        reverse("login"), {"username": username, "password": "wrong-password"}, REMOTE_ADDR=ip
    )


def _login(client, username: str, *, ip: str = "10.0.0.7"):
    return client.post(
        reverse("login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip
    )


# --- lockout ------------------------------------------------------------------------------------


def test_failures_below_the_limit_still_let_the_right_password_in(client, staff_xining):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail(client, staff_xining.username).status_code == 200
    response = _login(client, staff_xining.username)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    # A success resets the count (AXES_RESET_ON_SUCCESS).
    assert not AccessAttempt.objects.filter(username=staff_xining.username).exists()


def test_the_limit_locks_the_pair_even_with_the_right_password(client, staff_xining):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _fail(client, staff_xining.username).status_code == 200
    locked = _fail(client, staff_xining.username)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "登录已暂时锁定" in body and "连续 5 次登录失败" in body and "30 分钟后再试" in body
    # The right password does not get through while the lock holds.
    again = _login(client, staff_xining.username)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_speaks_english_after_the_switch(client, staff_xining):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for _ in range(5):
        response = _fail(client, staff_xining.username)
    body = response.content.decode()
    assert response.status_code == 429
    assert "Sign-in temporarily locked" in body
    assert "After 5 failed sign-ins in a row" in body and "30 minutes" in body


def test_the_lock_is_per_username_and_address(client, staff_xining, staff_haidong):
    for _ in range(5):
        _fail(client, staff_xining.username, ip="10.0.0.7")
    # The same account from another address, and another account from the same address:
    # neither is locked (one office's NAT is not locked by one user, nor a user by a stranger).
    assert _login(client, staff_xining.username, ip="10.0.0.8").status_code == 302
    client.logout()
    assert _login(client, staff_haidong.username, ip="10.0.0.7").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, staff_xining):
    with freeze_time("2026-12-01 09:00:00"):
        for _ in range(5):
            _fail(client, staff_xining.username)
        assert _login(client, staff_xining.username).status_code == 429
    with freeze_time("2026-12-01 09:29:00"):
        assert _login(client, staff_xining.username).status_code == 429
    with freeze_time("2026-12-01 09:31:00"):
        assert _login(client, staff_xining.username).status_code == 302


def test_an_administrator_unlocks_in_the_axes_admin(client, staff_xining, admin_user_):
    for _ in range(5):
        _fail(client, staff_xining.username)
    attempt = AccessAttempt.objects.get(username=staff_xining.username)
    admin = APIClient()  # any client; only its session matters
    admin.force_login(admin_user_)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and staff_xining.username in listing.content.decode()
    deleted = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert _login(client, staff_xining.username).status_code == 302


def test_forwarded_for_written_by_the_client_is_not_trusted(settings):
    rf = RequestFactory()
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    settings.QH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.1.1.1"
    # Behind one proxy: the proxy appended the real peer; the client's own entry is ignored.
    settings.QH_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.1.1")
    assert client_ip(request) == "10.1.1.1"


# --- passwords and sessions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Qh-2026", "password_too_short"),  # 7 < 10
        ("1234567890123", "password_entirely_numeric"),
        ("password1234", "password_too_common"),
        ("wangxiaoming-1", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused(password, reason):
    user = UserFactory.build(username="wangxiaoming", first_name="小明")
    with pytest.raises(ValidationError) as raised:
        validate_password(password, user)
    assert reason in [e.code for e in raised.value.error_list]


def test_a_sound_password_passes():
    validate_password("Qinghai-湖-2026!", UserFactory.build(username="wangxiaoming"))


def test_the_admin_password_form_applies_the_validators(client, admin_user_, staff_xining):
    client.force_login(admin_user_)
    url = reverse("admin:auth_user_password_change", args=[staff_xining.pk])
    response = client.post(url, {"password1": "short1", "password2": "short1"})
    assert response.status_code == 200
    assert "密码太短，至少需要 10 个字符。" in response.content.decode()
    staff_xining.refresh_from_db()
    assert staff_xining.check_password(PASSWORD)


def test_a_session_expires_after_session_cookie_age(client, staff_xining):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    with freeze_time("2026-12-01 08:00:00"):
        assert _login(client, staff_xining.username).status_code == 302
        assert client.get("/").status_code == 200
    with freeze_time("2026-12-01 15:59:00"):
        assert client.get("/").status_code == 200
    with freeze_time("2026-12-01 16:01:00"):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- API throttles ------------------------------------------------------------------------------


def test_anonymous_api_callers_get_429_with_retry_after(settings):
    # The schema is the one API answer open to anonymous callers (and the costliest to build);
    # elsewhere an anonymous call is refused with 401 before throttles run (DRF's order).
    settings.QH_API_THROTTLE_RATES = {"anon": "2/minute", "user": "100/minute"}
    api = APIClient()
    with freeze_time("2026-12-01 10:00:00"):
        assert [api.get("/api/schema/").status_code for _ in range(2)] == [200, 200]
        refused = api.get("/api/schema/")
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 60
        assert api.get("/api/v1/projects/").status_code == 401
    with freeze_time("2026-12-01 10:01:01"):
        assert api.get("/api/schema/").status_code == 200


def test_token_clients_are_throttled_per_user(settings, api_client_user, reviewer):
    settings.QH_API_THROTTLE_RATES = {"anon": "100/minute", "user": "2/minute"}
    _, key = issue_token(actor=api_client_user, owner=api_client_user, name="throttle")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with freeze_time("2026-12-01 10:00:00"):
        assert [api.get("/api/v1/projects/").status_code for _ in range(2)] == [200, 200]
        refused = api.get("/api/v1/projects/")
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 60
        # Another user's budget is their own.
        other = APIClient()
        other.force_authenticate(reviewer)
        assert other.get("/api/v1/projects/").status_code == 200


def test_a_cache_outage_does_not_take_the_api_down(settings, api_client_user):
    """The throttle counts in Redis in production; with Redis down the API still answers."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    api = APIClient()
    api.force_authenticate(api_client_user)
    assert api.get("/api/v1/projects/").status_code == 200
