#!/usr/bin/env python
"""National-scale benchmark (issue 15): 100,000 projects and a fair of 100,000 contracts.

One command builds the dataset in its own PostgreSQL database and measures every path:

    bench/scale.py all             # fresh build (~2–4 min on 2 cores) + measurements
    bench/scale.py all --small     # 1/50 of the size (CI, ~1 min)
    bench/scale.py build [--small] # the dataset only;  bench/scale.py measure [--small]

``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/qh_bench``) names a
*scratch* database: ``build`` drops its schema. Its name must contain "bench".

Every path is measured beside the best hand-written SQL for the same rows and columns
(indexed, keyset where it applies): the physical limit, not a replay of the ORM's query.
Figures are medians over ``--repeat`` runs (ms unless named otherwise); the machine's load
average is recorded before and after, and the results go to ``bench/results.json``
(``bench/results-small.json`` for ``--small``). Import and export run in child processes so
their peak resident memory is their own; ``list_api_rps`` is gunicorn on 127.0.0.1 (2 sync
workers) under 20 keep-alive clients for a fixed duration.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/qh_bench"

PAGE = 50  # the API's page size


def _setup_django() -> None:
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qhprojects.settings")
    os.environ["QH_DEMO"] = "0"  # the bench builds its own rows, not the demo library
    os.environ.setdefault("DB_CONN_MAX_AGE", "0")
    # Measured as production runs: DEBUG off (no query log, no debug pages).
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
    # As production: Redis is the cache (shared by the gunicorn workers), db 5 by default.
    os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/5")
    import django

    django.setup()


def say(text: str = "") -> None:
    print(text, flush=True)


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


# --- building -----------------------------------------------------------------------------------


def fresh_database() -> None:
    """Drop and re-create the scratch database's schema, migrate, load the seed data."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in name or connection.vendor != "postgresql":
        raise SystemExit(f"refusing to drop {name!r}: the bench database's name must say bench")
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    call_command("load_seed_data", stdout=open(os.devnull, "w"))  # noqa: SIM115


def build(size, *, fresh: bool = True) -> dict:
    from bench import dataset

    start = time.perf_counter()
    if fresh:
        fresh_database()
    seeded = time.perf_counter()
    counts = dataset.build(size, stdout=say)
    done = time.perf_counter()
    say(f"migrate + seed {seeded - start:.0f} s, generate {done - seeded:.0f} s")
    return {**counts, "build_s": round(done - start, 1)}


# --- measuring ----------------------------------------------------------------------------------


def users():
    from apps.accounts.models import Role, User
    from apps.accounts.tokens import issue_token

    leader, _ = User.objects.get_or_create(username="bench_leader", defaults={"role": Role.LEADER})
    admin, _ = User.objects.get_or_create(
        username="bench_admin",
        defaults={"role": Role.ADMIN, "is_superuser": True, "is_staff": True},
    )
    api, _ = User.objects.get_or_create(username="bench_api", defaults={"role": Role.API_CLIENT})
    # A read token as a machine client holds one (hashed, scoped: apps.accounts.tokens).
    _, key = issue_token(actor=api, owner=api, name="bench")
    return leader, admin, key


def _one(sql: str):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def timed(func, repeat: int) -> tuple[float, int, object]:
    """Median ms of ``func`` over ``repeat`` runs after one warm-up, and its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = func()  # warm-up: caches, plans, the first connection
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = func()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return _median(times), queries, result


def sql_ms(statements: list[tuple[str, list]], repeat: int) -> float:
    """Median ms of running ``statements`` and fetching every row."""
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return timed(run, repeat)[0]


# The list row as the API serves it: the project's columns, its region (and 市州), sector,
# domain, unit, and the two completion sums — read through the (total_investment, id) index.
LIST_COLUMNS = """
    p.*, r.code AS region_code, r.name AS region_name, r.level, rp.name AS parent_name,
    s.code AS sector_code, s.name AS sector_name, d.code AS domain_code,
    u.name AS unit_name, cy.s AS completed_in_plan_year, ct.s AS completed_total
