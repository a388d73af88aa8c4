"""Import of a signed-contract ledger in the government's 责任分工表 layout.

The layout, as seed 002 prints it and as units keep it in Excel:

    序号 | 项目名称 | 甲方(青海) | 乙方(省外) | 总投资额(亿元) | 资金来源地 | 责任领导 | 责任人
    责任单位：西宁经济技术开发区管委会（23项）            | 230.00       ← unit line, subtotal
    36   | 高性能铝合金粉末彩涂板生产项目 | …               ← contract rows
    (an optional 9th column 更正说明; blank lines; the header repeated on every page,
     spelled with spaces or full-width brackets; a subtotal on a line of its own)

Rules (MISSION §3, issues 4 and 9):
* errors reject the whole file, nothing is saved: a value of the wrong type (序号 not an
  integer, an amount that is not a number), an unknown responsible unit, a subtotal or a
  "(N项)" count that disagrees with the unit's rows, a duplicate 序号, a row outside any unit,
  an amount cell merged over several rows (which project has which amount is not written);
* 小计 / 合计 / 总计 lines are recognised whatever column holds the word (and an amount-only
  line under a unit is its subtotal): 小计 is checked against the unit's rows, 合计/总计
  against every row above it (or, if the file uses 合计 per unit, the unit's rows) — a total
  that disagrees is an error at its row and cell;
* amounts go through the one parser (``apps.core.excel.amount_from``: 3.5亿元, 35000万元,
  full-width digits …), and merged cells read as the value of their range;
* warnings import the row flagged for correction: a cell the source leaves empty (as merged
  cells do), and any row the file itself says was corrected (the "更正说明" column);
* ``commit=False`` is the preview: the same checks, nothing written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history

from apps.contracts.models import Contract, Fair, split_parties, split_people, split_places
from apps.core.concurrency import save_versioned
from apps.core.excel import (
    ImportRejected,
    ImportReport,
    WorkbookError,
    clean_text,
    normalize_header,
    parse_amount,
    read_sheet,
    total_label,
)
from apps.reference.models import Organization, Region, normalize_unit_name

# Canonical header → accepted spellings (compared after normalize_header).
HEADERS: dict[str, tuple[str, ...]] = {
    "序号": ("序号",),
    "项目名称": ("项目名称",),
    "甲方(青海)": ("甲方(青海)", "甲方"),
    "乙方(省外)": ("乙方(省外)", "乙方"),
    "总投资额(亿元)": ("总投资额(亿元)", "总投资(亿元)", "总投资额"),
    "资金来源地": ("资金来源地",),
    "责任领导": ("责任领导",),
    "责任人": ("责任人",),
}
NOTE_HEADER = "更正说明"
# Cells that may be empty in the source; an empty one is imported and flagged.
FLAG_IF_EMPTY = ("甲方(青海)", "乙方(省外)", "总投资额(亿元)", "资金来源地", "责任领导", "责任人")

UNIT_LINE = re.compile(
    r"^责任单位\s*[:：]\s*(?P<name>.+?)\s*(?:[（(]\s*(?P<count>\d+)\s*项\s*[）)])?$"
)
AMOUNT = "总投资额(亿元)"

Progress = Callable[[int, int], None]


@dataclass
class UnitBlock:
    """One 责任单位 section of the file."""

    row: int
    label: str
    organization: Organization | None
    count: int | None
    subtotal: Decimal | None = None
    subtotal_row: int | None = None
    subtotal_cell: str = ""
    rows: list[ParsedRow] = field(default_factory=list)

    @property
    def row_total(self) -> Decimal:
        return sum((r.total_investment or Decimal(0) for r in self.rows), Decimal(0))


@dataclass
class ParsedRow:
    row: int
    seq: int
    name: str
    party_a: list[str]
    party_b: list[str]
    total_investment: Decimal | None
    places: list[str]
    leader: str
    persons: list[str]
    notes: list[str]
    unit: UnitBlock
    region: Region | None = None
    region_basis: str = ""

    @property
    def needs_correction(self) -> bool:
        return bool(self.notes)


@dataclass
class LedgerImportReport(ImportReport):
    """What an import found: issues by row and column, and what it would create or update."""

    units: list[UnitBlock] = field(default_factory=list)
    grand_totals: list[tuple[int, Decimal, str, UnitBlock | None]] = field(default_factory=list)
    flagged: list[ParsedRow] = field(default_factory=list)
    unchanged: int = 0
    committed: bool = False

    @property
    def total_investment(self) -> Decimal:
        return sum((u.row_total for u in self.units), Decimal(0))


def _is_header(texts: list[str]) -> bool:
    heads = {normalize_header(t) for t in texts[:3]}
    return "序号" in heads and "项目名称" in heads


def _header_map(texts: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, text in enumerate(texts):
        norm = normalize_header(text)
        for canonical, spellings in HEADERS.items():
            if norm in spellings and canonical not in found:
                found[canonical] = index
        if norm == NOTE_HEADER:
            found[NOTE_HEADER] = index
    return found


def _cell(cells: list[Any], index: int | None) -> Any:
    if index is None or index >= len(cells):
        return None
    return cells[index]


def _note_text(value: Any) -> str:
    """Multi-line notes keep their lines (clean_text would fold them into one)."""
    if value is None:
        return ""
    lines = (clean_text(line) for line in str(value).splitlines())
    return "\n".join(line for line in lines if line)


def _parse_seq(value: Any, report: ImportReport, row: int) -> int | None:
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int):
        seq = value
    elif isinstance(value, float) and value.is_integer():
        seq = int(value)
    else:
        text = clean_text(value)
        if not text.isdigit():
            report.error(row, "序号", f"应为整数，实为“{text}”")
            return None
        seq = int(text)
    if seq <= 0:
        report.error(row, "序号", f"应为正整数，实为“{seq}”")
        return None
    return seq


def parse_ledger(file: IO[bytes] | str, *, progress: Progress | None = None) -> LedgerImportReport:
    """Read and check a ledger file; nothing touches the database except name look-ups."""
    report = LedgerImportReport()
    orgs = Organization.objects.select_related("region", "region__parent").name_index()
    columns: dict[str, int] | None = None
    unit: UnitBlock | None = None
    seen: dict[int, int] = {}
    try:
        sheet = read_sheet(file)
    except WorkbookError as exc:
        report.error(0, "", str(exc))
        return report
    rows = sheet.rows
    total = len(rows)
    for done, (number, cells) in enumerate(rows, start=1):
        if progress and done % 500 == 0:
            progress(done, total)
        texts = [clean_text(c) for c in cells]
        if not any(texts):
            continue
        if _is_header(texts):
            mapped = _header_map(texts)
            missing = [h for h in HEADERS if h not in mapped]
            if missing:
                report.error(number, "", f"表头缺少列：{'、'.join(missing)}")
            columns = mapped
            continue
        first = next((t for t in texts if t), "")
        if first.startswith("责任单位"):
            unit = _unit_line(number, first, cells, texts, columns, orgs, report)
            continue
        if columns is None:
            continue  # the title and captions above the first header
        seq_value = _cell(cells, columns.get("序号"))
        name = clean_text(_cell(cells, columns.get("项目名称")))
        label = total_label(texts)
        if label is not None and (clean_text(seq_value) == "" or columns.get("序号") in label[1]):
            _total_line(number, cells, texts, columns, unit, label, report)
            continue
        if clean_text(seq_value) == "" and not name:
            _subtotal_line(number, cells, texts, columns, unit, report)
            continue
        if unit is None:
            report.error(number, "", "该行之前没有“责任单位：……”行，无法确定责任单位")
            continue
        span = sheet.merged_rows(number, columns[AMOUNT]) if AMOUNT in columns else None
        if span is not None:
            report.error(
                number,
                AMOUNT,
                f"金额单元格跨第{span[0]}–{span[1]}行合并，无法确定每个项目的金额，请分行填写",
            )
        parsed = _data_row(number, cells, columns, unit, orgs, report, seq_value, name)
        if parsed is None:
            continue
        if parsed.seq in seen:
            report.error(number, "序号", f"序号 {parsed.seq} 与第{seen[parsed.seq]}行重复")
            continue
        seen[parsed.seq] = number
        unit.rows.append(parsed)
        report.rows += 1
    if columns is None:
        report.error(1, "", "未找到表头（应含“序号”“项目名称”“甲方(青海)”等列）")
    for block in report.units:
        _check_unit(block, report)
    _check_grand_totals(report)
    report.flagged = [r for b in report.units for r in b.rows if r.needs_correction]
    report.issues.sort(key=lambda i: (i.row, i.level != "error"))
    return report


def _unit_line(number, first, cells, texts, columns, orgs, report) -> UnitBlock:
    m = UNIT_LINE.match(first)
    label = clean_text(m["name"]) if m else first
    count = int(m["count"]) if m and m["count"] else None
    org = orgs.get(normalize_unit_name(label))
    if org is None:
        report.error(number, "责任单位", f"未知的责任单位“{label}”（不在单位名录中，请核对名称）")
    block = UnitBlock(row=number, label=label, organization=org, count=count)
    # A subtotal printed on the unit line sits in the 总投资额 column.
    amount_col = columns.get("总投资额(亿元)") if columns else None
    candidates = [amount_col] if amount_col is not None else range(1, len(cells))
    for index in candidates:
        value = _cell(cells, index)
        if clean_text(value) and clean_text(value) != first:  # not the merged label itself
            block.subtotal = parse_amount(value, report=report, row=number, column="小计(亿元)")
            block.subtotal_row = number
            block.subtotal_cell = f"{get_column_letter(index + 1)}{number}"
            break
    report.units.append(block)
    return block


def _set_subtotal(unit: UnitBlock, number: int, value: Decimal | None, cell: str, report) -> None:
    if unit.subtotal is not None and value is not None and value != unit.subtotal:
        report.error(number, "小计(亿元)", f"与第{unit.subtotal_row}行的小计不一致")
    unit.subtotal, unit.subtotal_row, unit.subtotal_cell = value, number, cell


def _subtotal_line(number, cells, texts, columns, unit, report) -> None:
    amount = _cell(cells, columns.get(AMOUNT))
    others = [t for i, t in enumerate(texts) if t and i != columns.get(AMOUNT)]
    if clean_text(amount) and not others and unit is not None:
        value = parse_amount(amount, report=report, row=number, column="小计(亿元)")
        _set_subtotal(
            unit, number, value, f"{get_column_letter(columns[AMOUNT] + 1)}{number}", report
        )
        return
    report.error(number, "", f"无法识别的行（没有序号和项目名称）：“{' '.join(others)[:40]}”")


def _total_line(number, cells, texts, columns, unit, label, report) -> None:
    """A 小计/合计/总计 line: its amount is in the 总投资额 column, or the one other cell."""
    word, label_cells = label
    column = "小计(亿元)" if word == "小计" else "合计(亿元)"
    others = [i for i, t in enumerate(texts) if t and i not in label_cells]
    if columns.get(AMOUNT) in others:
        index = columns[AMOUNT]
    elif len(others) == 1:
        index = others[0]
    else:
        what = "没有金额" if not others else "有多个数值，无法确定哪一个是金额"
        report.error(number, column, f"{word}行{what}（金额应填在“{AMOUNT}”列）")
        return
    value = parse_amount(cells[index], report=report, row=number, column=column)
    if value is None:
        return
    cell = f"{get_column_letter(index + 1)}{number}"
    if word == "小计":
        if unit is None:
            report.error(number, column, "小计行之前没有“责任单位：……”行")
            return
        _set_subtotal(unit, number, value, cell, report)
        return
    report.grand_totals.append((number, value, cell, unit))


def _data_row(number, cells, columns, unit, orgs, report, seq_value, name) -> ParsedRow | None:
    errors_before = len(report.errors)
    seq = _parse_seq(seq_value, report, number)
    if not name:
        report.error(number, "项目名称", "不能为空")
    raw = {h: _cell(cells, columns.get(h)) for h in HEADERS}
    amount = parse_amount(raw["总投资额(亿元)"], report=report, row=number, column="总投资额(亿元)")
    if len(report.errors) > errors_before or seq is None:
        return None
    notes: list[str] = []
    # The file's own note (a realignment made when the sheet was prepared, or the note of a
    # row exported from this system) is kept verbatim, so re-importing an export is a no-op.
    source_note = _note_text(_cell(cells, columns.get(NOTE_HEADER)))
    if source_note:
        report.warning(number, NOTE_HEADER, f"文件注明的更正说明：{source_note}")
        notes.append(source_note)
    empty = [h for h in FLAG_IF_EMPTY if clean_text(raw[h]) == ""]
    if empty:
        cols = "、".join(f"“{h}”" for h in empty)
        for h in empty:
            report.warning(number, h, "原表为空（可能是合并单元格），已导入并标记待更正")
        empty_note = f"原表{cols}为空，待核实补充。"
        if empty_note not in source_note:
            notes.append(empty_note)
    parsed = ParsedRow(
        row=number,
        seq=seq,
        name=name,
        party_a=split_parties(clean_text(raw["甲方(青海)"])),
        party_b=split_parties(clean_text(raw["乙方(省外)"])),
        total_investment=amount,
        places=split_places(clean_text(raw["资金来源地"])),
        leader="、".join(split_people(clean_text(raw["责任领导"]))),
        persons=split_people(clean_text(raw["责任人"])),
        notes=notes,
        unit=unit,
    )
    parsed.region, parsed.region_basis = _landing_region(parsed, orgs)
    return parsed


def _sub_province(region: Region | None) -> Region | None:
    if region is not None and region.level in (Region.Level.PREFECTURE, Region.Level.COUNTY):
        return region
    return None


def _landing_region(row: ParsedRow, orgs: dict[str, Organization]) -> tuple[Region | None, str]:
    """Where the contract lands, and why the platform thinks so (the ledger has no such
    column): the first 甲方 that the unit directory places in a 市州 or 县; failing that, the
    responsible unit's own 市州 (a prefecture government, a park). ("", None) when neither."""
    for party in row.party_a:
        org = orgs.get(normalize_unit_name(party))
        if org is not None and _sub_province(org.region):
            return org.region, f"台账无落地地区一栏，按甲方“{party}”所在地推定"
    unit_org = row.unit.organization
    region = _sub_province(unit_org.region) if unit_org is not None else None
    if region is None:
        return None, ""
    return region, f"台账无落地地区一栏，按责任单位“{row.unit.label}”所在地推定"


