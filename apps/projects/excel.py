"""Excel in and out: the 重大项目建议表 (001, 附表1) as the way units hand projects in.

One column list serves the template, the export and the import, so an exported list imports
back unchanged. ``import_projects`` checks every row first and saves nothing if any row is
bad (``ImportRejected`` inside the transaction); rows with a 系统编号 update that project,
rows without create a new draft. Both functions take an optional ``progress(done, total)``
callback so the job runner (apps.jobs) can show a progress bar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from apps.core import permissions as policy
from apps.core.excel import (
    ImportRejected,
    ImportReport,
    WorkbookError,
    clean_text,
    normalize_header,
    parse_amount,
    parse_bool,
    parse_date,
    read_sheet,
    total_label,
    workbook_bytes,
    workbook_file,
)
from apps.projects import codes as codes_rule
from apps.projects import services
from apps.projects.models import (
    FUNDING_SOURCES,
    ApprovalType,
    Campaign,
    CampaignBatch,
    Project,
    Stage,
    Tier,
)
from apps.reference.models import InfrastructureDomain, Organization, Region, Sector

Progress = Callable[..., None] | None

TITLE = "青海省谋划攻坚重大项目建议表"
SHEET = "重大项目建议表"
# 001 names its 附表1 but the seed carries no columns: the columns below are the platform's
# choice, shown as 推定 on the import page and in the template (issue 11 pt 7).
COLUMNS_BASIS = gettext_noop(  # Chinese in the workbook; the import page shows gettext() of it
    "001 附表1 只列表名“青海省谋划攻坚重大项目建议表”，未给出栏目；"
    "以下栏目由平台按 001 正文（投资规模、批次、入库条件）和项目库的项目信息推定"
)


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # model field, or "" for columns that are not imported
    kind: str  # text, decimal, date, int, bool, choice, fk, seq, id, info
    required: bool = False
    note: str = ""
    width: int = 14


FUND_HEADERS = {
    "fund_central_budget": "中央预算内(亿元)",
    "fund_special_bonds": "地方政府专项债券(亿元)",
    "fund_policy_finance": "政策性开发性金融工具(亿元)",
    "fund_bank_loans": "银行贷款(亿元)",
    "fund_social_capital": "社会资本(亿元)",
    "fund_other": "其他资金(亿元)",
}

COLUMNS: list[Column] = [
    Column("序号", "", "seq", note="可留空，导入时忽略", width=6),
    Column("系统编号", "id", "id", note="新项目留空；填写时更新该项目（导出的清单自带）", width=9),
    Column("项目名称", "name", "text", True, "必填", 36),
    Column(
        "项目代码",
        "code",
        "text",
        note="在线审批监管平台赋予的24位代码（GB/T 40058），可选",
        width=24,
    ),
    Column("项目层级", "tier", "choice", True, "省级 / 市州级 / 县级", 9),
    Column(
        "所在地区",
        "region",
        "fk",
        True,
        "市州或县（区、市、行委），如 西宁市、湟中区、格尔木市",
        12,
    ),
    Column(
        "行业领域",
        "sector",
        "fk",
        True,
        "生态环保、交通运输、水利、能源、信息化、产业发展、城镇建设、民生改善",
        10,
    ),
    Column(
        "基础设施领域",
        "infrastructure_domain",
        "fk",
        note="网络型、产业升级、城市、农业农村、国家安全基础设施，可空",
        width=14,
    ),
    Column("责任单位", "responsible_unit", "fk", True, "单位名称；填报员留空则为本单位", 18),
    Column("实施主体", "implementing_entity", "text", width=24),
    Column("监管部门", "supervising_department", "fk", note="单位名称，可空", width=16),
    Column("总投资(亿元)", "total_investment", "decimal", True, "数字，单位亿元", 12),
    Column("计划年度", "plan_year", "int", note="如 2026；填写年度计划投资时必填", width=9),
    Column("年度计划投资(亿元)", "planned_investment_year", "decimal", width=12),
    Column("建设规模及内容", "scale_content", "text", note="提交审核前必填", width=40),
    Column("计划开工时间", "planned_start", "date", note="如 2026-03 或 2026-03-01", width=12),
    Column("计划竣工时间", "planned_end", "date", width=12),
    Column("进度安排", "schedule", "text", width=30),
    Column(
        "项目阶段",
        "stage",
        "choice",
        note="谋划 / 签约 / 开工 / 在建 / 投产 / 竣工 / 增资，空为谋划",
        width=9,
    ),
    *(Column(FUND_HEADERS[f], f, "decimal", width=12) for f, _ in FUNDING_SOURCES),
    Column("审批类型", "approval_type", "choice", note="审批 / 核准 / 备案，可空", width=9),
    Column("审批文号", "approval_number", "text", width=20),
    Column("审批日期", "approval_date", "date", width=12),
    Column("头部项目", "is_head_project", "bool", note="是 / 否", width=8),
    Column("包联省领导", "liaison_leader", "text", note="头部项目必填", width=10),
    Column("十四五重大项目", "is_14th_fyp_major", "bool", note="是 / 否", width=8),
    Column("PPP项目", "is_ppp", "bool", note="是 / 否", width=8),
    Column("谋划行动", "campaign", "fk", note="可空；只填批次时为当前谋划行动", width=24),
    Column("批次", "batch", "choice", note="第一批 / 第二批，可空", width=8),
    Column("备注", "note", "text", width=20),
    Column(
        "入库状态", "", "info", note="导出信息，导入时忽略（入库状态只能经审核流程变更）", width=9
    ),
    Column("规模等级", "", "info", note="导出信息，导入时忽略（由总投资自动判定）", width=9),
]

HEADERS = [c.header for c in COLUMNS]
# A unit's staff may leave 责任单位 blank (their own unit): required, but not of everyone.
_REQUIRED_OF_SOME = {"responsible_unit"}
# The template's headers: a * on exactly the columns every row must fill (the title row says
# “带 * 的列必填”); the importer reads a header with or without it.
TEMPLATE_HEADERS = [
    f"{c.header}*" if c.required and c.field not in _REQUIRED_OF_SOME else c.header for c in COLUMNS
]
EXPORT_MARK = "导出时间："  # in the title row of every export (apps.core.excel.filters_line)
_BY_HEADER = {normalize_header(c.header): c for c in COLUMNS}


def _labels(choices) -> dict[str, str]:
    # The workbook speaks Chinese whatever the user's language: index the Chinese labels as
    # plain strings (a lazy label as a key would compare in the request's language).
    index = {}
    with translation.override(settings.LANGUAGE_CODE):
        for value, label in choices:
            index[str(label)] = value
            index[str(value)] = value
    return index


TIERS = {
    **_labels(Tier.choices),
    "省级项目": "province",
    "市州级项目": "prefecture",
    "县级项目": "county",
}
STAGES = _labels(Stage.choices)
APPROVALS = _labels(ApprovalType.choices)
BATCHES = {**_labels(CampaignBatch.Number.choices), "1": 1, "2": 2, "3": 3}
CHOICES = {"tier": TIERS, "stage": STAGES, "approval_type": APPROVALS, "batch": BATCHES}


# --- export ------------------------------------------------------------------------------------


def _export_value(project: Project, column: Column, seq: int, labels: dict | None = None) -> Any:
    """One cell's value. ``labels`` memoises the choice labels of one export: a label is the
    same for every row with the value, and translating it for each of 100,000 rows was a
    fifth of the export's time (issue 15)."""
    f = column.field
    if column.kind == "seq":
        return seq
    if column.kind == "info":
        if column.header == "入库状态":
            return _label(labels, project, "library_status")
        return _label(labels, project, "size_class", project.size_class)
    if column.kind == "id":
        return project.pk
    value = getattr(project, f)
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind == "choice":
        return _label(labels, project, f, value) if value not in (None, "") else None
    if column.kind == "fk":
        if value is None:
            return None
        if f == "region":
            return value.display_name
        return value.name
    if column.kind == "text":
        return value or None
    return value


