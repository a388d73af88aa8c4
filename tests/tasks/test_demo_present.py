"""The demo lives in today (issue 11 point 6): loaded on two different dates, the live boards
have work due soon, overdue, done and an extension pending both times; the seeded documents
stay as the seeds say; everything demo is marked and removable."""

import datetime as dt

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from apps.demo import present as demo
from apps.projects.models import Campaign
from apps.projects.seed import load_campaign
from apps.tasks import selectors
from apps.tasks.models import Assignment, ExtensionRequest, SourceDocument, Task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEMO_MODE = True
    load_campaign()


def board(today):
    summary = selectors.task_status_summary(today)
    live = Assignment.objects.live().filter(task__source__is_demo=True)
    soon = live.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=10))
    return {
        "overdue": summary["overdue"],
        "due_soon": soon.exclude(status__in=list(Assignment.NOT_DUE)).count(),
        "accepted": summary["by_status"]["accepted"],
        "pending": summary["pending_extensions"],
    }


@pytest.mark.parametrize("day", ["2026-12-01", "2027-09-15"])
def test_the_demo_loaded_on_any_day_gives_live_boards(day):
    today = dt.date.fromisoformat(day)
    with freeze_time(day):
        demo.load_demo_campaign()
        demo.load_demo_tasks()
        got = board(today)
    assert got["overdue"] > 0 and got["due_soon"] > 0 and got["accepted"] > 0
    assert got["pending"] >= 1
    campaign = Campaign.objects.get(is_demo=True)
    assert campaign.year == today.year and "演示" in campaign.name
    # The seeds stay as the seeds say: past their periods, history.
    assert set(
        SourceDocument.objects.filter(code__in=["004", "003", "002"]).values_list(
            "status", flat=True
        )
    ) == {"evaluating"}


def test_loading_again_later_regenerates_relative_to_that_day():
    with freeze_time("2026-12-01"):
        demo.load_demo_tasks()
    first = set(Task.objects.filter(source__is_demo=True).values_list("due_date", flat=True))
    with freeze_time("2027-03-01"):
        demo.load_demo_tasks()
        got = board(dt.date(2027, 3, 1))
    later = set(Task.objects.filter(source__is_demo=True).values_list("due_date", flat=True))
    assert first != later and got["overdue"] > 0 and got["due_soon"] > 0
    assert SourceDocument.objects.filter(is_demo=True).count() == 1


def test_remove_demo_projects_removes_every_demo_row():
    demo.load_demo_campaign()
    demo.load_demo_tasks()
    real_tasks = Task.objects.filter(source__is_demo=False).count()
    call_command("remove_demo_projects", stdout=__import__("io").StringIO())
    assert not SourceDocument.objects.filter(is_demo=True).exists()
    assert not Campaign.objects.filter(is_demo=True).exists()
    assert not ExtensionRequest.objects.filter(assignment__task__source__is_demo=True).exists()
    assert Task.objects.count() == real_tasks == 289