def _check_unit(block: UnitBlock, report: ImportReport) -> None:
    if block.count is not None and block.count != len(block.rows):
        report.error(
            block.row,
            "责任单位",
            f"“{block.label}”注明{block.count}项，实有{len(block.rows)}行",
        )
    if block.subtotal is not None and block.subtotal != block.row_total:
        where = f"（{block.subtotal_cell}）" if block.subtotal_cell else ""
        report.error(
            block.subtotal_row or block.row,
            "小计(亿元)",
            f"“{block.label}”小计 {block.subtotal} 亿元{where}，"
            f"与各行合计 {block.row_total} 亿元不一致",
        )


def _check_grand_totals(report: LedgerImportReport) -> None:
    """合计/总计 is the sum of every row above it; a file that writes 合计 under each unit
    means that unit's rows — either reading is checked against the rows, neither is assumed."""
    for number, value, cell, unit in report.grand_totals:
        if any(
            i.row < number and i.column not in ("小计(亿元)", "合计(亿元)") for i in report.errors
        ):
            continue  # rows above were refused already; their sum would mislead
        above = sum(
            (
                r.total_investment or Decimal(0)
                for b in report.units
                for r in b.rows
                if r.row < number
            ),
            Decimal(0),
        )
        if value == above:
            continue
        if unit is not None and unit.subtotal is None and value == unit.row_total:
            unit.subtotal, unit.subtotal_row, unit.subtotal_cell = value, number, cell
            continue
        report.error(
            number,
            "合计(亿元)",
            f"合计 {value} 亿元（{cell}），与以上各行合计 {above} 亿元不一致",
        )


