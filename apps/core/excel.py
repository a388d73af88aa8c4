"""Excel in and out, shared by every importer and exporter.

Importers read every workbook through ``read_sheet`` (bounded rows, columns, time and size)
and collect every problem of a file as ``ImportIssue`` (row, column, message) before saving
anything; a file with any error imports nothing. Exporters write every cell through
``export_cell`` (no live formulas) in openpyxl's write-only mode, so large lists do not build
a whole workbook in memory.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.forms import CheckboxInput
from django.http import HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AMOUNT_PLACES = Decimal("0.0001")  # 亿元 with 4 decimal places


@dataclass(frozen=True)
class ImportIssue:
    row: int  # 1-based row number as Excel shows it
    column: str  # the header text (e.g. "总投资(亿元)"), or "" for a whole-row problem
    message: str
    level: str = "error"  # "error" rejects the file; "warning" imports the row, flagged

    def __str__(self) -> str:
        where = f"第{self.row}行" + (f"“{self.column}”列" if self.column else "")
        return f"{where}：{self.message}"


@dataclass
class ImportReport:
    issues: list[ImportIssue] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    rows: int = 0

    def error(self, row: int, column: str, message: str) -> None:
        self.issues.append(ImportIssue(row, column, message, "error"))

    def warning(self, row: int, column: str, message: str) -> None:
        self.issues.append(ImportIssue(row, column, message, "warning"))

    @property
    def errors(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRejected(Exception):
    """Raised inside the import transaction so nothing of a bad file is saved."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.errors)} 处错误，未导入任何数据")
        self.report = report


# --- bounded reading ------------------------------------------------------------------------
#
# Every workbook a user hands in is read here, and only here, within limits from settings:
# the size the package unpacks to (checked from the zip directory before anything is
# unpacked: zipfile never inflates a member past its declared size), the rows and columns
# that hold data, and a wall-clock budget. The sheet's declared <dimension> is not trusted
# either way: a tiny file may declare A1:XFD1048576 (openpyxl would then pad every row to
# 16,384 cells and every gap with empty rows — the hang of issue 9 point 11), and a lying one
# may declare A1:A1 over 100,000 rows. So the sheet XML is streamed row element by row element
# and only cells that hold a value count.

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and every encrypted .xlsx
_MAX_PACKAGE_MEMBERS = 10_000


class WorkbookError(ValueError):
    """A file refused before (or while) its rows are read; the message is for the user."""


@dataclass
class SheetData:
    """The rows of one sheet that hold data, merged ranges filled from their top-left cell."""

    rows: list[tuple[int, list[Any]]]
    # (row, 0-based column) → (first row, last row) of a merged range spanning several rows
    vertical_merges: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    def merged_rows(self, row: int, index: int) -> tuple[int, int] | None:
        return self.vertical_merges.get((row, index))


def _limits() -> tuple[int, int, float, int]:
    return (
        settings.QH_EXCEL_MAX_ROWS,
        settings.QH_EXCEL_MAX_COLUMNS,
        settings.QH_EXCEL_MAX_SECONDS,
        settings.QH_EXCEL_MAX_UNPACKED_MB,
    )


def _check_package(fh: IO[bytes], max_unpacked_mb: int) -> None:
    head = fh.read(len(_OLE_MAGIC))
    fh.seek(0)
    if head == _OLE_MAGIC:
        raise WorkbookError(
            _(
                "这是旧版 Excel（.xls）文件或加密的工作簿，无法读取：请在 Excel 中取消密码并"
                "“另存为” .xlsx 格式后再上传。"
            )
        )
    try:
        with zipfile.ZipFile(fh) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise WorkbookError(
            _(
                "文件不是有效的 .xlsx 工作簿（可能只是扩展名改成了 .xlsx）：请在 Excel 中"
                "“另存为” .xlsx 格式后再上传。"
            )
        ) from exc
    finally:
        fh.seek(0)
    unpacked = sum(m.file_size for m in members)
    if len(members) > _MAX_PACKAGE_MEMBERS or unpacked > max_unpacked_mb * 1024 * 1024:
        raise WorkbookError(
            _(
                "文件解压后超过 %(mb)s MB，已拒绝读取（压缩比异常，可能是恶意构造的文件）。"
                "请删除无关的工作表或图片后再上传。"
            )
            % {"mb": max_unpacked_mb}
        )


