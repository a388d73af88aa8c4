"""The demo library of load_seed_data: believable, complete, deterministic, idempotent, marked."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Max

from apps.demo.library import Generator, load_demo_library
from apps.projects.models import LibraryStatus, Project, ProjectMonthlyUpdate, Tier
from apps.reference.models import Region

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Generated once for the module (a few seconds), removed again afterwards.

    Each test still runs in its own transaction, so what a test changes is rolled back.
    """
    from apps.projects.models import Campaign, CampaignBatch, Target
    from apps.projects.seed import load_campaign

    with django_db_blocker.unblock():
        campaign = load_campaign()
        load_demo_library(campaign=campaign, today=TODAY)
    yield campaign
    with django_db_blocker.unblock():
        Project.objects.all().delete()
        Campaign.objects.all().delete()
        for model in (Project, ProjectMonthlyUpdate, Campaign, CampaignBatch, Target):
            model.history.all().delete()


def test_demo_library_covers_regions_tiers_and_states(demo):
    projects = Project.objects.all()
    assert projects.count() >= 200
    assert not projects.filter(is_demo=False).exists()
    prefectures = set(projects.with_prefecture().values_list("prefecture_id", flat=True).distinct())
    assert prefectures == set(
        Region.objects.filter(level="prefecture").values_list("pk", flat=True)
    )
    assert set(projects.values_list("tier", flat=True)) == set(Tier.values)
    counts = dict(projects.values_list("library_status").annotate(n=Count("pk")))
    assert set(counts) == set(LibraryStatus.values)
    assert all(n >= 10 for n in counts.values()), counts
    # The demo users' units own enough to see something.
    by_unit = dict(projects.values_list("responsible_unit__name").annotate(n=Count("pk")))
    assert by_unit["西宁市政府"] >= 15 and by_unit["海东市政府"] >= 15
    # County projects lie in counties; names are unique.
    assert not projects.filter(tier="county").exclude(region__level="county").exists()
    assert projects.values("name").distinct().count() == projects.count()


def test_every_status_is_reached_by_its_review_events(demo):
    expected_path = {
        "draft": [],
        "submitted": ["submit"],
        "in_review": ["submit", "start_review"],
        "approved": ["submit", "start_review", "approve"],
        "returned": ["submit", "start_review", "return"],
        "rejected": ["submit", "start_review", "reject"],
        "removed": ["submit", "start_review", "approve", "remove"],
    }
    for project in Project.objects.prefetch_related("review_events"):
        actions = [e.action for e in project.review_events.all()]
        assert actions == expected_path[project.library_status], project.name
        times = [e.at for e in project.review_events.all()]
        assert times == sorted(times)
        if project.library_status in ("returned", "rejected", "removed"):
            assert project.review_events.all()[len(actions) - 1].comment


def test_library_projects_have_monthly_updates_up_to_last_month(demo):
    approved = Project.objects.in_library()
    latest = dict(ProjectMonthlyUpdate.objects.values_list("project").annotate(m=Max("period")))
    assert all(p.pk in latest for p in approved if p.approved_on < dt.date(2026, 9, 1))
    assert max(latest.values()) == dt.date(2026, 10, 1)
    assert not ProjectMonthlyUpdate.objects.exclude(project__in=approved).exists()
    # Some units still owe October's report (the reminders have work to do).
    from apps.projects.selectors import units_missing_monthly_update

    assert units_missing_monthly_update(dt.date(2026, 10, 1)).count() >= 3
    # Cumulative completion never exceeds the total investment.
    for p in approved.with_completion():
        assert p.completed_total <= p.total_investment


def test_demo_library_is_idempotent_and_deterministic(demo):
    names = list(Project.objects.order_by("name").values_list("name", "total_investment"))
    assert load_demo_library(campaign=demo, today=TODAY).startswith("新增 0 个")
    assert list(Project.objects.order_by("name").values_list("name", "total_investment")) == names
    # A missing project is recreated exactly as before, the others untouched.
    gone = Project.objects.order_by("pk").first()
    snapshot = (gone.name, gone.total_investment, gone.library_status, gone.region_id)
    events = list(gone.review_events.values_list("action", "at"))
    gone.delete()
    assert load_demo_library(campaign=demo, today=TODAY).startswith("新增 1 个")
    again = Project.objects.get(name=snapshot[0])
    assert (again.name, again.total_investment, again.library_status, again.region_id) == snapshot
    assert list(again.review_events.values_list("action", "at")) == events
    specs_a = [(s.name, s.total, s.status) for s in Generator(today=TODAY, campaign=demo).specs()]
    specs_b = [(s.name, s.total, s.status) for s in Generator(today=TODAY, campaign=demo).specs()]
    assert specs_a == specs_b


def test_demo_is_not_loaded_outside_demo_mode(settings, demo):
    Project.objects.all().delete()
    settings.DEMO_MODE = False
    assert "未加载" in load_demo_library(campaign=demo, today=TODAY)
    assert not Project.objects.exists()


def test_load_seed_data_runs_the_projects_seed(demo):
    out = io.StringIO()
    call_command("load_seed_data", only=["projects", "demo"], stdout=out)
    assert "19 项目标" in out.getvalue()
    assert "个演示项目" in out.getvalue()
    assert Project.objects.demo().count() >= 200
