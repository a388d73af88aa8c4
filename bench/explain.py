#!/usr/bin/env python
"""EXPLAIN ANALYZE of the paths issue 15 measures, on the bench database (after ``scale.py
build``): the evidence behind each index and rewrite.

    bench/explain.py [list|deep|search|count|rates|series ...]   # default: all

Prints each plan's first lines and its execution time.
"""

from __future__ import annotations

import sys

from scale import PAGE, _setup_django


def explain(title: str, sql: str, params) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) {sql}", params)
        lines = [row[0] for row in cursor.fetchall()]
    print(f"\n== {title}")
    for line in lines[:14]:
        print("  " + line)
    if len(lines) > 14:
        print("  …")
        print("  " + lines[-1])


def main(which: list[str]) -> None:
    _setup_django()
    from apps.contracts import selectors as cs
    from apps.contracts.models import Contract, Fair
    from apps.core.periods import add_months
    from apps.projects.filters import ProjectFilter
    from apps.projects.models import Project
    from bench import dataset

    base = Project.objects.for_lists().select_related("supervising_department")
    listed = ProjectFilter({}, queryset=base).qs
    n = Project.objects.count()
    last = (n - 1) // PAGE * PAGE
    searched = ProjectFilter({"q": "光伏"}, queryset=base).qs
    fair = Fair.objects.get(name=dataset.BENCH_FAIR)
    period = add_months(dataset.FIRST_PERIOD, dataset.MONTHS - 1)
    where, where_params = cs._contracts_where(fair, None)
    paths = {
        "list": lambda: listed[:PAGE].query.sql_with_params(),
        "deep": lambda: listed.values_list("pk", flat=True)[
            last : last + PAGE
        ].query.sql_with_params(),
        "search": lambda: searched[:PAGE].query.sql_with_params(),
        "count": lambda: searched.order_by().values("pk").annotate().query.sql_with_params(),
        "rates": lambda: (
            f"SELECT c.responsible_unit_id, {cs._STATE_AGGREGATES}"
            f" {cs.state_from(fair, period, None)[0]} GROUP BY 1",
            cs.state_from(fair, period, None)[1],
        ),
        # Six months back: the contracts that reported since probe the reports' index.
        "rates_past": lambda: (
            f"SELECT c.responsible_unit_id, {cs._STATE_AGGREGATES}"
            f" {cs.state_from(fair, add_months(period, -6), None)[0]} GROUP BY 1",
            cs.state_from(fair, add_months(period, -6), None)[1],
        ),
        "rates_orm": lambda: cs.contracts_as_of(fair=fair, period=period)
        .values("responsible_unit")
        .annotate(**cs._AGGREGATES)
        .query.sql_with_params(),
        "series": lambda: (
            cs._SERIES_SQL.format(where=where),
            [*where_params, period, [add_months(period, -k) for k in range(12)]],
        ),
        "contracts_10k": lambda: Contract.objects.filter(fair=fair, seq__lte=10_000)
        .values("pk")
        .query.sql_with_params(),
    }
    for name in which or list(paths):
        sql, params = paths[name]()
        if name == "count":
            sql = f"SELECT count(*) FROM ({sql}) t"
        explain(name, sql, params)


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main(sys.argv[1:])