def _too_many_rows(row: int, max_rows: int) -> WorkbookError:
    return WorkbookError(
        _("第%(row)s行有数据：每个工作表最多读取 %(max)s 行，请拆分为多个文件分批导入。")
        % {"row": row, "max": max_rows}
    )


def _too_many_columns(row: int, column: int, max_columns: int) -> WorkbookError:
    return WorkbookError(
        _("第%(row)s行 %(col)s 列有数据：每个工作表最多读取 %(max)s 列（到 %(last)s 列）。")
        % {
            "row": row,
            "col": get_column_letter(min(column, 18278)),
            "max": max_columns,
            "last": get_column_letter(max_columns),
        }
    )


def _too_slow(seconds: float) -> WorkbookError:
    return WorkbookError(
        _("读取文件超过 %(seconds)s 秒仍未完成，已停止：请删除多余的行、列和工作表后再上传。")
        % {"seconds": f"{seconds:g}"}
    )


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(file: IO[bytes] | str, sheet: str | None = None) -> SheetData:
    """The first (or named) sheet's rows that hold data, as (Excel row number, values).

    Raises ``WorkbookError`` with a message for the user when the file is not an .xlsx, is a
    zip bomb, has data beyond the configured rows or columns, or takes longer than the budget.
    """
    max_rows, max_columns, max_seconds, max_unpacked_mb = _limits()
    deadline = time.monotonic() + max_seconds
    if isinstance(file, str | Path):
        with open(file, "rb") as fh:
            return _read(fh, sheet, max_rows, max_columns, max_seconds, deadline, max_unpacked_mb)
    file.seek(0)
    return _read(file, sheet, max_rows, max_columns, max_seconds, deadline, max_unpacked_mb)


def _read(fh, sheet, max_rows, max_columns, max_seconds, deadline, max_unpacked_mb) -> SheetData:
    _check_package(fh, max_unpacked_mb)
    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a package that is not a workbook
        raise WorkbookError(
            _("无法读取文件：这不是 Excel 工作簿（.xlsx），或文件已损坏。")
        ) from exc
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise WorkbookError(_("文件中没有名为“%(sheet)s”的工作表。") % {"sheet": sheet})
        sheets = [wb[sheet]] if sheet is not None else wb.worksheets[:1]
        if not sheets:
            raise WorkbookError(_("文件中没有工作表。"))
        ws = sheets[0]
        if time.monotonic() > deadline:
            raise _too_slow(max_seconds)
        return _stream(wb, ws, max_rows, max_columns, max_seconds, deadline)
    finally:
        wb.close()


def _stream(wb, ws, max_rows, max_columns, max_seconds, deadline) -> SheetData:
    # openpyxl's row iterator pads to the declared dimension; its sheet parser (what that
    # iterator itself runs on, pinned with openpyxl==3.1.5) yields the row elements as stored.
    from openpyxl.worksheet._reader import WorkSheetParser

    rows: dict[int, list[Any]] = {}
    with ws._get_source() as source:
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a date cell out of range reads as "#VALUE!"
                for number, cells in parser.parse():
                    if time.monotonic() > deadline:
                        raise _too_slow(max_seconds)
                    values = [(c["column"], c["value"]) for c in cells if not _empty(c["value"])]
                    if not values:
                        continue  # an empty row element (height, style) is not data
                    if number > max_rows:
                        raise _too_many_rows(number, max_rows)
                    width = max(column for column, _v in values)
                    if width > max_columns:
                        raise _too_many_columns(number, width, max_columns)
                    line = rows.setdefault(number, [])
                    line.extend([None] * (width - len(line)))
                    for column, value in values:
                        line[column - 1] = value
        except WorkbookError:
            raise
        except Exception as exc:  # malformed XML, a bad cell reference, an unknown string index
            raise WorkbookError(_("无法读取文件：工作表内容已损坏。")) from exc
        merges = parser.merged_cells.mergeCell if parser.merged_cells is not None else []
    vertical = _fill_merges(rows, merges, max_rows, max_columns, max_seconds, deadline)
    # Every row as wide as the widest one holding data (not as the declared dimension says).
    width = max((len(line) for line in rows.values()), default=0)
    for line in rows.values():
        line.extend([None] * (width - len(line)))
    return SheetData(rows=sorted(rows.items()), vertical_merges=vertical)