def _label(labels: dict | None, project: Project, field: str, value: Any = None) -> Any:
    if value is None:
        value = getattr(project, field)
    if labels is None:
        return getattr(project, f"get_{field}_display")()
    key = (field, value)
    if key not in labels:
        labels[key] = str(getattr(project, f"get_{field}_display")())
    return labels[key]


def export_rows(queryset: QuerySet[Project], progress: Progress = None) -> Iterator[list[Any]]:
    total = queryset.count() if progress else None
    qs = queryset.select_related(
        "region", "sector", "infrastructure_domain", "responsible_unit", "supervising_department",
        "campaign",
    )  # fmt: skip
    labels: dict = {}
    for seq, project in enumerate(qs.iterator(chunk_size=1000), start=1):
        yield [_export_value(project, c, seq, labels) for c in COLUMNS]
        if progress and (seq % 200 == 0 or seq == total):
            progress(seq, total)
    if progress and not total:
        progress(0, 0)


def _export_layout(filters: list[tuple[str, str]] | str | None) -> dict[str, Any]:
    # The 合计 line sums every amount column. The sheet is meant to be edited and imported
    # back: the importer recognises an export by its title row (“导出时间：”) and, for such a
    # file, reports a 合计 that no longer matches the edited rows as a warning, not an error.
    amounts = [i for i, c in enumerate(COLUMNS) if c.kind == "decimal"]
    return {
        "title": SHEET,
        "caption": f"{TITLE}（金额单位：亿元）",
        "filters": filters,
        "widths": [c.width for c in COLUMNS],
        "amounts": amounts,
        "totals": amounts,
    }


