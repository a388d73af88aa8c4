"""Every workbook read is bounded (issue 9, point 11): rows, columns, time, unpacked size.

The shared reader (``apps.core.excel.read_sheet``) streams the sheet's stored rows and counts
only cells that hold a value, so neither a huge declared dimension nor a lying small one
decides anything. Files are built here with openpyxl and, where a real attack needs it, by
rewriting the package's XML.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.core import excel
from apps.core.excel import WorkbookError, read_sheet
from apps.projects.models import Project

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build(rows=(), *, cells=None, merges=(), heights=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    for coordinate, value in (cells or {}).items():
        ws[coordinate] = value
    for rng in merges:
        ws.merge_cells(rng)
    for row, height in (heights or {}).items():
        ws.row_dimensions[row].height = height
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite(content: bytes, member: str, edit) -> bytes:
    """Copy the package, passing one member's XML through ``edit``."""
    src = zipfile.ZipFile(BytesIO(content))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == member:
                data = edit(data.decode()).encode()
            dst.writestr(info.filename, data)
    return out.getvalue()


def declare_dimension(content: bytes, ref: str) -> bytes:
    return rewrite(
        content,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml),
    )


def far_corner() -> bytes:
    """The attack of point 11: a few hundred bytes declaring A1:XFD1048576."""
    return build([["项目名称"]], cells={"XFD1048576": "x"})


def test_a_far_corner_cell_is_refused_with_the_row_and_the_limit():
    content = far_corner()
    assert len(content) < 10_000
    with pytest.raises(WorkbookError) as caught:
        read_sheet(BytesIO(content))
    assert str(caught.value) == (
        "第1048576行有数据：每个工作表最多读取 20000 行，请拆分为多个文件分批导入。"
    )


def test_a_far_right_cell_is_refused_with_its_column(settings):
    settings.QH_EXCEL_MAX_COLUMNS = 100
    with pytest.raises(WorkbookError) as caught:
        read_sheet(BytesIO(build([["a"]], cells={"CW3": "x"})))  # column 101
    assert str(caught.value) == "第3行 CW 列有数据：每个工作表最多读取 100 列（到 CV 列）。"


def test_a_huge_declared_dimension_alone_is_not_data():
    content = declare_dimension(build([["序号", "项目名称"], [1, "甲"]]), "A1:XFD1048576")
    assert read_sheet(BytesIO(content)).rows == [(1, ["序号", "项目名称"]), (2, [1, "甲"])]


def test_empty_row_elements_far_below_are_not_data():
    # A row with only a height (or a style) is stored as an empty <row> element.
    content = build([["序号"], [1]], heights={1048576: 30, 500_000: 20})
    assert read_sheet(BytesIO(content)).rows == [(1, ["序号"]), (2, [1])]


def test_a_lying_small_dimension_does_not_hide_rows(settings):
    settings.QH_EXCEL_MAX_ROWS = 50
    content = declare_dimension(build([[i] for i in range(1, 61)]), "A1:A1")
    with pytest.raises(WorkbookError, match="第51行有数据：每个工作表最多读取 50 行"):
        read_sheet(BytesIO(content))


def test_rows_up_to_the_limit_are_read(settings):
    settings.QH_EXCEL_MAX_ROWS = 50
    rows = read_sheet(BytesIO(build([[i] for i in range(1, 51)]))).rows
    assert len(rows) == 50 and rows[-1] == (50, [50])


def test_the_wall_clock_budget_stops_a_read_midway(settings, monkeypatch):
    settings.QH_EXCEL_MAX_SECONDS = 5
    ticks = iter(range(10_000))
    monkeypatch.setattr(excel.time, "monotonic", lambda: next(ticks))  # one "second" a call
    with pytest.raises(WorkbookError) as caught:
        read_sheet(BytesIO(build([[i] for i in range(1, 1000)])))
    assert str(caught.value) == (
        "读取文件超过 5 秒仍未完成，已停止：请删除多余的行、列和工作表后再上传。"
    )
    assert next(ticks) < 20  # it stopped within a few rows, not after reading them all