def _fill_merges(rows, merges, max_rows, max_columns, max_seconds, deadline):
    """openpyxl keeps a merged range's value in its top-left cell only; what the user sees is
    that value across the range, so that is what the importers get."""
    from openpyxl.utils.cell import range_boundaries

    vertical: dict[tuple[int, int], tuple[int, int]] = {}
    for merge in merges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(merge.ref)
        except (TypeError, ValueError) as exc:
            raise WorkbookError(_("无法读取文件：工作表内容已损坏。")) from exc
        anchor_row = rows.get(min_row, [])
        value = anchor_row[min_col - 1] if min_col <= len(anchor_row) else None
        if _empty(value):
            continue
        if max_row > max_rows:
            raise _too_many_rows(max_row, max_rows)
        if max_col > max_columns:
            raise _too_many_columns(min_row, max_col, max_columns)
        for r in range(min_row, max_row + 1):
            if time.monotonic() > deadline:
                raise _too_slow(max_seconds)
            line = rows.setdefault(r, [])
            line.extend([None] * (max_col - len(line)))
            for c in range(min_col, max_col + 1):
                line[c - 1] = value
                if max_row > min_row:
                    vertical[(r, c - 1)] = (min_row, max_row)
    return vertical


def clean_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def normalize_header(value: Any) -> str:
    """Headers compare without spaces and with ASCII brackets: 总投资（亿元） == 总投资(亿元)."""
    return clean_text(value).replace(" ", "").replace("（", "(").replace("）", ")")


# --- amounts -------------------------------------------------------------------------------
#
# One parser for every amount a workbook holds, in 亿元 with 4 places (万元 precision), however
# the unit wrote it: a number cell; "3.5"; "3.5亿元", "3.5 亿"; "35000万元"; full-width digits
# "３．５"; thousands separators "1,234.5". Anything else is an error naming the text — the
# parser never guesses (a comma that is not a thousands separator, "约3.5亿", "3.5亿（含…）").

AMOUNT_LIMIT = Decimal("1e10")  # 亿元 fields are max_digits=14, decimal_places=4
_UNIT_FACTORS = {
    "万亿": Decimal("10000"),
    "亿": Decimal("1"),
    "千万": Decimal("0.1"),
    "百万": Decimal("0.01"),
    "万": Decimal("0.0001"),
    "元": Decimal("0.00000001"),
}
_AMOUNT_TEXT = re.compile(
    r"^(?P<sign>[-+]?)[¥]?"
    r"(?P<number>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE](?P<exp>[-+]?\d{1,6}))?"
    r"(?P<unit>万亿元?|亿元?|千万元?|百万元?|万元?|元)?$"
)
_NONE_MARKS = {"-", "--", "—", "——", "–", "/", "\\"}  # how tables print "no amount"


class AmountError(ValueError):
    """An amount that cannot be read; the message says why, for the row/column report."""


def amount_from(value: Any) -> Decimal | None:
    """The value as Decimal 亿元 (4 places, rounded half up), or None for an empty cell."""
    if value is None or isinstance(value, dt.date | dt.time | dt.timedelta):
        if value is None:
            return None
        raise AmountError(_("应为数字（亿元），实为日期或时间“%(text)s”") % {"text": value})
    if isinstance(value, bool):
        raise AmountError(_("应为数字（亿元），实为“%(text)s”") % {"text": value})
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except (InvalidOperation, ValueError) as exc:
            raise AmountError(_("应为数字（亿元），实为“%(text)s”") % {"text": value}) from exc
        return _bounded(number, Decimal(1), str(value))
    text = clean_text(value)
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if compact == "" or compact in _NONE_MARKS:
        return None
    m = _AMOUNT_TEXT.match(compact)
    if m is None:
        raise AmountError(
            _("应为数字（亿元，可写作 3.5、3.5亿元、35000万元），实为“%(text)s”") % {"text": text}
        )
    number = Decimal(
        m["sign"] + m["number"].replace(",", "") + (f"e{m['exp']}" if m["exp"] else "")
    )
    unit = (m["unit"] or "亿").removesuffix("元") or "元"
    return _bounded(number, _UNIT_FACTORS[unit], text)


