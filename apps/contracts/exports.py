"""Excel exports in the government's 责任分工表 layout (the importer reads them back).

Written with openpyxl's write-only mode, rows streamed from the database in chunks, so a large
ledger does not build a whole workbook in memory. Views call these directly for ordinary
ledgers and hand large ones to a background job (same functions, with a progress callback).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db.models import F, FilteredRelation, Q, QuerySet
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from apps.contracts.models import Contract, Fair
from apps.core.excel import (
    AMOUNT_FORMAT,
    TOTAL_LABEL,
    export_cell,
    filters_line,
    ledger_sheet_end,
    ledger_sheet_start,
)
from apps.core.periods import month_start, period_label

LEDGER_HEADERS = [
    "序号",
    "项目名称",
    "甲方(青海)",
    "乙方(省外)",
    "总投资额(亿元)",
    "资金来源地",
    "责任领导",
    "责任人",
    "更正说明",
]
REPORT_HEADERS = [
    "报送状态",
    "是否履约",
    "是否开工",
    "开工日期",
    "累计到位资金(亿元)",
    "进展情况",
    "存在问题",
    "填报人",
    "填报时间",
]
LEDGER_WIDTHS = [6, 44, 30, 34, 12, 14, 10, 14, 40]
LEDGER_AMOUNTS = (LEDGER_HEADERS.index("总投资额(亿元)"),)
REPORT_AMOUNTS = (
    *LEDGER_AMOUNTS,
    len(LEDGER_HEADERS) + REPORT_HEADERS.index("累计到位资金(亿元)"),
)
REPORT_WIDTHS = [10, 8, 8, 12, 14, 40, 40, 12, 18]

Progress = Callable[..., None]
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_UNIT_FILL = PatternFill("solid", fgColor="F2F2F2")


def _styled(ws, values: Iterable[Any], *, font=None, fill=None, amounts=()) -> list:
    """A row; the cells at ``amounts`` (0-based) carry the 亿元 format (4 decimals)."""
    return [
        export_cell(
            ws, value, font=font, fill=fill, number_format=AMOUNT_FORMAT if i in amounts else None
        )
        for i, value in enumerate(values)
    ]


def _total_line(width: int, sums: dict[int, Decimal]) -> list[Any]:
    """The 合计 line: the label under 序号, each summed column's total (a value)."""
    return [TOTAL_LABEL if i == 0 else sums.get(i) for i in range(width)]


def _add(sums: dict[int, Decimal], cells: list[Any]) -> None:
    for i in sums:
        value = cells[i] if i < len(cells) else None
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            sums[i] += Decimal(value)


def _blocks(contracts: QuerySet[Contract]) -> list[tuple[str, int, Decimal | None]]:
    """Consecutive runs of one 责任单位 in ledger order, with their count and subtotal — what
    the unit line above each run must say so the file re-imports cleanly. One light query."""
    blocks: list[list[Any]] = []
    for label, amount in contracts.order_by("seq").values_list(
        "responsible_unit_label", "total_investment"
    ):
        if not blocks or blocks[-1][0] != label:
            blocks.append([label, 0, Decimal(0), True])
        blocks[-1][1] += 1
        if amount is None:
            blocks[-1][3] = False  # an unknown amount: no subtotal can be printed
        else:
            blocks[-1][2] += amount
    return [(label, n, total if known else None) for label, n, total, known in blocks]


def _ledger_cells(contract: Contract) -> list[Any]:
    return [
        contract.seq,
        contract.name,
        contract.party_a_text,
        contract.party_b_text,
        contract.total_investment,
        contract.places_text,
        contract.responsible_leader,
        contract.persons_text,
        contract.correction_note if contract.needs_correction else "",
    ]


