"""Demo only: a made-up report history for the 青洽会 ledger (see apps/demo/contract_reports.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.contracts.models import Fair
from apps.core.periods import parse_period
from apps.demo.contract_reports import load_demo_reports


class Command(BaseCommand):
    help = "演示模式：为签约项目台账生成虚构的月报记录（2017年8月至2018年5月），仅供演示。"

    def add_arguments(self, parser):
        parser.add_argument("--fair", default="第十八届青洽会", help="招商活动简称")
        parser.add_argument("--first", default="2017-08")
        parser.add_argument("--last", default="2018-05")

    def handle(self, *args, fair, first, last, **options):
        if not settings.DEMO_MODE:
            raise CommandError("演示月报只能在演示模式下生成（QH_DEMO=1 或 DEBUG=1）。")
        target = Fair.objects.filter(short_name=fair).first()
        if target is None:
            raise CommandError(f"没有招商活动“{fair}”，请先运行 load_seed_data。")
        n = load_demo_reports(fair=target, first=parse_period(first), last=parse_period(last))
        self.stdout.write(f"已生成 {n} 条演示月报（{first} 至 {last}，内容标注【演示数据】）。")
