#!/usr/bin/env python
"""Benchmark of the contract ledgers: imports, rates, the ledger page and exports.

One command, prints figures:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qh_contracts \\
        .venv/bin/python bench/contracts_bench.py [--rows 5000] [--months 12]

It works in a throw-away database (``bench_<name>``, created and dropped here), loads the
reference data, then measures:

1. import of the seed ledger (346 rows) through ``import_ledger`` — time, peak memory;
2. import of a synthetic ledger of ``--rows`` rows in the same 责任分工表 layout;
3. ``rates`` for the whole fair, per unit and per 市州, and ``reporting_status``, at that many
   contracts × ``--months`` months of (synthetic) reports — time and query count;
4. the ledger page (100 rows) and the Excel exports at that size.

Peak memory is Python's allocation peak (tracemalloc) during the step, plus the process's
maximum resident size at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qhprojects.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from openpyxl import Workbook  # noqa: E402

HEADER = [
    "序号",
    "项目名称",
    "甲方(青海)",
    "乙方(省外)",
    "总投资额(亿元)",
    "资金来源地",
    "责任领导",
    "责任人",
]
PLACES = ["北京", "上海", "江苏", "浙江", "广东", "四川", "陕西", "甘肃", "山东", "香港"]


def measure(label: str, func, *, repeat: int = 1, memory=None):
    """Print the median time and the query count of ``func`` over ``repeat`` runs.

    tracemalloc slows Python down several times, so peak memory is taken in a separate run of
    ``memory`` (a callable doing the same work, e.g. on a fresh fair) when one is given.
    """
    times, result, queries = [], None, 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = func()
            times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    line = f"  {label:<40} {statistics.median(times) * 1000:9.1f} ms  {queries:6d} queries"
    if memory is not None:
        reset_queries()
        tracemalloc.start()
        memory()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        line += f"  peak {peak / 2**20:6.1f} MiB"
    print(line)
    return result


def synthetic_ledger(rows: int, seed: int = 4) -> bytes:
    """A ledger of ``rows`` contracts in the government's layout: page headers every 40 lines,
    one "责任单位：X（N项）" line with its subtotal per unit, several values in some cells."""
    from apps.reference.models import Organization

    rng = random.Random(seed)
    units = list(
        Organization.objects.filter(
            kind__in=["prefecture_government", "provincial_department", "park_committee"]
        ).values_list("name", flat=True)[:32]
    )
    counties = list(
        Organization.objects.filter(kind="county_government").values_list("name", flat=True)
    )
    per_unit = [rows // len(units)] * len(units)
    for i in range(rows - sum(per_unit)):
        per_unit[i] += 1
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("责任分工表")
    ws.append(["基准测试签约项目责任分工表"])
    ws.append(HEADER)
    seq, lines = 0, 0
    for unit, count in zip(units, per_unit, strict=True):
        amounts = [Decimal(rng.randint(5, 5000)) / 100 for _ in range(count)]
        ws.append([f"责任单位：{unit}（{count}项）", None, None, None, sum(amounts)])
        for amount in amounts:
            seq += 1
            lines += 1
            if lines % 40 == 0:
                ws.append([])
                ws.append(HEADER)
            places = " ".join(rng.sample(PLACES, rng.choice([1, 1, 1, 2, 3])))
            ws.append(
                [
                    seq,
                    f"基准测试项目{seq}",
                    rng.choice(counties),
                    "、".join(f"测试公司{rng.randint(1, 999)}" for _ in range(rng.choice([1, 2]))),
                    amount,
                    places,
                    "张三",
                    rng.choice(["李四", "王五 赵六"]),
                ]
            )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(rows: int, months: int) -> None:
    from apps.accounts.models import Role, User
    from apps.contracts import seed, selectors
    from apps.contracts.exports import export_ledger, export_month_reports
    from apps.contracts.importers import import_ledger
    from apps.contracts.models import Contract, ContractReport, Fair
    from apps.core.periods import add_months
    from apps.demo.contract_reports import load_demo_reports
    from apps.reference.models import Organization

    call_command("load_seed_data", only=["reference"], stdout=io.StringIO())
    coordinator = Organization.objects.resolve("省经济和信息化委")
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    scratch = iter(range(1, 1000))

    def fresh_fair() -> Fair:
        n = next(scratch)
        return Fair.objects.create(
            name=f"基准测试洽谈会{n}", short_name=f"基准测试会{n}", coordinating_unit=coordinator
        )

    def drop(fair: Fair) -> None:
        ContractReport.objects.filter(contract__fair=fair).delete()
        Contract.objects.filter(fair=fair).delete()
        fair.delete()

    def import_into_scratch(file_factory) -> None:
        fair = fresh_fair()
        import_ledger(fair=fair, file=file_factory())
        drop(fair)

    print("\n1. seed ledger (fixtures/contracts, 346 rows, 32 units)")
    fair = seed.load_fair()
    report = measure(
        "import_ledger(seed .xlsx)",
        lambda: import_ledger(fair=fair, file=str(seed.LEDGER)),
        memory=lambda: import_into_scratch(lambda: str(seed.LEDGER)),
    )
    print(f"     → created {report.created}, flagged {len(report.flagged)}, ok={report.ok}")

    print(f"\n2. synthetic ledger ({rows} rows, 32 units, page headers every 40 rows)")
    content = measure("build synthetic .xlsx", lambda: synthetic_ledger(rows))
    print(f"     → {len(content) / 1024:.0f} KiB")
    big = fresh_fair()

    def preview():
        return import_ledger(fair=big, file=io.BytesIO(content), commit=False)

    measure("preview (commit=False)", preview, repeat=3, memory=preview)
    report = measure(
        "import_ledger (commit)",
        lambda: import_ledger(fair=big, file=io.BytesIO(content)),
        memory=lambda: import_into_scratch(lambda: io.BytesIO(content)),
    )
    print(f"     → created {report.created}, units {len(report.units)}, ok={report.ok}")
    again = measure(
        "re-import, nothing changed", lambda: import_ledger(fair=big, file=io.BytesIO(content))
    )
    print(f"     → unchanged {again.unchanged}, updated {again.updated}")

    first = dt.date(2017, 8, 1)
    last = add_months(first, months - 1)
    print(f"\n3. rates at {rows} contracts × {months} months of reports")
    n = measure(
        "load synthetic reports",
        lambda: load_demo_reports(fair=big, first=first, last=last, skip_last_month_units=3),
    )
    print(f"     → {n} reports")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    for by in (None, "unit", "region"):
        measure(
            f"rates(by={by!r})",
            lambda by=by: selectors.rates(fair=big, period=last, by=by),
            repeat=5,
        )
    measure(
        "rates(by='unit'), mid-period",
        lambda: selectors.rates(fair=big, period=add_months(first, months // 2), by="unit"),
        repeat=5,
    )
    measure("reporting_status", lambda: selectors.reporting_status(fair=big, period=last), repeat=5)
    measure(
        "units_missing_report",
        lambda: list(selectors.units_missing_report(fair=big, period=last)),
        repeat=5,
    )

    print(f"\n4. pages and exports at {rows} contracts")
    leader = User.objects.create(username="bench_leader", role=Role.LEADER)
    client = Client()
    client.force_login(leader)
    client.get(f"/contracts/?fair={big.pk}")
    for size in (50, 500):
        measure(
            f"GET ledger page ({size} rows)",
            lambda size=size: client.get(f"/contracts/?fair={big.pk}&page_size={size}"),
            repeat=3,
        )
    measure("GET rates page", lambda: client.get(f"/contracts/rates/?fair={big.pk}"), repeat=3)
    measure("GET status page", lambda: client.get(f"/contracts/status/?fair={big.pk}"), repeat=3)
    contracts = Contract.objects.all()

    def ledger_xlsx():
        return export_ledger(fair=big, contracts=contracts)

    _name, data = measure("export_ledger", ledger_xlsx, memory=ledger_xlsx)
    print(f"     → {len(data) / 1024:.0f} KiB")

    def month_xlsx():
        return export_month_reports(fair=big, contracts=contracts, period=last)

    measure("export_month_reports", month_xlsx, memory=month_xlsx)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess max RSS: {rss:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description="签约项目台账基准测试")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    setup_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    db = settings.DATABASES["default"]
    db.setdefault("TEST", {})
    if db["ENGINE"].endswith("postgresql"):
        db["TEST"]["NAME"] = f"bench_{db['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.rows, args.months)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
