"""Documents that close: live work versus history on frozen dates (issue 11 points 2–3).

The seeds: 004 (十四五, period 2021–2025), 003 (基础设施, to 2025, inferred), 002 (夏秋季攻势,
三季度 2017). Loaded on 2026-12-01 every one of them is past its period, so it is 总结评估:
its 1,627 / 286 / 627 assignments are history — nothing on the live boards is overdue.
"""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time
from openpyxl import load_workbook

from apps.accounts.models import Role
from apps.core import permissions as policy
from apps.notifications import reminders
from apps.notifications.models import Kind, ReminderRecord
from apps.tasks import selectors, services
from apps.tasks.models import Assignment, SourceDocument
from tests.tasks.factories import TaskFactory, make_assignments

pytestmark = pytest.mark.django_db

D = dt.date


def doc(code: str) -> SourceDocument:
    return SourceDocument.objects.get(code=code)


def reopen(*codes: str) -> None:
    """Put seeded documents back to 执行中, as they were during their periods."""
    SourceDocument.objects.filter(code__in=codes).update(status="active")


def test_the_seeded_documents_carry_their_periods_and_supervisors():
    d004, d003, d002 = doc("004"), doc("003"), doc("002")
    assert (d004.period_start, d004.period_end) == (D(2021, 1, 1), D(2025, 12, 31))
    assert sorted(u.name for u in d004.supervising_units.all()) == ["省发展改革委", "省政府督查室"]
    assert d003.supervised_by_groups and not d003.supervising_units.exists()
    assert "推定" in d003.period_note
    assert d002.period_end == D(2017, 9, 30)
    assert [u.name for u in d002.supervising_units.all()] == ["省工业和信息化厅"]
    # Loaded today (2026-12-01): all three periods have ended.
    assert {d.status for d in (d004, d003, d002)} == {"evaluating"}


def test_inside_the_period_the_work_is_live_and_not_yet_overdue():
    reopen("004")
    with freeze_time("2025-06-01"):
        summary = selectors.task_status_summary()
        assert summary["assignments"] == 1627
        assert summary["overdue"] == 0
        assert selectors.overdue_assignments().count() == 0


def test_after_the_end_the_daily_step_moves_it_to_history():
    reopen("004")
    with freeze_time("2026-01-05"):
        # Past 2025-12-31 and still 执行中 (the job has not run): live, so overdue.
        assert selectors.task_status_summary()["overdue"] == 1627
        assert services.advance_document_periods() == ["004"]
        d004 = doc("004")
        assert d004.status == "evaluating" and "2025年12月31日" in d004.status_note
        summary = selectors.task_status_summary()
        assert summary["overdue"] == 0 and summary["assignments"] == 0
        assert selectors.overdue_units().count() == 0
        # History keeps every assignment, searchable.
        history = Assignment.objects.history().filter(task__source__code="004")
        assert history.count() == 1627
        # A second run moves nothing.
        assert services.advance_document_periods() == []


def test_no_overdue_reminder_for_a_document_in_history(make_user, xining):
    make_user(Role.STAFF, xining, username="t_lc_staff")
    with freeze_time("2026-12-07 09:00"):
        result = reminders.escalate_overdue_tasks()
        assert result["units"] == 0
        assert not ReminderRecord.objects.filter(kind=Kind.TASK_OVERDUE).exists()
        reopen("004")
        # Live, the same assignments are chased (西宁 has 004 work overdue since 2026-01-01).
        result = reminders.escalate_overdue_tasks()
        assert result["units"] > 0
        assert ReminderRecord.objects.filter(kind=Kind.TASK_OVERDUE, organization=xining).exists()