def _bounded(number: Decimal, factor: Decimal, text: str) -> Decimal:
    if not number.is_finite():
        raise AmountError(_("应为数字（亿元），实为“%(text)s”") % {"text": text})
    if number < 0:
        raise AmountError(_("金额不能为负数，实为“%(text)s”") % {"text": text})
    # Compare magnitudes before any arithmetic: 1e999 would overflow the decimal context.
    if number != 0 and number.adjusted() + factor.adjusted() >= AMOUNT_LIMIT.adjusted():
        raise AmountError(
            _("金额过大：“%(text)s”超过 %(limit)s 亿元，请核对单位和数值")
            % {"text": text, "limit": f"{AMOUNT_LIMIT:,.0f}"}
        )
    return (number * factor).quantize(AMOUNT_PLACES, rounding=ROUND_HALF_UP)


def parse_amount(
    value: Any, *, report: ImportReport, row: int, column: str, required: bool = False
) -> Decimal | None:
    """``amount_from`` for an importer: a problem becomes an error at (row, column)."""
    try:
        amount = amount_from(value)
    except AmountError as exc:
        report.error(row, column, str(exc))
        return None
    if amount is None and required:
        report.error(row, column, _("不能为空"))
    return amount


# A cell that names a total line: "小计", "合 计：", "西宁市小计", "合计(亿元)" (compared after
# normalize_header). Ending with the word keeps names such as "综合计量中心" out.
_TOTAL_LABEL = re.compile(r"^.{0,40}?(?P<word>小计|合计|总计)(?:\(亿元\))?[:：]?$")


def total_label(texts: list[str]) -> tuple[str, set[int]] | None:
    """The total word of a line (小计/合计/总计), whatever column holds it, and the cells that
    hold it (a merged label fills several); None for any other line."""
    found: tuple[str, set[int], str] | None = None
    for index, text in enumerate(texts):
        m = _TOTAL_LABEL.match(normalize_header(text)) if text else None
        if m and found is None:
            found = (m["word"], {index}, text)
        elif found is not None and text == found[2]:
            found[1].add(index)
    return (found[0], found[1]) if found else None


_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"), "ymd"),
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"), "ym"),
]


def parse_date(
    value: Any, *, report: ImportReport, row: int, column: str, required: bool = False
) -> dt.date | None:
    if value is None or clean_text(value) == "":
        if required:
            report.error(row, column, "不能为空")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean_text(value)
    for pattern, kind in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                if kind == "ymd":
                    return dt.date(int(m[1]), int(m[2]), int(m[3]))
                return dt.date(int(m[1]), int(m[2]), 1)
            except ValueError:
                break
    report.error(row, column, f"应为日期（如 2023-03-31），实为“{text}”")
    return None


def parse_bool(value: Any, *, report: ImportReport, row: int, column: str) -> bool:
    text = clean_text(value)
    if text in {"", "否", "N", "n", "no", "No", "false", "False", "0", "×"}:
        return False
    if text in {"是", "Y", "y", "yes", "Yes", "true", "True", "1", "√"}:
        return True
    report.error(row, column, f"应填“是”或“否”，实为“{text}”")
    return False


