"""The shared permission policy holds for tasks, assignments and their reports."""

import pytest

from apps.tasks.models import Assignment, ProgressReport
from tests.policy_table import POLICY_TABLE, check_policy_row, policy_table_ids
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "extra", "expected"), POLICY_TABLE, ids=policy_table_ids())
def test_policy_table_on_tasks_led_by_the_unit(role, extra, expected):
    check_policy_row(role, extra, expected, make_owned=lambda org: TaskFactory(lead=[org]))


@pytest.mark.parametrize(("role", "extra", "expected"), POLICY_TABLE, ids=policy_table_ids())
def test_policy_table_on_tasks_the_unit_participates_in(role, extra, expected):
    check_policy_row(role, extra, expected, make_owned=lambda org: TaskFactory(participating=[org]))


@pytest.mark.parametrize(("role", "extra", "expected"), POLICY_TABLE, ids=policy_table_ids())
def test_policy_table_on_assignments(role, extra, expected):
    def make(org):
        return Assignment.objects.create(task=TaskFactory(), unit=org, role="lead")

    check_policy_row(role, extra, expected, make_owned=make)


@pytest.mark.parametrize(("role", "extra", "expected"), POLICY_TABLE, ids=policy_table_ids())
def test_policy_table_on_progress_reports(role, extra, expected):
    def make(org):
        a = Assignment.objects.create(task=TaskFactory(), unit=org, role="lead")
        return ProgressReport.objects.create(assignment=a, text="进展")

    check_policy_row(role, extra, expected, make_owned=make)