def test_closing_needs_a_supervisor_a_date_and_a_note(reviewer, staff_xining, coordinator):
    d004 = doc("004")
    with pytest.raises(PermissionDenied):
        services.change_document_status(
            source=d004, user=staff_xining, status="closed", on=D(2026, 11, 30), note="x"
        )
    # 省经济和信息化委 does not supervise 004.
    with pytest.raises(PermissionDenied):
        services.change_document_status(
            source=d004, user=coordinator, status="closed", on=D(2026, 11, 30), note="x"
        )
    with pytest.raises(ValidationError, match="办结日期"):
        services.change_document_status(source=d004, user=reviewer, status="closed", note="x")
    with pytest.raises(ValidationError, match="办结说明"):
        services.change_document_status(
            source=d004, user=reviewer, status="closed", on=D(2026, 11, 30)
        )
    closed = services.change_document_status(
        source=d004,
        user=reviewer,
        status="closed",
        on=D(2026, 11, 30),
        note="十四五规划纲要总结评估完成。",
    )
    assert (closed.status, closed.closed_on, closed.closed_by) == (
        "closed",
        D(2026, 11, 30),
        reviewer,
    )
    with pytest.raises(ValidationError, match="不能转为"):
        services.change_document_status(source=closed, user=reviewer, status="active")
    archived = services.change_document_status(source=closed, user=reviewer, status="archived")
    assert archived.closed_on == D(2026, 11, 30)  # archiving keeps the closing record


def test_a_closed_documents_work_cannot_move(reviewer, staff_xining, xining):
    a = Assignment.objects.filter(task__source__code="004", unit=xining).first()
    services.change_document_status(
        source=doc("004"), user=reviewer, status="closed", on=D(2026, 11, 30), note="办结"
    )
    with pytest.raises(ValidationError, match="转入历史"):
        services.start_assignment(assignment=a, user=staff_xining)
    assert services.extension_refusal(a)[0] == "not_live"


