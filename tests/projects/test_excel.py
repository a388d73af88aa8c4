"""Excel in and out: the 建议表 template, all-or-nothing import with row/column errors, and the
export → import round trip."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.projects import excel
from apps.projects.models import LibraryStatus, Project
from apps.reference.models import Region, Sector
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db
D = Decimal


def workbook(rows: list[dict], headers=None, caption=True) -> BytesIO:
    headers = headers or excel.HEADERS
    wb = Workbook()
    ws = wb.active
    if caption:
        ws.append(["青海省谋划攻坚重大项目建议表"])
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def good_row(n: int, **extra) -> dict:
    row = {
        "序号": n,
        "项目名称": f"湟中区城乡供水一体化工程{n}",
        "项目层级": "县级",
        "所在地区": "湟中区",
        "行业领域": "水利",
        "基础设施领域": "网络型",
        "责任单位": "西宁市政府",
        "实施主体": "湟中区水利局",
        "监管部门": "省水利厅",
        "总投资(亿元)": 3.25,
        "计划年度": 2026,
        "年度计划投资(亿元)": "1.2",
        "建设规模及内容": "新建输水管线 40 公里",
        "计划开工时间": "2026-04",
        "计划竣工时间": dt.datetime(2027, 10, 31),
        "项目阶段": "谋划",
        "中央预算内(亿元)": 1.5,
        "地方政府专项债券(亿元)": 1,
        "审批类型": "审批",
        "审批文号": "湟发改〔2026〕12号",
        "审批日期": "2026年3月15日",
        "头部项目": "否",
        "十四五重大项目": "是",
        "PPP项目": "",
        "批次": "第一批",
    }
    row.update(extra)
    return row


def test_template_has_the_headers_and_notes(client, staff_xining):
    client.force_login(staff_xining)
    response = client.get(reverse("projects:import-template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    ws = wb["重大项目建议表"]
    assert "带 * 的列必填" in ws["A1"].value
    headers = [c.value for c in ws[2]]
    assert [h.rstrip("*") for h in headers] == excel.HEADERS
    # A * on exactly the columns every row must fill (责任单位: a unit's staff may leave it).
    assert [h for h in headers if h.endswith("*")] == [
        "项目名称*", "项目层级*", "所在地区*", "行业领域*", "总投资(亿元)*"
    ]  # fmt: skip
    starred = {h.rstrip("*") for h in headers if h.endswith("*")}
    assert starred == {c.header for c in excel.COLUMNS if c.required} - {"责任单位"}
    notes = {row[0]: row[2] for row in wb["填表说明"].iter_rows(min_row=2, values_only=True)}
    assert "省级 / 市州级 / 县级" in notes["项目层级"]
    required = {row[0]: row[1] for row in wb["填表说明"].iter_rows(min_row=2, values_only=True)}
    assert {h for h, r in required.items() if r == "是"} == starred
    assert required["责任单位"] == "填报员可留空"
    assert len(ws.data_validations.dataValidation) >= 5


def test_the_filled_template_imports_with_its_starred_headers(staff_xining, campaign):
    row = good_row(1)
    content = excel.template_bytes()
    wb = load_workbook(BytesIO(content))
    ws = wb["重大项目建议表"]
    ws.append([row.get(h) for h in excel.HEADERS])
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    report = excel.import_projects(file=buf, user=staff_xining)
    assert report.ok and report.created == 1, [str(i) for i in report.issues]


def test_good_file_imports_every_row(staff_xining, xining, campaign):
    calls = []
    report = excel.import_projects(
        file=workbook([good_row(i) for i in range(1, 6)]),
        user=staff_xining,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert report.ok, [str(i) for i in report.issues]
    assert (report.rows, report.created, report.updated) == (5, 5, 0)
    assert calls[-1] == (5, 5)
    p = Project.objects.get(name="湟中区城乡供水一体化工程1")
    assert p.library_status == LibraryStatus.DRAFT
    assert p.responsible_unit == xining
    assert p.region.short_name == "湟中区" and p.tier == "county"
    assert p.infrastructure_domain.name == "网络型基础设施"
    assert p.total_investment == D("3.25")
    assert p.fund_central_budget == D("1.5") and p.fund_special_bonds == D("1")
    assert p.planned_start == dt.date(2026, 4, 1)
    assert p.planned_end == dt.date(2027, 10, 31)
    assert p.approval_date == dt.date(2026, 3, 15)
    assert p.is_14th_fyp_major and not p.is_ppp
    assert (p.campaign, p.batch) == (campaign, 1)  # 批次 alone means the current campaign
    assert p.supervising_department.name == "省水利厅"


def test_one_bad_row_imports_nothing_and_names_row_and_column(staff_xining, campaign):
    rows = [
        good_row(1),
        good_row(2, **{"总投资(亿元)": "约三亿"}),
        good_row(3, **{"所在地区": "火星县"}),
        good_row(4, **{"项目名称": None}),
        good_row(5),
    ]
    report = excel.import_projects(file=workbook(rows), user=staff_xining)
    assert not report.ok
    assert report.created == 0
    assert not Project.objects.exists()
    found = {(i.row, i.column) for i in report.errors}
    # Row numbers as Excel shows them: caption row 1, header row 2, data from row 3.
    assert found == {(4, "总投资(亿元)"), (5, "所在地区"), (6, "项目名称")}
    messages = {i.column: i.message for i in report.errors}
    assert "约三亿" in messages["总投资(亿元)"]
    assert "火星县" in messages["所在地区"]
    assert messages["项目名称"] == "不能为空"


def test_model_rules_and_unit_scope_are_checked_per_row(staff_xining, campaign):
    rows = [
        good_row(1, **{"所在地区": "西宁市"}),  # a 县级 project must lie in a county
        good_row(2, **{"责任单位": "海东市政府"}),  # not the importer's unit
        good_row(3, **{"项目代码": "2603-630000-01", "中央预算内(亿元)": 9}),  # funding > total
        good_row(4, **{"项目代码": "2603-630000-01"}),  # duplicate code in the file
        good_row(5, **{"项目层级": "乡级"}),
    ]
    report = excel.import_projects(file=workbook(rows), user=staff_xining)
    found = {(i.row, i.column) for i in report.errors}
    assert (3, "所在地区") in found
    assert (4, "责任单位") in found
    assert (5, "其他资金(亿元)") in found
    assert (6, "项目代码") in found
    assert (7, "项目层级") in found
    assert not Project.objects.exists()


def test_missing_required_column_and_non_excel_file(staff_xining):
    headers = [h for h in excel.HEADERS if h != "总投资(亿元)"]
    report = excel.import_projects(file=workbook([good_row(1)], headers=headers), user=staff_xining)
    assert [(i.row, i.column, i.message) for i in report.errors] == [
        (2, "总投资(亿元)", "缺少此列")
    ]
    report = excel.import_projects(file=BytesIO(b"not a workbook"), user=staff_xining)
    assert "xlsx" in report.errors[0].message


def test_import_page_reports_errors_in_the_page(client, staff_xining, campaign):
    client.force_login(staff_xining)
    bad = workbook([good_row(1), good_row(2, **{"总投资(亿元)": "abc"})]).getvalue()
    response = client.post(
        reverse("projects:import"),
        {"file": SimpleUploadedFile("建议表.xlsx", bad)},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "未导入任何数据" in text
    assert "第 4 行" in text and "总投资(亿元)" in text and "abc" in text
    assert not Project.objects.exists()
    good = workbook([good_row(1), good_row(2)]).getvalue()
    response = client.post(reverse("projects:import"), {"file": SimpleUploadedFile("a.xlsx", good)})
    assert "新建 2 个项目" in response.content.decode()
    assert Project.objects.count() == 2


FIELDS = [
    "name", "code", "tier", "region_id", "sector_id", "infrastructure_domain_id",
    "responsible_unit_id", "implementing_entity", "supervising_department_id",
    "total_investment", "plan_year", "planned_investment_year", "scale_content",
    "planned_start", "planned_end", "schedule", "fund_central_budget", "fund_special_bonds",
    "fund_policy_finance", "fund_bank_loans", "fund_social_capital", "fund_other",
    "approval_type", "approval_number", "approval_date", "is_head_project", "liaison_leader",
    "is_14th_fyp_major", "is_ppp", "campaign_id", "batch", "note", "stage", "library_status",
]  # fmt: skip


def _snapshot():
    return {p["name"]: p for p in Project.objects.values(*FIELDS)}


@pytest.fixture
def library(xining, org, campaign):
    energy = Sector.objects.get(code="energy")
    make_project(
        xining,
        LibraryStatus.APPROVED,
        name="西宁市光伏发电项目",
        code="2303-630100-04-01-000004",
        sector=energy,
        total_investment=D("123.4567"),
        fund_bank_loans=D("80.1234"),
        fund_social_capital=D("20"),
        approval_type="ratification",
        approval_number="青发改能源〔2023〕5号",
        approval_date=dt.date(2023, 6, 1),
        is_head_project=True,
        liaison_leader="分管能源工作的副省长",
        campaign=campaign,
        batch=2,
        note="备注：含储能",
        schedule="2026年开工\n2028年建成",
    )
    make_project(
        org("湟中区政府"),
        tier="county",
        region=Region.objects.get(short_name="湟中区"),
        name="湟中区乡村振兴示范村建设项目",
        total_investment=D("0.85"),
        planned_investment_year=None,
        plan_year=None,
    )
    make_project(xining, name="西宁市城市更新项目", is_ppp=True)


def test_export_then_import_round_trips(admin_user_, library):
    before = _snapshot()
    content = excel.export_projects(queryset=Project.objects.order_by("pk"))
    ws = load_workbook(BytesIO(content)).active
    assert [c.value for c in ws[2]] == excel.HEADERS  # same headers as the template
    report = excel.import_projects(file=BytesIO(content), user=admin_user_)
    assert report.ok, [str(i) for i in report.issues]
    assert (report.created, report.updated) == (0, 3)
    assert _snapshot() == before

    # Without the 系统编号 the same rows create the same projects anew.
    Project.objects.all().delete()
    wb = load_workbook(BytesIO(content))
    for row in wb.active.iter_rows(min_row=3):
        row[1].value = None
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    report = excel.import_projects(file=buf, user=admin_user_)
    assert report.ok and report.created == 3
    after = _snapshot()
    for name, values in before.items():
        expected = {**values, "library_status": LibraryStatus.DRAFT}
        assert after[name] == expected, name


def test_reimport_updates_an_edited_cell_and_never_the_status(staff_xining, library):
    content = excel.export_projects(
        queryset=Project.objects.filter(responsible_unit__name="西宁市政府")
    )
    wb = load_workbook(BytesIO(content))
    ws = wb.active
    headers = [c.value for c in ws[2]]
    for row in ws.iter_rows(min_row=3):
        if row[headers.index("项目名称")].value == "西宁市城市更新项目":
            row[headers.index("总投资(亿元)")].value = 20
            row[headers.index("入库状态")].value = "已入库"  # ignored
    buf = BytesIO()
    wb.save(buf)
    buf.seek(0)
    report = excel.import_projects(file=buf, user=staff_xining)
    # The approved project is editable too; nothing is under review here.
    assert report.ok, [str(i) for i in report.issues]
    p = Project.objects.get(name="西宁市城市更新项目")
    assert p.total_investment == D("20")
    assert p.library_status == LibraryStatus.DRAFT


def test_export_page_uses_the_list_filters(client, leader, library):
    client.force_login(leader)
    response = client.get(reverse("projects:export"), {"status": "approved"})
    assert response.status_code == 200
    assert response.streaming  # streamed from a temporary file, never held whole in memory
    content = b"".join(response.streaming_content)
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(min_row=3, values_only=True))
    assert rows[-1][0] == "合计"
    rows = rows[:-1]
    assert [r[2] for r in rows] == ["西宁市光伏发电项目"]
    assert rows[0][excel.HEADERS.index("入库状态")] == "已入库"
    assert rows[0][excel.HEADERS.index("规模等级")] == "百亿项目"


def test_export_progress_and_importing_a_locked_project(staff_xining, xining):
    p = make_project(xining, LibraryStatus.SUBMITTED)
    version = p.version
    calls = []
    content = excel.export_projects(
        queryset=Project.objects.all(), progress=lambda done, total: calls.append((done, total))
    )
    assert calls[-1] == (1, 1)
    report = excel.import_projects(file=BytesIO(content), user=staff_xining)
    assert [(i.row, i.column) for i in report.errors] == [(3, "系统编号")]
    assert "已提交" in report.errors[0].message
    p.refresh_from_db()
    assert p.version == version  # untouched
