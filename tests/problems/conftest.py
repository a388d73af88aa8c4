"""Problem coordination runs on the real working groups, calendar and routing rules."""

import pytest

from apps.accounts.models import Role
from apps.projects.models import LibraryStatus
from apps.reference.models import InfrastructureDomain


@pytest.fixture(scope="session", autouse=True)
def problem_seed(django_db_setup, django_db_blocker):
    from apps.core.calendar import load_calendar
    from apps.problems.seed import load_routes
    from apps.workgroups.seed import load_groups

    with django_db_blocker.unblock():
        load_groups()
        load_calendar()
        load_routes()


@pytest.fixture
def network_project(xining):
    from tests.projects.factories import make_project

    return make_project(
        xining,
        LibraryStatus.APPROVED,
        infrastructure_domain=InfrastructureDomain.objects.get(code="network"),
    )


@pytest.fixture
def land_staff(make_user, org):
    return make_user(Role.STAFF, org("省自然资源厅"), username="t_land_staff")


@pytest.fixture
def provincial_gov_user(make_user, org):
    return make_user(Role.STAFF, org("省政府"), username="t_sheng_zhengfu")
