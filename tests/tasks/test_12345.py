"""The 12345 closed loop (003 第十四条), each step with its limit in working days.

(四) 退单 within 1 working day with the basis and 改派意见; the supervisor reassigns.
(五) 延期 requested by the due day, ≤ 10 working days (tests/tasks/test_supervision.py).
(六) 补办 ≤ 3 working days.  (七) 回访: 满意/基本满意/不满意, 不满意 → 重办 ≤ 10.
第二十七条: per unit 及时率, 退单率, 逾期率, 办结率.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from apps.tasks import selectors, services
from apps.tasks.models import Assignment, AssignmentEvent
from tests.tasks.factories import TaskFactory, make_assignments

pytestmark = pytest.mark.django_db

D = dt.date
S = Assignment.Status


@pytest.fixture
def task(xining, haidong):
    return TaskFactory(lead=[xining], participating=[haidong], due_date=D(2026, 12, 31))


@pytest.fixture
def pair(task, xining, haidong):
    made = make_assignments(task)
    # Assigned on Friday 20 November 2026: the 退单 limit is Monday the 23rd.
    Assignment.objects.filter(pk__in=[a.pk for a in made.values()]).update(
        assigned_on=D(2026, 11, 20)
    )
    return Assignment.objects.get(pk=made[xining.pk].pk), Assignment.objects.get(
        pk=made[haidong.pk].pk
    )


def test_decline_within_one_working_day_with_a_reason(pair, staff_xining):
    lead, _ = pair
    assert services.decline_deadline(lead) == D(2026, 11, 23)  # over the weekend
    with pytest.raises(ValidationError, match="退单依据"):
        services.decline_assignment(
            assignment=lead, user=staff_xining, comment="", today=D(2026, 11, 23)
        )
    with pytest.raises(ValidationError, match="1个工作日内"):
        services.decline_assignment(
            assignment=lead, user=staff_xining, comment="非本单位职责", today=D(2026, 11, 24)
        )
    a = services.decline_assignment(
        assignment=lead,
        user=staff_xining,
        comment="属省交通运输厅职责",
        suggested_unit="省交通运输厅",
        today=D(2026, 11, 23),
    )
    assert a.status == S.DECLINED
    event = a.events.get(kind=AssignmentEvent.Kind.DECLINED)
    assert "改派意见：省交通运输厅" in event.comment
    # A declined assignment is owed by nobody yet: never overdue, never chased.
    assert not a.is_overdue_on(D(2027, 2, 1))


def test_only_the_supervisor_reassigns_and_the_new_unit_starts_afresh(
    pair, staff_xining, staff_haidong, coordinator, org
):
    lead, _ = pair
    services.decline_assignment(
        assignment=lead, user=staff_xining, comment="非本单位职责", today=D(2026, 11, 20)
    )
    transport = org("省交通运输厅")
    with pytest.raises(PermissionDenied):
        services.reassign_assignment(assignment=lead, user=staff_haidong, unit=transport)
    with pytest.raises(ValidationError):
        services.reassign_assignment(assignment=lead, user=coordinator, unit=lead.unit)
    old = services.reassign_assignment(
        assignment=lead, user=coordinator, unit=transport, today=D(2026, 11, 24)
    )
    assert old.status == S.REASSIGNED
    new = old.reassigned_to
    assert (new.unit, new.status, new.assigned_on, new.due_date) == (
        transport,
        S.ASSIGNED,
        D(2026, 11, 24),
        D(2026, 12, 31),
    )
    assert services.decline_deadline(new) == D(2026, 11, 25)
    # The handed-on assignment is no longer live work; the new one is.
    live = Assignment.objects.live().filter(task=lead.task)
    assert set(live.values_list("unit__name", flat=True)) == {"省交通运输厅", "海东市政府"}


def test_a_refused_decline_goes_back_to_the_unit(pair, staff_xining, coordinator):
    lead, _ = pair
    services.decline_assignment(
        assignment=lead, user=staff_xining, comment="非本单位职责", today=D(2026, 11, 20)
    )
    with pytest.raises(ValidationError):
        services.refuse_decline(assignment=lead, user=coordinator, comment="")
    a = services.refuse_decline(assignment=lead, user=coordinator, comment="属本单位职责")
    assert a.status == S.ASSIGNED


def submitted(a, user, today):
    services.start_assignment(assignment=a, user=user)
    return services.submit_assignment(assignment=a, user=user, comment="已完成", today=today)


def test_supplement_is_three_working_days_and_distinct_from_redo(pair, staff_xining, coordinator):
    lead, _ = pair
    Assignment.objects.filter(pk=lead.pk).update(due_date=D(2026, 11, 20))
    lead.refresh_from_db()
    a = submitted(lead, staff_xining, D(2026, 11, 20))
    a = services.order_supplement(
        assignment=a, user=coordinator, comment="缺验收材料", today=D(2026, 11, 20)
    )
    assert (a.status, a.due_date) == (S.SUPPLEMENTING, D(2026, 11, 25))  # 3 working days
    # The unit makes good and reports done again.
    a = services.submit_assignment(
        assignment=a, user=staff_xining, comment="已补充", today=D(2026, 11, 24)
    )
    assert a.status == S.SUBMITTED and a.submitted_in_time
    a = services.return_assignment(
        assignment=a, user=coordinator, comment="重新办理", today=D(2026, 11, 24)
    )
    assert (a.status, a.due_date) == (S.RETURNED, D(2026, 12, 8))  # 10 working days


def test_acceptance_records_satisfaction_and_unsatisfied_means_redo(
    pair, staff_xining, staff_haidong, coordinator
):
    lead, part = pair
    a = submitted(lead, staff_xining, D(2026, 11, 25))
    with pytest.raises(ValidationError):
        services.accept_assignment(assignment=a, user=coordinator, satisfaction="so-so")
    with pytest.raises(ValidationError, match="退回理由"):
        services.accept_assignment(assignment=a, user=coordinator, satisfaction="unsatisfied")
    with freeze_time("2026-11-26"):
        a = services.accept_assignment(
            assignment=a, user=coordinator, satisfaction="unsatisfied", comment="群众不满意"
        )
    assert (a.status, a.satisfaction) == (S.RETURNED, "unsatisfied")
    assert a.due_date == D(2026, 12, 31)  # never earlier than before (10 w.d. → 12-10)
    services.start_assignment(assignment=a, user=staff_xining)
    a = services.submit_assignment(
        assignment=a, user=staff_xining, comment="已重办", today=D(2026, 12, 9)
    )
    a = services.accept_assignment(
        assignment=a, user=coordinator, satisfaction="basically", today=D(2026, 12, 10)
    )
    assert (a.status, a.satisfaction, a.accepted_on) == (S.ACCEPTED, "basically", D(2026, 12, 10))
    assert a.events.filter(kind=AssignmentEvent.Kind.ACCEPTED, satisfaction="basically").exists()
    # Nobody accepts their own unit's work.
    b = submitted(part, staff_haidong, D(2026, 11, 25))
    with pytest.raises(PermissionDenied):
        services.accept_assignment(assignment=b, user=staff_haidong)


def test_unit_rates(task, xining, haidong, staff_xining, staff_haidong, coordinator, org):
    """西宁: 2 received, 1 declined, 1 accepted late → 退单率 50%, 办结率 100%, 及时率 0%,
    逾期率 100%. 海东: 2 received, 1 accepted in time, 1 overdue → 办结率 50%, 及时率 100%,
    逾期率 50%."""
    second = TaskFactory(lead=[xining, haidong], due_date=D(2026, 11, 10))
    first_made = make_assignments(task)
    second_made = make_assignments(second)
    Assignment.objects.filter(task__in=[task, second]).update(assigned_on=D(2026, 11, 2))
    with freeze_time("2026-11-02"):
        services.decline_assignment(
            assignment=first_made[xining.pk], user=staff_xining, comment="非本单位职责"
        )
    late = submitted(second_made[xining.pk], staff_xining, D(2026, 11, 12))
    services.accept_assignment(assignment=late, user=coordinator)
    in_time = submitted(first_made[haidong.pk], staff_haidong, D(2026, 11, 20))
    services.accept_assignment(assignment=in_time, user=coordinator)
    qs = Assignment.objects.filter(task__in=[task, second])
    rows = {r["unit_name"]: r for r in selectors.unit_rates(today=D(2026, 11, 30), queryset=qs)}
    x, h = rows["西宁市政府"], rows["海东市政府"]
    assert (x["received"], x["declined"], x["accepted"]) == (2, 1, 1)
    assert (x["decline_rate"], x["completion_rate"], x["timely_rate"], x["overdue_rate"]) == (
        Decimal("0.5000"),
        Decimal("1.0000"),
        Decimal("0.0000"),
        Decimal("1.0000"),
    )
    assert (h["decline_rate"], h["completion_rate"], h["timely_rate"], h["overdue_rate"]) == (
        Decimal("0.0000"),
        Decimal("0.5000"),
        Decimal("1.0000"),
        Decimal("0.5000"),
    )


def test_the_overdue_reminder_and_the_service_agree(pair, xining, make_user):
    """The weekly 督办 says an overdue task can no longer ask for an extension — as the service
    refuses it."""
    from apps.accounts.models import Role
    from apps.notifications import reminders
    from apps.notifications.models import Notification

    lead, _ = pair
    make_user(Role.STAFF, xining, username="t_12345_staff")
    Assignment.objects.filter(pk=lead.pk).update(due_date=D(2026, 11, 27))
    lead.refresh_from_db()
    with freeze_time("2026-11-30 09:00"):
        reminders.escalate_overdue_tasks()
        body = Notification.objects.filter(organization=xining).latest("pk").body
        assert "不能再申请延期" in body
        assert services.extension_refusal(lead)[0] == "too_late"


def test_the_rates_page(client, leader, staff_xining):
    client.force_login(staff_xining)
    assert client.get("/tasks/rates/").status_code == 403
    client.force_login(leader)
    # Live work only by default: the seeded documents are past their periods.
    r = client.get("/tasks/rates/")
    assert r.status_code == 200 and r.context["rows"] == []
    # One document, its history included: 002's 627 assignments over its units.
    r = client.get("/tasks/rates/", {"source": "002"})
    assert sum(row["received"] for row in r.context["rows"]) == 627
    assert "退单率" in r.content.decode()
