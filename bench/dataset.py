"""The national-scale dataset of issue 15, built in SQL so that it takes minutes, not hours.

100,000 projects (153,504 monthly updates) and a fair of 100,000 contracts (1,093,170 monthly
reports) on top of the seed data; ``--small`` is the same shape at 1/50 (CI). Every value is
a function of the row number (no ``random()``), so two builds give the same rows, the same
figures and the same plans.

Rows are inserted with ``INSERT … SELECT generate_series`` on PostgreSQL (one statement per
table; ~1 min for the full size on 2 cores); on SQLite the same statements run through
Python-generated rows in ``bulk_create`` (only the small size is meant for that). No history
rows are generated: the bench measures reads, imports and exports, none of which read the
history tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction

#: Words of the project names; 光伏 (solar) is one of 12, so q=光伏 matches 1/12 of the library.
WORDS = [
    "光伏电站",
    "风电场",
    "高速公路",
    "水利枢纽",
    "产业园区",
    "中学建设",
    "人民医院",
    "供水管网",
    "储能电站",
    "生态修复",
    "物流园",
    "城镇改造",
]
STATUSES = [  # library_status by row number mod 10: 60 % in the library
    "approved",
    "approved",
    "approved",
    "approved",
    "approved",
    "approved",
    "draft",
    "submitted",
    "in_review",
    "returned",
]
STAGES = ["planning", "signed", "started", "construction", "operation", "completed", "expansion"]
TIERS = ["county", "county", "county", "prefecture", "province"]
BENCH_FAIR = "基准测试洽谈会（十万签约项目）"
FIRST_PERIOD = dt.date(2025, 1, 1)
MONTHS = 12
PLAN_YEAR = 2026


@dataclass(frozen=True)
class Size:
    projects: int
    updates: int
    contracts: int
    reports: int

    @property
    def name(self) -> str:
        return "full" if self.projects >= 100_000 else "small"


FULL = Size(projects=100_000, updates=153_504, contracts=100_000, reports=1_093_170)
SMALL = Size(projects=2_000, updates=3_070, contracts=2_000, reports=21_863)
TINY = Size(projects=120, updates=184, contracts=120, reports=1_311)  # the CI test


def _exec(sql: str, params: dict | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})


def _scalar(sql: str, params: dict | None = None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.fetchone()[0]


def build(size: Size, *, stdout=print) -> dict[str, int]:
    """Add the generated rows to a database that has the seed data (``load_seed_data``).

    Returns the counts; refuses to run twice on the same database (the bench fair exists).
    """
    from apps.contracts.models import Fair
    from apps.reference.models import Organization

    if Fair.objects.filter(name=BENCH_FAIR).exists():
        raise RuntimeError("基准数据已存在：请用新的数据库（bench/scale.py build --fresh）")
    coordinator = Organization.objects.resolve("省经济和信息化委")
    with transaction.atomic():
        # held_on/document_date left empty like the seed fair's held_on: the cockpit shows the
        # first fair in the default ordering (-held_on, -document_date, -pk), i.e. this one.
        fair = Fair.objects.create(
            name=BENCH_FAIR,
            short_name="基准测试会",
            coordinating_unit=coordinator,
            first_period=FIRST_PERIOD,
            last_period=dt.date(2027, 12, 1),
        )
        fair.targets.create(
            due_on=dt.date(2025, 12, 31), fulfillment="0.7000", start="0.5000", funding="0.3000"
        )
        fair.targets.create(
            due_on=dt.date(2026, 12, 31), fulfillment="0.8000", start="0.7000", funding="0.5000"
        )
        if connection.vendor != "postgresql":
            raise RuntimeError("the generator is PostgreSQL SQL; use a PostgreSQL database")
        _projects(size)
        _updates(size)
        _contracts(size, fair.pk)
        _reports(size)
    # Statistics, and the visibility map that index-only scans need — for the tables filled
    # here only. Not inside a transaction (the CI test's): VACUUM cannot run there, and an
    # ANALYZE would store the other tables' momentary emptiness as the test database's
    # statistics, giving later tests nested-loop plans that ran for minutes.
    if not connection.in_atomic_block:
        _exec(
            "VACUUM ANALYZE projects_project, projects_projectmonthlyupdate,"
            " contracts_contract, contracts_contractreport"
        )
    counts = {
        "projects": _scalar("SELECT count(*) FROM projects_project"),
        "updates": _scalar("SELECT count(*) FROM projects_projectmonthlyupdate"),
        "contracts": _scalar(
            "SELECT count(*) FROM contracts_contract WHERE fair_id = %(f)s", {"f": fair.pk}
        ),
        "reports": _scalar(
            "SELECT count(*) FROM contracts_contractreport r JOIN contracts_contract c"
            " ON c.id = r.contract_id WHERE c.fair_id = %(f)s",
            {"f": fair.pk},
        ),
        "fair": fair.pk,
    }
    stdout(f"built: {counts}")
    return counts


def _projects(size: Size) -> None:
    have = _scalar("SELECT count(*) FROM projects_project")
    n = size.projects - have
    # Each generated project i: a county (round robin), its county government as the
    # responsible unit, sector i mod 8, status/stage/tier by i, investment 0.5–2,000 亿元.
    _exec(
        """
        WITH c AS (
            SELECT array_agg(r.id ORDER BY r.id) AS regions,
                   array_agg(o.id ORDER BY r.id) AS units,
                   array_agg(r.name ORDER BY r.id) AS names
            FROM reference_region r
            JOIN reference_organization o ON o.region_id = r.id AND o.kind = 'county_government'
            WHERE r.level = 'county'
        ), s AS (SELECT array_agg(id ORDER BY id) AS sectors FROM reference_sector),
        d AS (SELECT array_agg(id ORDER BY id) AS domains FROM reference_infrastructuredomain)
        INSERT INTO projects_project (
            created_at, updated_at, version, name, code, tier, implementing_entity,
            total_investment, plan_year, planned_investment_year, scale_content, schedule,
            fund_central_budget, fund_special_bonds, approval_type, approval_number,
            is_head_project, liaison_leader, is_14th_fyp_major, is_ppp, stage,
            stage_changed_on, library_status, status_changed_at, approved_on, is_demo, note,
            infrastructure_domain_id, region_id, responsible_unit_id, sector_id
        )
        SELECT
            ts, ts, 1,
            c.names[1 + i %% cardinality(c.regions)] || (%(words)s::text[])
                [1 + (i * 7) %% 12] || i,
            '', (%(tiers)s::text[])[1 + i %% 5], '基准测试实施主体' || (i %% 997),
            round((0.5 + ((i * 7919) %% 400000) / 200.0)::numeric, 4),
            %(year)s, round((((i * 31) %% 2000) / 100.0)::numeric, 4),
            '基准测试建设内容', '',
            CASE WHEN i %% 3 = 0 THEN round((((i * 13) %% 500) / 100.0)::numeric, 4) END,
            NULL, '', '',
            i %% 50 = 0, '', i %% 20 = 0, false,
            (%(stages)s::text[])[1 + (i * 3) %% 7],
            DATE '2026-01-01' + (i %% 300)::int,
            (%(statuses)s::text[])[1 + i %% 10],
            ts, CASE WHEN (%(statuses)s::text[])[1 + i %% 10] = 'approved'
                     THEN DATE '2026-01-01' + (i %% 300)::int END,
            false, '',
            CASE WHEN i %% 4 = 0 THEN d.domains[1 + i %% cardinality(d.domains)] END,
            c.regions[1 + i %% cardinality(c.regions)],
            c.units[1 + i %% cardinality(c.regions)],
            s.sectors[1 + i %% cardinality(s.sectors)]
        FROM generate_series(1::bigint, %(n)s) AS i, c, s, d,
             LATERAL (SELECT TIMESTAMPTZ '2026-01-01 08:00+08' + i * INTERVAL '1 minute' AS ts) t
        """,
        {"n": n, "words": WORDS, "tiers": TIERS, "stages": STAGES, "statuses": STATUSES,
         "year": PLAN_YEAR},
    )  # fmt: skip


def _updates(size: Size) -> None:
    # Two months for every project in the library (Jan, Feb of the plan year), a third (Mar)
    # for the first ones until the count is reached.
    approved = _scalar("SELECT count(*) FROM projects_project WHERE library_status='approved'")
    third = size.updates - 2 * approved
    if third < 0 or third > approved:
        raise RuntimeError(f"updates {size.updates} do not fit {approved} projects in the library")
    _exec(
        """
        WITH p AS (
            SELECT id, row_number() OVER (ORDER BY id) AS k, planned_investment_year AS y
            FROM projects_project WHERE library_status = 'approved'
        )
        INSERT INTO projects_projectmonthlyupdate (
            created_at, updated_at, version, period, completed_this_month, stage, progress,
            problems, confirmation_note, project_id
        )
        SELECT now(), now(), 1, make_date(%(year)s, m, 1),
               round(((p.id * 17 + m * 5) %% 100) / 1000.0, 4),
               'construction', '施工中',
               CASE WHEN (p.id + m) %% 25 = 0 THEN '用地手续待办理' ELSE '' END, '', p.id
        FROM p, generate_series(1, 3) AS m
        WHERE m <= 2 OR p.k <= %(third)s
        """,
        {"third": third, "year": PLAN_YEAR},
    )


def _contracts(size: Size, fair_id: int) -> None:
    # Units: the prefecture governments, provincial departments and park committees (like a
    # real ledger); region: a county (round robin), every 10th contract none (省直).
    _exec(
        """
        WITH u AS (
            SELECT array_agg(id ORDER BY id) AS ids, array_agg(name ORDER BY id) AS names
            FROM reference_organization
            WHERE kind IN ('prefecture_government', 'provincial_department', 'park_committee')
        ), r AS (SELECT array_agg(id ORDER BY id) AS ids FROM reference_region
                 WHERE level = 'county')
        INSERT INTO contracts_contract (
            created_at, updated_at, version, seq, name, party_a, party_b, total_investment,
            funding_source_places, responsible_leader, responsible_persons,
            responsible_unit_label, needs_correction, correction_note, search_text,
            places_key, region_basis, region_id, responsible_unit_id, fair_id
        )
        SELECT now(), now(), 1, i, '基准签约项目' || i,
               jsonb_build_array('青海甲方' || (i %% 500)),
               jsonb_build_array('省外乙方' || (i %% 800)),
               CASE WHEN i %% 97 = 0 THEN NULL
                    ELSE round((0.05 + ((i * 104729) %% 50000) / 1000.0)::numeric, 4) END,
               jsonb_build_array('北京'), '张三', jsonb_build_array('李四'),
               u.names[1 + (i * 31) %% cardinality(u.ids)], i %% 97 = 0, '',
               '基准签约项目' || i || ' 青海甲方' || (i %% 500) || ' 省外乙方' || (i %% 800)
                   || ' 北京 张三 李四 ' || u.names[1 + (i * 31) %% cardinality(u.ids)],
               '|北京|', '',
               CASE WHEN i %% 10 = 0 THEN NULL ELSE r.ids[1 + i %% cardinality(r.ids)] END,
               u.ids[1 + (i * 31) %% cardinality(u.ids)], %(fair)s
        FROM generate_series(1::bigint, %(n)s) AS i, u, r
        """,
        {"n": size.contracts, "fair": fair_id},
    )


def _reports(size: Size) -> None:
    # Contract k (in seq order) reports from month s+1 to December 2025, s = 1, or 2 for the
    # first ones: exactly ``size.reports`` rows. It starts in month 3 + k mod 12 (never when
    # that is past 12), performs from its first report when k mod 10 < 7, and its funds grow
    # by a twelfth of its investment a month.
    skip_two = size.contracts * (MONTHS - 1) - size.reports
    _exec(
        """
        WITH c AS (
            SELECT id, seq AS k, coalesce(total_investment, 0) AS amount
            FROM contracts_contract
            WHERE fair_id = (SELECT id FROM contracts_fair WHERE name = %(fair)s)
        )
        INSERT INTO contracts_contractreport (
            created_at, updated_at, version, period, is_performing, is_started, started_on,
            funds_arrived_to_date, progress, problems, confirmation_note, contract_id
        )
        SELECT make_date(2025, m, 3)::timestamptz, make_date(2025, m, 3)::timestamptz, 1,
               make_date(2025, m, 1),
               c.k %% 10 < 7,
               m >= 3 + c.k %% 12,
               CASE WHEN m >= 3 + c.k %% 12 THEN make_date(2025, 3 + (c.k %% 12)::int, 15) END,
               round(c.amount * m / 12.0 * ((c.k %% 10) / 10.0), 4),
               '按计划推进', CASE WHEN c.k %% 13 = 0 THEN '资金未到位' ELSE '' END, '', c.id
        FROM c, generate_series(1, 12) AS m
        WHERE m > 1 + (c.k <= %(two)s)::int
        """,
        {"fair": BENCH_FAIR, "two": skip_two},
    )