def test_a_zip_bomb_is_refused_before_it_is_unpacked(settings):
    settings.QH_EXCEL_MAX_UNPACKED_MB = 1
    padding = "<!--" + " " * (3 * 1024 * 1024) + "-->"
    content = rewrite(build([["a"]]), "xl/styles.xml", lambda xml: xml + padding)
    assert len(content) < 50_000  # 3 MB of XML packed into a few kB
    with pytest.raises(WorkbookError) as caught:
        read_sheet(BytesIO(content))
    assert str(caught.value).startswith("文件解压后超过 1 MB，已拒绝读取")


@pytest.mark.parametrize(
    "content, message",
    [
        ("序号,项目名称\n1,甲\n".encode(), "文件不是有效的 .xlsx 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "这是旧版 Excel（.xls）文件"),
        (b"", "文件不是有效的 .xlsx 工作簿"),
        ("truncated", "文件不是有效的 .xlsx 工作簿"),
        ("docx", "无法读取文件：这不是 Excel 工作簿（.xlsx），或文件已损坏。"),
        ("broken-sheet", "无法读取文件：工作表内容已损坏。"),
    ],
    ids=["csv", "xls", "empty", "truncated", "other-zip", "broken-sheet"],
)
def test_a_file_that_is_not_a_workbook_gets_a_clear_message(content, message):
    if content == "truncated":
        full = build([["a"]] * 50)
        content = full[: len(full) // 2]
    elif content == "docx":
        buf = BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("word/document.xml", "<w:document/>")
        content = buf.getvalue()
    elif content == "broken-sheet":
        content = rewrite(
            build([["a"]]), "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2]
        )
    with pytest.raises(WorkbookError) as caught:
        read_sheet(BytesIO(content))
    assert str(caught.value).startswith(message)


def test_merged_ranges_read_their_value_everywhere():
    content = build(
        [["标题"], ["序号", "项目名称", "责任单位"], [1, "甲", "西宁市政府"], [2, "乙"], [3, "丙"]],
        merges=["A1:C1", "C3:C5"],
    )
    sheet = read_sheet(BytesIO(content))
    assert sheet.rows == [
        (1, ["标题", "标题", "标题"]),
        (2, ["序号", "项目名称", "责任单位"]),
        (3, [1, "甲", "西宁市政府"]),
        (4, [2, "乙", "西宁市政府"]),
        (5, [3, "丙", "西宁市政府"]),
    ]
    assert sheet.merged_rows(4, 2) == (3, 5)
    assert sheet.merged_rows(1, 1) is None  # a merge across columns only is not "vertical"


def test_a_merged_range_reaching_past_the_limits_is_refused(settings):
    settings.QH_EXCEL_MAX_ROWS = 100
    with pytest.raises(WorkbookError, match="第500行有数据"):
        read_sheet(BytesIO(build([["甲"]], merges=["A1:A500"])))


def test_a_path_and_a_named_sheet(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(build([["a"]]))
    assert read_sheet(str(path)).rows == [(1, ["a"])]
    with pytest.raises(WorkbookError, match="文件中没有名为“汇总”的工作表"):
        read_sheet(str(path), sheet="汇总")


# --- the importers and their pages answer with the message, at once ----------------------------


@pytest.mark.django_db
def test_the_project_import_page_refuses_the_far_corner_file(client, staff_xining):
    client.force_login(staff_xining)
    upload = SimpleUploadedFile("建议表.xlsx", far_corner(), content_type=XLSX)
    response = client.post(reverse("projects:import"), {"file": upload})
    assert response.status_code == 200
    assert "第1048576行有数据：每个工作表最多读取 20000 行" in response.content.decode()
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_the_ledger_import_page_refuses_the_far_corner_file(client, admin_user_):
    from tests.contracts.factories import FairFactory

    fair = FairFactory()
    client.force_login(admin_user_)
    upload = SimpleUploadedFile("台账.xlsx", far_corner(), content_type=XLSX)
    response = client.post(f"{reverse('contracts:import')}?fair={fair.pk}", {"file": upload})
    assert response.status_code == 200
    assert "第1048576行有数据：每个工作表最多读取 20000 行" in response.content.decode()
    assert not fair.contracts.exists()


def test_the_messages_speak_english_behind_the_switch():
    from django.utils import translation

    with translation.override("en"), pytest.raises(WorkbookError) as caught:
        read_sheet(BytesIO(far_corner()))
    assert str(caught.value) == (
        "Row 1048576 holds data: at most 20000 rows are read per sheet; split the file and "
        "import it in parts."
    )
