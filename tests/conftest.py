"""Shared fixtures: the real reference data, and one user per role."""

import io
import os
import re
import warnings

import pytest
from django.core.management import call_command

# DRF's throttles keep ``timer = time.time`` as a class attribute: imported for the first time
# inside a freeze_time block, they would keep freezegun's fake for the rest of the session (and
# every later API call fails with "fake_time() takes 0 positional arguments"). Import them now.
import apps.core.throttles  # noqa: F401
from apps.accounts.models import Role
from apps.reference.models import Organization
from tests.committed import (  # noqa: F401 — shared fixtures
    _take_snapshot,
    committed_db,
    reference_kept,
    restore_after_flush,
)
from tests.factories import UserFactory


def _own_redis_db_per_xdist_worker() -> None:
    """Under pytest-xdist each worker gets its own Redis database, next to the given one.

    The real-worker tests purge and consume the broker's queue; two xdist workers on one
    database would take each other's tasks. (pytest-django already suffixes the test database
    per worker.) Set before tests/jobs/worker.py reads the URL.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/12"
    match = re.fullmatch(r"(redis://[^/]+)/(\d+)", url)
    if match:
        base, db = match.group(1), int(match.group(2))
        os.environ["CELERY_BROKER_URL"] = f"{base}/{(db + int(worker[2:])) % 16}"


_own_redis_db_per_xdist_worker()


_reference_loaded = False  # set once the test database holds the reference data


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference seed data once per test session (tests run in transactions)."""
    with django_db_blocker.unblock():
        call_command("load_seed_data", only=["reference"], stdout=io.StringIO())
        _take_snapshot()
    global _reference_loaded
    _reference_loaded = True


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Reference data back before each test, if a flush took it.

    Every transactional test ends by flushing all tables. ``committed_db`` puts the reference
    data back after its own flush, but a module-scoped worker or a test that flushed on its own
    would leave the next tests of its process without regions and units — which tests those
    are depends on how pytest-xdist shares the modules out. A hook, not a fixture: it runs
    before any fixture opens the test's transaction, so the restored rows are committed.
    """
    if not _reference_loaded:
        return  # the test database does not exist yet
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        if restore_after_flush():
            warnings.warn(f"reference data was missing before {item.nodeid}", stacklevel=1)


@pytest.fixture(autouse=True)
def fresh_cockpit_cache():
    """The cockpit caches its figures per data version; each test's rows are rolled back
    without a signal, so each test starts from a new version."""
    from apps.dashboard import cache

    cache.invalidate()


@pytest.fixture
def org(db):
    """Look an organisation up by any spelling the seeds use."""

    def get(name: str) -> Organization:
        found = Organization.objects.resolve(name)
        assert found is not None, f"organisation {name!r} missing from reference data"
        return found

    return get


@pytest.fixture
def xining(org):
    return org("西宁市政府")


@pytest.fixture
def haidong(org):
    return org("海东市政府")


@pytest.fixture
def ndrc(org):
    return org("省发展改革委")


@pytest.fixture
def make_user(db):
    def make(role: str = Role.STAFF, organization=None, **extra):
        return UserFactory(role=role, organization=organization, **extra)

    return make


@pytest.fixture
def staff_xining(make_user, xining):
    return make_user(Role.STAFF, xining, username="t_staff_xining")


@pytest.fixture
def staff_haidong(make_user, haidong):
    return make_user(Role.STAFF, haidong, username="t_staff_haidong")


@pytest.fixture
def reviewer(make_user, ndrc):
    return make_user(Role.REVIEWER, ndrc, username="t_reviewer")


@pytest.fixture
def leader(make_user):
    return make_user(Role.LEADER, None, username="t_leader")


@pytest.fixture
def coordinator(make_user, org):
    return make_user(Role.COORDINATOR, org("省经济和信息化委"), username="t_coordinator")


@pytest.fixture
def api_client_user(make_user):
    return make_user(Role.API_CLIENT, None, username="t_api_client")


@pytest.fixture
def admin_user_(make_user):
    return make_user(Role.ADMIN, None, username="t_admin", is_superuser=True, is_staff=True)
