"""Run the scheduled jobs that are due, once, in this process (the embedded default has no
beat or worker: call this from cron, or by hand, e.g. every 15 minutes)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.jobs.schedules import SCHEDULES, by_key, due_tasks, run_now, setup_schedules


class Command(BaseCommand):
    help = "运行到期的定时任务一次（无 Celery 时使用）；--all 全部运行，--job 指定任务。"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="运行全部已启用的定时任务")
        parser.add_argument(
            "--job",
            action="append",
            default=[],
            metavar="NAME",
            help="运行指定任务（可重复）："
            + "、".join(s.key for s in SCHEDULES)
            + " 或后台中的名称",
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出到期的任务，不运行")

    def handle(self, *args, all=False, job=(), dry_run=False, **options):
        from django_celery_beat.models import PeriodicTask

        setup_schedules()  # a fresh database gets the defaults first
        now = timezone.now()
        if job:
            tasks = []
            for name in job:
                schedule = by_key(name)
                found = PeriodicTask.objects.filter(
                    name=schedule.name if schedule else name
                ).first()
                if found is None:
                    raise CommandError(f"没有名为“{name}”的定时任务。")
                tasks.append(found)
        elif all:
            tasks = list(PeriodicTask.objects.filter(enabled=True, crontab__isnull=False))
        else:
            tasks = due_tasks(now)
        if not tasks:
            self.stdout.write("没有到期的定时任务。")
            return
        failed = 0
        for task in tasks:
            if dry_run:
                self.stdout.write(f"  到期：{task.name}（{task.task}）")
                continue
            try:
                result = run_now(task, now=now)
            except Exception as exc:  # keep going: one failing job must not stop the others
                failed += 1
                self.stderr.write(f"  {task.name}：失败 — {exc}")
                continue
            self.stdout.write(
                f"  {task.name}：{json.dumps(result, ensure_ascii=False, default=str)}"
            )
        if failed:
            raise CommandError(f"{failed} 个定时任务失败，详见后台“后台作业”。")
        verb = "到期（未运行）" if dry_run else "已运行"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(tasks)} 个定时任务。"))
