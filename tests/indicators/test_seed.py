"""The indicators of 004 as loaded by load_seed_data: counts, units and measures."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from apps.indicators import seed
from apps.indicators.choices import Direction, Kind, Level
from apps.indicators.models import (
    Indicator,
    IndicatorLeadUnit,
    IndicatorParticipatingUnit,
    Measure,
)

pytestmark = pytest.mark.django_db


def lead_names(ind: Indicator) -> list[str]:
    return [
        link.organization.name
        for link in IndicatorLeadUnit.objects.filter(indicator=ind).select_related("organization")
    ]


def participating_names(ind: Indicator) -> list[str]:
    return [
        link.organization.name
        for link in IndicatorParticipatingUnit.objects.filter(indicator=ind).select_related(
            "organization"
        )
    ]


def test_counts_from_004():
    assert Indicator.objects.filter(level=Level.PRIMARY).count() == 25
    assert Indicator.objects.filter(level=Level.SECONDARY).count() == 49
    assert Indicator.objects.filter(level=Level.PRIMARY, kind=Kind.BINDING).count() == 7
    assert Indicator.objects.filter(level=Level.PRIMARY, kind=Kind.EXPECTED).count() == 18
    # 004 types only the 一级 indicators.
    assert not Indicator.objects.filter(level=Level.SECONDARY).exclude(kind="").exists()
    binding = Indicator.objects.filter(kind=Kind.BINDING).values_list("number", flat=True)
    assert sorted(binding) == [9, 10, 11, 12, 13, 21, 24]
    assert Measure.objects.count() == 99


@pytest.mark.parametrize(
    ("level", "number", "leads"),
    [
        (1, 1, ["省发展改革委"]),
        (1, 4, ["省公安厅", "省发展改革委", "省统计局"]),
        (1, 5, ["省科技厅", "省工业和信息化厅", "省国资委", "省财政厅"]),
        (1, 18, ["省人力资源社会保障厅", "国家统计局青海调查总队"]),
        (1, 23, ["省委统战部", "省民宗委"]),
        (1, 25, ["省能源局"]),
        (2, 21, ["省地方金融监管局"]),
        (2, 47, ["省农业农村厅", "省粮食局"]),
        (2, 48, ["省应急厅"]),
    ],
)
def test_lead_units_as_the_seed_states_them(indicator, level, number, leads):
    assert lead_names(indicator(level, number)) == leads


def test_each_prefecture_government_leads_2_6(indicator):
    """二级6 "牵头单位：省生态环境厅，各市州政府": the phrase stands for the 8 governments."""
    ind = indicator(2, 6)
    assert lead_names(ind) == [
        "省生态环境厅",
        "西宁市政府",
        "海东市政府",
        "海北州政府",
        "黄南州政府",
        "海南州政府",
        "果洛州政府",
        "玉树州政府",
        "海西州政府",
    ]
    assert ind.lead_groups == ["各市州政府"]


def test_a_unit_named_two_ways_is_one_organisation(indicator, org):
    """004 writes 省扶贫局 (renamed 省乡村振兴局 in 2021): one organisation, its current name."""
    assert "省乡村振兴局" in participating_names(indicator(1, 4))
    rural = org("省扶贫局")
    assert rural == org("省乡村振兴局")
    numbers = sorted(
        (i.level, i.number) for i in Indicator.objects.filter(participating_units=rural)
    )
    assert numbers == [(1, 4), (1, 16), (2, 22), (2, 29), (2, 30)]


def test_participating_units_and_group_phrases(indicator):
    one_25 = indicator(1, 25)
    assert participating_names(one_25) == [
        "省工业和信息化厅",
        "省自然资源厅",
        "省生态环境厅",
        "国网青海省电力公司",
    ]
    assert one_25.participating_etc is True
    talent = indicator(1, 6)  # 参加单位：省人才工作领导小组成员单位 (not enumerated)
    assert participating_names(talent) == []
    assert talent.participating_groups == ["省人才工作领导小组成员单位"]


@pytest.mark.parametrize(
    ("level", "number", "measures"),
    [
        (1, 9, [("森林覆盖率", "8.0", Direction.GTE), ("草原综合植被盖度", "58.5", Direction.GTE)]),
        (1, 12, [("单位生产总值能源消耗降低", None, Direction.NATIONAL_QUOTA)]),
        (1, 1, [("生产总值年均增长率", "5.5", Direction.APPROX)]),
        (
            2,
            18,
            [
                ("全省接待游客", "7300", Direction.GTE),
                ("旅游总收入", "800", Direction.GTE),
                ("增创5A级景区", "5", Direction.GTE),
            ],
        ),
        (
            2,
            44,
            [
                ("婴儿死亡率", "6.5", Direction.LTE),
                ("每千人口拥有0—3岁婴幼儿托位数", "3", Direction.GTE),
            ],
        ),
    ],
)
def test_lines_split_into_measures(indicator, level, number, measures):
    got = [
        (m.name, None if m.target_value is None else m.target_value, m.direction)
        for m in indicator(level, number).measures.order_by("order")
    ]
    assert got == [(n, None if v is None else Decimal(v), d) for n, v, d in measures]


def test_lines_with_several_measures():
    multi = {
        (i.level, i.number): i.n for i in Indicator.objects.annotate(n=Count("measures")) if i.n > 1
    }
    assert {k for k in multi if k[0] == 1} == {(1, 9), (1, 10), (1, 16)}
    for number in (5, 8, 16, 18, 24, 25, 36, 40, 43, 44, 47, 48):
        assert (2, number) in multi
    assert multi[(2, 40)] == 5


def test_loading_twice_changes_nothing(indicator):
    ind = indicator(1, 9)
    before = ind.history.count(), Measure.history.count(), IndicatorLeadUnit.objects.count()
    call_command("load_seed_data", only=["indicators"], stdout=io.StringIO())
    after = ind.history.count(), Measure.history.count(), IndicatorLeadUnit.objects.count()
    assert before == after


def test_an_unknown_unit_fails_loudly(monkeypatch):
    data = seed.read_fixture()
    data["indicators"][0]["lead_units"] = ["省不存在局"]
    monkeypatch.setattr(seed, "read_fixture", lambda: data)
    with pytest.raises(CommandError, match="省不存在局"):
        seed.load(stdout=io.StringIO())
