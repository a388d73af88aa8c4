"""Shared fixtures: the real reference data, and one user per role."""

import io

import pytest
from django.core.management import call_command

# DRF's throttles keep ``timer = time.time`` as a class attribute: imported for the first time
# inside a freeze_time block, they would keep freezegun's fake for the rest of the session (and
# every later API call fails with "fake_time() takes 0 positional arguments"). Import them now.
import apps.core.throttles  # noqa: F401
from apps.accounts.models import Role
from apps.reference.models import Organization
from tests.committed import committed_db, reference_kept  # noqa: F401 — shared fixtures
from tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference seed data once per test session (tests run in transactions)."""
    with django_db_blocker.unblock():
        call_command("load_seed_data", only=["reference"], stdout=io.StringIO())


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
