"""The platform's schedule, declared in code and loaded into django-celery-beat.

``python manage.py setup_schedules`` creates the missing entries (admins then edit times in the
admin: a later run never overwrites their edits unless ``--reset``). Celery beat reads them
from the database; without a broker, ``python manage.py run_due_jobs`` runs what is due.
Times are Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    key: str  # for run_due_jobs --job
    name: str  # the PeriodicTask's name, as admins see it
    task: str
    minute: str
    hour: str
    day_of_month: str = "*"
    month_of_year: str = "*"
    day_of_week: str = "*"
    kwargs: dict[str, Any] = field(default_factory=dict)
    description: str = ""


SCHEDULES: tuple[Schedule, ...] = (
    Schedule(
        key="report-reminders",
        name="月报提醒",
        task="notifications.report_reminders",
        minute="0",
        hour="9",
        day_of_month="1",
        kwargs={"stage": "due"},
        description="每月1日：提醒尚未报送上月项目调度和签约项目月报的单位（5日截止）。",
    ),
    Schedule(
        key="report-reminders-again",
        name="月报再次提醒",
        task="notifications.report_reminders",
        minute="0",
        hour="9",
        day_of_month="4",
        kwargs={"stage": "last_call"},
        description="每月4日：再次提醒仍未报送的单位。",
    ),
    Schedule(
        key="overdue-digest",
        name="逾期未报单位清单",
        task="notifications.overdue_digests",
        minute="0",
        hour="9",
        day_of_month="6",
        description="每月6日：向牵头协调单位和审核员发送逾期未报单位清单。",
    ),
    Schedule(
        key="snapshots",
        name="每日快照",
        task="dashboard.take_snapshots",
        minute="30",
        hour="1",
        description="每日01:30：保存前一日的签约项目三率、项目库、指标和任务状态快照。",
    ),
    Schedule(
        key="task-escalation",
        name="逾期任务督办",
        task="notifications.escalate_overdue_tasks",
        minute="30",
        hour="8",
        description="每日08:30：督办有逾期任务的单位（每单位每周一次）。",
    ),
    Schedule(
        key="document-periods",
        name="文件执行期推进",
        task="tasks.advance_periods",
        minute="15",
        hour="0",
        description="每日00:15：执行期已结束的任务文件、报送期已结束的签约台账转入总结评估。",
    ),
    Schedule(
        key="campaign-reminders",
        name="谋划行动节点提醒",
        task="notifications.campaign_reminders",
        minute="0",
        hour="9",
        description="每日09:00：当年谋划行动各节点截止前提醒相关单位（每单位每节点一次）。",
    ),
    Schedule(
        key="problem-escalation",
        name="问题逾期升级",
        task="problems.escalate_overdue",
        minute="0",
        hour="8",
        description="每日08:00：超过办理时限仍未答复的问题升级报专项工作组组长。",
    ),
    Schedule(
        key="reap-jobs",
        name="恢复中断的后台作业",
        task="jobs.reap",
        minute="*/5",
        hour="*",
        description="每5分钟：重新提交因后台服务不可用而等待的作业；超过时限仍在运行的作业"
        "（进程已中断）可安全重试的重试一次，否则标记失败，并通知发起人。",
    ),
    Schedule(
        key="push-major-projects",
        name="重大项目清单推送",
        task="accounts.push_major_projects",
        minute="45",
        hour="6",
        description=(
            "每日06:45：向订阅的接口客户端（如银行）推送自上次推送以来变更的重大项目清单"
            "（HMAC 签名，失败重试）。"
        ),
    ),
)


def by_key(key: str) -> Schedule | None:
    return next((s for s in SCHEDULES if s.key == key), None)


@transaction.atomic
def setup_schedules(*, reset: bool = False) -> dict[str, str]:
    """Create the missing periodic tasks (``reset``: restore the code defaults).

    Returns name → "created" / "kept" / "reset".
    """
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    outcome: dict[str, str] = {}
    for s in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=s.minute,
            hour=s.hour,
            day_of_month=s.day_of_month,
            month_of_year=s.month_of_year,
            day_of_week=s.day_of_week,
            timezone=settings.TIME_ZONE,  # one TIME_ZONE: the settings'
        )
        values = {
            "task": s.task,
            "crontab": crontab,
            "kwargs": json.dumps(s.kwargs, ensure_ascii=False),
            "description": s.description,
        }
        task = PeriodicTask.objects.filter(name=s.name).first()
        if task is None:
            PeriodicTask.objects.create(name=s.name, enabled=True, **values)
            outcome[s.name] = "created"
        elif reset:
            for attr, value in values.items():
                setattr(task, attr, value)
            task.enabled = True
            task.save()
            outcome[s.name] = "reset"
        else:
            outcome[s.name] = "kept"
    return outcome


def due_tasks(now: dt.datetime | None = None):
    """Enabled crontab tasks with an occurrence since their last run.

    A task that never ran looks back one day only: a fresh installation runs today's jobs,
    not every monthly one at once (the 4th's second reminder must not follow the 1st's).
    """
    from django_celery_beat.models import PeriodicTask

    now = now or timezone.now()
    due = []
    for task in PeriodicTask.objects.filter(enabled=True, crontab__isnull=False).select_related(
        "crontab"
    ):
        last = task.last_run_at or (now - dt.timedelta(days=1))
        if task.crontab.schedule.is_due(last).is_due:
            due.append(task)
    return due


def run_now(task, *, now: dt.datetime | None = None) -> Any:
    """Run one periodic task in this process (whatever the broker) and mark it run."""
    from django.db.models import F
    from django_celery_beat.models import PeriodicTask

    from qhprojects.celery import app

    app.loader.import_default_modules()  # the apps' tasks modules register their tasks
    celery_task = app.tasks[task.task]
    result = celery_task.apply(
        args=json.loads(task.args or "[]"), kwargs=json.loads(task.kwargs or "{}"), throw=True
    )
    # update(), not save(): beat watches saves to reload its schedule; a run is not an edit.
    PeriodicTask.objects.filter(pk=task.pk).update(
        last_run_at=now or timezone.now(), total_run_count=F("total_run_count") + 1
    )
    return result.result
