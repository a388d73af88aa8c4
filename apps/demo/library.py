"""The demo library: ~240 believable projects on the real regions, units and sectors.

Generated deterministically (one seeded ``random.Random``; dates relative to the day it runs)
and flagged ``is_demo`` so every page shows a 演示 badge. Projects go through the real services
(create, workflow transitions with back-dated times, stage changes), so every status has the
review events that lead to it; library projects get monthly updates up to last month, with a
few units left owing the latest report. Loading again adds nothing (matched by name).

Only in demo mode (``settings.DEMO_MODE``): a production library must not fill with demo rows.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from apps.accounts.models import Role
from apps.core import events
from apps.core.periods import add_months, current_period, month_start
from apps.projects import selectors, services
from apps.projects.models import (
    ApprovalType,
    Campaign,
    LibraryStatus,
    Project,
    ProjectMonthlyUpdate,
    Stage,
    Tier,
    Verdict,
)
from apps.reference.models import InfrastructureDomain, Organization, Region, Sector

SEED = 20230331
PLACES = Decimal("0.0001")


class DemoActor:
    """Who the generator acts as: an administrator that is not a stored account.

    Review events of demo projects therefore carry no user (shown as 系统), which is honest:
    nobody reviewed them.
    """

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    role = Role.ADMIN
    organization_id = None
    api_write = False


# Projects per 市州 (roughly in proportion to the 001 region targets) and the sectors that
# dominate there.
PREFECTURES: dict[str, tuple[int, dict[str, int]]] = {
    "西宁市": (50, {"urban": 4, "industry": 4, "transport": 3, "livelihood": 3, "info": 2,
                    "energy": 1, "water": 1, "eco": 1}),
    "海东市": (42, {"transport": 4, "urban": 3, "industry": 3, "water": 2, "livelihood": 3,
                    "eco": 1, "energy": 1, "info": 1}),
    "海西州": (36, {"energy": 6, "industry": 5, "transport": 2, "water": 1, "eco": 1,
                    "urban": 1, "livelihood": 1, "info": 1}),
    "海南州": (32, {"energy": 6, "transport": 2, "water": 2, "eco": 2, "industry": 1,
                    "livelihood": 1, "urban": 1}),
    "海北州": (24, {"eco": 3, "transport": 2, "industry": 2, "energy": 2, "water": 1,
                    "livelihood": 2, "urban": 1}),
    "黄南州": (22, {"eco": 3, "transport": 2, "water": 2, "industry": 2, "livelihood": 2,
                    "energy": 1, "urban": 1}),
    "果洛州": (20, {"eco": 4, "transport": 2, "livelihood": 2, "water": 1, "energy": 1,
                    "urban": 1}),
    "玉树州": (24, {"eco": 4, "transport": 2, "livelihood": 2, "water": 1, "energy": 1,
                    "urban": 1, "industry": 1}),
}  # fmt: skip

# Project types per sector: (name pattern, infrastructure domain code or "", size factor,
# where it is plausible: "any" place, a "city", or only a whole 市州 as the place).
# {place} is the county or 市州; {n} a capacity figure.
TYPES: dict[str, list[tuple[str, str, float, str]]] = {
    "energy": [
        ("{place}{n}万千瓦光伏发电项目", "network", 1.0, "any"),
        ("{place}{n}万千瓦风电项目", "network", 1.0, "any"),
        ("{place}光热储能一体化示范项目", "network", 1.2, "any"),
        ("{place}抽水蓄能电站项目", "network", 2.5, "prefecture"),
        ("{place}330千伏输变电工程", "network", 0.4, "any"),
        ("{place}源网荷储一体化项目", "network", 1.5, "any"),
        ("{place}天然气储气调峰设施项目", "security", 0.3, "any"),
        ("{place}绿电制氢示范项目", "industrial", 0.6, "any"),
    ],
    "transport": [
        ("{place}至{other}高速公路项目", "network", 2.0, "prefecture"),
        ("{place}国省干线公路改扩建工程", "network", 0.6, "any"),
        ("{place}农村公路提质改造工程", "rural", 0.08, "any"),
        ("{place}通用机场建设项目", "network", 0.3, "prefecture"),
        ("{place}综合客运枢纽项目", "urban", 0.2, "city"),
        ("{place}铁路专用线项目", "network", 0.5, "any"),
    ],
    "water": [
        ("{place}水库工程", "network", 0.6, "any"),
        ("{place}灌区续建配套与现代化改造项目", "rural", 0.2, "any"),
        ("{place}防洪治理工程", "security", 0.15, "any"),
        ("{place}城乡供水一体化工程", "network", 0.25, "any"),
        ("{place}引水工程", "network", 1.2, "any"),
    ],
    "eco": [
        ("{place}山水林田湖草沙一体化保护修复工程", "security", 0.5, "any"),
        ("{place}国土绿化提质增效项目", "security", 0.1, "any"),
        ("{place}湿地保护修复工程", "security", 0.08, "any"),
        ("{place}水土保持综合治理项目", "security", 0.06, "any"),
        ("{place}污水处理厂提标改造工程", "urban", 0.06, "any"),
        ("{place}退化草原生态修复项目", "security", 0.08, "any"),
    ],
    "info": [
        ("{place}5G网络建设项目", "industrial", 0.15, "any"),
        ("{place}大数据中心项目", "industrial", 0.5, "city"),
        ("{place}智慧城市建设项目", "urban", 0.15, "city"),
        ("{place}工业互联网平台项目", "industrial", 0.08, "any"),
    ],
    "industry": [
        ("{place}盐湖资源综合利用项目", "", 2.0, "any"),
        ("{place}碳酸锂扩能项目", "", 1.2, "any"),
        ("{place}绿色建材产业园项目", "", 0.3, "any"),
        ("{place}牦牛藏羊肉精深加工项目", "", 0.08, "any"),
        ("{place}枸杞沙棘精深加工项目", "", 0.06, "any"),
        ("{place}生态旅游景区提升项目", "", 0.15, "any"),
        ("{place}冷链物流园项目", "industrial", 0.15, "any"),
        ("{place}有色金属新材料项目", "", 0.8, "any"),
    ],
    "urban": [
        ("{place}老旧小区改造项目", "urban", 0.15, "any"),
        ("{place}城市更新项目", "urban", 0.4, "city"),
        ("{place}地下综合管廊项目", "urban", 0.3, "city"),
        ("{place}海绵城市建设项目", "urban", 0.2, "city"),
        ("{place}供热管网改造工程", "urban", 0.08, "any"),
    ],
    "livelihood": [
        ("{place}人民医院提标扩能项目", "", 0.1, "any"),
        ("{place}职业教育实训基地项目", "", 0.06, "any"),
        ("{place}寄宿制学校建设项目", "", 0.04, "any"),
        ("{place}养老服务中心项目", "", 0.03, "any"),
        ("{place}应急物资储备库项目", "security", 0.03, "any"),
        ("{place}乡村振兴示范村建设项目", "rural", 0.04, "any"),
    ],
}

# Typical size (亿元) of a province-tier project of each sector; tiers below scale it down.
SECTOR_SCALE = {
    "energy": 320, "transport": 260, "water": 110, "eco": 60, "info": 40, "industry": 160,
    "urban": 70, "livelihood": 25,
}  # fmt: skip
TIER_SCALE = {Tier.PROVINCE: 1.0, Tier.PREFECTURE: 0.45, Tier.COUNTY: 0.12}

# Cities (and the seats of the 州 governments) where urban-scale projects are plausible.
CITIES = {
    "西宁市", "城东区", "城中区", "城西区", "城北区", "湟中区", "海东市", "乐都区", "平安区",
    "格尔木市", "德令哈市", "茫崖市", "玉树市", "同仁市", "共和县", "玛沁县", "海晏县",
}  # fmt: skip

PROVINCIAL_UNITS = {
    "energy": ["省能源局", "国网青海省电力公司"],
    "transport": ["省交通运输厅", "省交控集团", "省发展改革委"],
    "water": ["省水利厅", "省水利水电(集团)有限责任公司"],
    "eco": ["省林草局", "省生态环境厅", "省自然资源厅"],
    "info": ["省工业和信息化厅", "中国电信青海分公司", "中国移动青海有限公司"],
    "industry": ["省工业和信息化厅", "西部矿业集团有限公司", "省文化和旅游厅", "省农业农村厅"],
    "urban": ["省住房城乡建设厅"],
    "livelihood": ["省卫生健康委", "省教育厅", "省应急厅", "省乡村振兴局"],
}
# Which provincial unit answers for a project type (by a word of its name); otherwise one of
# the sector's units above.
PROVINCIAL_UNIT_BY_WORD = [
    ("输变电", "国网青海省电力公司"),
    ("源网荷储", "国网青海省电力公司"),
    ("高速公路", "省交控集团"),
    ("机场", "青海机场公司"),
    ("铁路", "中国铁路青藏公司"),
    ("医院", "省卫生健康委"),
    ("学校", "省教育厅"),
    ("职业教育", "省教育厅"),
    ("养老", "省民政厅"),
    ("应急", "省应急厅"),
    ("乡村振兴", "省乡村振兴局"),
    ("旅游", "省文化和旅游厅"),
    ("牦牛", "省农业农村厅"),
    ("枸杞", "省农业农村厅"),
    ("盐湖", "省工业和信息化厅"),
    ("锂", "西部矿业集团有限公司"),
    ("新材料", "西部矿业集团有限公司"),
    ("污水", "省生态环境厅"),
    ("湿地", "省林草局"),
    ("绿化", "省林草局"),
    ("草原", "省林草局"),
    ("水土保持", "省水利厅"),
]
# Smallest believable total investment (亿元) per tier.
TIER_MINIMUM = {Tier.PROVINCE: 5.0, Tier.PREFECTURE: 1.0, Tier.COUNTY: 0.3}

SUPERVISORS = {
    "energy": "省能源局",
    "transport": "省交通运输厅",
    "water": "省水利厅",
    "eco": "省生态环境厅",
    "info": "省工业和信息化厅",
    "industry": "省工业和信息化厅",
    "urban": "省住房城乡建设厅",
    "livelihood": "省发展改革委",
}
COUNTY_BUREAU = {
    "energy": "发展和改革局",
    "transport": "交通运输局",
    "water": "水利局",
    "eco": "林业和草原局",
    "info": "工业商务和信息化局",
    "industry": "工业商务和信息化局",
    "urban": "住房和城乡建设局",
    "livelihood": "卫生健康局",
}
PARKS = {
    "西宁市": ["西宁经济技术开发区管委会"],
    "海东市": ["海东工业园区管委会"],
    "海西州": ["柴达木循环经济试验区管委会", "格尔木工业园区管委会", "德令哈工业园区管委会"],
}
APPROVAL_BY_SECTOR = {
    "energy": ApprovalType.RATIFICATION,
    "industry": ApprovalType.FILING,
    "info": ApprovalType.FILING,
}

# How many demo projects end in each status (sums to the projects of PREFECTURES: 250).
STATUS_COUNTS = [
    (LibraryStatus.APPROVED, 124),
    (LibraryStatus.REMOVED, 10),
    (LibraryStatus.REJECTED, 12),
    (LibraryStatus.RETURNED, 16),
    (LibraryStatus.IN_REVIEW, 22),
    (LibraryStatus.SUBMITTED, 26),
    (LibraryStatus.DRAFT, 40),
]

RETURN_REASONS = [
    "资金来源不明确，请补充各渠道资金落实情况。",
    "建设规模及内容过于笼统，请补充主要建设指标。",
    "前期工作深度不够，请补充可研编制进展和用地预审情况。",
    "总投资测算依据不足，请补充投资估算说明。",
]
REJECT_REASONS = [
    "不符合国家最新产业政策要求，不予入库。",
    "与已入库项目重复，不予入库。",
    "项目选址涉及生态保护红线，不予入库。",
]
REMOVE_REASONS = [
    "前期工作难以推进，清理出库。",
    "不符合国家最新政策要求，清理出库。",
    "项目业主变更、建设条件发生重大变化，清理出库。",
]
PROBLEMS = [
    "用地报批手续尚未完成，需协调自然资源部门加快办理。",
    "项目资金缺口较大，申请地方政府专项债券支持。",
    "环评批复尚未取得，需协调生态环境部门。",
    "施工有效期短，冬季停工影响进度。",
    "电网接入和送出通道需协调电力公司。",
    "林草地征占用手续办理中，需协调林草部门。",
]


@dataclass
class Spec:
    index: int
    name: str
    tier: str
    region: Region
    sector: Sector
    domain: InfrastructureDomain | None
    unit: Organization
    supervisor: Organization | None
    entity: str
    total: Decimal
    status: str
    fund_split: dict[str, Decimal] = field(default_factory=dict)
    flags: dict[str, Any] = field(default_factory=dict)


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(PLACES, rounding=ROUND_HALF_UP)


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


class Generator:
    def __init__(self, *, today: dt.date, campaign: Campaign | None) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.campaign = campaign
        self.actor = DemoActor()
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.domains = {d.code: d for d in InfrastructureDomain.objects.all()}
        self.units = Organization.objects.name_index()
        self.prefectures = {
            r.display_name: r
            for r in Region.objects.filter(level=Region.Level.PREFECTURE).order_by("code")
        }
        self.counties: dict[int, list[Region]] = {}
        for c in Region.objects.filter(level=Region.Level.COUNTY).order_by("code"):
            self.counties.setdefault(c.parent_id, []).append(c)
        self.names: set[str] = set()
        self.county_governments = {
            o.region_id: o
            for o in Organization.objects.filter(kind=Organization.Kind.COUNTY_GOVERNMENT).order_by(
                "name"
            )
        }

    # --- specs ---------------------------------------------------------------------------
    def unit(self, name: str) -> Organization:
        org = self.units.get(name)
        if org is None:
            raise LookupError(gettext("演示数据：单位“%(name)s”不在参考数据中") % {"name": name})
        return org

    def specs(self) -> list[Spec]:
        rng = self.rng
        statuses = [s for s, n in STATUS_COUNTS for _ in range(n)]
        if len(statuses) != sum(count for count, _ in PREFECTURES.values()):
            raise ValueError(gettext("演示数据：STATUS_COUNTS 与 PREFECTURES 的项目数不一致"))
        rng.shuffle(statuses)
        specs: list[Spec] = []
        for pref_name, (count, weights) in PREFECTURES.items():
            prefecture = self.prefectures[pref_name]
            counties = self.counties[prefecture.pk]
            big_city = pref_name in ("西宁市", "海东市")
            for _ in range(count):
                sector_code = rng.choices(list(weights), weights=list(weights.values()))[0]
                roll = rng.random()
                if roll < 0.18:
                    tier = Tier.PROVINCE
                elif roll < (0.66 if big_city else 0.45):
                    tier = Tier.PREFECTURE
                else:
                    tier = Tier.COUNTY
                spec = self._spec(len(specs), tier, prefecture, counties, sector_code)
                spec.status = statuses[len(specs)]
                specs.append(spec)
        return specs

    def _spec(self, index, tier, prefecture, counties, sector_code) -> Spec:
        rng = self.rng
        county = rng.choice(counties)
        region = county if tier == Tier.COUNTY or rng.random() < 0.6 else prefecture
        place = region.display_name
        templates = [
            t
            for t in TYPES[sector_code]
            if t[3] == "any"
            or (t[3] == "city" and place in CITIES)
            or (t[3] == "prefecture" and region.level == Region.Level.PREFECTURE)
        ]
        if tier == Tier.PROVINCE:
            # The provincial library holds the larger kinds of project.
            templates = [t for t in templates if t[2] >= 0.1] or templates
        if sector_code == "industry" and prefecture.display_name != "海西州":
            templates = [t for t in templates if "盐湖" not in t[0] and "锂" not in t[0]]
        pattern, domain_code, factor, _ = rng.choice(templates)
        other = rng.choice([p for p in self.prefectures if p != prefecture.display_name])
        n = rng.choice([10, 20, 30, 50, 60, 100, 150, 200])
        name = pattern.format(place=place, other=other.removesuffix("州").removesuffix("市"), n=n)
        name = self._unique(name)
        scale = SECTOR_SCALE[sector_code] * TIER_SCALE[tier] * factor
        value = _log_uniform(rng, scale * 0.4, scale * 2.2)
        if value < TIER_MINIMUM[tier]:
            value = TIER_MINIMUM[tier] * rng.uniform(1.0, 2.5)
        total = _money(round(value, 2))
        if tier == Tier.PROVINCE:
            by_word = [u for word, u in PROVINCIAL_UNIT_BY_WORD if word in pattern]
            unit = self.unit(by_word[0] if by_word else rng.choice(PROVINCIAL_UNITS[sector_code]))
            entity = unit.full_name or unit.name
        elif tier == Tier.PREFECTURE:
            parks = PARKS.get(prefecture.display_name, [])
            if parks and sector_code in ("industry", "energy") and rng.random() < 0.5:
                unit = self.unit(rng.choice(parks))
            else:
                unit = self.unit(f"{prefecture.display_name}政府")
            entity = f"{prefecture.display_name}{COUNTY_BUREAU[sector_code].replace('局', '')}部门"
        else:
            unit = self.county_governments[county.pk]
            entity = f"{county.display_name}{COUNTY_BUREAU[sector_code]}"
        spec = Spec(
            index=index,
            name=name,
            tier=tier,
            region=region,
            sector=self.sectors[sector_code],
            domain=self.domains.get(domain_code) if domain_code else None,
            unit=unit,
            supervisor=self.unit(SUPERVISORS[sector_code]),
            entity=entity,
            total=total,
            status=LibraryStatus.DRAFT,
        )
        spec.fund_split = self._funding(sector_code, total)
        spec.flags = {
            "is_14th_fyp_major": tier == Tier.PROVINCE and rng.random() < 0.45,
            "is_ppp": sector_code in ("urban", "transport") and rng.random() < 0.08,
        }
        if total >= 100 and tier != Tier.COUNTY and rng.random() < 0.4:
            spec.flags["is_head_project"] = True
            spec.flags["liaison_leader"] = f"分管{spec.sector.name}工作的副省长"
        return spec

    def _unique(self, name: str) -> str:
        if name not in self.names:
            self.names.add(name)
            return name
        for suffix in ("（二期）", "（三期）", "（四期）", "（五期）", "（六期）"):
            if name + suffix not in self.names:
                self.names.add(name + suffix)
                return name + suffix
        raise ValueError(gettext("演示数据：无法生成不重复的项目名称“%(name)s”") % {"name": name})

    def _funding(self, sector_code: str, total: Decimal) -> dict[str, Decimal]:
        rng = self.rng
        if sector_code in ("eco", "water", "livelihood"):
            shares = {"fund_central_budget": rng.uniform(0.35, 0.6),
                      "fund_special_bonds": rng.uniform(0.15, 0.3)}  # fmt: skip
        elif sector_code in ("energy", "industry"):
            shares = {"fund_bank_loans": rng.uniform(0.45, 0.65),
                      "fund_social_capital": rng.uniform(0.2, 0.35)}  # fmt: skip
        elif sector_code == "transport":
            shares = {"fund_central_budget": rng.uniform(0.2, 0.35),
                      "fund_special_bonds": rng.uniform(0.1, 0.2),
                      "fund_policy_finance": rng.uniform(0.05, 0.15),
                      "fund_bank_loans": rng.uniform(0.2, 0.3)}  # fmt: skip
        else:
            shares = {"fund_special_bonds": rng.uniform(0.3, 0.5),
                      "fund_central_budget": rng.uniform(0.1, 0.25),
                      "fund_social_capital": rng.uniform(0.1, 0.2)}  # fmt: skip
        split = {k: (total * Decimal(str(round(v, 4)))).quantize(PLACES) for k, v in shares.items()}
        rest = total - sum(split.values())
        if rest < 0:  # rounding: take it off the largest share
            largest = max(split, key=split.get)
            split[largest] += rest
        elif rest > 0:
            split["fund_other"] = rest.quantize(PLACES)
        return split

    # --- timeline ------------------------------------------------------------------------
    def at(self, day: dt.date) -> dt.datetime:
        hour, minute = self.rng.randint(9, 17), self.rng.randint(0, 59)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))

    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    def build(self, spec: Spec) -> Project:
        self.rng = random.Random(f"{SEED}:{spec.index}")
        rng, today = self.rng, self.today
        in_campaign = spec.status in (
            LibraryStatus.APPROVED,
            LibraryStatus.REMOVED,
            LibraryStatus.REJECTED,
        ) and (spec.status != LibraryStatus.APPROVED or rng.random() < 0.7)
        steps: list[tuple[str, dt.date, str]] = []
        batch = None
        if in_campaign and self.campaign is not None:
            batch = self.campaign.batches.get(number=rng.choice([1, 1, 2]))
            submit = batch.proposal_deadline - self.days(0, 20)
            review = batch.proposal_deadline + self.days(1, 12)
            decide = batch.screening_deadline + self.days(1, 10)
        elif spec.status in (LibraryStatus.APPROVED, LibraryStatus.REMOVED, LibraryStatus.REJECTED):
            start = dt.date(2024, 1, 8)
            span = (today - dt.timedelta(days=120) - start).days
            submit = start + dt.timedelta(days=rng.randint(0, max(span, 1)))
            review = submit + self.days(3, 10)
            decide = review + self.days(7, 30)
        elif spec.status == LibraryStatus.RETURNED:
            submit = today - self.days(35, 80)
            review = submit + self.days(2, 8)
            decide = review + self.days(5, 15)
        elif spec.status == LibraryStatus.IN_REVIEW:
            submit = today - self.days(12, 40)
            review = submit + self.days(2, 9)
            decide = None
        elif spec.status == LibraryStatus.SUBMITTED:
            submit = today - self.days(1, 20)
            review = decide = None
        else:
            submit = review = decide = None
        created = (submit or today) - self.days(3, 30)
        if submit:
            steps.append(("submit", submit, rng.choice(["", "请审核。", "已按建议表要求填报。"])))
        if review:
            steps.append(
                ("start_review", review, rng.choice(["组织专家论证。", "进入筛选论证。", ""]))
            )
        if decide:
            if spec.status in (LibraryStatus.APPROVED, LibraryStatus.REMOVED):
                steps.append(
                    ("approve", decide, rng.choice(["符合入库条件，同意入库。", "同意入库。"]))
                )
            elif spec.status == LibraryStatus.REJECTED:
                steps.append(("reject", decide, rng.choice(REJECT_REASONS)))
            elif spec.status == LibraryStatus.RETURNED:
                steps.append(("return", decide, rng.choice(RETURN_REASONS)))
        if spec.status == LibraryStatus.REMOVED:
            removed_on = max(decide + self.days(200, 500), dt.date(2025, 1, 6))
            steps.append(
                (
                    "remove",
                    min(removed_on, today - dt.timedelta(days=10)),
                    rng.choice(REMOVE_REASONS),
                )
            )

        planned_start = (decide or today) + self.days(30, 240)
        duration_months = rng.randint(18, 48)
        data: dict[str, Any] = {
            "name": spec.name,
            "tier": spec.tier,
            "region": spec.region,
            "sector": spec.sector,
            "infrastructure_domain": spec.domain,
            "responsible_unit": spec.unit,
            "implementing_entity": spec.entity,
            "supervising_department": spec.supervisor,
            "total_investment": spec.total,
            "scale_content": self._content(spec),
            "planned_start": month_start(planned_start),
            "planned_end": add_months(month_start(planned_start), duration_months),
            "schedule": f"{planned_start.year}年开工，建设期约{duration_months}个月。",
            "campaign": self.campaign if batch else None,
            "batch": batch.number if batch else None,
            **spec.fund_split,
            **spec.flags,
        }
        approved = spec.status == LibraryStatus.APPROVED
        if approved:
            data["plan_year"] = today.year
            data["planned_investment_year"] = (
                spec.total * Decimal(str(round(rng.uniform(0.1, 0.3), 3)))
            ).quantize(PLACES)
            data["approval_type"] = APPROVAL_BY_SECTOR.get(spec.sector.code, ApprovalType.APPROVAL)
            data["approval_date"] = decide + self.days(20, 120)
            if data["approval_date"] > today:
                data["approval_date"] = decide
            data["approval_number"] = (
                f"演示-青发改{data['approval_type'].label}〔{data['approval_date'].year}〕"
                f"{rng.randint(10, 300)}号"
            )
        project = services.create_project(user=self.actor, data=data, is_demo=True, on=created)
        for action, day, comment in steps:
            if action == "approve":
                # The reviewer judged every condition of entry before deciding (001 五(三)).
                services.judge_criteria(
                    user=self.actor,
                    project=project,
                    judgements=[(c, Verdict.MEETS, "") for c in selectors.entry_criteria(project)],
                    at=self.at(day),
                )
            services.transition(
                user=self.actor, project=project, action=action, comment=comment, at=self.at(day)
            )
        if approved:
            self._progress(project, decide)
        return project

    def _content(self, spec: Spec) -> str:
        scale = {
            "energy": "建设发电及配套储能、升压站和送出线路等设施",
            "transport": "新建或改扩建道路、桥涵及交通安全设施",
            "water": "建设取水、输水、防洪及配套工程",
            "eco": "实施生态保护修复、植被恢复和监测设施建设",
            "info": "建设网络基础设施、机房及应用平台",
            "industry": "建设生产线、仓储物流及配套公用工程",
            "urban": "实施管网、道路、绿化及公共服务设施改造",
            "livelihood": "新建业务用房并购置配套设备",
        }[spec.sector.code]
        return f"{scale}，总投资{spec.total.normalize():f}亿元。（演示数据）"

    def _progress(self, project: Project, approved_on: dt.date) -> None:
        """Stage history and monthly reports of a library project, up to last month."""
        rng, today = self.rng, self.today
        last_period = current_period(today)
        first_period = add_months(month_start(approved_on), 1)
        # Stage path with the month each stage is reached.
        path = [Stage.SIGNED, Stage.STARTED, Stage.UNDER_CONSTRUCTION]
        if rng.random() < 0.35:
            path.append(rng.choice([Stage.IN_OPERATION, Stage.COMPLETED]))
            if rng.random() < 0.2:
                path.append(Stage.EXPANSION)
        month = first_period
        timeline: list[tuple[dt.date, str]] = []
        for stage in path:
            month = add_months(month, rng.randint(1, 6) if stage != Stage.UNDER_CONSTRUCTION else 2)
            if stage in (Stage.IN_OPERATION, Stage.COMPLETED):
                month = add_months(month, rng.randint(10, 24))
            if month > last_period:
                break
            timeline.append((month, stage))
        for month, stage in timeline:
            on = min(add_months(month, 1) - dt.timedelta(days=1), today)
            services.change_stage(
                user=self.actor, project=project, stage=stage, on=on, note="月度调度"
            )
        stage_at = {m: s for m, s in timeline}
        finished = timeline and timeline[-1][1] in (Stage.IN_OPERATION, Stage.COMPLETED)
        if finished and timeline[-1][0].year < today.year:  # no annual plan any more
            services.update_project(
                user=self.actor,
                project=project,
                data={"plan_year": None, "planned_investment_year": None},
                version=project.version,
            )
        planned = project.planned_investment_year or Decimal("0")
        yearly = project.total_investment * Decimal("0.18")
        skip_latest = rng.random() < 0.22
        updates = []
        stage = Stage.PLANNING
        cumulative = Decimal("0")
        cap = project.total_investment * Decimal("0.92")
        period = first_period
        while period <= last_period:
            stage = stage_at.get(period, stage)
            if period == last_period and skip_latest:
                break
            if stage in (Stage.STARTED, Stage.UNDER_CONSTRUCTION, Stage.EXPANSION):
                base = planned if period.year == today.year and planned else yearly
                winter = 0.3 if period.month in (12, 1, 2) else 1.0  # 施工有效期短
                amount = base / 12 * Decimal(str(round(rng.uniform(0.5, 1.4) * winter, 3)))
                amount = min(amount.quantize(PLACES), max(cap - cumulative, Decimal("0")))
            else:
                amount = Decimal("0")
            cumulative += amount
            updates.append(
                ProjectMonthlyUpdate(
                    project=project,
                    period=period,
                    completed_this_month=amount,
                    stage=stage,
                    progress=_progress_text(stage, rng),
                    problems=rng.choice(PROBLEMS) if rng.random() < 0.12 else "",
                )
            )
            period = add_months(period, 1)
        if updates:
            bulk_create_with_history(updates, ProjectMonthlyUpdate, batch_size=500)


def _progress_text(stage: str, rng: random.Random) -> str:
    return {
        Stage.PLANNING: rng.choice(["开展可研编制。", "推进前期要件办理。", "开展初步设计。"]),
        Stage.SIGNED: rng.choice(
            ["已签订投资协议，推进前期手续。", "完成招标，施工单位进场准备。"]
        ),
        Stage.STARTED: rng.choice(["已开工，开展场地平整和临建。", "主体工程开工建设。"]),
        Stage.UNDER_CONSTRUCTION: rng.choice(
            [
                "主体工程施工中。",
                "按计划推进，完成月度形象进度。",
                "设备安装调试中。",
                "附属工程施工中。",
            ]
        ),
        Stage.IN_OPERATION: "已建成投产，运行平稳。",
        Stage.COMPLETED: "已竣工，开展竣工验收。",
        Stage.EXPANSION: "追加投资扩建，开展扩建工程。",
    }[stage]


def load_demo_library(*, campaign: Campaign | None, today: dt.date | None = None) -> str:
    """Create the demo projects that are missing; returns a one-line summary."""
    if not settings.DEMO_MODE:
        return "未加载（非演示模式；设置 QH_DEMO=1 可加载演示项目）"
    today = today or timezone.localdate()
    generator = Generator(today=today, campaign=campaign)
    specs = generator.specs()
    existing = set(Project.objects.demo().values_list("name", flat=True))
    created = 0
    for spec in specs:
        # Each project draws from its own random stream (seeded by its index), so skipping
        # the ones already loaded leaves the others exactly as a first load would make them.
        if spec.name in existing:
            continue
        # The demo's history is not news: no notifications for back-dated workflow steps.
        with events.quiet(), transaction.atomic():
            generator.build(spec)
        created += 1
    total = Project.objects.demo().count()
    return f"新增 {created} 个，共 {total} 个演示项目（均标记为演示数据）"
