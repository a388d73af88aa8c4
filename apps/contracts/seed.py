"""Seed data: the 18th 青洽会, its rate targets and its ledger (seed 002, 青政办〔2017〕134号).

The ledger is imported from fixtures/contracts/第十八届青洽会签约项目责任分工表.xlsx (built from
the seed by fixtures/build/contracts_ledger.py) through the same importer users use. Running
the loader again changes nothing: the fair and targets are updated in place, and a ledger that
is already loaded is left alone (corrections made in the application are never overwritten).
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext

from apps.contracts.importers import import_ledger
from apps.contracts.models import Contract, Fair, RateTarget
from apps.reference.models import Organization

LEDGER = settings.FIXTURES_DIR / "contracts" / "第十八届青洽会签约项目责任分工表.xlsx"

FAIR = {
    "name": "第十八届中国·青海绿色发展投资贸易洽谈会",
    "short_name": "第十八届青洽会",
    "document_no": "青政办〔2017〕134号",
    "document_date": dt.date(2017, 8, 6),
    # Units report each month by the 5th from the notice on: the August report is the first.
    "first_period": dt.date(2017, 8, 1),
    # The rate targets end in May 2018 (134号 §二): May 2018 is the last month reported.
    "last_period": dt.date(2018, 5, 1),
    "window_note": "报送期推定：自印发当月（2017年8月）起，至目标任务最后时限2018年5月底止。",
}
COORDINATOR = "省经济和信息化委"  # now 省工业和信息化厅 (an alias in the unit directory)
# 134号 §二: by end-2017 70/50/15%, by end of May 2018 90/80/30%.
TARGETS = [
    (dt.date(2017, 12, 31), "0.70", "0.50", "0.15"),
    (dt.date(2018, 5, 31), "0.90", "0.80", "0.30"),
]


def load_fair() -> Fair:
    coordinator = Organization.objects.resolve(COORDINATOR)
    if coordinator is None:
        raise CommandError(
            gettext("单位名录中没有“%(COORDINATOR)s”") % {"COORDINATOR": COORDINATOR}
        )
    fair, _ = Fair.objects.update_or_create(
        short_name=FAIR["short_name"],
        defaults={**FAIR, "coordinating_unit": coordinator},
    )
    for due_on, fulfillment, start, funding in TARGETS:
        RateTarget.objects.update_or_create(
            fair=fair,
            due_on=due_on,
            defaults={
                "fulfillment": Decimal(fulfillment),
                "start": Decimal(start),
                "funding": Decimal(funding),
            },
        )
    return fair


def load(*, stdout) -> None:
    fair = load_fair()
    stdout.write(f"  {fair.short_name}：目标任务 {fair.targets.count()} 组")
    from apps.contracts.services import advance_fair_windows

    for name in advance_fair_windows():
        stdout.write(f"  {name}：报送期已结束，转入总结评估")
    existing = Contract.objects.filter(fair=fair).count()
    if existing:
        stdout.write(f"  台账已存在（{existing} 项），不重复导入")
        return
    with LEDGER.open("rb") as fh:
        report = import_ledger(fair=fair, file=fh, user=None, commit=True)
    if not report.ok:
        raise CommandError("台账导入失败：\n" + "\n".join(str(i) for i in report.errors))
    orgs = len({u.organization.pk for u in report.units})
    stdout.write(
        f"  台账 {report.created} 项，{len(report.units)} 个责任单位（现 {orgs} 个单位），"
        f"合计 {report.total_investment} 亿元，待更正 {len(report.flagged)} 项"
    )