"""
LIST_JOINS = """
    JOIN reference_region r ON r.id = p.region_id
    LEFT JOIN reference_region rp ON rp.id = r.parent_id
    JOIN reference_sector s ON s.id = p.sector_id
    LEFT JOIN reference_infrastructuredomain d ON d.id = p.infrastructure_domain_id
    JOIN reference_organization u ON u.id = p.responsible_unit_id
    LEFT JOIN LATERAL (SELECT sum(completed_this_month) s FROM projects_projectmonthlyupdate m
                       WHERE m.project_id = p.id
                         AND m.period >= make_date(p.plan_year, 1, 1)
                         AND m.period < make_date(p.plan_year + 1, 1, 1)) cy ON true
    LEFT JOIN LATERAL (SELECT sum(completed_this_month) s FROM projects_projectmonthlyupdate m
                       WHERE m.project_id = p.id) ct ON true
"""


def best_list_page() -> list[tuple[str, list]]:
    return [
        (
            f"SELECT {LIST_COLUMNS} FROM (SELECT * FROM projects_project"
            f" ORDER BY total_investment DESC, id DESC LIMIT {PAGE}) p {LIST_JOINS}"
            " ORDER BY p.total_investment DESC, p.id DESC",
            [],
        ),
        ("SELECT count(*) FROM projects_project", []),
    ]


def best_deep_page() -> list[tuple[str, list]]:
    """The last page by keyset: the key of the row before it is what the client holds."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM projects_project")
        (n,) = cursor.fetchone()
        offset = (n - 1) // PAGE * PAGE
        cursor.execute(
            "SELECT total_investment, id FROM projects_project"
            " ORDER BY total_investment DESC, id DESC OFFSET %s LIMIT 1",
            [offset - 1],
        )
        key = list(cursor.fetchone())
    return [
        (
            f"SELECT {LIST_COLUMNS} FROM (SELECT * FROM projects_project"
            " WHERE (total_investment, id) < (%s, %s)"
            f" ORDER BY total_investment DESC, id DESC LIMIT {PAGE}) p {LIST_JOINS}"
            " ORDER BY p.total_investment DESC, p.id DESC",
            key,
        )
    ]


def best_search(term: str) -> list[tuple[str, list]]:
    """The first page and the count of q=term: trigram-indexed name/code/entity, unit names
    looked up first (a few hundred rows)."""
    like = f"%{term}%"
    where = (
        "(p.name ILIKE %s OR p.code ILIKE %s OR p.implementing_entity ILIKE %s"
        " OR p.responsible_unit_id IN (SELECT id FROM reference_organization WHERE name ILIKE %s))"
    )
    params = [like, like, like, like]
    return [
        (
            f"SELECT {LIST_COLUMNS} FROM (SELECT * FROM projects_project p WHERE {where}"
            f" ORDER BY total_investment DESC, id DESC LIMIT {PAGE}) p {LIST_JOINS}"
            " ORDER BY p.total_investment DESC, p.id DESC",
            params,
        ),
        (f"SELECT count(*) FROM projects_project p WHERE {where}", params),
    ]


# Each contract's state as of the period: its latest report (the trigger-kept
# contracts_latest_report) where that is not after the period, else a probe of the
# (contract, period) index — the current month reads no report at all.
RATES_SQL = """
    SELECT c.responsible_unit_id, min(c.seq), count(*), count(c.period),
           count(*) FILTER (WHERE c.is_performing), count(*) FILTER (WHERE c.is_started),
           sum(c.total_investment), sum(c.funds_arrived_to_date)
    FROM (
        SELECT c.responsible_unit_id, c.seq, c.total_investment, lt.period, lt.is_performing,
               lt.is_started, lt.funds_arrived_to_date
        FROM contracts_contract c LEFT JOIN contracts_latest_report lt ON lt.contract_id = c.id
        WHERE c.fair_id = %(fair)s AND (lt.period IS NULL OR lt.period <= %(period)s)
        UNION ALL
        SELECT c.responsible_unit_id, c.seq, c.total_investment, o.*
        FROM contracts_contract c
        JOIN contracts_latest_report lt ON lt.contract_id = c.id AND lt.period > %(period)s
        LEFT JOIN LATERAL (SELECT period, is_performing, is_started, funds_arrived_to_date
                           FROM contracts_contractreport r
                           WHERE r.contract_id = c.id AND r.period <= %(period)s
                           ORDER BY r.period DESC LIMIT 1) o ON true
        WHERE c.fair_id = %(fair)s
    ) c
    GROUP BY c.responsible_unit_id ORDER BY 2
"""

