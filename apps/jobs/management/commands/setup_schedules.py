from django.core.management.base import BaseCommand

from apps.jobs.schedules import setup_schedules


class Command(BaseCommand):
    help = (
        "将定时任务（月报提醒、逾期清单、每日快照、任务督办）写入 django-celery-beat，可重复执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="恢复代码中的默认时间和参数（覆盖后台修改）"
        )

    def handle(self, *args, reset=False, **options):
        for name, what in setup_schedules(reset=reset).items():
            label = {"created": "已创建", "kept": "已存在，保留后台设置", "reset": "已恢复默认"}[
                what
            ]
            self.stdout.write(f"  {name}：{label}")
        self.stdout.write(self.style.SUCCESS("定时任务已就绪。"))
