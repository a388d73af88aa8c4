"""The 18th 青洽会 ledger of seed 002, as load_seed_data loads it through the user importer."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from apps.contracts.importers import parse_ledger
from apps.contracts.models import Contract, ContractReport, RateTarget
from apps.contracts.seed import LEDGER
from apps.contracts.selectors import unit_subtotals

pytestmark = pytest.mark.django_db

# Every "责任单位：X（N项）" line of the 附件 of 青政办〔2017〕134号, in order.
PRINTED_COUNTS = [
    ("西宁市政府", 35),
    ("西宁经济技术开发区管委会", 23),
    ("海东市政府", 38),
    ("海东工业园区管委会", 24),
    ("海西州政府", 38),
    ("柴达木循环经济试验区管委会", 43),
    ("海南州政府", 23),
    ("海北州政府", 38),
    ("省发展改革委", 2),
    ("省经济和信息化委", 3),
    ("省科技厅", 6),
    ("省财政厅", 3),
    ("省国土资源厅", 14),
    ("省环境保护厅", 1),
    ("省住房城乡建设厅", 4),
    ("省交通运输厅", 1),
    ("省水利厅", 2),
    ("省农牧厅", 10),
    ("省商务厅", 7),
    ("省文化新闻出版厅", 4),
    ("省卫生计生委", 1),
    ("省旅游发展委", 2),
    ("省工商局", 4),
    ("省广电局", 4),
    ("省工商联", 5),
    ("青海湖景区管理局", 2),
    ("省贸促会", 1),
    ("西部矿业集团有限公司", 1),
    ("省水利水电(集团)有限责任公司", 1),
    ("省三江集团有限责任公司", 2),
    ("青海机电国有控股有限公司", 2),
    ("青海银行", 2),
]
# The subtotals the seed prints (the other units' lines carry none).
PRINTED_SUBTOTALS = {
    "西宁经济技术开发区管委会": Decimal("230.00"),
    "海东工业园区管委会": Decimal("225.17"),
    "省发展改革委": Decimal("26.25"),
    "省水利厅": Decimal("1.20"),
}
FLAGGED = {278, 279, 280, 281, 282}


def test_346_contracts_in_32_units_as_printed(seed_fair):
    contracts = Contract.objects.filter(fair=seed_fair)
    assert contracts.count() == 346
    assert sorted(contracts.values_list("seq", flat=True)) == list(range(1, 347))
    counts = list(
        contracts.values("responsible_unit_label")
        .annotate(n=Count("pk"))
        .order_by("responsible_unit_label")
        .values_list("responsible_unit_label", "n")
    )
    assert sorted(counts) == sorted(PRINTED_COUNTS)
    # In ledger order, as the document prints them.
    subtotals = unit_subtotals(contracts)
    assert [(label, row["count"]) for label, row in subtotals.items()] == PRINTED_COUNTS


def test_printed_subtotals_come_out_of_the_rows(seed_fair):
    subtotals = unit_subtotals(Contract.objects.filter(fair=seed_fair))
    for label, printed in PRINTED_SUBTOTALS.items():
        assert subtotals[label]["total"] == printed, label


def test_totals_agree_with_the_notice(seed_fair):
    contracts = Contract.objects.filter(fair=seed_fair)
    assert contracts.aggregate(t=Sum("total_investment"))["t"] == Decimal("1668.86")
    # 134号: "西宁经济技术开发区、柴达木循环经济试验区、海东工业园签约金额共计683亿元".
    parks = contracts.filter(
        responsible_unit_label__in=[
            "西宁经济技术开发区管委会",
            "柴达木循环经济试验区管委会",
            "海东工业园区管委会",
        ]
    ).aggregate(t=Sum("total_investment"))["t"]
    assert parks == Decimal("682.52")
    assert round(parks) == 683


def test_units_resolve_to_todays_organisations(seed_fair, org):
    contracts = Contract.objects.filter(fair=seed_fair)
    # 32 units as printed in 2017; 省文化新闻出版厅 and 省旅游发展委 are one body since the
    # 2018 reform (省文化和旅游厅), so the ledger is owned by 31 organisations today.
    assert contracts.values("responsible_unit").distinct().count() == 31
    culture = org("省文化和旅游厅")
    assert set(
        contracts.filter(responsible_unit=culture).values_list("responsible_unit_label", flat=True)
    ) == {"省文化新闻出版厅", "省旅游发展委"}
    assert contracts.filter(responsible_unit=org("省自然资源厅")).count() == 14
    assert seed_fair.coordinating_unit == org("省工业和信息化厅")


def test_flagged_rows_are_kept_with_their_notes(seed_fair):
    contracts = Contract.objects.filter(fair=seed_fair)
    assert set(contracts.flagged().values_list("seq", flat=True)) == FLAGGED
    for seq in (279, 280, 281):
        row = contracts.get(seq=seq)
        assert row.name.startswith("青海省大柴旦镇")
        assert row.total_investment is None and row.party_a == [] and row.responsible_persons == []
        assert "“总投资额(亿元)”" in row.correction_note
    row278 = contracts.get(seq=278)
    assert row278.total_investment == Decimal("0.20")
    assert "“甲方(青海)”、“乙方(省外)”为空" in row278.correction_note
    # Row 282 was shifted two columns right; the builder realigned it and said so.
    row282 = contracts.get(seq=282)
    assert row282.party_a == ["省地质矿产勘查局"]
    assert row282.party_b == ["中电投黄河上游水电开发有限公司"]
    assert row282.total_investment == Decimal("0.06")
    assert row282.funding_source_places == ["北京"]
    assert "右移2列" in row282.correction_note and "左移2列还原" in row282.correction_note
    assert row282.responsible_leader == "" and row282.responsible_persons == []
    assert contracts.filter(needs_correction=False, correction_note__gt="").count() == 0


def test_cells_with_several_values(seed_fair):
    contracts = Contract.objects.filter(fair=seed_fair)
    row = contracts.get(seq=89)
    assert len(row.party_b) == 4 and row.funding_source_places == ["北京", "内蒙古", "青海"]
    assert contracts.get(seq=92).funding_source_places == ["广东", "浙江", "上海", "厦门"]
    assert contracts.get(seq=159).responsible_persons == ["海吉忠", "周心龙"]
    assert contracts.get(seq=296).responsible_persons == ["苗光银", "彭秉清"]
    assert contracts.get(seq=313).party_a == [
        "海东建渊民族服饰有限公司",
        "青海伊赫萨出口贸易有限公司",
    ]
    assert contracts.get(seq=313).party_b == ["ELSAID AHMED DEYAB HARHASH"]
    assert contracts.get(seq=317).funding_source_places == ["英国", "美国", "日本"]
    # A two-character name padded with a space is one person.
    assert contracts.get(seq=336).responsible_persons == ["房直"]
    assert contracts.get(seq=330).responsible_leader == "孙静"


def test_regions_from_the_qinghai_party(seed_fair):
    contracts = Contract.objects.filter(fair=seed_fair).select_related("region")
    assert contracts.get(seq=1).region.display_name == "湟源县"
    assert contracts.get(seq=1).region.prefecture().display_name == "西宁市"
    assert contracts.get(seq=156).region.display_name == "茫崖市"  # 冷湖行委, merged 2018
    assert contracts.get(seq=97).region.display_name == "海东市"  # the park itself
    assert contracts.get(seq=263).region is None  # 省发展改革委: a provincial party


def test_seed_targets_and_idempotence(seed_fair):
    targets = list(RateTarget.objects.filter(fair=seed_fair).order_by("due_on"))
    assert [(t.due_on, t.fulfillment, t.start, t.funding) for t in targets] == [
        (dt.date(2017, 12, 31), Decimal("0.7000"), Decimal("0.5000"), Decimal("0.1500")),
        (dt.date(2018, 5, 31), Decimal("0.9000"), Decimal("0.8000"), Decimal("0.3000")),
    ]
    history = Contract.history.count()
    call_command("load_seed_data", only=["contracts"], stdout=io.StringIO())
    assert Contract.objects.filter(fair=seed_fair).count() == 346
    assert Contract.history.count() == history
    assert ContractReport.objects.count() == 0


def test_fixture_preview_lists_the_warnings_by_row_and_column():
    report = parse_ledger(str(LEDGER))
    assert report.ok and report.rows == 346 and len(report.units) == 32
    flagged = {r.seq for r in report.flagged}
    assert flagged == FLAGGED
    cols_279 = {i.column for i in report.warnings if i.row == report.flagged[1].row}
    assert cols_279 == {
        "甲方(青海)",
        "乙方(省外)",
        "总投资额(亿元)",
        "资金来源地",
        "责任领导",
        "责任人",
    }