def _values(row: ParsedRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "party_a": row.party_a,
        "party_b": row.party_b,
        "total_investment": row.total_investment,
        "funding_source_places": row.places,
        "responsible_leader": row.leader,
        "responsible_persons": row.persons,
        "responsible_unit": row.unit.organization,
        "responsible_unit_label": row.unit.label,
        "region": row.region,
        "region_basis": row.region_basis,
        "needs_correction": row.needs_correction,
        "correction_note": "\n".join(row.notes),
        "source_row": row.row,
    }


_FOREIGN_KEYS = ("responsible_unit", "region")


def _differs(contract: Contract, values: dict[str, Any]) -> bool:
    for key, value in values.items():
        if key == "source_row":
            continue
        if key in _FOREIGN_KEYS:  # compare ids: fetching the related rows costs a query each
            if getattr(contract, f"{key}_id") != getattr(value, "pk", None):
                return True
        elif getattr(contract, key) != value:
            return True
    return False


def import_ledger(
    *,
    fair: Fair,
    file: IO[bytes] | str,
    user=None,
    commit: bool = True,
    progress: Progress | None = None,
) -> LedgerImportReport:
    """Import (or, with ``commit=False``, preview) a ledger into ``fair``.

    Contracts are matched on (fair, 序号): new numbers are created, changed rows updated (with
    a version bump, so an edit form opened before the import refuses to overwrite it),
    unchanged rows left alone. Rows of the fair missing from the file are kept. A file with
    any error saves nothing; the returned report lists every issue by row and column.
    """
    report = parse_ledger(file, progress=progress)
    existing = {c.seq: c for c in Contract.objects.filter(fair=fair)}
    rows = [r for b in report.units for r in b.rows]
    new, changed = [], []
    for row in rows:
        values = _values(row)
        current = existing.get(row.seq)
        if current is not None and not row.notes:
            # A clean row keeps the record of earlier corrections made to it.
            values["correction_note"] = current.correction_note
        if current is not None and current.region_id and not current.region_basis:
            # A region a person entered is a fact; a re-import only has an inference.
            values["region"], values["region_basis"] = current.region, ""
        if current is None:
            new.append(row)
        elif _differs(current, values):
            changed.append((current, values))
        else:
            report.unchanged += 1
    report.created, report.updated = len(new), len(changed)
    if not report.ok or not commit:
        return report
    try:
        with transaction.atomic():
            _write(fair, new, changed, user, report, progress)
    except ImportRejected as exc:
        return exc.report  # type: ignore[return-value]
    report.committed = True
    return report


def _write(fair, new, changed, user, report, progress) -> None:
    objs = []
    for row in new:
        contract = Contract(fair=fair, seq=row.seq, created_by=user, **_values(row))
        contract.refresh_derived()
        try:
            # Foreign keys and uniqueness were checked while parsing; skip their per-row queries.
            contract.full_clean(
                exclude=["fair", "responsible_unit", "region", "created_by"],
                validate_unique=False,
                validate_constraints=False,
            )
        except Exception as exc:  # ValidationError: report it against the row, save nothing
            report.error(row.row, "", f"数据无效：{exc}")
        objs.append(contract)
    if not report.ok:
        raise ImportRejected(report)
    bulk_create_with_history(
        objs, Contract, batch_size=500, default_user=user, default_change_reason="导入台账"
    )
    for done, (contract, values) in enumerate(changed, start=1):
        for key, value in values.items():
            setattr(contract, key, value)
        contract._change_reason = "导入台账"
        if user is not None:
            contract._history_user = user
        save_versioned(contract, contract.version)
        if progress and done % 200 == 0:
            progress(done, len(changed))
    if progress:
        progress(len(new) + len(changed), len(new) + len(changed))