# --- writing -------------------------------------------------------------------------------
#
# Exports never carry live formulas. A text value starting with one of the characters OWASP's
# CSV-injection guidance lists (= + - @, tab, CR; LF too) would be a formula, or become one
# when a user edits the cell — a project named =HYPERLINK(…) was a live link. Such a cell is
# written as a typed string (openpyxl would otherwise store "=…" as a formula) with Excel's
# quotePrefix flag, which is what Excel itself records when someone types a leading
# apostrophe: the cell stays text even after editing. Chosen over prefixing an apostrophe to
# the value because the value stays exactly what the user typed, so an export imports back
# unchanged; numbers (negative ones included) stay numbers. The API's CSV export, having no cell
# types, prefixes an apostrophe instead (csv_safe).

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def export_cell(
    ws,
    value: Any,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    alignment: Alignment | None = None,
    number_format: str | None = None,
) -> WriteOnlyCell:
    """The one way an export writes a cell: text that could start a formula is inert text,
    characters a workbook cannot hold are dropped, aware datetimes become local time."""
    value = _cell_value(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if number_format and isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        cell.number_format = number_format
    return cell


# Every export is a 台账 sheet: a title row, then the filters and the time it was made, a
# frozen header with an auto-filter, amounts in 亿元 with the platform's 4 decimals, a 合计 row
# with the computed sums (a value, never a live formula), and a print setup (landscape, fitted
# to the page width, the title and header rows repeated on every page).

AMOUNT_FORMAT = "#,##0.0000"
COUNT_FORMAT = "#,##0"
TOTAL_LABEL = "合计"


def ledger_sheet_start(ws, *, header_row: int) -> None:
    """Before the first row (a write-only sheet writes its views and properties first): freeze
    the rows down to the header and fit the printed page to its width."""
    ws.freeze_panes = f"A{header_row + 1}"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def ledger_sheet_end(ws, *, header_row: int, last_row: int, columns: int) -> None:
    """After the rows: filter the table (header to last data row, so sorting never moves a 合计
    line), repeat the title and header rows on every printed page, landscape A4."""
    last_column = get_column_letter(max(columns, 1))
    ws.auto_filter.ref = f"A{header_row}:{last_column}{max(last_row, header_row)}"
    ws.print_title_rows = f"1:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def export_stamp() -> str:
    from django.utils import timezone

    return timezone.localtime().strftime("%Y-%m-%d %H:%M")


def filters_line(filters: Sequence[tuple[str, str]] | str | None) -> str:
    """'筛选：层级=省级；地区=西宁市 · 导出时间：2026-12-01 20:30' (北京时间); without filters
    (None: the export has none to name) only the time."""
    stamp = f"导出时间：{export_stamp()}"
    if filters is None:
        return stamp
    if isinstance(filters, str):
        chosen = filters
    else:
        chosen = "；".join(f"{label}={value}" for label, value in filters if value)
    return f"筛选：{chosen or '全部'} · {stamp}"


def describe_filters(filterset: Any) -> list[tuple[str, str]]:
    """The filters a list was exported with, as (label, value) in Chinese (the workbook's
    language), for the title row: '层级=省级', '地区=西宁市'."""
    form = filterset.form
    if not form.is_bound or not form.is_valid():
        return []
    chosen = []
    with translation.override(settings.LANGUAGE_CODE):
        for name, field in form.fields.items():
            value = form.cleaned_data.get(name)
            if name in {"ordering", "o", "page", "page_size"} or value in (None, "", [], ()):
                continue
            if value is False and isinstance(field.widget, CheckboxInput):
                continue  # an unticked 仅… box filters nothing
            if isinstance(value, bool):
                shown = "是" if value else "否"
            elif isinstance(value, list | tuple | set) or (
                hasattr(value, "__iter__") and not (isinstance(value, str))
            ):
                shown = "、".join(str(v) for v in value)
            else:
                labels = {}
                for key, label in getattr(field, "choices", ()) or ():
                    if isinstance(label, list | tuple):  # an optgroup
                        labels.update({str(k): v for k, v in label})
                    else:
                        labels[str(key)] = label
                shown = str(labels.get(str(value), value))
            chosen.append((str(field.label or name), shown))
    return chosen


def _sum(values: Iterable[Any]) -> Decimal:
    total = Decimal(0)
    for v in values:
        if isinstance(v, Decimal | int) and not isinstance(v, bool):
            total += Decimal(v)
        elif isinstance(v, float):
            total += Decimal(str(v))
    return total


def workbook_bytes(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet1",
    widths: Sequence[int] | None = None,
    caption: str | None = None,
    filters: Sequence[tuple[str, str]] | str | None = None,
    amounts: Sequence[int] = (),
    totals: Sequence[int] = (),
) -> bytes:
    """A one-sheet 台账 workbook: the caption row (with the filters and the time), a bold
    header row, the rows, and a 合计 row summing the ``totals`` columns.

    ``amounts`` are the 0-based columns holding 亿元 amounts (formatted with 4 decimals);
    ``totals`` the ones summed (an amount column keeps its format, a count gets ``#,##0``)."""
    buf = BytesIO()
    _write_workbook(
        buf, headers, rows, title=title, widths=widths, caption=caption, filters=filters,
        amounts=amounts, totals=totals,
    )  # fmt: skip
    return buf.getvalue()


def workbook_file(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet1",
    widths: Sequence[int] | None = None,
    caption: str | None = None,
    filters: Sequence[tuple[str, str]] | str | None = None,
    amounts: Sequence[int] = (),
    totals: Sequence[int] = (),
) -> IO[bytes]:
    """``workbook_bytes`` written to an anonymous temporary file (rewound), for exports of any
    size: openpyxl's write-only sheet keeps rows on disk as they come, the zip is written to
    the file, and the caller streams it on — the file is never held in memory (issue 15)."""
    import tempfile

    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — the caller closes it
    _write_workbook(
        out, headers, rows, title=title, widths=widths, caption=caption, filters=filters,
        amounts=amounts, totals=totals,
    )  # fmt: skip
    out.seek(0)
    return out


def _write_workbook(out, headers, rows, *, title, widths, caption, filters, amounts, totals):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    for i, width in enumerate(widths or [max(10, len(h) * 2 + 2) for h in headers], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ledger_sheet_start(ws, header_row=2 if caption else 1)
    row_number = 0
    if caption:
        # One title row (the rows below keep their places for the readers of older exports).
        title_line = f"{caption}（{filters_line(filters)}）"
        ws.append([export_cell(ws, title_line, font=Font(bold=True, size=14))])
        row_number = 1
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    centered = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.append(
        [export_cell(ws, h, font=bold, fill=header_fill, alignment=centered) for h in headers]
    )
    header_row = row_number = row_number + 1
    formats = {i: COUNT_FORMAT for i in totals} | {i: AMOUNT_FORMAT for i in amounts}
    sums = {i: Decimal(0) for i in totals}
    for row in rows:
        ws.append([export_cell(ws, v, number_format=formats.get(i)) for i, v in enumerate(row)])
        for i in sums:
            if i < len(row):
                sums[i] += _sum([row[i]])
        row_number += 1
    last_data_row = row_number
    if totals:
        label_at = next(i for i in range(len(headers)) if i not in sums)
        line = [sums.get(i, TOTAL_LABEL if i == label_at else None) for i in range(len(headers))]
        ws.append(
            [
                export_cell(ws, v, font=bold, number_format=formats.get(i))
                for i, v in enumerate(line)
            ]
        )
    ledger_sheet_end(ws, header_row=header_row, last_row=last_data_row, columns=len(headers))
    wb.save(out)


def xlsx_file_response(file: IO[bytes], filename: str):
    """Stream a workbook file (``workbook_file``) to the client in chunks."""
    from apps.core.downloads import stream_download

    return stream_download(file, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _cell_value(value: Any) -> Any:
    # openpyxl writes Decimal natively; aware datetimes must become local naive ones; a lazy
    # translation (a choice's label) is written in the language of the request.
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        # Control characters (a pasted ESC, a form feed) make openpyxl refuse the whole file.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def csv_safe(value: Any) -> Any:
    """A CSV cell has no type: text that could start a formula gets a leading apostrophe
    (OWASP's advice); numbers, negative ones included, stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        try:
            Decimal(value)
        except InvalidOperation:
            return "'" + value
    return value