def test_history_view_and_export(client, leader):
    client.force_login(leader)
    r = client.get("/tasks/board/", {"scope": "history", "source": "002"})
    assert r.status_code == 200
    assert r.context["page"].paginator.count == 627
    assert r.context["summary"]["overdue"] == 0
    r = client.get("/tasks/board/export.xlsx", {"scope": "history", "source": "002"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [row for row in ws.iter_rows(values_only=True) if row and row[0] == "夏秋季攻势"]
    assert len(rows) == 627
    assert {row[1] for row in rows} == {"总结评估"}
    assert not any(row[8] for row in rows)  # none flagged overdue
    # The live board (default) has none of them.
    assert client.get("/tasks/board/", {"source": "002"}).context["page"].paginator.count == 0


def test_sources_page_shows_status_and_lets_the_supervisor_close(client, reviewer, leader):
    client.force_login(leader)
    r = client.get("/tasks/sources/")
    assert r.status_code == 200
    rows = {d["doc"].code: d for d in r.context["documents"]}
    assert {c: d["doc"].status for c, d in rows.items() if c in ("004", "003", "002")} == {
        "004": "evaluating",
        "003": "evaluating",
        "002": "evaluating",
    }
    assert not any(d["may_manage"] for d in rows.values())  # leaders read
    client.force_login(reviewer)
    r = client.post(
        f"/tasks/sources/{doc('004').pk}/status/",
        {"status": "closed", "on": "2026-11-30", "note": "总结评估完成"},
    )
    assert r.status_code == 302
    assert doc("004").status == "closed"


@pytest.fixture
def live_task(xining, haidong):
    """A live task list (the factory document is 执行中), due 2026-09-30."""
    return TaskFactory(lead=[xining], participating=[haidong])


@pytest.mark.parametrize(
    "today, refusal",
    [
        (D(2026, 9, 1), None),  # well before
        (D(2026, 9, 30), None),  # the due day itself (时限届满当日内)
        (D(2026, 10, 1), "too_late"),
        (D(2027, 12, 1), "too_late"),  # a year later
    ],
)
def test_which_extensions_can_be_asked(live_task, xining, today, refusal):
    a = make_assignments(live_task)[xining.pk]
    got = services.extension_refusal(a, today)
    assert (got[0] if got else None) == refusal


def test_a_returned_assignment_with_a_future_deadline_can_ask_for_an_extension(
    client, live_task, xining, staff_xining, coordinator
):
    """Issue 11: a returned task showed a future deadline next to '已超过截止日期'."""
    a = make_assignments(live_task)[xining.pk]
    with freeze_time("2026-11-20"):
        services.start_assignment(assignment=a, user=staff_xining)
        a = services.submit_assignment(assignment=a, user=staff_xining, comment="完成")
        a = services.return_assignment(assignment=a, user=coordinator, comment="补充")
        assert a.due_date == D(2026, 12, 4)  # 10 working days after 20 November
    # Today (2026-12-01) the deadline is still ahead: the form is there, the refusal is not.
    # (The page is fetched unfrozen: a first request under freezegun would leave lazily
    # imported middleware holding the fake clock for the rest of the session.)
    assert services.extension_refusal(a) is None
    client.force_login(staff_xining)
    html = client.get(f"/tasks/assignments/{a.pk}/").content.decode()
    assert 'id="extension-form"' in html and "已超过截止日期" not in html


def test_each_document_names_its_supervisors(reviewer, coordinator, make_user, org, xining):
    a004 = Assignment.objects.filter(task__source__code="004", unit=xining).first()
    a002 = Assignment.objects.filter(task__source__code="002").exclude(
        unit__name="省工业和信息化厅"
    )[0]
    a003 = Assignment.objects.filter(task__source__code="003", task__number=1).first()
    assert services.supervises(reviewer, a004.task.source)  # 省发展改革委
    assert not services.supervises(coordinator, a004.task.source)  # 省经济和信息化委
    assert services.supervises(coordinator, a002.task.source)
    assert not services.supervises(reviewer, a002.task.source)
    inspector = make_user(Role.COORDINATOR, org("省政府督查室"), username="t_dcs")
    assert services.supervises(inspector, a004.task.source)
    # 003: the units seated in the task's working groups (task 1: 各专项工作组).
    groups = list(a003.task.working_groups.all())
    assert len(groups) == 6
    seated = groups[0].members.exclude(organization=None).exclude(organization=a003.unit)
    seated = seated.first().organization
    member = make_user(Role.COORDINATOR, seated, username="t_group_member")
    # For one assignment the policy answers (DECIDE: the document's supervisors only), and its
    # restrict() agrees with its can().
    assert policy.can(member, policy.Action.DECIDE, a003)
    assert not policy.can(inspector, policy.Action.DECIDE, a003)
    assert policy.can(inspector, policy.Action.DECIDE, a004)
    assert not policy.can(coordinator, policy.Action.DECIDE, a004)
    assert policy.can(coordinator, policy.Action.DECIDE, a002)
    for user in (member, inspector, coordinator, reviewer):
        for a in (a002, a003, a004):
            for action in (policy.Action.DECIDE, policy.Action.SUPERVISE):
                scoped = policy.restrict(Assignment.objects.filter(pk=a.pk), user, action)
                assert scoped.exists() is policy.can(user, action, a), (user, a, action)


def test_unit_task_rates_behind_the_rankings_count_live_work_only():
    """The 通报's 办结率/逾期率 judge units on live work, like every other board."""
    as_of = D(2026, 1, 5)
    assert selectors.unit_task_rates(as_of=as_of, by="unit") == {}  # all three are history
    reopen("004")
    live = selectors.unit_task_rates(as_of=as_of, by="unit")
    due_004 = (
        Assignment.objects.filter(task__source__code="004", due_date__lte=as_of)
        .exclude(status=Assignment.Status.REASSIGNED)
        .count()
    )
    assert due_004 > 0
    assert sum(r["due"] for r in live.values()) == due_004
    one = Assignment.objects.filter(task__source__code="004", due_date__lte=as_of).first()
    Assignment.objects.filter(pk=one.pk).update(status=Assignment.Status.REASSIGNED)
    after = selectors.unit_task_rates(as_of=as_of, by="unit")
    assert sum(r["due"] for r in after.values()) == due_004 - 1