def export_projects(
    *,
    queryset: QuerySet[Project],
    progress: Progress = None,
    filters: list[tuple[str, str]] | str | None = None,
) -> bytes:
    """The filtered list as a 建议表 workbook with the import template's headers, the filters
    and the time in the title row.

    Rows stream from the database in chunks into openpyxl's write-only workbook.
    """
    return workbook_bytes(HEADERS, export_rows(queryset, progress), **_export_layout(filters))


def export_projects_file(
    *,
    queryset: QuerySet[Project],
    progress: Progress = None,
    filters: list[tuple[str, str]] | str | None = None,
) -> IO[bytes]:
    """``export_projects`` into a temporary file: the same workbook, never held in memory."""
    return workbook_file(HEADERS, export_rows(queryset, progress), **_export_layout(filters))


def export_projects_job(
    *,
    queryset: QuerySet[Project],
    progress: Progress = None,
    filters: list[tuple[str, str]] | str | None = None,
) -> tuple[str, IO[bytes]]:
    """The background export: (file name, workbook file), stored by the job as it streams."""
    name = f"重大项目清单-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return name, export_projects_file(queryset=queryset, progress=progress, filters=filters)


def stream_projects(*, queryset: QuerySet[Project], chunk: int = 64 * 1024) -> Iterator[bytes]:
    """The export's bytes in chunks (the benchmark, and any caller that streams on)."""
    with export_projects_file(queryset=queryset) as out:
        while data := out.read(chunk):
            yield data


