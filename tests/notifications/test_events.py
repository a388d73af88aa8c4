"""Event notifications: each event reaches exactly the expected recipients, once, on commit,
and nothing for a rolled-back request; users mute categories per channel."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from freezegun import freeze_time

from apps.accounts.models import Role
from apps.core.events import _dispatch
from apps.notifications.models import Delivery, Kind, Mute, Notification
from apps.notifications.services import set_mutes
from apps.projects import services as project_services
from apps.projects.models import LibraryStatus, ProjectReviewEvent
from apps.tasks import services as task_services
from apps.tasks.models import AssignmentEvent
from tests.projects.factories import make_project
from tests.tasks.factories import TaskFactory, make_assignments

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def people(make_user, xining, ndrc, org):
    """Two staff of 西宁 (one with e-mail), two reviewers, a 海东 staff, a coordinator."""
    return {
        "x1": make_user(Role.STAFF, xining, username="x1", email="x1@example.cn"),
        "x2": make_user(Role.STAFF, xining, username="x2", email=""),
        "r1": make_user(Role.REVIEWER, ndrc, username="r1", email="r1@example.cn"),
        "r2": make_user(Role.REVIEWER, ndrc, username="r2", email=""),
        "h1": make_user(Role.STAFF, org("海东市政府"), username="h1"),
        "c1": make_user(Role.COORDINATOR, org("省经济和信息化委"), username="c1"),
        "off": make_user(Role.REVIEWER, ndrc, username="off", is_active=False),
    }


def inbox(kind=None):
    qs = Notification.objects.filter(recipient__isnull=False)
    if kind:
        qs = qs.filter(kind=kind)
    return sorted(qs.values_list("recipient__username", flat=True))


def test_submitted_goes_to_the_reviewers_once(people, xining, django_capture_on_commit_callbacks):
    project = make_project(xining, user=people["x1"])
    with django_capture_on_commit_callbacks(execute=True):
        project_services.submit_project(user=people["x1"], project=project)
    assert inbox(Kind.PROJECT_SUBMITTED) == ["r1", "r2"]
    n = Notification.objects.get(recipient=people["r1"])
    assert project.name in n.title and n.url == f"/projects/{project.pk}/"
    assert [m.to for m in mail.outbox] == [["r1@example.cn"]]
    # The same event delivered again (a retry, a second worker) reaches nobody twice.
    event = ProjectReviewEvent.objects.get(project=project)
    _dispatch("projects.review_event", {"event_id": event.pk})
    assert Notification.objects.count() == 2 and len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("status", "action", "comment", "words"),
    [
        (LibraryStatus.SUBMITTED, "start_review", "", "已开始审核"),
        (LibraryStatus.IN_REVIEW, "approve", "同意", "已入库"),
        (LibraryStatus.IN_REVIEW, "return", "请补充用地预审意见", "被退回修改"),
        (LibraryStatus.IN_REVIEW, "reject", "不符合产业政策", "不予入库"),
        (LibraryStatus.APPROVED, "remove", "前期工作停滞", "已出库"),
    ],
)
def test_review_steps_go_to_the_units_staff(
    people, xining, django_capture_on_commit_callbacks, status, action, comment, words
):
    project = make_project(xining, status, checklist=True)  # 入库 needs the checklist judged
    with django_capture_on_commit_callbacks(execute=True):
        project_services.transition(
            user=people["r1"], project=project, action=action, comment=comment
        )
    assert inbox() == ["x1", "x2"]
    n = Notification.objects.filter(recipient=people["x1"]).get()
    assert n.kind == Kind.PROJECT_REVIEWED and words in n.title
    if comment:
        assert comment in n.body  # the reason travels with it


def test_unit_robot_gets_one_message(people, xining, django_capture_on_commit_callbacks):
    xining.webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    xining.save()
    project = make_project(xining, LibraryStatus.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        project_services.return_project(user=people["r1"], project=project, comment="补充")
    robot = Notification.objects.filter(recipient__isnull=True)
    assert robot.count() == 1 and robot.get().organization == xining


def test_nothing_for_a_rolled_back_request(people, xining, django_capture_on_commit_callbacks):
    project = make_project(xining, user=people["x1"])
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        project_services.submit_project(user=people["x1"], project=project)
        raise RuntimeError("the request failed after the step")
    assert callbacks == []
    assert Notification.objects.count() == 0 and mail.outbox == []
    # …and a refused step announces nothing either.
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(project_services.TransitionNotAllowed),
    ):
        project_services.approve_project(user=people["r1"], project=project)
    assert Notification.objects.count() == 0


def test_a_failed_page_request_sends_nothing(client, people, xining):
    project = make_project(xining, LibraryStatus.IN_REVIEW)
    client.force_login(people["r1"])
    # Returning without a reason is refused: no event, no notification.
    client.post(f"/projects/{project.pk}/transition/", {"action": "return", "comment": ""})
    project.refresh_from_db()
    assert project.library_status == LibraryStatus.IN_REVIEW
    assert Notification.objects.count() == 0


@freeze_time("2026-09-01 10:00:00+08:00")
def test_assignment_events_go_to_the_unit(
    people, xining, org, coordinator, django_capture_on_commit_callbacks
):
    haidong = org("海东市政府")
    task = TaskFactory(lead=[xining], participating=[haidong])
    with django_capture_on_commit_callbacks(execute=True):
        assignments = make_assignments(task)  # 交办 → each unit
    assert inbox(Kind.ASSIGNMENT) == ["h1", "x1", "x2"]
    Notification.objects.all().delete()
    a = assignments[xining.pk]
    with django_capture_on_commit_callbacks(execute=True):
        task_services.start_assignment(assignment=a, user=people["x1"])  # nobody
        task_services.submit_assignment(assignment=a, user=people["x1"], comment="已完成")
    assert inbox() == []
    with django_capture_on_commit_callbacks(execute=True):
        task_services.return_assignment(assignment=a, user=coordinator, comment="材料不全")
    assert inbox() == ["x1", "x2"]
    assert "材料不全" in Notification.objects.filter(recipient=people["x1"]).get().body
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        task_services.start_assignment(assignment=a, user=people["x1"])
        task_services.submit_assignment(assignment=a, user=people["x1"], comment="已补充")
        task_services.accept_assignment(assignment=a, user=coordinator)
    assert inbox() == ["x1", "x2"]
    Notification.objects.all().delete()
    b = assignments[haidong.pk]
    ext = task_services.request_extension(
        assignment=b, user=people["h1"], working_days=3, reason="等待批复"
    )
    with django_capture_on_commit_callbacks(execute=True):
        task_services.decide_extension(extension=ext, user=coordinator, approve=True)
    assert inbox() == ["h1"]
    assert AssignmentEvent.objects.filter(kind="extension_approved").count() == 1


def test_problem_events_reach_the_people_concerned(
    people, xining, org, make_user, django_capture_on_commit_callbacks
):
    from apps.problems import services as problem_services
    from apps.problems.seed import load_routes
    from apps.reference.models import InfrastructureDomain
    from apps.workgroups.seed import load_groups

    load_groups()
    load_routes()
    land = make_user(Role.STAFF, org("省自然资源厅"), username="land")
    governor = make_user(Role.LEADER, org("省政府"), username="gov")
    project = make_project(
        xining,
        LibraryStatus.APPROVED,
        infrastructure_domain=InfrastructureDomain.objects.get(code="network"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        ticket = problem_services.open_problem(
            user=people["x1"], category="land", description="用地指标", project=project
        )
    assert inbox(Kind.PROBLEM) == ["land"]  # routed → the department
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        problem_services.answer_problem(user=land, ticket=ticket, answer="已安排")
    assert inbox() == ["x1", "x2"]  # answered → the reporting unit
    assert "已安排" in Notification.objects.filter(recipient=people["x1"]).get().body
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        problem_services.reopen_problem(user=people["x1"], ticket=ticket, comment="未落实")
    assert inbox() == ["land"]
    Notification.objects.all().delete()
    with (
        freeze_time(ticket.deadline + dt.timedelta(days=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        problem_services.escalate_overdue_problems()
    # escalated → the group's 组长 (省政府), the department, the reporting unit
    assert inbox() == ["gov", "land", "x1", "x2"]
    assert governor.notifications.get().title.startswith("问题逾期升级")


def test_muted_categories(people, xining, django_capture_on_commit_callbacks):
    set_mutes(user=people["r1"], muted=[("projects", "email")])
    set_mutes(user=people["r2"], muted=[("projects", "inbox"), ("projects", "email")])
    project = make_project(xining, user=people["x1"])
    with django_capture_on_commit_callbacks(execute=True):
        project_services.submit_project(user=people["x1"], project=project)
    assert inbox() == ["r1"]  # r2 muted both channels
    n = Notification.objects.get()
    assert n.read_at is None and mail.outbox == []
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["inbox"]
    # Official chasing always reaches the inbox: that mute is not accepted.
    assert set_mutes(user=people["x1"], muted=[("reminders", "inbox"), ("tasks", "inbox")]) == 0
    set_mutes(user=people["x1"], muted=[("projects", "inbox")])
    with django_capture_on_commit_callbacks(execute=True):
        project_services.start_review(user=people["r1"], project=project)
    quiet = Notification.objects.get(recipient=people["x1"])
    assert quiet.read_at is not None  # kept for the record, no alert
    assert Notification.objects.get(recipient=people["x2"]).read_at is None


def test_preferences_page(client, people):
    client.force_login(people["x1"])
    page = client.get("/notifications/settings/").content.decode()
    assert "项目审核" in page and "必收" in page
    client.post(
        "/notifications/settings/",
        {"mute-problems-email": "1", "mute-reminders-inbox": "1", "mute-projects-inbox": "1"},
    )
    assert set(Mute.objects.filter(user=people["x1"]).values_list("category", "channel")) == {
        ("problems", "email"),
        ("projects", "inbox"),
    }
    assert (
        'name="mute-problems-email" value="1" checked'
        in client.get("/notifications/settings/").content.decode()
    )


@freeze_time("2026-09-01 10:00:00+08:00")
def test_12345_steps_go_to_the_unit(
    people, xining, org, coordinator, django_capture_on_commit_callbacks
):
    haidong = org("海东市政府")
    task = TaskFactory(lead=[xining])
    a = make_assignments(task)[xining.pk]
    with django_capture_on_commit_callbacks(execute=True):
        task_services.decline_assignment(assignment=a, user=people["x1"], comment="不属本单位职责")
    assert inbox() == []  # 退单 goes to the supervisor's queue, not back to the unit
    with django_capture_on_commit_callbacks(execute=True):
        task_services.reassign_assignment(assignment=a, user=coordinator, unit=haidong)
    # the new unit is given the task, the old one told it moved
    assert inbox() == ["h1", "x1", "x2"]
    assert Notification.objects.get(recipient=people["h1"]).title.startswith("交办任务")
    assert Notification.objects.get(recipient=people["x1"]).title.startswith("任务已改派")
