"""A seeded database shared by the API-contract tests of this package.

Loading the seed ledger, indicators, tasks and the demo library takes ~20 s, too slow to repeat
per test: it is loaded once per module inside an outer transaction that is rolled back at the
end, and each test runs in a savepoint inside it (pytest-django's ``db``), so nothing a test
writes leaks into the next one or into the rest of the suite.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.test import APIClient

from apps.accounts.models import ApiTokenScope, Role
from apps.accounts.tokens import issue_token
from apps.contracts.models import Fair
from apps.core.calendar import load_calendar
from apps.demo.contract_reports import load_demo_reports
from apps.demo.library import Generator
from apps.indicators.models import Measure
from apps.indicators.services import record_value
from apps.projects import services as project_services
from apps.projects.models import LibraryStatus, Stage
from apps.projects.seed import load_campaign
from apps.reference.models import Organization
from apps.tasks import services as task_services
from apps.tasks.models import Assignment
from apps.tasks.seed import UnitResolver, load_document
from tests.contracts.factories import ContractReportFactory
from tests.factories import UserFactory
from tests.projects.factories import make_project, workflow_admin


@pytest.fixture(scope="module")
def wsgi_keeps_connection():
    """Requests sent straight to the WSGI handler (not through the test Client) would close the
    database connection when they finish, and with it the test's transaction; the test Client
    avoids that the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def api_dataset(django_db_setup, django_db_blocker, wsgi_keeps_connection):
    """Reference + seed ledger, indicators, tasks, working groups, the demo library, demo
    reports, a read-only API client and a 西宁 unit staff user (with their tokens), some
    progress reports, extension requests and indicator values."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(DEMO_MODE=True):
                _load_data()
            xining = Organization.objects.resolve("西宁市政府")
            api_client = UserFactory(role=Role.API_CLIENT, organization=None, username="st_api")
            staff = UserFactory(role=Role.STAFF, organization=xining, username="st_staff")
            _unit_activity(staff)
            data = {
                "read_only": issue_token(actor=api_client, owner=api_client, name="st")[1],
                "staff": issue_token(
                    actor=staff, owner=staff, name="st", scope=ApiTokenScope.READ_WRITE
                )[1],
            }
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _load_data() -> None:
    """The seed ledger, indicators and working groups as shipped; of the larger sets a slice
    that still has every kind of row: one task document (002: 50 tasks, 627 assignments), every
    sixth demo project (all tiers, states, 市州), three months of ledger reports."""
    call_command(
        "load_seed_data", only=["contracts", "workgroups", "indicators"], stdout=io.StringIO()
    )
    generator = Generator(today=timezone.localdate(), campaign=load_campaign())
    for spec in generator.specs()[::6]:
        generator.build(spec)
    load_calendar()
    load_document("002", UnitResolver())
    fair = Fair.objects.get(short_name="第十八届青洽会")
    load_demo_reports(fair=fair, first=dt.date(2026, 8, 1), last=dt.date(2026, 10, 1))


def _unit_activity(staff) -> None:
    """A month of activity: a unit's progress on three tasks and an extension request; the
    2025 values of three measures."""
    assignments = list(
        Assignment.objects.filter(unit=staff.organization, status=Assignment.Status.ASSIGNED)
        .exclude(due_date=None)
        .order_by("pk")[:3]
    )
    assert len(assignments) == 3, "document 002 assigns tasks to 西宁市政府"
    for assignment in assignments:
        task_services.report_progress(assignment=assignment, user=staff, text="已完成前期调研。")
    if assignments:
        task_services.request_extension(
            assignment=assignments[0],
            user=staff,
            working_days=5,
            reason="等待省级批复。",
            today=assignments[0].due_date,
        )
    admin = UserFactory(role=Role.ADMIN, organization=None, username="st_admin", is_superuser=True)
    for measure in Measure.objects.exclude(target_value=None).order_by("pk")[:3]:
        record_value(user=admin, measure=measure, year=2025, value=measure.target_value)


@pytest.fixture
def admin_api(admin_user_):
    c = APIClient()
    c.force_authenticate(admin_user_)
    return c


@pytest.fixture
def library(xining, haidong):
    """Projects (one named like a formula), a monthly update and a contract report."""
    with freeze_time("2026-11-05 09:00:00"):
        a = make_project(xining, LibraryStatus.APPROVED, name='=HYPERLINK("x")项目')
        b = make_project(haidong, LibraryStatus.APPROVED)
        project_services.record_monthly_update(
            user=workflow_admin(),
            project=a,
            period=dt.date(2026, 10, 1),
            completed_this_month=Decimal("1.2500"),
            stage=Stage.UNDER_CONSTRUCTION,
            progress="主体施工",
        )
        ContractReportFactory()
    return a, b