def template_bytes() -> bytes:
    """The empty 建议表 with dropdowns, and a sheet explaining every column."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([f"{TITLE}（金额单位：亿元；一行一个项目；带 * 的列必填）"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(TEMPLATE_HEADERS)
    for i, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=2, column=i)
        cell.font = Font(bold=True, color="B02A37" if column.required else "000000")
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "C3"
    # The drop-downs offer the Chinese labels the importer reads, whatever the user's language.
    with translation.override(settings.LANGUAGE_CODE):
        lists = {
            "tier": [str(label) for _, label in Tier.choices],
            "stage": [str(label) for _, label in Stage.choices],
            "approval_type": [str(label) for _, label in ApprovalType.choices],
            "batch": [str(label) for _, label in CampaignBatch.Number.choices][:2],
            "sector": list(Sector.objects.values_list("name", flat=True)),
        }
    for i, column in enumerate(COLUMNS, start=1):
        options = lists.get(column.field) or (["是", "否"] if column.kind == "bool" else None)
        if not options:
            continue
        dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
        dv.error = f"请从下拉列表中选择：{'、'.join(options)}"
        ws.add_data_validation(dv)
        letter = get_column_letter(i)
        dv.add(f"{letter}3:{letter}2000")
    notes = wb.create_sheet("填表说明")
    notes.append(["列名", "是否必填", "说明"])
    for column in COLUMNS:
        if column.required and column.field in _REQUIRED_OF_SOME:
            required = "填报员可留空"
        else:
            required = "是" if column.required else ""
        notes.append([column.header, required, column.note])
    notes.append([])
    notes.append(["栏目来源（推定）", "", COLUMNS_BASIS])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["C"].width = 80
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- import ------------------------------------------------------------------------------------


class Lookups:
    """Every name a row may use, resolved in a handful of queries for the whole file."""

    def __init__(self) -> None:
        self.regions: dict[str, Region] = {}
        for r in Region.objects.exclude(level=Region.Level.PROVINCE):
            for spelling in (r.name, r.short_name, *r.aliases):
                if spelling:
                    self.regions.setdefault(clean_text(spelling), r)
        self.sectors = {}
        for s in Sector.objects.all():
            self.sectors[s.name] = s
            self.sectors[s.code] = s
        self.domains = {}
        for d in InfrastructureDomain.objects.all():
            self.domains[d.name] = d
            self.domains[d.name.removesuffix("基础设施")] = d
            self.domains[d.code] = d
        self.units = Organization.objects.name_index()
        self.campaigns = {c.name: c for c in Campaign.objects.all()}
        self.current_campaign = Campaign.objects.order_by("-year", "-pk").first()

    def resolve(self, field: str, text: str):
        from apps.reference.models import normalize_unit_name

        if field == "region":
            return self.regions.get(text)
        if field == "sector":
            return self.sectors.get(text)
        if field == "infrastructure_domain":
            return self.domains.get(text)
        if field in ("responsible_unit", "supervising_department"):
            return self.units.get(normalize_unit_name(text))
        if field == "campaign":
            return self.campaigns.get(text)
        raise KeyError(field)


UNKNOWN = {
    "region": "未知的地区“{}”（应为市州或县区名称，如 西宁市、湟中区）",
    "sector": "未知的行业领域“{}”",
    "infrastructure_domain": "未知的基础设施领域“{}”",
    "responsible_unit": "未知的单位“{}”",
    "supervising_department": "未知的单位“{}”",
    "campaign": "未知的谋划行动“{}”",
}


@dataclass
class ParsedRow:
    number: int
    data: dict[str, Any]
    project: Project | None  # the project a 系统编号 row updates


def _find_header(rows: list[tuple[int, list]]) -> tuple[int, dict[int, Column]] | None:
    for index, (_, cells) in enumerate(rows[:10]):
        names = [normalize_header(c).rstrip("*") for c in cells]
        if "项目名称" in names:
            mapping = {}
            for i, name in enumerate(names):
                column = _BY_HEADER.get(name)
                if column is not None:
                    mapping[i] = column
            return index, mapping
    return None


def _parse_row(
    number: int,
    cells: list,
    mapping: dict[int, Column],
    *,
    user: Any,
    lookups: Lookups,
    report: ImportReport,
) -> ParsedRow:
    data: dict[str, Any] = {}
    project = None
    for i, column in mapping.items():
        value = cells[i] if i < len(cells) else None
        f, h = column.field, column.header
        if column.kind in ("seq", "info"):
            continue
        text = clean_text(value)
        if column.kind == "id":
            if text:
                try:
                    pk = int(text)
                except ValueError:
                    report.error(number, h, f"应为系统编号（整数），实为“{text}”")
                    continue
                project = (
                    policy.restrict(Project.objects.all(), user, policy.Action.CHANGE)
                    .filter(pk=pk)
                    .first()
                )
                if project is None:
                    report.error(number, h, f"系统编号 {pk} 不存在或不属于本单位")
                elif not project.is_editable:
                    report.error(
                        number, h, f"项目当前为“{project.get_library_status_display()}”，不能修改"
                    )
            continue
        if column.kind == "decimal":
            data[f] = parse_amount(
                value, report=report, row=number, column=h, required=column.required
            )
        elif column.kind == "date":
            data[f] = parse_date(value, report=report, row=number, column=h)
        elif column.kind == "bool":
            data[f] = parse_bool(value, report=report, row=number, column=h)
        elif column.kind == "int":
            year = text.removesuffix("年")
            if not year:
                data[f] = None
            elif year.isdigit() and 2000 <= int(year) <= 2100:
                data[f] = int(year)
            else:
                report.error(number, h, f"应为年份（如 2026），实为“{text}”")
        elif column.kind == "choice":
            if not text:
                if column.required:
                    report.error(number, h, "不能为空")
                data[f] = None if f == "batch" else ""
                continue
            found = CHOICES[f].get(text)
            if found is None:
                allowed = " / ".join(dict.fromkeys(k for k in CHOICES[f] if not k.isascii()))
                report.error(number, h, f"应为 {allowed}，实为“{text}”")
            data[f] = found
        elif column.kind == "fk":
            if not text:
                if f == "responsible_unit" and not policy.is_admin(user) and user.organization_id:
                    data[f] = user.organization  # staff may leave their own unit blank
                elif column.required:
                    report.error(number, h, "不能为空")
                else:
                    data[f] = None
                continue
            found = lookups.resolve(f, text)
            if found is None:
                report.error(number, h, UNKNOWN[f].format(text))
            data[f] = found
        else:
            if column.required and not text:
                report.error(number, h, "不能为空")
            data[f] = str(value).strip() if value is not None else ""
    if data.get("batch") and not data.get("campaign"):
        data["campaign"] = lookups.current_campaign
    if data.get("stage") == "":
        data["stage"] = None
    unit = data.get("responsible_unit")
    if unit is not None and not policy.can_create_for(user, unit):
        report.error(number, "责任单位", f"只能导入本单位的项目，“{unit.name}”不是本单位")
    return ParsedRow(number, data, project)


_FIELD_HEADER = {c.field: c.header for c in COLUMNS if c.field}


def _model_check(row: ParsedRow, report: ImportReport) -> None:
    """The model's own rules (county tier in a county, funding ≤ total, unique code …)."""
    instance = row.project or Project()
    if row.project is not None:
        instance = Project.objects.get(pk=row.project.pk)
    for field, value in row.data.items():
        if field != "stage":
            setattr(instance, field, value)
    try:
        instance.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                report.error(row.number, _FIELD_HEADER.get(field, ""), message)


