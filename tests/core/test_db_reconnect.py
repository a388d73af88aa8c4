"""PostgreSQL restarts (issue 9 §18): the request after a lost connection succeeds.

A real gunicorn worker (one process, so its persistent connection is reused) serves the app
against the test database; another session ends that worker's backend with
pg_terminate_backend, as a database restart does. With connection health checks (the
setting) the next request reconnects; without them it is a 500 — what this prevents.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db
APP_NAME = "qh-reconnect-test"


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def server_backends() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # the test runs in a transaction
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s ORDER BY pid",
            [APP_NAME],
        )
        return [row[0] for row in cursor.fetchall()]


def terminate_server_backends() -> None:
    """End the server's sessions and wait until they are gone (the signal is asynchronous)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            [APP_NAME],
        )
    deadline = time.monotonic() + 10
    while server_backends():
        assert time.monotonic() < deadline, "the backend did not end"
        time.sleep(0.05)


@pytest.fixture
def server():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    started = []

    def start(port: int, *, health_checks: bool) -> str:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DB_CONN_MAX_AGE": "600",
            "DB_CONN_HEALTH_CHECKS": "1" if health_checks else "0",
            "PGAPPNAME": APP_NAME,  # libpq names the session, so we find its backend
            "DEBUG": "1",
            "QH_TESTING": "0",
        }
        env.pop("CELERY_BROKER_URL", None)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        process = subprocess.Popen(
            [str(gunicorn), "qhprojects.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--log-level", "warning"],
            cwd=settings.BASE_DIR, env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        started.append(process)
        url = f"http://127.0.0.1:{port}/healthz/"
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(url) == 200:
                    return url
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError("gunicorn did not start")
            time.sleep(0.3)

    yield start
    for process in started:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_the_request_after_a_lost_connection_succeeds(server):
    url = server(8141, health_checks=True)
    assert get(url) == 200
    (before,) = server_backends()  # one worker, one persistent connection
    terminate_server_backends()
    assert get(url) == 200
    assert server_backends() != [before]  # it reconnected


def test_without_health_checks_that_request_fails(server):
    url = server(8142, health_checks=False)
    assert get(url) == 200
    terminate_server_backends()
    assert get(url) == 503  # the health check page reports the database error it met
    assert get(url) == 200  # Django drops the broken connection after the error
