"""Seed loader for the reference data: regions, organisations, sectors, domains."""

import json
from typing import Any

from django.conf import settings

from apps.reference.models import InfrastructureDomain, Organization, Region, Sector


def _read(name: str) -> Any:
    path = settings.FIXTURES_DIR / "reference" / name
    return json.loads(path.read_text(encoding="utf-8"))


def load_regions() -> int:
    rows = _read("regions.json")
    by_code: dict[str, Region] = {}
    for order, row in enumerate(rows):
        region, _ = Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "short_name": row.get("short_name", ""),
                "level": row["level"],
                "aliases": row.get("aliases", []),
                "sort_order": order,
                "parent": by_code.get(row.get("parent")) if row.get("parent") else None,
            },
        )
        by_code[region.code] = region
    return len(rows)


def load_organizations() -> int:
    rows = []
    for path in sorted((settings.FIXTURES_DIR / "reference").glob("organizations*.json")):
        rows.extend(json.loads(path.read_text(encoding="utf-8")))
    regions = {r.code: r for r in Region.objects.all()}
    orgs: dict[str, Organization] = {}
    # Two passes: parents may be listed after their children.
    for row in rows:
        org, _ = Organization.objects.update_or_create(
            name=row["name"],
            defaults={
                "full_name": row.get("full_name", ""),
                "kind": row["kind"],
                "region": regions.get(row.get("region")),
                "aliases": row.get("aliases", []),
                "note": row.get("note", "")[:255],
            },
        )
        orgs[org.name] = org
    for row in rows:
        parent = orgs.get(row.get("parent") or "")
        org = orgs[row["name"]]
        if org.parent_id != (parent.pk if parent else None):
            org.parent = parent
            org.save(update_fields=["parent"])
    return len(rows)


def load_simple(model, name: str) -> int:
    rows = _read(name)
    for row in rows:
        model.objects.update_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )
    return len(rows)


def load(*, stdout) -> None:
    stdout.write(f"  行政区划 {load_regions()} 条")
    stdout.write(f"  单位 {load_organizations()} 个")
    stdout.write(f"  行业领域 {load_simple(Sector, 'sectors.json')} 个")
    stdout.write(f"  基础设施领域 {load_simple(InfrastructureDomain, 'domains.json')} 个")