# The cockpit's contract trend in one pass over the reports: a report is in force from its
# period until the contract's next one, so a month's counts are a running sum of reports
# begun minus reports ended (window + a GROUP BY of a dozen rows).
TREND_SQL = """
    WITH s AS (
        SELECT r.period,
               lead(r.period) OVER (PARTITION BY r.contract_id ORDER BY r.period) AS until,
               r.is_performing::int AS p, r.is_started::int AS st, r.funds_arrived_to_date AS f
        FROM contracts_contractreport r JOIN contracts_contract c ON c.id = r.contract_id
        WHERE c.fair_id = %s AND r.period <= %s
    ), g AS (
        SELECT at, sum(n) n, sum(p) p, sum(st) st, sum(f) f FROM (
            SELECT period AS at, 1 AS n, p, st, f FROM s
            UNION ALL SELECT until, -1, -p, -st, -f FROM s WHERE until IS NOT NULL) e
        GROUP BY at
    )
    SELECT m.period, sum(g.n), sum(g.p), sum(g.st), sum(g.f)
    FROM generate_series(%s::date, %s::date, interval '1 month') AS m(period)
    LEFT JOIN g ON g.at <= m.period GROUP BY 1 ORDER BY 1
"""


def best_dashboard(fair_id: int, period) -> list[tuple[str, list]]:
    from apps.core.periods import add_months

    return [
        (
            "SELECT tier, library_status, stage, region_id, sector_id, count(*),"
            " sum(total_investment) FROM projects_project GROUP BY 1, 2, 3, 4, 5",
            [],
        ),
        (RATES_SQL, {"period": period, "fair": fair_id}),
        (TREND_SQL, [fair_id, period, add_months(period, -11), period]),
    ]


def loop_rates(fair, period, contracts) -> dict:
    """The per-contract Python loop the set-based rates are compared with (and must equal)."""
    from apps.contracts.models import ContractReport

    n = performing = started = 0
    funds = 0
    for contract in contracts:
        n += 1
        latest = (
            ContractReport.objects.filter(contract=contract, period__lte=period)
            .order_by("-period")
            .first()
        )
        if latest:
            performing += latest.is_performing
            started += latest.is_started
            funds += latest.funds_arrived_to_date
    return {"contracts": n, "performing": performing, "started": started, "funds": funds}


def load_run(port: int, path: str, token: str, seconds: float, clients: int) -> tuple[int, int]:
    """``clients`` keep-alive clients hitting ``path`` for ``seconds``: (responses, errors)."""
    stop = time.monotonic() + seconds
    ok = [0] * clients
    errors = [0] * clients

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            try:
                conn.request("GET", path, headers={"Authorization": f"Token {token}"})
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    ok[k] += 1
                else:
                    errors[k] += 1
            except (OSError, http.client.HTTPException):
                errors[k] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(ok), sum(errors)


