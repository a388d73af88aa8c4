"""The task list through its one selector and FilterSet (page, API and export alike)."""

import pytest
from freezegun import freeze_time

from apps.tasks import selectors
from apps.tasks.filters import AssignmentFilter
from apps.tasks.models import Assignment
from tests.tasks.factories import TaskFactory, make_assignments

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_tasks(xining, haidong):
    # Task 1: 西宁 leads and is late, 海东 is done. Task 2: 西宁 is done, 海东 is late.
    first = TaskFactory(number=1, content="水利任务", lead=[xining], participating=[haidong])
    second = TaskFactory(number=2, content="交通任务", lead=[haidong], participating=[xining])
    one, two = make_assignments(first), make_assignments(second)
    Assignment.objects.filter(pk__in=[one[haidong.pk].pk, two[xining.pk].pk]).update(
        status=Assignment.Status.ACCEPTED
    )
    return first, second


@freeze_time("2026-10-10")
def test_the_assignment_filters_describe_one_assignment(two_tasks, leader, xining):
    def numbers(**data):
        filterset = selectors.filtered_task_list(user=leader, data={"source": "T01", **data})
        return sorted(filterset.qs.values_list("number", flat=True))

    assert numbers() == [1, 2]
    # 西宁's own assignment is overdue only in task 1 (in task 2 it is done).
    assert numbers(unit=xining.pk, overdue="true") == [1]
    assert numbers(unit=xining.pk, status="accepted") == [2]
    assert numbers(unit=xining.pk, role="lead") == [1]
    assert numbers(overdue="false") == [1, 2]  # each has an accepted assignment
    assert numbers(q="交通") == [2]
    assert numbers(chapter="") == [1, 2]
    assert numbers(unit=xining.pk, overdue="true", q="交通") == []


@freeze_time("2026-10-10")
def test_the_assignment_filter_on_its_own_rows(two_tasks, leader, xining, haidong):
    base = selectors.assignment_list(leader)

    def rows(**data):
        qs = AssignmentFilter({"source": "T01", **data}, queryset=base).qs
        return sorted((a.task.number, a.unit.name) for a in qs)

    assert rows(overdue="true") == [(1, xining.name), (2, haidong.name)]
    assert rows(status="accepted", q="交通") == [(2, xining.name)]
    assert rows(scope="history") == []
    assert len(rows(scope="live")) == len(rows(scope="all")) == 4
