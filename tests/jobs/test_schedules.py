"""Schedules in django-celery-beat, editable in admin, and run_due_jobs for the embedded default."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from freezegun import freeze_time

from apps.jobs.models import JobRun
from apps.jobs.schedules import SCHEDULES, due_tasks, setup_schedules

pytestmark = pytest.mark.django_db


def xining(instant: str):
    """Freeze at a wall-clock time in Xining (UTC+8)."""
    return freeze_time(instant, tz_offset=-8)


def run(*args) -> str:
    out = io.StringIO()
    call_command("run_due_jobs", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_setup_creates_the_defaults_in_asia_shanghai():
    assert setup_schedules() == {s.name: "created" for s in SCHEDULES}
    table = {
        t.name: (
            t.task,
            t.crontab.minute,
            t.crontab.hour,
            t.crontab.day_of_month,
            str(t.crontab.timezone),
            json.loads(t.kwargs),
        )
        for t in PeriodicTask.objects.select_related("crontab")
    }
    assert table == {
        "月报提醒": (
            "notifications.report_reminders",
            "0",
            "9",
            "1",
            "Asia/Shanghai",
            {"stage": "due"},
        ),
        "月报再次提醒": (
            "notifications.report_reminders",
            "0",
            "9",
            "4",
            "Asia/Shanghai",
            {"stage": "last_call"},
        ),
        "逾期未报单位清单": ("notifications.overdue_digests", "0", "9", "6", "Asia/Shanghai", {}),
        "每日快照": ("dashboard.take_snapshots", "30", "1", "*", "Asia/Shanghai", {}),
        "逾期任务督办": (
            "notifications.escalate_overdue_tasks",
            "30",
            "8",
            "*",
            "Asia/Shanghai",
            {},
        ),
        "问题逾期升级": ("problems.escalate_overdue", "0", "8", "*", "Asia/Shanghai", {}),
        "重大项目清单推送": ("accounts.push_major_projects", "45", "6", "*", "Asia/Shanghai", {}),
        "文件执行期推进": ("tasks.advance_periods", "15", "0", "*", "Asia/Shanghai", {}),
        "谋划行动节点提醒": (
            "notifications.campaign_reminders",
            "0",
            "9",
            "*",
            "Asia/Shanghai",
            {},
        ),
        "恢复中断的后台作业": ("jobs.reap", "*/5", "*", "*", "Asia/Shanghai", {}),
    }


def test_setup_is_idempotent_and_keeps_admin_edits():
    setup_schedules()
    task = PeriodicTask.objects.get(name="月报提醒")
    task.crontab = CrontabSchedule.objects.create(
        minute="0", hour="8", day_of_month="2", timezone="Asia/Shanghai"
    )
    task.save()
    out = io.StringIO()
    call_command("setup_schedules", stdout=out)
    assert "月报提醒：已存在，保留后台设置" in out.getvalue()
    assert PeriodicTask.objects.count() == len(SCHEDULES)
    assert PeriodicTask.objects.get(name="月报提醒").crontab.day_of_month == "2"

    assert setup_schedules(reset=True)["月报提醒"] == "reset"
    assert PeriodicTask.objects.get(name="月报提醒").crontab.day_of_month == "1"


def test_run_due_jobs_runs_what_is_due_once():
    with xining("2026-11-01 09:05"):
        # A fresh database: what fell due in the last day runs (not the 4th's or 6th's jobs).
        first = run()
        assert "已运行 8 个定时任务" in first  # with the job reaper (every 5 minutes)
        assert run() == "没有到期的定时任务。\n"
    assert set(JobRun.objects.values_list("kind", flat=True)) == {
        "reminders.due",
        "snapshots.nightly",
        "reminders.task_overdue",
        "problems.escalate",
        "lifecycle.advance",
        "reminders.campaign",
        "push.major_projects",
    }
    reaper = "恢复中断的后台作业"
    with xining("2026-11-02 01:31"):
        assert {t.name for t in due_tasks()} == {"每日快照", "文件执行期推进", reaper}
    with xining("2026-11-02 08:31"):
        assert {t.name for t in due_tasks()} == {
            "每日快照", "文件执行期推进", "逾期任务督办", "问题逾期升级", "重大项目清单推送", reaper
        }  # fmt: skip
    with xining("2026-11-04 09:00"):
        assert {t.name for t in due_tasks()} == {
            "月报再次提醒",
            "每日快照",
            "文件执行期推进",
            "谋划行动节点提醒",
            "逾期任务督办",
            "问题逾期升级",
            "重大项目清单推送",
            reaper,
        }
        run()
        assert due_tasks() == []
    with xining("2026-11-06 09:00"):
        assert "逾期未报单位清单" in [t.name for t in due_tasks()]
    with xining("2026-12-01 09:00"):
        assert "月报提醒" in [t.name for t in due_tasks()]
    assert PeriodicTask.objects.get(name="月报再次提醒").total_run_count == 1
    assert PeriodicTask.objects.get(name="每日快照").total_run_count == 2


def test_job_and_dry_run_and_disabled():
    setup_schedules()
    PeriodicTask.objects.filter(name="每日快照").update(enabled=False)
    with xining("2026-11-01 09:05"):
        listed = run("--dry-run")
        assert "到期：月报提醒" in listed and "每日快照" not in listed
        assert not JobRun.objects.exists()
        forced = run("--job", "snapshots")  # --job runs it even when disabled
    assert "每日快照：" in forced and JobRun.objects.get().kind == "snapshots.nightly"
    with pytest.raises(CommandError, match="没有名为"):
        run("--job", "nonsense")


def test_a_failing_job_does_not_stop_the_others(monkeypatch):
    from apps.notifications import reminders

    def broken(**kwargs):
        raise RuntimeError("数据库只读")

    monkeypatch.setattr(reminders, "send_overdue_digests", broken)
    with xining("2026-11-06 09:05"), pytest.raises(CommandError, match="1 个定时任务失败"):
        run("--all")
    failed = JobRun.objects.get(status=JobRun.Status.FAILED)
    assert failed.kind == "reminders.overdue_digest" and "数据库只读" in failed.error
    assert JobRun.objects.filter(status=JobRun.Status.SUCCEEDED).count() == 8
