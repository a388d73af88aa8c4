"""Seed loader: the 74 indicators of 004 and their measures, from fixtures/indicators/.

fixtures/indicators/indicators.json is built (and hand-checked) by
fixtures/build/indicators_004.py. Every unit is resolved through
Organization.objects.name_index(); a name that resolves to no organisation stops the load
(it must be added to fixtures/reference/organizations_indicators.json, not dropped).
Idempotent: rows are written only when something differs, so a second run records no history.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import models

from apps.indicators.models import (
    Indicator,
    IndicatorLeadUnit,
    IndicatorParticipatingUnit,
    Measure,
)
from apps.indicators.services import refresh_statuses
from apps.reference.models import Organization, normalize_unit_name

FIXTURE = "indicators/indicators.json"


def read_fixture() -> dict:
    return json.loads((settings.FIXTURES_DIR / FIXTURE).read_text(encoding="utf-8"))


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[Any, bool]:
    """get-or-create on ``lookup``; save only the fields that differ (no empty history rows)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
    return obj, bool(changed)


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def resolve_units(rows: list[dict]) -> dict[str, Organization]:
    index = Organization.objects.name_index()
    names = {
        name
        for row in rows
        for name in (*row.get("lead_units", []), *row.get("participating_units", []))
    }
    missing = sorted(n for n in names if normalize_unit_name(n) not in index)
    if missing:
        raise CommandError(
            "指标种子数据中的单位无法对应到单位库（请在 fixtures/reference/ 补充）："
            + "、".join(missing)
        )
    return {n: index[normalize_unit_name(n)] for n in names}


def _sync_units(link_model, indicator: Indicator, orgs: list[Organization]) -> None:
    wanted = {org.pk: order for order, org in enumerate(dict.fromkeys(orgs))}
    link_model.objects.filter(indicator=indicator).exclude(organization_id__in=wanted).delete()
    for org_id, order in wanted.items():
        _upsert(link_model, {"indicator": indicator, "organization_id": org_id}, {"order": order})


def load(*, stdout) -> None:
    data = read_fixture()
    rows = data["indicators"]
    units = resolve_units(rows)
    n_measures = 0
    for row in rows:
        indicator, _ = _upsert(
            Indicator,
            {"level": int(row["level"]), "number": row["number"]},
            {
                "text": row["text"],
                "kind": row["kind"],
                "chapter": row["chapter"],
                "lead_groups": row.get("lead_groups", []),
                "participating_groups": row.get("participating_groups", []),
                "participating_etc": row.get("participating_etc", False),
            },
        )
        _sync_units(IndicatorLeadUnit, indicator, [units[n] for n in row["lead_units"]])
        _sync_units(
            IndicatorParticipatingUnit,
            indicator,
            [units[n] for n in row.get("participating_units", [])],
        )
        for order, m in enumerate(row["measures"], start=1):
            measure, changed = _upsert(
                Measure,
                {"indicator": indicator, "order": order},
                {
                    "name": m["name"],
                    "target_text": m["target_text"],
                    "target_value": _dec(m["target_value"]),
                    "unit": m["unit"],
                    "direction": m["direction"],
                    "base_value": _dec(m["base_value"]),
                    "yearly": m["yearly"],
                    "tolerance": _dec(m.get("tolerance")),
                },
            )
            if changed:
                refresh_statuses(measure=measure)
            n_measures += 1
        # A measure dropped from the fixture goes only if nobody has reported on it.
        Measure.objects.filter(indicator=indicator, order__gt=len(row["measures"])).filter(
            values__isnull=True
        ).delete()
    levels = [r["level"] for r in rows]
    stdout.write(
        f"  十四五指标 {len(rows)} 项（一级 {levels.count('1')}，二级 {levels.count('2')}），"
        f"监测项 {n_measures} 个，单位 {len(set(u.pk for u in units.values()))} 个"
    )
