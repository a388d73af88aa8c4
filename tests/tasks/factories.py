"""Factories for supervision tests: a test document, tasks with given units, assignments."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from apps.tasks.models import Assignment, AssignmentEvent, SourceDocument, Task


class SourceDocumentFactory(DjangoModelFactory):
    class Meta:
        model = SourceDocument
        django_get_or_create = ("code",)

    code = "T01"
    short_name = "测试文件"
    title = "测试任务分工方案"
    issued_on = dt.date(2026, 1, 5)
    sort_order = 9


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task
        skip_postgeneration_save = True

    source = factory.SubFactory(SourceDocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    content = factory.Sequence(lambda n: f"测试任务{n}。")
    deadline_text = "2026年9月底"
    due_date = dt.date(2026, 9, 30)

    @factory.post_generation
    def lead(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.lead_units.set(extracted)

    @factory.post_generation
    def participating(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.participating_units.set(extracted)


def make_assignments(task: Task) -> dict[int, Assignment]:
    """One assignment per unit of the task, as the seed loader creates them."""
    made = {}
    for units, role in (
        (task.lead_units.all(), Assignment.Role.LEAD),
        (task.participating_units.all(), Assignment.Role.PARTICIPATING),
    ):
        for unit in units:
            a = Assignment.objects.create(task=task, unit=unit, role=role, due_date=task.due_date)
            AssignmentEvent.objects.create(
                assignment=a, kind=AssignmentEvent.Kind.ASSIGNED, to_status=a.status
            )
            made[unit.pk] = a
    return made
