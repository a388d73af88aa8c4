#!/usr/bin/env python
"""Benchmark of the project library: one command, prints figures.

    .venv/bin/python bench/projects_bench.py

Uses a throwaway SQLite database (/tmp/qh_projects_bench.sqlite3, recreated each run) unless
BENCH_DATABASE_URL names another *scratch* database. Measures:

* the list page and the list API (page_size=100) with 10, 100 and 1000 projects in the
  library: median time of 5 requests and the number of SQL queries (must not grow);
* the Excel import of a 1000-row 建议表: time and peak Python memory (tracemalloc);
* the Excel export of the whole library: time, size and peak memory.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_FILE = Path("/tmp/qh_projects_bench.sqlite3")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{DB_FILE}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qhprojects.settings")
os.environ.setdefault("QH_DEMO", "0")  # the bench builds its own rows

if "BENCH_DATABASE_URL" not in os.environ and DB_FILE.exists():
    DB_FILE.unlink()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def say(text: str = "") -> None:
    print(text, flush=True)


def setup() -> dict:
    from apps.accounts.models import Role, User
    from apps.projects.seed import load_campaign
    from apps.reference.models import Organization

    call_command("migrate", verbosity=0)
    if "BENCH_DATABASE_URL" in os.environ:
        call_command("flush", interactive=False, verbosity=0)  # a scratch database, by contract
    call_command("load_seed_data", only=["reference"], stdout=open(os.devnull, "w"))  # noqa: SIM115
    load_campaign()
    xining = Organization.objects.resolve("西宁市政府")
    users = {
        "leader": User.objects.create(username="bench_leader", role=Role.LEADER),
        "admin": User.objects.create(
            username="bench_admin", role=Role.ADMIN, is_superuser=True, is_staff=True
        ),
        "staff": User.objects.create(username="bench_staff", role=Role.STAFF, organization=xining),
    }
    return users


def grow_library(target: int) -> None:
    """Bulk-insert projects (half in the library, with three monthly updates each)."""
    import datetime as dt

    from apps.projects.models import LibraryStatus, Project, ProjectMonthlyUpdate, Tier
    from apps.reference.models import Organization, Region, Sector

    have = Project.objects.count()
    if have >= target:
        return
    counties = list(Region.objects.filter(level="county").select_related("parent"))
    sectors = list(Sector.objects.all())
    governments = {o.region_id: o for o in Organization.objects.filter(kind="county_government")}
    rows = []
    for i in range(have, target):
        county = counties[i % len(counties)]
        rows.append(
            Project(
                name=f"基准测试项目{i:05d}",
                tier=Tier.COUNTY,
                region=county,
                sector=sectors[i % len(sectors)],
                responsible_unit=governments[county.pk],
                total_investment=Decimal(1 + (i * 37) % 500),
                plan_year=2026,
                planned_investment_year=Decimal("0.5"),
                scale_content="基准测试",
                library_status=LibraryStatus.APPROVED if i % 2 else LibraryStatus.DRAFT,
            )
        )
    created = Project.objects.bulk_create(rows, batch_size=500)
    updates = [
        ProjectMonthlyUpdate(
            project=p,
            period=dt.date(2026, month, 1),
            completed_this_month=Decimal("0.1"),
            stage="construction",
            progress="施工中",
        )
        for p in created
        if p.library_status == LibraryStatus.APPROVED
        for month in (1, 2, 3)
    ]
    ProjectMonthlyUpdate.objects.bulk_create(updates, batch_size=1000)


def measure(client: Client, url: str, runs: int = 5) -> tuple[float, int]:
    times = []
    queries = 0
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(times) * 1000, queries


def bench_lists(users: dict) -> None:
    client = Client()
    client.force_login(users["leader"])
    say("列表页与列表接口（每页 100 行；中位数 / SQL 查询数）")
    say(f"  {'项目数':>6}  {'列表页 ms':>10} {'查询':>4}   {'接口 ms':>9} {'查询':>4}")
    for size in (10, 100, 1000):
        grow_library(size)
        page_ms, page_q = measure(client, "/projects/?page_size=100")
        api_ms, api_q = measure(client, "/api/v1/projects/?page_size=100")
        say(f"  {size:>6}  {page_ms:>10.1f} {page_q:>4}   {api_ms:>9.1f} {api_q:>4}")


def bench_import(users: dict) -> bytes:
    from openpyxl import Workbook

    from apps.projects import excel

    wb = Workbook()
    ws = wb.active
    ws.append(["青海省谋划攻坚重大项目建议表"])
    ws.append(excel.HEADERS)
    row = dict.fromkeys(excel.HEADERS)
    for i in range(1000):
        row.update(
            {
                "项目名称": f"导入基准项目{i:04d}",
                "项目层级": "县级",
                "所在地区": "湟中区",
                "行业领域": "水利",
                "责任单位": "湟中区政府",
                "总投资(亿元)": 1 + i % 90,
                "计划年度": 2026,
                "年度计划投资(亿元)": 0.5,
                "建设规模及内容": "新建输水管线",
                "计划开工时间": "2026-04",
                "中央预算内(亿元)": 0.5,
                "项目阶段": "谋划",
            }
        )
        ws.append([row[h] for h in excel.HEADERS])
    buf = BytesIO()
    wb.save(buf)
    content = buf.getvalue()
    calls = []
    tracemalloc.start()
    start = time.perf_counter()
    report = excel.import_projects(
        file=BytesIO(content), user=users["admin"], progress=lambda d, t: calls.append(d)
    )
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.ok, [str(i) for i in report.errors[:5]]
    say()
    say("Excel 导入 1000 行（建议表）")
    say(f"  文件 {len(content) / 1024:.0f} KB，新建 {report.created} 个，用时 {elapsed:.2f} s，")
    say(f"  峰值内存 {peak / 1024 / 1024:.1f} MB（tracemalloc），进度回调 {len(calls)} 次")
    return content


def bench_export() -> None:
    from apps.projects import excel
    from apps.projects.models import Project

    qs = Project.objects.order_by("pk")
    count = qs.count()
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        tracemalloc.start()
        start = time.perf_counter()
        content = excel.export_projects(queryset=qs)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    say()
    say(f"Excel 导出全库 {count} 个项目")
    say(
        f"  {len(content) / 1024:.0f} KB，用时 {elapsed:.2f} s，峰值内存 "
        f"{peak / 1024 / 1024:.1f} MB，SQL 查询 {len(ctx.captured_queries)} 次"
    )


def main() -> None:
    setup_test_environment()
    say(f"数据库：{connection.vendor}（{connection.settings_dict['NAME']}）")
    users = setup()
    bench_lists(users)
    bench_import(users)
    bench_export()


if __name__ == "__main__":
    main()