def _total_line_label(cells: list, mapping: dict[int, Column]) -> tuple[str, set[int]] | None:
    """A 小计/合计 line: the word in any column, and no project on the line (no 系统编号 or
    项目代码, and a 项目名称 that is empty or the word itself)."""
    texts = [clean_text(c) for c in cells]
    label = total_label(texts)
    if label is None:
        return None
    project_cells = [i for i, c in mapping.items() if c.field in ("id", "code", "name")]
    if any(i < len(texts) and texts[i] and i not in label[1] for i in project_cells):
        return None
    return label


def _check_total(number, cells, mapping, word, label_cells, scope, report, exported) -> None:
    """Each amount the total line gives must be the sum of that column over its rows. In a
    file this platform exported (``exported``) the 合计 is what the rows summed to at export
    time: after an edit it is stale, which is said (a warning) but refuses nothing."""
    rows_ok = not _rows_with_errors(scope, report)  # refused rows' amounts would mislead
    for i, column in mapping.items():
        if column.kind != "decimal" or i in label_cells or i >= len(cells):
            continue
        value = parse_amount(cells[i], report=report, row=number, column=column.header)
        if value is None or not rows_ok:
            continue
        total = sum((r.data.get(column.field) or Decimal(0) for r in scope), Decimal(0))
        if value != total and exported:
            report.warning(
                number,
                column.header,
                f"{word} {value} 亿元为导出时的数值，与现在以上{len(scope)}个项目之和 "
                f"{total} 亿元不一致（合计行不导入，按各行导入）",
            )
        elif value != total:
            report.error(
                number,
                column.header,
                f"{word} {value} 亿元，与以上{len(scope)}个项目之和 {total} 亿元不一致",
            )


def _rows_with_errors(scope: list[ParsedRow], report: ImportReport) -> bool:
    numbers = {r.number for r in scope}
    return any(i.row in numbers for i in report.errors)


