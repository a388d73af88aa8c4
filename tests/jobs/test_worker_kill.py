"""The worker-kill test (issue 9 §18), on the real Redis with real worker processes.

A slow job starts on a Celery worker (a separate process tree, as in production); the worker
is killed with SIGKILL mid-job — no shutdown, no acknowledgement. The job is then "running"
with nobody running it: before this change it stayed so for ever. A new worker starts after
the broker's visibility timeout (shortened for the test), Redis hands it the unacknowledged
task again, and the job ends exactly once: completed on its second attempt, one completion.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings

from apps.jobs.models import JobRun
from apps.jobs.services import start_job
from tests.jobs import jobfuncs
from tests.jobs.test_faults import broker_at
from tests.jobs.worker import BROKER, wait_for

pytestmark = pytest.mark.celery_worker
VISIBILITY_TIMEOUT = 4  # seconds; production: the job time limit + 5 minutes


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def clean_broker() -> None:
    """Nothing left from earlier tests: the queue and the unacknowledged-task index."""
    import redis

    client = redis.Redis.from_url(BROKER)
    client.delete("celery", "unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def workers(tmp_path):
    if not BROKER.startswith("redis"):
        pytest.skip("needs the Redis broker")
    started: list[subprocess.Popen] = []

    def start(name: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": BROKER,
            "CELERY_RESULT_BACKEND": BROKER,
            "QH_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "QH_TESTING": "0",
            "DEBUG": "1",
        }
        log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "qhprojects", "worker", "--pool=prefork",
             "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel=INFO", f"--hostname={name}@%h",
             "--include=tests.jobs.jobfuncs"],  # registers the test job kinds
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: we kill the whole worker
        )  # fmt: skip
        process.log = log
        started.append(process)
        return process

    clean_broker()
    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        process.log.close()
    clean_broker()


def test_a_job_whose_worker_is_killed_ends_exactly_once(
    committed_db, workers, staff_xining, tmp_path
):
    marker = tmp_path / "completions.txt"
    first = workers("first")
    with broker_at(BROKER):
        job = start_job(
            kind="projects.export",
            label="慢作业",
            user=staff_xining,
            task=jobfuncs.slow_marked,
            kwargs={"steps": 40, "delay": 0.1, "marker": str(marker)},
        )  # committed_db: on_commit fires at once, and the task goes to Redis

    def running():
        """the first worker is part-way through the job"""
        job.refresh_from_db()
        return job.status == JobRun.Status.RUNNING and job.progress_done >= 3

    wait_for(running, timeout=60)
    delivered = time.monotonic()
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool child, mid-job
    first.wait(timeout=10)

    time.sleep(1)
    job.refresh_from_db()
    assert job.status == JobRun.Status.RUNNING and job.attempts == 1  # stuck, nobody runs it
    assert not marker.exists()

    # Past the visibility timeout Redis gives the unacknowledged task to the next worker.
    time.sleep(max(0.0, VISIBILITY_TIMEOUT + 1 - (time.monotonic() - delivered)))
    workers("second")

    def finished():
        """the job has finished on the second worker"""
        job.refresh_from_db()
        return job.finished

    wait_for(finished, timeout=90, interval=0.3)
    assert (job.status, job.attempts) == (JobRun.Status.SUCCEEDED, 2)
    assert job.result == {"steps": 40}
    time.sleep(2)  # nothing runs it again
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobRun.Status.SUCCEEDED, 2)
    assert marker.read_text().splitlines() == ["completed"]