def serve(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "QH_DEMO": "0",
        "DB_CONN_MAX_AGE": "60",
    }
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "qhprojects.wsgi:application", "-w", "2",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(100):
        time.sleep(0.3)
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/healthz/")
            return proc
        except OSError:
            continue
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def child(kind: str, rows: int) -> dict:
    """Run the import or the export in a child process: its time and peak RSS are its own."""
    out = subprocess.run(
        [sys.executable, __file__, "_child", kind, str(rows)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def proposal_table(rows: int) -> bytes:
    """A 建议表 of ``rows`` new county projects across the 45 counties."""
    from io import BytesIO

    from openpyxl import Workbook

    from apps.projects import excel
    from apps.reference.models import Organization

    governments = list(
        Organization.objects.filter(kind="county_government")
        .select_related("region")
        .order_by("pk")
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(excel.SHEET)
    ws.append(["青海省谋划攻坚重大项目建议表"])
    ws.append(excel.HEADERS)
    row = dict.fromkeys(excel.HEADERS)
    for i in range(rows):
        unit = governments[i % len(governments)]
        row.update(
            {
                "项目名称": f"导入基准项目{i:05d}",
                "项目层级": "县级",
                "所在地区": unit.region.name,
                "行业领域": "水利",
                "责任单位": unit.name,
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
    return buf.getvalue()


def _peak_rss_kb() -> int:
    """This process's peak resident size. Not ``ru_maxrss``: Linux carries that across
    ``execve`` from the parent, so a child would report the bench process's own peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_child(kind: str, rows: int) -> None:
    from io import BytesIO

    from django.db import transaction

    from apps.projects import excel
    from apps.projects.models import Project

    _, admin, _ = users()
    if kind == "import":
        content = proposal_table(rows)
        base = _peak_rss_kb()
        with transaction.atomic():  # rolled back: the dataset stays as built
            start = time.perf_counter()
            report = excel.import_projects(file=BytesIO(content), user=admin)
            elapsed = time.perf_counter() - start
            assert report.ok and report.created == rows, [str(e) for e in report.errors[:5]]
            transaction.set_rollback(True)
        size = len(content)
    else:
        base = _peak_rss_kb()
        start = time.perf_counter()
        size = 0
        qs = Project.objects.order_by("pk")
        if hasattr(excel, "stream_projects"):
            for chunk in excel.stream_projects(queryset=qs):
                size += len(chunk)
        else:  # before the streamed export: the whole file in memory
            size = len(excel.export_projects(queryset=qs))
        elapsed = time.perf_counter() - start
    peak = _peak_rss_kb()
    print(
        json.dumps(
            {
                "s": round(elapsed, 2),
                "peak_mb": round(peak / 1024, 1),
                "growth_mb": round((peak - base) / 1024, 1),
                "bytes": size,
            }
        )
    )


def measure(small: bool, repeat: int, load_seconds: float, port: int) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from apps.contracts import selectors as cs
    from apps.contracts.models import Contract, Fair
    from apps.core.periods import add_months
    from bench import dataset

    setup_test_environment()
    from django.core.management import call_command

    # DEBUG off needs the manifest, and a stale one lacks the files added since: every run.
    call_command("collectstatic", interactive=False, verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    load_before = os.getloadavg()
    leader, _admin, token = users()
    fair = Fair.objects.get(name=dataset.BENCH_FAIR)
    projects = _one("SELECT count(*) FROM projects_project")
    contracts = fair.contracts.count()
    period = add_months(dataset.FIRST_PERIOD, dataset.MONTHS - 1)
    client = Client()
    client.force_login(leader)
    r: dict = {"size": "small" if small else "full", "projects": projects, "contracts": contracts}

    def get(url: str):
        def fetch():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return fetch

    last_page = (projects - 1) // PAGE + 1
    paths = [
        ("list_api", "/api/v1/projects/", best_list_page()),
        ("list_api_deep_page", f"/api/v1/projects/?page={last_page}", best_deep_page()),
        ("list_api_search", "/api/v1/projects/?q=光伏", best_search("光伏")),
        ("list_page", "/projects/", best_list_page()),
        ("dashboard", "/dashboard/", best_dashboard(fair.pk, period)),
    ]
    for key, url, best in paths:
        ms, queries, _ = timed(get(url), repeat)
        best_ms = sql_ms(best, repeat)
        r[f"{key}_ms"], r[f"{key}_queries"], r[f"{key}_best_sql_ms"] = ms, queries, best_ms
        say(f"  {key:<22} {ms:9.1f} ms {queries:4d} queries   best SQL {best_ms:8.1f} ms")
    r["list_api_ratio_to_best_sql"] = round(r["list_api_ms"] / r["list_api_best_sql_ms"], 2)
    try:
        from apps.dashboard import cache as dashboard_cache
    except ImportError:  # before the cockpit's cache: every view is cold
        dashboard_cache = None
    if dashboard_cache is not None:
        # The cached figures are what a reader gets between writes. A write recomputes the
        # parts that show what it changed (apps.dashboard.cache): measured after a monthly
        # report (the contract part; the earlier months' rates stay cached) and after a
        # project's save (the library part); the worse is the reported dashboard figure.
        # The first view with nothing cached at all (after a restart) is measured once.
        from apps.contracts.models import ContractReport
        from apps.projects.models import Project

        r["dashboard_cached_ms"], r["dashboard_cached_queries"] = (
            r["dashboard_ms"],
            r["dashboard_queries"],
        )
        report = ContractReport.objects.filter(contract__fair=fair, period=period).first()
        project = Project.objects.order_by("pk").first()
        after = {}
        for what, write in (("report", report.save), ("project", project.save)):

            def cold(write=write):
                write()  # the row as it was: its signals are what a real edit sends
                return get("/dashboard/")()

            ms, queries, _ = timed(cold, repeat)
            after[what] = (ms, queries)
            r[f"dashboard_after_{what}_ms"], r[f"dashboard_after_{what}_queries"] = ms, queries
            say(f"  {'dashboard after a ' + what:<22} {ms:9.1f} ms {queries:4d} queries")
        r["dashboard_ms"], r["dashboard_queries"] = max(after.values())

        def empty():
            dashboard_cache.invalidate()
            return get("/dashboard/")()

        ms, queries, _ = timed(empty, 1)
        r["dashboard_empty_cache_ms"], r["dashboard_empty_cache_queries"] = ms, queries
        say(f"  {'dashboard, empty cache':<22} {ms:9.1f} ms {queries:4d} queries")

    ms, queries, _ = timed(lambda: cs.rates(fair=fair, period=period, by="unit"), repeat)
    best_ms = sql_ms([(RATES_SQL, {"period": period, "fair": fair.pk})], repeat)
    r.update(rates_by_unit_ms=ms, rates_by_unit_queries=queries, rates_by_unit_best_sql_ms=best_ms)
    say(f"  {'rates_by_unit':<22} {ms:9.1f} ms {queries:4d} queries   best SQL {best_ms:8.1f} ms")

    # Set-based rates vs the per-contract loop, over the first 10,000 contracts (or all).
    subset = Contract.objects.filter(fair=fair, seq__lte=10_000)
    fast_ms, _, fast = timed(lambda: cs.rates(fair=fair, period=period, queryset=subset), repeat)
    start = time.perf_counter()
    slow = loop_rates(fair, period, subset.order_by("seq"))
    loop_ms = (time.perf_counter() - start) * 1000
    assert (fast["contracts"], fast["performing"], fast["started"]) == (
        slow["contracts"], slow["performing"], slow["started"],
    ) and fast["funds_arrived"] == round(slow["funds"], 4), (fast, slow)  # fmt: skip
    r["rates_speedup_vs_loop"] = round(loop_ms / fast_ms, 1)
    r["rates_loop_contracts"] = slow["contracts"]
    say(f"  rates vs loop ({slow['contracts']} contracts): {loop_ms:.0f} ms / {fast_ms:.1f} ms")

    rows = 10_000 if not small else 500
    imports = [child("import", rows)]  # one run: a full-size import takes a minute today
    r["import_rows"] = rows
    r["import_10k_s"] = _median([i["s"] for i in imports])
    r["import_10k_peak_mb"] = _median([i["peak_mb"] for i in imports])
    say(f"  import {rows} rows: {r['import_10k_s']} s, peak RSS {r['import_10k_peak_mb']} MB")
    exports = [child("export", 0) for _ in range(1)]
    r["export_rows"] = projects
    r["export_100k_s"] = _median([e["s"] for e in exports])
    r["export_100k_peak_mb"] = _median([e["peak_mb"] for e in exports])
    r["export_bytes"] = exports[0]["bytes"]
    say(f"  export {projects} rows: {r['export_100k_s']} s, peak RSS {r['export_100k_peak_mb']} MB")

    server = serve(port)
    try:
        load_run(port, "/api/v1/projects/", token, 2, 4)  # warm both workers
        rps, errors = [], 0
        for _ in range(3 if not small else 1):
            ok, bad = load_run(port, "/api/v1/projects/", token, load_seconds, 20)
            rps.append(ok / load_seconds)
            errors += bad
        r["list_api_rps"] = _median(rps)
        r["load_errors"] = errors
        r["load_clients"] = 20
        r["load_seconds_per_run"] = load_seconds
        say(f"  list API under 20 clients: {r['list_api_rps']} req/s, {errors} errors")
    finally:
        server.terminate()
        server.wait(30)
    r["machine"] = {
        "cores": os.cpu_count(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "note": "2 cores shared with other agents' work; medians over repeated runs",
        "repeat": repeat,
        "postgresql_jit": _one("SHOW jit"),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["all", "build", "measure", "_child"])
    parser.add_argument("args", nargs="*")
    parser.add_argument("--small", action="store_true", help="1/50 of the size (CI)")
    parser.add_argument(
        "--no-fresh", action="store_true", help="keep the migrated, seeded schema (no bench rows)"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--load-seconds", type=float, default=10)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8330)))
    args = parser.parse_args()
    _setup_django()
    if args.command == "_child":
        run_child(args.args[0], int(args.args[1]))
        return
    from bench import dataset

    size = dataset.SMALL if args.small else dataset.FULL
    built = None
    if args.command in ("all", "build"):
        built = build(size, fresh=not args.no_fresh)
    if args.command in ("all", "measure"):
        results = measure(args.small, args.repeat, args.load_seconds, args.port)
        if built:
            results["build_s"] = built["build_s"]
        out = ROOT / "bench" / ("results-small.json" if args.small else "results.json")
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
        say(f"→ {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
