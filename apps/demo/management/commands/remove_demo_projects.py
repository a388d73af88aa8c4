"""Delete every demo row: the demo projects (with their events, stage history and monthly
updates), the demo campaign, the demo task list and the demo indicator values."""

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.projects.models import Project


class Command(BaseCommand):
    help = (
        "删除全部演示数据（演示项目及其审核记录、阶段历程和月度调度，演示谋划行动、"
        "演示任务清单、演示指标监测值）；真实数据不受影响。"
    )

    def handle(self, *args, **options):
        from apps.demo.present import remove_demo_documents
        from apps.indicators.models import MeasureValue
        from apps.projects.models import Campaign

        with transaction.atomic():
            count, _ = Project.objects.demo().delete()
            campaigns, _ = Campaign.objects.filter(is_demo=True).delete()
            assignments = remove_demo_documents()
            values, _ = MeasureValue.objects.filter(is_demo=True).delete()
        self.stdout.write(
            f"已删除演示项目及相关记录 {count} 条，演示谋划行动 {campaigns} 条，"
            f"演示任务分解 {assignments} 项，演示指标监测值 {values} 条。"
        )
