"""Excel in and out, shared by every importer and exporter.

Importers collect every problem of a file as ``ImportIssue`` (row, column, message) before
saving anything; a file with any error imports nothing. Exporters write with openpyxl's
write-only mode so large lists do not build a whole workbook in memory.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import IO, Any

from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

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


def open_rows(file: IO[bytes] | str, sheet: str | None = None) -> Iterator[tuple[int, list]]:
    """Yield (excel_row_number, cell values) of the first (or named) sheet."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-xlsx upload
        raise ValueError("无法读取文件：请上传 .xlsx 格式的 Excel 文件。") from exc
    ws = wb[sheet] if sheet else wb.worksheets[0]
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        yield number, list(row)
    wb.close()


def clean_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def normalize_header(value: Any) -> str:
    """Headers compare without spaces and with ASCII brackets: 总投资（亿元） == 总投资(亿元)."""
    return clean_text(value).replace(" ", "").replace("（", "(").replace("）", ")")


def parse_decimal(
    value: Any, *, report: ImportReport, row: int, column: str, required: bool = False
) -> Decimal | None:
    if value is None or clean_text(value) == "":
        if required:
            report.error(row, column, "不能为空")
        return None
    if isinstance(value, bool):
        report.error(row, column, f"应为数字，实为“{value}”")
        return None
    try:
        text = clean_text(value).replace(",", "").replace("，", "")
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        report.error(row, column, f"应为数字（亿元），实为“{clean_text(value)}”")
        return None
    if not amount.is_finite():
        report.error(row, column, f"应为数字（亿元），实为“{clean_text(value)}”")
        return None
    if amount < 0:
        report.error(row, column, "不能为负数")
        return None
    return amount.quantize(AMOUNT_PLACES)


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


def workbook_bytes(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet1",
    widths: Sequence[int] | None = None,
    caption: str | None = None,
) -> bytes:
    """A one-sheet workbook: optional caption row, a bold header row, then the rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    for i, width in enumerate(widths or [max(10, len(h) * 2 + 2) for h in headers], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    from openpyxl.cell import WriteOnlyCell

    if caption:
        cell = WriteOnlyCell(ws, value=caption)
        cell.font = Font(bold=True, size=14)
        ws.append([cell])
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_cell_value(v) for v in row])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell_value(value: Any) -> Any:
    # openpyxl writes Decimal natively; aware datetimes must become local naive ones.
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return value


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
