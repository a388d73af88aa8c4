"""The monthly rhythm with time frozen around the 1st, 4th, 5th, 6th and month ends.

In-process (eager) here; tests/jobs/test_worker.py runs the same jobs on a real worker.
"""

import datetime as dt
import threading

import pytest
from django.db import connection
from freezegun import freeze_time

from apps.jobs.models import JobRun
from apps.notifications import reminders, tasks
from apps.notifications.models import Kind, Notification, ReminderRecord
from tests.notifications import scenario

pytestmark = pytest.mark.django_db

OCTOBER = scenario.OCTOBER


@pytest.fixture
def province(db):
    return scenario.build()


def sent(kind=None):
    qs = ReminderRecord.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return sorted((r.organization.name, r.kind, r.period) for r in qs)


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@freeze_time("2026-11-01 09:00", tz_offset=0)
def test_on_the_1st_every_late_unit_is_reminded_once(province, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.send_report_reminders.delay("due").get()

    # 西宁 owes both reports; 海东 filed; 交通厅 owes a report but has nobody to tell.
    assert sent() == [
        ("西宁市政府", Kind.CONTRACT_REPORT_DUE, OCTOBER),
        ("西宁市政府", Kind.PROJECT_UPDATE_DUE, OCTOBER),
    ]
    assert result == {
        "period": "2026-10",
        "stage": "due",
        "project_sent": 1,
        "contract_sent": 1,
        "no_recipients": 1,
    }
    assert sorted(inbox(province.staff_xining)) == [
        Kind.CONTRACT_REPORT_DUE,
        Kind.PROJECT_UPDATE_DUE,
    ]
    assert inbox(province.staff_haidong) == []
    project_note = Notification.objects.get(
        recipient=province.staff_xining, kind=Kind.PROJECT_UPDATE_DUE
    )
    assert project_note.title == "请于11月5日前报送2026年10月项目调度信息"
    assert "有 2 个入库项目尚未报送2026年10月月度调度" in project_note.body
    assert project_note.url == "/projects/updates/?period=2026-10"
    contract_note = Notification.objects.get(
        recipient=province.staff_xining, kind=Kind.CONTRACT_REPORT_DUE
    )
    assert "测试青洽会（3个项目未报）" in contract_note.body
    assert contract_note.url == f"/contracts/report/?fair={province.fair.pk}&month=2026-10"
    # The run is recorded, with its counts, for the admin.
    job = JobRun.objects.get(kind="reminders.due")
    assert job.status == JobRun.Status.SUCCEEDED and job.result == result


@freeze_time("2026-11-01 09:00", tz_offset=0)
def test_a_second_run_sends_nothing(province, django_capture_on_commit_callbacks):
    reminders.send_report_reminders(stage="due")
    before = Notification.objects.count()
    result = reminders.send_report_reminders(stage="due")
    assert Notification.objects.count() == before
    assert result["project_already_sent"] == 1 and result["contract_already_sent"] == 1
    assert "project_sent" not in result and "contract_sent" not in result


def test_the_4th_is_a_second_reminder_the_5th_adds_nothing(province):
    with freeze_time("2026-11-01 09:00"):
        reminders.send_report_reminders(stage="due")
    with freeze_time("2026-11-04 09:00"):
        reminders.send_report_reminders(stage="last_call")
        reminders.send_report_reminders(stage="last_call")
    with freeze_time("2026-11-05 09:00"):
        reminders.send_report_reminders(stage="due")
        reminders.send_report_reminders(stage="last_call")
        assert reminders.send_overdue_digests() == {
            "period": "2026-10",
            "skipped": "not_overdue_yet",
        }
    assert sent() == [
        ("西宁市政府", Kind.CONTRACT_REPORT_DUE, OCTOBER),
        ("西宁市政府", Kind.CONTRACT_REPORT_LAST_CALL, OCTOBER),
        ("西宁市政府", Kind.PROJECT_UPDATE_DUE, OCTOBER),
        ("西宁市政府", Kind.PROJECT_UPDATE_LAST_CALL, OCTOBER),
    ]
    last_call = Notification.objects.get(
        recipient=province.staff_xining, kind=Kind.CONTRACT_REPORT_LAST_CALL
    )
    assert last_call.title == "【再次提醒】请于11月5日前报送2026年10月签约项目月报"


def test_a_unit_that_files_between_the_1st_and_the_4th_is_not_reminded_again(province):
    with freeze_time("2026-11-01 09:00"):
        reminders.send_report_reminders(stage="due")
    for key in ("x1", "x2", "x3"):
        scenario.report(province.contracts[key], OCTOBER)
    with freeze_time("2026-11-04 09:00"):
        result = reminders.send_report_reminders(stage="last_call")
    assert result["project_sent"] == 1 and "contract_sent" not in result
    assert ReminderRecord.objects.filter(kind=Kind.CONTRACT_REPORT_LAST_CALL).count() == 0


@freeze_time("2026-11-06 09:00")
def test_on_the_6th_coordinators_get_the_overdue_units(province):
    assert reminders.send_report_reminders(stage="last_call")["skipped"] == "past_due"
    result = reminders.send_overdue_digests()
    assert result == {"period": "2026-10", "contract_digest_sent": 1, "project_digest_sent": 1}

    digest = Notification.objects.get(recipient=province.coordinator)
    assert digest.kind == Kind.CONTRACT_OVERDUE_DIGEST
    assert digest.title == "2026年10月签约项目月报逾期未报单位（2个）"
    assert "测试青洽会：2个单位未报——西宁市政府（3个项目）、省交通运输厅（1个项目）" in digest.body
    assert digest.url == f"/contracts/status/?fair={province.fair.pk}&month=2026-10"
    record = ReminderRecord.objects.get(kind=Kind.CONTRACT_OVERDUE_DIGEST)
    assert record.organization == province.coordinating and record.recipients == 1
    assert [u["name"] for u in record.detail["ledgers"][0]["units"]] == [
        "西宁市政府",
        "省交通运输厅",
    ]

    library = Notification.objects.get(recipient=province.reviewer)
    assert library.kind == Kind.PROJECT_OVERDUE_DIGEST
    assert library.title == "2026年10月项目调度逾期未报单位（1个）"
    assert "西宁市政府（2个项目）" in library.body

    # Again on the 7th (say, a catch-up run): nothing new.
    with freeze_time("2026-11-07 09:00"):
        again = reminders.send_overdue_digests()
    assert again["contract_digest_already_sent"] == 1 and Notification.objects.count() == 2


@pytest.mark.parametrize(
    ("instant", "outcome"),
    [
        # 23:30 on 31 October in Xining is still October: September's report is long overdue.
        ("2026-10-31 15:30", {"period": "2026-09", "stage": "due", "skipped": "past_due"}),
        # 00:30 on 1 November in Xining (16:30 UTC on the 31st): October's reminders go out.
        (
            "2026-10-31 16:30",
            {
                "period": "2026-10",
                "stage": "due",
                "project_sent": 1,
                "contract_sent": 1,
                "no_recipients": 1,
            },
        ),
    ],
)
def test_dates_follow_asia_shanghai_at_the_month_end(province, instant, outcome):
    with freeze_time(instant):  # UTC instants
        assert reminders.send_report_reminders(stage="due") == outcome


def test_the_year_end_wraps_to_december(province):
    with freeze_time("2026-12-31 16:00"):  # 1 January 2027, 00:00 in Xining
        result = reminders.send_report_reminders(stage="due")
    assert result["period"] == "2026-12"
    # Nobody has filed December yet: both 西宁 and 海东 owe both reports.
    assert ReminderRecord.objects.filter(period=dt.date(2026, 12, 1)).count() == 4
    note = Notification.objects.filter(recipient__username="r_staff_xining").first()
    assert "1月5日" in note.title and "2026年12月" in note.title


def test_february_end(province):
    # 28 Feb 2027 is past January's due day; 1 March reminds for February.
    with freeze_time("2027-02-28 09:00"):
        assert reminders.send_report_reminders(stage="due")["skipped"] == "past_due"
    with freeze_time("2027-03-01 09:00"):
        assert reminders.send_report_reminders(stage="due")["period"] == "2027-02"


@freeze_time("2026-11-01 09:00")
def test_the_unit_robot_gets_one_group_message(province, settings):
    settings.NOTIFICATIONS_WEBHOOK_HOSTS = ("qyapi.weixin.qq.com",)
    province.xining.webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    province.xining.save()
    reminders.send_report_reminders(stage="due")
    group = Notification.objects.filter(recipient__isnull=True, organization=province.xining)
    assert group.count() == 2  # one per reminder kind
    assert ReminderRecord.objects.get(kind=Kind.PROJECT_UPDATE_DUE).recipients == 2


@freeze_time("2026-11-01 09:00")
def test_a_unit_with_only_a_robot_is_reminded(province, settings):
    province.transport.webhook_url = "https://oapi.dingtalk.com/robot/send?access_token=t"
    province.transport.save()
    result = reminders.send_report_reminders(stage="due")
    assert result["contract_sent"] == 2 and "no_recipients" not in result


def test_two_runs_racing_send_one_reminder(committed_db, province):
    """Two workers at the same moment: the unique record lets exactly one of them send."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers")
    barrier = threading.Barrier(2, timeout=10)
    outcomes, errors = [], []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            outcomes.append(
                reminders.send_once(
                    organization=province.xining,
                    kind=Kind.CONTRACT_REPORT_DUE,
                    period=OCTOBER,
                    recipients=[province.staff_xining],
                    title="请于11月5日前报送2026年10月签约项目月报",
                    body="",
                    url="/contracts/",
                )
            )
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert errors == []
    assert sorted(outcomes) == [False, True]
    assert ReminderRecord.objects.filter(kind=Kind.CONTRACT_REPORT_DUE).count() == 1
    assert Notification.objects.filter(kind=Kind.CONTRACT_REPORT_DUE).count() == 1


def test_task_escalation_is_weekly(province):
    from apps.tasks.models import Assignment, SourceDocument, Task

    # Other suites may have loaded the seeded task lists: only this test's assignments count.
    Assignment.objects.update(status=Assignment.Status.ACCEPTED)
    source = SourceDocument.objects.create(code="T99", short_name="测试文件", title="测试文件")
    task = Task.objects.create(
        source=source,
        number=1,
        title="推进测试任务",
        content="推进测试任务",
        due_date=dt.date(2026, 10, 31),
    )
    Assignment.objects.create(
        task=task, unit=province.xining, role="lead", due_date=dt.date(2026, 10, 31)
    )
    Assignment.objects.create(
        task=task, unit=province.haidong, role="participating", due_date=dt.date(2026, 12, 31)
    )
    with freeze_time("2026-11-02 09:00"):  # a Monday
        assert reminders.escalate_overdue_tasks() == {"week": "2026-11-02", "units": 1, "sent": 1}
    with freeze_time("2026-11-03 09:00"):
        assert reminders.escalate_overdue_tasks()["already_sent"] == 1
    with freeze_time("2026-11-09 09:00"):
        assert reminders.escalate_overdue_tasks()["sent"] == 1
    notes = Notification.objects.filter(recipient=province.staff_xining, kind=Kind.TASK_OVERDUE)
    assert notes.count() == 2
    assert notes.first().title == "督办：贵单位有1项任务已逾期"
    assert notes.first().url == "/tasks/mine/?overdue=true"