def _workbook(
    *,
    title: str,
    headers: list[str],
    widths: list[int],
    contracts: QuerySet[Contract],
    row_cells: Callable[[Contract], list[Any]],
    progress: Progress | None,
    amounts: tuple[int, ...],
    filters: Any,
) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="责任分工表")
    ledger_sheet_start(ws, header_row=2)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    caption = f"{title}（金额单位：亿元）（{filters_line(filters)}）"
    ws.append(_styled(ws, [caption], font=Font(bold=True, size=14)))
    header = _styled(ws, headers, font=_BOLD, fill=_HEADER_FILL)
    for cell in header:
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.append(header)
    blocks = _blocks(contracts)
    total = sum(n for _, n, _ in blocks)
    rows = contracts.order_by("seq").iterator(chunk_size=2000)
    done = 0
    sums = {i: Decimal(0) for i in amounts}
    for label, count, subtotal in blocks:
        line = [f"责任单位：{label}（{count}项）", None, None, None, subtotal]
        ws.append(_styled(ws, line, font=_BOLD, fill=_UNIT_FILL, amounts=amounts))
        for _ in range(count):
            cells = row_cells(next(rows))
            _add(sums, cells)
            ws.append(_styled(ws, cells, amounts=amounts))
            done += 1
            if progress and done % 500 == 0:
                progress(done, total)
    if progress:
        progress(total, total)
    # 合计 of the known amounts (the importer sums the same way: an empty amount counts 0).
    ws.append(_styled(ws, _total_line(len(headers), sums), font=_BOLD, amounts=amounts))
    ledger_sheet_end(ws, header_row=2, last_row=2 + len(blocks) + done, columns=len(headers))
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_ledger(
    *,
    fair: Fair,
    contracts: QuerySet[Contract],
    progress: Progress | None = None,
    filters: list[tuple[str, str]] | None = None,
) -> tuple[str, bytes]:
    """The (filtered) ledger as 责任分工表.xlsx; returns (filename, content). ``filters``:
    the list's filters as (label, value), named in the title row."""
    contracts = contracts.filter(fair=fair).select_related(None)
    content = _workbook(
        title=f"{fair.short_name}签约项目责任分工表",
        headers=LEDGER_HEADERS,
        widths=LEDGER_WIDTHS,
        contracts=contracts,
        row_cells=_ledger_cells,
        progress=progress,
        amounts=LEDGER_AMOUNTS,
        filters=filters or [],
    )
    return f"{fair.short_name}签约项目责任分工表.xlsx", content


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def _local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def export_month_reports(
    *,
    fair: Fair,
    contracts: QuerySet[Contract],
    period: dt.date,
    progress: Progress | None = None,
    filters: list[tuple[str, str]] | None = None,
) -> tuple[str, bytes]:
    """A month's reports in the ledger layout: every contract, with what its unit reported for
    that month (blank and "未报" where nothing was filed)."""
    period = month_start(period)
    contracts = (
        contracts.filter(fair=fair)
        .annotate(month=FilteredRelation("reports", condition=Q(reports__period=period)))
        .annotate(
            m_pk=F("month__pk"),
            m_performing=F("month__is_performing"),
            m_started=F("month__is_started"),
            m_started_on=F("month__started_on"),
            m_funds=F("month__funds_arrived_to_date"),
            m_progress=F("month__progress"),
            m_problems=F("month__problems"),
            m_by_last=F("month__reported_by__last_name"),
            m_by_first=F("month__reported_by__first_name"),
            m_by_username=F("month__reported_by__username"),
            m_at=F("month__updated_at"),
        )
    )

    def cells(contract: Any) -> list[Any]:
        ledger = _ledger_cells(contract)
        if contract.m_pk is None:
            return [*ledger, "未报"]
        who = f"{contract.m_by_last or ''}{contract.m_by_first or ''}" or contract.m_by_username
        return [
            *ledger,
            "已报",
            _yes_no(contract.m_performing),
            _yes_no(contract.m_started),
            contract.m_started_on,
            contract.m_funds,
            contract.m_progress,
            contract.m_problems,
            who or "",
            _local(contract.m_at),
        ]

    label = period_label(period)
    content = _workbook(
        title=f"{fair.short_name}签约项目进展情况（{label}）",
        headers=[*LEDGER_HEADERS, *REPORT_HEADERS],
        widths=[*LEDGER_WIDTHS, *REPORT_WIDTHS],
        contracts=contracts,
        row_cells=cells,
        progress=progress,
        amounts=REPORT_AMOUNTS,
        filters=[("月份", label), *(filters or [])],
    )
    return f"{fair.short_name}签约项目进展情况-{period:%Y-%m}.xlsx", content


QUARTERLY_RATE_HEADERS = [
    "签约项目(个)",
    "已报月报(个)",
    "正在履约(个)",
    "已开工(个)",
    "签约总投资(亿元)",
    "累计到位资金(亿元)",
    "履约率(%)",
    "开工率(%)",
    "资金到位率(%)",
    "履约率目标(%)",
    "开工率目标(%)",
    "资金到位率目标(%)",
]


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else (Decimal(value) * 100).quantize(Decimal("0.01"))


def _rate_cells(row: dict[str, Any]) -> list[Any]:
    target = row.get("target") or {}
    return [
        row["contracts"],
        row["reported"],
        row["performing"],
        row["started"],
        row["total_investment"],
        row["funds_arrived"],
        _pct(row["fulfillment_rate"]),
        _pct(row["start_rate"]),
        _pct(row["funding_rate"]),
        _pct(target.get("fulfillment")),
        _pct(target.get("start")),
        _pct(target.get("funding")),
    ]


