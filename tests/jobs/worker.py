"""A real Celery worker on the real Redis, for the tests marked ``celery_worker``.

The broker is $CELERY_BROKER_URL if set (CI), else Redis database 12 on 127.0.0.1. Eager
execution is switched off for the duration; the worker runs in a thread of the test process
(celery.contrib.testing) with two threads of its own, so two tasks can race. Each task closes
its database connections when it ends, so the test database can be flushed and dropped.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

BROKER = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/12"
# The app reads Django settings under the CELERY_ namespace, so overrides use those names.
SETTINGS = {
    "CELERY_BROKER_URL": BROKER,
    "CELERY_RESULT_BACKEND": BROKER,
    "CELERY_TASK_ALWAYS_EAGER": False,
    "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP": False,
}


def _close_connections(**kwargs) -> None:
    connections.close_all()


def _reset_pools(app) -> None:
    # The app may have built its producer pool and result backend before the switch.
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    if hasattr(app._local, "backend"):
        del app._local.backend


@pytest.fixture(scope="module")
def celery_worker(django_db_blocker):
    import celery.contrib.testing.tasks  # noqa: F401 - registers celery.ping for the check

    from qhprojects.celery import app

    saved = {key: app.conf.get(key) for key in SETTINGS}
    app.conf.update(SETTINGS)
    _reset_pools(app)
    with app.connection_for_write() as conn:
        try:
            conn.ensure_connection(max_retries=1)
        except Exception as exc:  # no Redis here: say so instead of hanging
            app.conf.update(saved)
            _reset_pools(app)
            pytest.skip(f"Redis broker not reachable at {BROKER}: {exc}")
        conn.default_channel.queue_purge("celery")
    task_postrun.connect(_close_connections, weak=False)
    worker = start_worker(
        app, pool="threads", concurrency=2, perform_ping_check=True, shutdown_timeout=20
    )
    try:
        # Start-up and shutdown close stale database connections: let them touch the database.
        with django_db_blocker.unblock():
            running = worker.__enter__()
        try:
            yield running
        finally:
            with django_db_blocker.unblock():
                worker.__exit__(None, None, None)
    finally:
        task_postrun.disconnect(_close_connections)
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge("celery")
        app.conf.update(saved)
        _reset_pools(app)


def wait_for(condition: Callable[[], object], timeout: float = 15.0, interval: float = 0.1):
    """Poll until ``condition()`` is truthy (the worker commits in its own thread)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition.__doc__ or condition}")
        time.sleep(interval)
