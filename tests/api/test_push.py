"""The periodic push of the changed major-project list: allowlisted, signed, retried, recorded.

A real HTTP server on 127.0.0.1 (this worktree's ports) answers 503 first, then 200."""

import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from apps.accounts.models import PushDelivery, Role
from apps.projects import push
from apps.projects import services as project_services
from apps.projects.models import LibraryStatus, Stage
from apps.projects.tasks import push_major_projects
from tests.projects.factories import make_project, workflow_admin

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    # Not a fixed number: two test runs (or xdist workers) on one machine must not collide.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = _free_port()


class Receiver(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[tuple[dict, bytes]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        # urllib sends header names capitalised (X-qh-signature): compare them lower-cased.
        type(self).received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        code = type(self).answers.pop(0) if type(self).answers else 200
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.answers, Receiver.received = [], []
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def bank(make_user, admin_user_):
    client = make_user(Role.API_CLIENT, None, username="push_bank")
    return push.subscribe(
        actor=admin_user_,
        owner=client,
        url=f"http://127.0.0.1:{PORT}/hook",
        allowed_hosts=["127.0.0.1"],
    )


@pytest.fixture
def majors(xining, haidong):
    with freeze_time("2026-11-10 02:00:00"):
        major = make_project(
            xining, LibraryStatus.APPROVED, name="重大项目甲", is_14th_fyp_major=True
        )
        make_project(haidong, LibraryStatus.APPROVED, name="普通项目")  # not major: not pushed
        make_project(haidong, LibraryStatus.DRAFT, is_14th_fyp_major=True)  # not in library
    return major


def run_push(when: str):
    with freeze_time(when), pytest.MonkeyPatch.context() as mp:
        mp.setattr(push.transaction, "on_commit", lambda fn: fn())  # the test's transaction
        return push_major_projects()


def test_push_is_signed_retried_and_recorded(receiver, bank, majors):
    receiver.answers = [503, 200]
    assert run_push("2026-11-11 22:45:00") == {"subscriptions": 1}
    assert len(receiver.received) == 2  # one failure, retried, then delivered
    headers, body = receiver.received[-1]
    expected = "sha256=" + hmac.new(bank.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["x-qh-signature"] == expected
    payload = json.loads(body)
    assert [p["title"] for p in payload["projects"]] == ["重大项目甲"]
    assert payload["since"] is None and payload["removed"] == []
    deliveries = list(
        bank.deliveries.order_by("attempt").values_list("attempt", "status", "http_status")
    )
    assert deliveries == [(1, "retrying", 503), (2, "sent", 200)]
    bank.refresh_from_db()
    assert bank.last_pushed_at == dt.datetime(2026, 11, 11, 22, 45, tzinfo=dt.UTC)


def test_next_push_carries_only_what_changed_since(receiver, bank, majors):
    run_push("2026-11-11 22:45:00")
    assert run_push("2026-11-12 22:45:00") == {"subscriptions": 1}
    assert json.loads(receiver.received[-1][1])["projects"] == []  # nothing changed
    with freeze_time("2026-11-13 03:00:00"):
        project_services.record_monthly_update(
            user=workflow_admin(),
            project=majors,
            period=dt.date(2026, 10, 1),
            completed_this_month=Decimal("2.0000"),
            stage=Stage.UNDER_CONSTRUCTION,
            progress="施工",
        )
    run_push("2026-11-13 22:45:00")
    payload = json.loads(receiver.received[-1][1])
    assert [p["title"] for p in payload["projects"]] == ["重大项目甲"]
    assert payload["since"] == "2026-11-12T22:45:00+00:00"
    with freeze_time("2026-11-14 03:00:00"):
        project_services.transition(
            user=workflow_admin(), project=majors, action="remove", comment="终止"
        )
    run_push("2026-11-14 22:45:00")
    payload = json.loads(receiver.received[-1][1])
    assert payload["projects"] == [] and payload["removed"] == [f"oc4ids-qh0000-{majors.pk}"]


def test_a_push_that_keeps_failing_is_recorded_as_failed_and_the_cursor_stays(
    receiver, bank, majors
):
    receiver.answers = [503] * 10
    run_push("2026-11-11 22:45:00")
    statuses = list(bank.deliveries.order_by("attempt").values_list("status", flat=True))
    assert statuses == ["retrying"] * 5 + ["failed"]  # 1 try + 5 retries
    bank.refresh_from_db()
    assert bank.last_pushed_at is None


def test_hosts_off_the_clients_allowlist_are_refused(receiver, admin_user_, make_user, bank):
    client = make_user(Role.API_CLIENT, None, username="push_other")
    with pytest.raises(ValidationError):
        push.subscribe(
            actor=admin_user_, owner=client, url="http://10.0.0.1/hook", allowed_hosts=["bank.cn"]
        )
    # A subscription whose allowlist was narrowed later is not posted to, and says why.
    bank.allowed_hosts = ["bank.example.cn"]
    bank.save()
    run_push("2026-11-11 22:45:00")
    assert receiver.received == []
    delivery = PushDelivery.objects.get(subscription=bank)
    assert delivery.status == "failed" and "允许列表" in delivery.error


def test_only_admins_subscribe(make_user):
    client = make_user(Role.API_CLIENT, None, username="push_self")
    with pytest.raises(ValidationError):
        push.subscribe(
            actor=client, owner=client, url="http://127.0.0.1/", allowed_hosts=["127.0.0.1"]
        )