def export_quarterly_report(
    *, report: dict[str, Any], title: str, filters: list[tuple[str, str]] | None = None
) -> bytes:
    """The quarterly report as a workbook: 汇总 (合计 first, as a statistics table puts it, then
    per unit, per 市州, per month) and 进展情况 (every contract in the 责任分工表 layout with its
    state and the quarter's news, and a 合计 line summing the amounts)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="汇总")
    ledger_sheet_start(ws, header_row=2)
    for i, width in enumerate([30, *[12] * len(QUARTERLY_RATE_HEADERS)], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    line = f"{title}（金额单位：亿元）（{filters_line(filters or [])}）"
    ws.append(_styled(ws, [line], font=Font(bold=True, size=14)))
    ws.append(_styled(ws, ["汇总口径", *QUARTERLY_RATE_HEADERS], font=_BOLD, fill=_HEADER_FILL))
    amounts = (1 + QUARTERLY_RATE_HEADERS.index("签约总投资(亿元)"),
               1 + QUARTERLY_RATE_HEADERS.index("累计到位资金(亿元)"))  # fmt: skip
    summary_rows = 3 + len(report["by_unit"]) + 1 + len(report["by_region"]) + 1
    summary_rows += len(report["monthly"])
    # The overall line is the SQL aggregate over every contract (a contract counted once even
    # where its places span several 市州), so it is the 合计, not a sum of the lines below.
    overall = [TOTAL_LABEL, *_rate_cells(report["overall"])]
    ws.append(_styled(ws, overall, font=_BOLD, amounts=amounts))
    ws.append(_styled(ws, ["按责任单位"], font=_BOLD, fill=_UNIT_FILL))
    for row in report["by_unit"]:
        ws.append(_styled(ws, [row["unit_name"], *_rate_cells(row)], amounts=amounts))
    ws.append(_styled(ws, ["按市州"], font=_BOLD, fill=_UNIT_FILL))
    for row in report["by_region"]:
        ws.append(_styled(ws, [row["region_name"], *_rate_cells(row)], amounts=amounts))
    ws.append(_styled(ws, ["月报报送", "签约项目(个)", "已报(个)", "未报齐单位(个)"], font=_BOLD,
                      fill=_UNIT_FILL))  # fmt: skip
    for m in report["monthly"]:
        ws.append(
            _styled(
                ws, [period_label(m["period"]), m["contracts"], m["reported"], m["units_missing"]]
            )
        )

    ledger_sheet_end(
        ws, header_row=2, last_row=summary_rows, columns=1 + len(QUARTERLY_RATE_HEADERS)
    )

    detail = wb.create_sheet(title="进展情况")
    ledger_sheet_start(detail, header_row=2)
    headers = [*LEDGER_HEADERS[:6], "是否履约", "是否开工", "开工日期", "累计到位资金(亿元)",
               "本季度报送(次)", "最近进展", "存在问题"]  # fmt: skip
    detail_amounts = (headers.index("总投资额(亿元)"), headers.index("累计到位资金(亿元)"))
    for i, width in enumerate([6, 44, 30, 34, 12, 14, 8, 8, 12, 14, 10, 40, 40], start=1):
        detail.column_dimensions[get_column_letter(i)].width = width
    line = f"{title}——项目进展情况（金额单位：亿元）（{filters_line(filters or [])}）"
    detail.append(_styled(detail, [line], font=Font(bold=True, size=14)))
    detail.append(_styled(detail, headers, font=_BOLD, fill=_HEADER_FILL))
    current = None
    detail_rows = 2
    sums = {i: Decimal(0) for i in detail_amounts}
    for c in report["contracts"]:
        if c.responsible_unit_label != current:
            current = c.responsible_unit_label
            detail.append(_styled(detail, [f"责任单位：{current}"], font=_BOLD, fill=_UNIT_FILL))
            detail_rows += 1
        detail_rows += 1
        cells = [
            *_ledger_cells(c)[:6],
            _yes_no(c.state_performing),
            _yes_no(c.state_started),
            c.state_started_on,
            c.state_funds,
            c.q_reports or 0,
            c.q_progress or "",
            c.q_problems or "",
        ]
        _add(sums, cells)
        detail.append(_styled(detail, cells, amounts=detail_amounts))
    total = _total_line(len(headers), sums)
    detail.append(_styled(detail, total, font=_BOLD, amounts=detail_amounts))
    ledger_sheet_end(detail, header_row=2, last_row=detail_rows, columns=len(headers))
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
