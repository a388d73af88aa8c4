"""Synthetic monthly reports for demonstrations and benchmarks — never facts.

Seed 002 gives the ledger and the targets but no report: how the contracts actually progressed
is not in the documents. For demos and benches this module makes up a plausible, reproducible
history (a contract starts being performed, then is started, funds arrive in steps).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from apps.contracts.models import Contract, ContractReport, Fair
from apps.core.periods import add_months, month_start

DEMO_NOTE = "【演示数据】"


def _history(contract: Contract, months: list[dt.date], rng: random.Random) -> list[ContractReport]:
    total = contract.total_investment or Decimal(0)
    perform_at = rng.choice([0, 0, 1, 1, 2, 3, 4, 6, 99])  # month index; 99: never
    start_at = perform_at + rng.choice([1, 2, 3, 4, 6, 99])
    start_day = rng.randint(1, 28)
    share = Decimal(0)
    reports = []
    for i, period in enumerate(months):
        performing = i >= perform_at
        started = i >= start_at
        if started:
            share = min(Decimal(1), share + Decimal(rng.randint(2, 12)) / 100)
        elif performing:
            share = min(Decimal("0.1"), share + Decimal(rng.randint(0, 3)) / 100)
        started_on = add_months(months[0], start_at).replace(day=start_day) if started else None
        reports.append(
            ContractReport(
                contract=contract,
                period=period,
                is_performing=performing,
                is_started=started,
                started_on=started_on,
                funds_arrived_to_date=(total * share).quantize(Decimal("0.0001")),
                progress=f"{DEMO_NOTE}" + ("项目建设中" if started else "开展前期工作"),
                problems="" if rng.random() > 0.15 else f"{DEMO_NOTE}用地手续办理中",
            )
        )
    return reports


@transaction.atomic
def load_demo_reports(
    *,
    fair: Fair,
    first: dt.date,
    last: dt.date,
    skip_last_month_units: int = 5,
    seed: int = 18,
    contracts=None,
    batch_size: int = 2000,
) -> int:
    """Replace the fair's reports from ``first`` to ``last`` with a synthetic history.

    In the last month the ``skip_last_month_units`` units with the most contracts "have not
    reported yet", so the coordinator's status page has someone to chase.
    """
    months = []
    month = month_start(first)
    while month <= month_start(last):
        months.append(month)
        month = add_months(month, 1)
    contracts = list(contracts if contracts is not None else Contract.objects.filter(fair=fair))
    ContractReport.objects.filter(contract__fair=fair, period__in=months).delete()
    late_units = _largest_units(contracts, skip_last_month_units)
    batch: list[ContractReport] = []
    created = 0
    for contract in contracts:
        rng = random.Random(seed * 100_003 + contract.seq)
        history = _history(contract, months, rng)
        if contract.responsible_unit_id in late_units:
            history = history[:-1]
        batch.extend(history)
        if len(batch) >= batch_size:
            ContractReport.objects.bulk_create(batch)
            created += len(batch)
            batch = []
    ContractReport.objects.bulk_create(batch)
    return created + len(batch)


def _largest_units(contracts: list[Contract], n: int) -> set[int]:
    counts: dict[int, int] = {}
    for c in contracts:
        counts[c.responsible_unit_id] = counts.get(c.responsible_unit_id, 0) + 1
    ranked = sorted(counts, key=lambda u: (-counts[u], u))
    return set(ranked[1 : n + 1])  # the largest unit keeps reporting, the next n are late
