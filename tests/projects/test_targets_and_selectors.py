"""Campaign targets from seed 001, library totals against them, size classes, 投资完成率."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from apps.projects import selectors, services
from apps.projects.models import LibraryStatus, ProjectMonthlyUpdate, Stage
from apps.reference.models import Region, Sector
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

D = Decimal

# Seed 001, 三、攻坚目标 (亿元, "以上").
REGION_TARGETS = {
    "西宁市": 2500,
    "海东市": 2000,
    "海西州": 2000,
    "海南州": 2000,
    "海北州": 1500,
    "黄南州": 1500,
    "果洛州": 1000,
    "玉树州": 1000,
}
SECTOR_TARGETS = {
    "生态环保": 200,
    "交通运输": 3800,
    "水利": 1000,
    "能源": 5000,
    "信息化": 100,
    "产业发展": 1800,
    "城镇建设": 1200,
    "民生改善": 400,
}


def test_campaign_carries_the_001_targets_and_deadlines(campaign):
    regions = {
        t.region.short_name: int(t.amount) for t in campaign.targets.filter(dimension="region")
    }
    sectors = {t.sector.name: int(t.amount) for t in campaign.targets.filter(dimension="sector")}
    tiers = {
        t.tier: (int(t.amount), t.per_region, t.wording)
        for t in campaign.targets.filter(dimension="tier")
    }
    assert regions == REGION_TARGETS
    assert sectors == SECTOR_TARGETS
    assert sum(regions.values()) == sum(sectors.values()) == 13500
    assert tiers == {
        "province": (10000, False, "省级万亿"),
        "prefecture": (1000, True, "市州级千亿"),
        "county": (100, True, "县级百亿"),
    }
    deadlines = [
        (b.number, b.proposal_deadline, b.screening_deadline, b.library_deadline)
        for b in campaign.batches.all()
    ]
    assert deadlines == [
        (1, dt.date(2023, 2, 28), dt.date(2023, 3, 20), dt.date(2023, 3, 31)),
        (2, dt.date(2023, 5, 31), dt.date(2023, 6, 20), dt.date(2023, 6, 30)),
    ]


def test_loading_the_campaign_twice_changes_nothing(campaign):
    from apps.projects.models import Target
    from apps.projects.seed import load_campaign

    before = list(Target.objects.values_list("pk", "amount"))
    load_campaign()
    assert list(Target.objects.values_list("pk", "amount")) == before


@pytest.fixture
def library(xining, haidong, org):
    """A small library: two approved in 西宁 (one in a county), one approved in 海东, one draft."""
    huangzhong = Region.objects.get(short_name="湟中区")
    energy = Sector.objects.get(name="能源")
    with freeze_time("2026-01-10"):
        return _library(xining, haidong, org, huangzhong, energy)


def _library(xining, haidong, org, huangzhong, energy):
    return {
        "xn_city": make_project(
            xining,
            LibraryStatus.APPROVED,
            tier="prefecture",
            total_investment=D("150"),
            planned_investment_year=D("40"),
        ),
        "xn_county": make_project(
            org("湟中区政府"),
            LibraryStatus.APPROVED,
            tier="county",
            region=huangzhong,
            sector=energy,
            total_investment=D("12.5"),
            planned_investment_year=D("5"),
        ),
        "hd": make_project(
            haidong,
            LibraryStatus.APPROVED,
            tier="prefecture",
            region=Region.objects.get(name="海东市"),
            total_investment=D("0.8"),
            planned_investment_year=D("0.5"),
        ),
        "draft": make_project(xining, total_investment=D("999")),
    }


def test_library_totals_by_region_roll_counties_up(campaign, library):
    rows = {r["label"]: r for r in selectors.library_totals(by="region")}
    assert list(rows) == [
        "西宁市",
        "海东市",
        "海北州",
        "黄南州",
        "海南州",
        "果洛州",
        "玉树州",
        "海西州",
    ]
    xn = rows["西宁市"]
    assert (xn["count"], xn["total_investment"], xn["target"]) == (2, D("162.5"), D("2500"))
    assert xn["gap"] == D("2337.5")
    assert xn["attainment"] == D("0.0650")
    assert rows["海东市"]["total_investment"] == D("0.8")
    assert rows["果洛州"]["count"] == 0 and rows["果洛州"]["gap"] == D("1000")


def test_library_totals_by_sector_and_tier(campaign, library):
    sectors = {r["label"]: r for r in selectors.library_totals(by="sector")}
    assert sectors["交通运输"]["total_investment"] == D("150.8")
    assert sectors["交通运输"]["target"] == D("3800")
    assert sectors["能源"]["total_investment"] == D("12.5")
    tiers = {r["key"]: r for r in selectors.library_totals(by="tier")}
    assert tiers["province"]["target"] == D("10000")
    # 市州级千亿 / 县级百亿 are goals for each region, never summed (not 8,000 / 4,500).
    assert tiers["prefecture"]["target"] is None
    assert (tiers["prefecture"]["target_each"], tiers["prefecture"]["regions"]) == (D("1000"), 8)
    assert tiers["prefecture"]["regions_met"] == 0
    assert (tiers["county"]["target_each"], tiers["county"]["regions"]) == (D("100"), 45)
    assert tiers["prefecture"]["count"] == 2
    assert tiers["county"]["total_investment"] == D("12.5")


def test_library_totals_take_any_queryset(campaign, library):
    from apps.projects.models import Project

    rows = {
        r["label"]: r for r in selectors.library_totals(queryset=Project.objects.all(), by="region")
    }
    assert rows["西宁市"]["count"] == 3  # the draft counts when asked for all projects


def test_size_class_counts(library):
    assert selectors.size_class_counts() == {
        "百亿项目": 1,
        "十亿项目": 1,
        "亿元项目": 0,
        "亿元以下": 1,
    }


@freeze_time("2026-06-15")
def test_monthly_updates_cumulative_and_completion_rates(staff_xining, xining, library):
    p = library["xn_city"]  # planned 40 for 2026
    for month, amount in [(1, "5"), (2, "7.5"), (3, "10")]:
        services.record_monthly_update(
            user=staff_xining,
            project=p,
            period=dt.date(2026, month, 20),  # any day: stored as the month
            completed_this_month=D(amount),
            stage=Stage.UNDER_CONSTRUCTION,
            progress=f"{month}月形象进度",
        )
    assert list(p.monthly_updates.values_list("period", flat=True)) == [
        dt.date(2026, 3, 1),
        dt.date(2026, 2, 1),
        dt.date(2026, 1, 1),
    ]
    cumulative = {u.period.month: u.cumulative for u in selectors.project_updates(p)}
    assert cumulative == {1: D("5"), 2: D("12.5"), 3: D("22.5")}
    filtered = selectors.updates_with_cumulative(
        ProjectMonthlyUpdate.objects.filter(period=dt.date(2026, 2, 1))
    )
    assert [u.cumulative for u in filtered] == [D("12.5")]  # filtering keeps the running total

    p.refresh_from_db()
    assert p.stage == Stage.UNDER_CONSTRUCTION
    assert p.stage_changed_on == dt.date(2026, 1, 31)  # first reported 在建 in January

    from apps.projects.models import Project

    row = Project.objects.with_completion().get(pk=p.pk)
    assert row.completed_in_plan_year == D("22.5")
    assert row.completion_rate == D("0.5625")

    by_region = {r["label"]: r for r in selectors.completion_rates(year=2026, by="region")}
    assert by_region["西宁市"]["planned"] == D("45")
    assert by_region["西宁市"]["completed"] == D("22.5")
    assert by_region["西宁市"]["rate"] == D("0.5000")
    assert by_region["果洛州"]["rate"] is None
    by_unit = {r["label"]: r["rate"] for r in selectors.completion_rates(year=2026, by="unit")}
    assert by_unit == {"湟中区政府": D("0"), "海东市政府": D("0"), "西宁市政府": D("0.5625")}
    assert selectors.completion_rates(year=2025, by="tier")[0]["projects"] == 0


@freeze_time("2026-06-15")
def test_one_update_per_project_and_month(staff_xining, library):
    p = library["xn_city"]
    kwargs = {
        "user": staff_xining,
        "project": p,
        "period": dt.date(2026, 5, 1),
        "completed_this_month": D("1"),
        "stage": Stage.STARTED,
        "progress": "开工",
    }
    services.record_monthly_update(**kwargs)
    with pytest.raises(ValidationError, match="已填报"):
        services.record_monthly_update(**kwargs)
    with pytest.raises(ValidationError, match="未来月份"):
        services.record_monthly_update(**{**kwargs, "period": dt.date(2026, 7, 1)})


def test_monthly_updates_only_for_own_library_projects(staff_haidong, staff_xining, library):
    kwargs = {
        "period": dt.date(2026, 1, 1),
        "completed_this_month": D("1"),
        "stage": Stage.STARTED,
        "progress": "开工",
    }
    with pytest.raises(PermissionDenied):
        services.record_monthly_update(user=staff_haidong, project=library["xn_city"], **kwargs)
    with pytest.raises(ValidationError, match="已入库"):
        services.record_monthly_update(user=staff_xining, project=library["draft"], **kwargs)


@freeze_time("2026-06-15")
def test_units_missing_monthly_update(staff_xining, library, org):
    may = dt.date(2026, 5, 1)
    missing = set(selectors.units_missing_monthly_update(may).values_list("name", flat=True))
    assert missing == {"西宁市政府", "湟中区政府", "海东市政府"}
    services.record_monthly_update(
        user=staff_xining,
        project=library["xn_city"],
        period=may,
        completed_this_month=D("2"),
        stage=Stage.STARTED,
        progress="开工",
    )
    missing = set(selectors.units_missing_monthly_update(may).values_list("name", flat=True))
    assert missing == {"湟中区政府", "海东市政府"}
    # A project that entered the library after the month owes nothing for it.
    assert not selectors.units_missing_monthly_update(dt.date(2020, 1, 1)).exists()


def test_stage_changes_are_dated_history(staff_xining, xining):
    p = make_project(xining, user=staff_xining)
    services.change_stage(user=staff_xining, project=p, stage=Stage.SIGNED, note="签约仪式")
    with pytest.raises(ValidationError, match="已处于"):
        services.change_stage(user=staff_xining, project=p, stage=Stage.SIGNED)
    trail = list(p.stage_changes.values_list("from_stage", "to_stage", "note"))
    assert trail == [("", "planning", "新建项目"), ("planning", "signed", "签约仪式")]


def test_library_as_of_a_day(xining):
    from django.utils import timezone

    from apps.projects.models import Project, ProjectReviewEvent

    early = make_project(xining, LibraryStatus.APPROVED, name="早入库")
    late = make_project(xining, LibraryStatus.APPROVED, name="晚入库")
    gone = make_project(xining, LibraryStatus.APPROVED, name="后出库")
    make_project(xining, LibraryStatus.SUBMITTED, name="未入库")
    Project.objects.filter(pk__in=[early.pk, gone.pk]).update(approved_on=dt.date(2024, 3, 1))
    Project.objects.filter(pk=late.pk).update(approved_on=dt.date(2024, 6, 1))
    Project.objects.filter(pk=gone.pk).update(library_status=LibraryStatus.REMOVED)
    removed_at = timezone.make_aware(dt.datetime(2024, 5, 1, 0, 0))
    ProjectReviewEvent.objects.create(
        project=gone,
        action="remove",
        from_status=LibraryStatus.APPROVED,
        to_status=LibraryStatus.REMOVED,
        at=removed_at,
    )

    def names(day):
        return sorted(selectors.library_as_of(day).values_list("name", flat=True))

    assert names(dt.date(2024, 2, 28)) == []
    assert names(dt.date(2024, 4, 30)) == ["后出库", "早入库"]  # removed the next midnight
    assert names(dt.date(2024, 5, 1)) == ["早入库"]
    assert names(dt.date(2024, 6, 1)) == ["早入库", "晚入库"]


def test_completed_in_year_through_a_month(xining, staff_xining):
    from apps.projects.models import Project

    project = make_project(xining, LibraryStatus.APPROVED, user=None)
    for month, amount in ((1, "1.5"), (2, "2.25"), (3, "4")):
        ProjectMonthlyUpdate.objects.create(
            project=project,
            period=dt.date(2024, month, 1),
            stage=project.stage,
            completed_this_month=D(amount),
            reported_by=staff_xining,
        )
    qs = Project.objects.filter(pk=project.pk)
    assert qs.annotate(d=selectors.completed_in_year(2024)).get().d == D("7.75")
    through = selectors.completed_in_year(2024, through=dt.date(2024, 2, 1))
    assert qs.annotate(d=through).get().d == D("3.75")
    assert qs.annotate(d=selectors.completed_in_year(2023)).get().d == D("0")


def test_project_list_is_scoped_filtered_and_ordered(xining, haidong, staff_xining):
    make_project(xining, LibraryStatus.APPROVED, name="乙项目", total_investment=D("3"))
    make_project(xining, LibraryStatus.APPROVED, name="甲项目", total_investment=D("5"))
    make_project(xining, LibraryStatus.DRAFT, name="草稿项目", user=staff_xining)
    make_project(haidong, LibraryStatus.APPROVED, name="海东项目")

    def names(data):
        filterset = selectors.project_list(user=staff_xining, data=data)
        return list(filterset.qs.values_list("name", flat=True))

    assert sorted(names(None)) == ["乙项目", "甲项目", "草稿项目"]  # 海东's is not visible
    assert names({"status": "approved", "ordering": "-total_investment"}) == ["甲项目", "乙项目"]
    # The list rows carry their completion figures (for_lists) unless a base is given.
    row = selectors.project_list(user=staff_xining, data={"q": "甲"}).qs.get()
    assert row.completed_in_plan_year == D("0")
    base = selectors.visible_projects(staff_xining)
    assert selectors.project_list(user=staff_xining, data=None, queryset=base).qs.count() == 3
