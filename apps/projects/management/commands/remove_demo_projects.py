"""Delete the demo projects (is_demo) with their events, stage history and monthly updates."""

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.projects.models import Project


class Command(BaseCommand):
    help = "删除演示项目（is_demo=True）及其审核记录、阶段历程和月度调度；真实项目不受影响。"

    def handle(self, *args, **options):
        with transaction.atomic():
            count, _ = Project.objects.demo().delete()
        self.stdout.write(f"已删除演示项目及相关记录 {count} 条。")