def parse_file(file: IO[bytes] | str, *, user: Any, report: ImportReport) -> list[ParsedRow]:
    """Read and check every row; problems go to ``report`` (row number, column header)."""
    try:
        sheet = read_sheet(file)
    except WorkbookError as exc:
        report.error(1, "", str(exc))
        return []
    rows = sheet.rows
    found = _find_header(rows)
    if found is None:
        report.error(
            1, "", "未找到表头：第一行或标题行之后应有“项目名称”等列（请使用下载的模板）。"
        )
        return []
    header_index, mapping = found
    header_row = rows[header_index][0]
    exported = any(
        EXPORT_MARK in clean_text(c) for _, cells in rows[:header_index] for c in cells if c
    )
    present = {c.header for c in mapping.values()}
    for column in COLUMNS:
        if column.required and column.header not in present and column.field != "responsible_unit":
            report.error(header_row, column.header, "缺少此列")
    if not report.ok:
        return []
    lookups = Lookups()
    parsed: list[ParsedRow] = []
    codes: dict[str, int] = {}
    ids: dict[int, int] = {}
    block_start = 0  # index in ``parsed`` of the first row a 小计 line sums
    for number, cells in rows[header_index + 1 :]:
        if all(clean_text(c) == "" for c in cells):
            continue
        label = _total_line_label(cells, mapping)
        if label is not None:
            word = label[0]
            scope = parsed if word != "小计" else parsed[block_start:]
            _check_total(number, cells, mapping, word, label[1], scope, report, exported)
            block_start = len(parsed)
            continue
        report.rows += 1
        errors_before = len(report.errors)
        for i, column in mapping.items():
            span = sheet.merged_rows(number, i) if column.kind == "decimal" else None
            if span is not None:
                report.error(
                    number,
                    column.header,
                    f"金额单元格跨第{span[0]}–{span[1]}行合并，无法确定每个项目的金额，请分行填写",
                )
        row = _parse_row(number, cells, mapping, user=user, lookups=lookups, report=report)
        # Compare codes as digits: "2203-630100-…" and "2203630100…" are the same code.
        code = codes_rule.normalise(row.data.get("code") or "")
        if code:
            if code in codes:
                report.error(number, "项目代码", f"与第{codes[code]}行的项目代码重复")
            codes.setdefault(code, number)
        if row.project is not None:
            if row.project.pk in ids:
                report.error(number, "系统编号", f"与第{ids[row.project.pk]}行重复")
            ids.setdefault(row.project.pk, number)
        if len(report.errors) == errors_before:
            _model_check(row, report)
        parsed.append(row)
    if report.rows == 0:
        report.error(header_row + 1, "", "表中没有项目数据")
    return parsed


def import_projects(*, file: IO[bytes] | str, user: Any, progress: Progress = None) -> ImportReport:
    """Import a 建议表: all rows or nothing. Returns the report (``report.ok`` tells which)."""
    report = ImportReport()
    try:
        with transaction.atomic():
            rows = parse_file(file, user=user, report=report)
            if not report.ok:
                raise ImportRejected(report)
            total = len(rows)
            new: list[Project] = []
            for done, row in enumerate(rows, start=1):
                if row.project is None:
                    prepared = _prepare(row, user=user, report=report)
                    if prepared is not None:
                        new.append(prepared)
                else:
                    _save(row, user=user, report=report)
                if progress and (done % 50 == 0 or done == total):
                    progress(done, total)
            if report.ok and new:
                # All rows validated: the new ones go in together (with their history).
                services.create_prepared_projects(user=user, projects=new)
                report.created += len(new)
            if not report.ok:
                raise ImportRejected(report)
    except ImportRejected:
        report.created = report.updated = 0
    return report


def _report_refusal(row: ParsedRow, exc: Exception, report: ImportReport) -> None:
    if isinstance(exc, PermissionDenied):
        report.error(row.number, "责任单位", str(exc))
        return
    for field, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
        for message in messages:
            report.error(row.number, _FIELD_HEADER.get(field, ""), message)


def _prepare(row: ParsedRow, *, user: Any, report: ImportReport) -> Project | None:
    """A new row, validated as ``create_project`` validates it, not yet saved."""
    data = dict(row.data)
    if not data.get("stage"):
        data.pop("stage", None)
    try:
        return services.prepare_project(user=user, data=data)
    except (ValidationError, PermissionDenied) as exc:
        _report_refusal(row, exc, report)
        return None


def _save(row: ParsedRow, *, user: Any, report: ImportReport) -> None:
    stage = row.data.get("stage")
    data = {k: v for k, v in row.data.items() if k != "stage"}
    try:
        if row.project is None:
            if stage:
                data["stage"] = stage
            services.create_project(user=user, data=data)
            report.created += 1
            return
        project = Project.objects.get(pk=row.project.pk)
        services.update_project(user=user, project=project, data=data, version=project.version)
        if stage and stage != project.stage:
            services.change_stage(user=user, project=project, stage=stage, note="Excel 导入")
        report.updated += 1
    except ValidationError as exc:
        for field, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
            for message in messages:
                report.error(row.number, _FIELD_HEADER.get(field, ""), message)
    except PermissionDenied as exc:
        report.error(row.number, "责任单位", str(exc))
