"""Seed data of the project library: the 001 campaign with its targets and entry criteria.

Targets, tier goals and batch deadlines come from fixtures/projects/campaign_001.json (built
from seed 001 by fixtures/build/projects_targets.py). The demo library is not seed data: the
``demo`` app's seed step generates it (apps/demo/library.py), in demo mode only.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext

from apps.projects.models import (
    Campaign,
    CampaignBatch,
    CampaignMilestone,
    EntryCriterion,
    Target,
)
from apps.reference.models import Region, Sector

CAMPAIGN_FIXTURE = "campaign_001.json"
CRITERIA_FIXTURE = "entry_criteria_001.json"


def _region_index() -> dict[str, Region]:
    index: dict[str, Region] = {}
    for region in Region.objects.all():
        for spelling in (region.name, region.short_name, *region.aliases):
            if spelling:
                index.setdefault(spelling, region)
    return index


def load_campaign(path=None) -> Campaign:
    path = path or settings.FIXTURES_DIR / "projects" / CAMPAIGN_FIXTURE
    data = json.loads(path.read_text(encoding="utf-8"))
    c = data["campaign"]
    campaign, _ = Campaign.objects.update_or_create(
        name=c["name"],
        defaults={
            "year": c["year"],
            "source": c["source"],
            "note": c["note"],
            "year_basis": c.get("year_basis", ""),
            "total_goal": Decimal(c["total_goal"]) if c.get("total_goal") else None,
            "total_goal_wording": c.get("total_goal_wording", ""),
            "late_policy": c.get("late_policy", Campaign.LatePolicy.NEXT_BATCH),
        },
    )
    for m in data.get("milestones", []):
        CampaignMilestone.objects.update_or_create(
            campaign=campaign,
            kind=m["kind"],
            due_on=dt.date.fromisoformat(m["due_on"]),
            defaults={"wording": m["wording"], "audience": m["audience"]},
        )
    for b in data["batches"]:
        CampaignBatch.objects.update_or_create(
            campaign=campaign,
            number=b["number"],
            defaults={
                "proposal_deadline": dt.date.fromisoformat(b["proposal_deadline"]),
                "screening_deadline": dt.date.fromisoformat(b["screening_deadline"]),
                "library_deadline": dt.date.fromisoformat(b["library_deadline"]),
            },
        )
    regions = _region_index()
    sectors = {s.name: s for s in Sector.objects.all()}
    for t in data["targets"]:
        amount = Decimal(t["amount"])
        defaults = {"amount": amount, "wording": t.get("wording", "")}
        if t["dimension"] == "region":
            region = regions.get(t["region"])
            if region is None or region.level != Region.Level.PREFECTURE:
                raise LookupError(
                    gettext("目标地区“%(region)s”不是已加载的市州") % {"region": t["region"]}
                )
            Target.objects.update_or_create(
                campaign=campaign, dimension="region", region=region, defaults=defaults
            )
        elif t["dimension"] == "sector":
            sector = sectors.get(t["sector"])
            if sector is None:
                raise LookupError(
                    gettext("目标行业“%(sector)s”不在行业领域参考数据中") % {"sector": t["sector"]}
                )
            Target.objects.update_or_create(
                campaign=campaign, dimension="sector", sector=sector, defaults=defaults
            )
        else:
            defaults["per_region"] = bool(t.get("per_region"))
            Target.objects.update_or_create(
                campaign=campaign, dimension="tier", tier=t["tier"], defaults=defaults
            )
    load_entry_criteria(campaign)
    return campaign


def seeded_campaign(path=None) -> Campaign | None:
    """The campaign ``load_campaign`` loaded from the fixture, if it has been loaded."""
    path = path or settings.FIXTURES_DIR / "projects" / CAMPAIGN_FIXTURE
    name = json.loads(path.read_text(encoding="utf-8"))["campaign"]["name"]
    return Campaign.objects.filter(name=name).first()


def load_entry_criteria(campaign: Campaign, path=None) -> int:
    """The conditions of entry of 001 五(三) as the campaign's checklist (idempotent)."""
    path = path or settings.FIXTURES_DIR / "projects" / CRITERIA_FIXTURE
    data = json.loads(path.read_text(encoding="utf-8"))
    for c in data["criteria"]:
        EntryCriterion.objects.update_or_create(
            campaign=campaign,
            name=c["name"],
            defaults={
                "group": c["group"],
                "guidance": c["guidance"],
                "source": c["source"],
                "sort_order": c["sort_order"],
            },
        )
    return len(data["criteria"])


def load(*, stdout) -> None:
    campaign = load_campaign()
    stdout.write(
        f"  谋划行动“{campaign.name}”：{campaign.batches.count()} 个批次，"
        f"{campaign.targets.count()} 项目标，{campaign.entry_criteria.count()} 项入库条件"
    )
