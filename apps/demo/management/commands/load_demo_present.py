"""Load the demo that lives in today: a current-year campaign, a current task list, and
indicator values 2021–2025 — all marked demo, rebuilt relative to the day it runs."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.demo import present as demo


class Command(BaseCommand):
    help = "演示模式：生成当年谋划行动、当前任务清单和2021—2025年指标监测值（均标记为演示）。"

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("非演示模式（设置 QH_DEMO=1），不加载演示数据。")
        self.stdout.write(demo.load_demo_campaign())
        self.stdout.write(demo.load_demo_tasks())
        self.stdout.write(demo.load_demo_indicator_values())
