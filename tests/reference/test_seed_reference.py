"""The reference data loaded from fixtures/reference by load_seed_data."""

import io

import pytest
from django.core.management import call_command

from apps.reference.models import InfrastructureDomain, Organization, Region, Sector

pytestmark = pytest.mark.django_db

COUNTIES = {
    "西宁市": 7,
    "海东市": 6,
    "海北藏族自治州": 4,
    "黄南藏族自治州": 4,
    "海南藏族自治州": 5,
    "果洛藏族自治州": 6,
    "玉树藏族自治州": 6,
    "海西蒙古族藏族自治州": 7,
}


def test_eight_prefectures_each_with_its_counties():
    prefectures = Region.objects.filter(level=Region.Level.PREFECTURE)
    assert prefectures.count() == 8
    assert {p.name: p.children.count() for p in prefectures} == COUNTIES
    assert Region.objects.filter(level=Region.Level.COUNTY).count() == 45
    assert Region.objects.get(level=Region.Level.PROVINCE).name == "青海省"


@pytest.mark.parametrize(
    ("prefecture", "county"),
    [
        ("西宁市", "湟中区"),
        ("西宁市", "大通回族土族自治县"),
        ("海东市", "循化撒拉族自治县"),
        ("黄南藏族自治州", "同仁市"),
        ("海西蒙古族藏族自治州", "茫崖市"),
        ("海西蒙古族藏族自治州", "大柴旦行政委员会"),
        ("玉树藏族自治州", "曲麻莱县"),
    ],
)
def test_named_counties_sit_under_their_prefecture(prefecture, county):
    assert Region.objects.get(name=county).parent.name == prefecture


def test_sectors_and_domains():
    assert list(Sector.objects.values_list("name", flat=True)) == [
        "生态环保",
        "交通运输",
        "水利",
        "能源",
        "信息化",
        "产业发展",
        "城镇建设",
        "民生改善",
    ]
    assert list(InfrastructureDomain.objects.values_list("name", flat=True)) == [
        "网络型基础设施",
        "产业升级基础设施",
        "城市基础设施",
        "农业农村基础设施",
        "国家安全基础设施",
    ]


def test_every_prefecture_and_county_has_its_government():
    kinds = Organization.Kind
    assert Organization.objects.filter(kind=kinds.PREFECTURE_GOVERNMENT).count() == 8
    assert Organization.objects.filter(kind=kinds.COUNTY_GOVERNMENT).count() == 45


@pytest.mark.parametrize(
    ("spelling", "canonical_kind"),
    [
        ("省发展改革委", "provincial_department"),
        ("西宁市人民政府", "prefecture_government"),
        ("西宁经济技术开发区管委会", "park_committee"),
        ("柴达木循环经济试验区管委会", "park_committee"),
        ("西部矿业集团有限公司", "state_enterprise"),
        ("人行西宁中心支行", "central_unit"),
    ],
)
def test_units_named_in_the_seeds_resolve(spelling, canonical_kind):
    found = Organization.objects.resolve(spelling)
    assert found is not None, spelling
    assert found.kind == canonical_kind


def test_a_renamed_unit_is_one_organisation():
    # 2017's 省经济和信息化委 and 2021's 省工业和信息化厅 are the same body.
    assert Organization.objects.resolve("省经济和信息化委") == Organization.objects.resolve(
        "省工业和信息化厅"
    )


def test_loading_twice_changes_nothing():
    before = (Region.objects.count(), Organization.objects.count(), Sector.objects.count())
    call_command("load_seed_data", only=["reference"], stdout=io.StringIO())
    after = (Region.objects.count(), Organization.objects.count(), Sector.objects.count())
    assert before == after
