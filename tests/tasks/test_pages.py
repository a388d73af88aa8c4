"""Pages: 我的任务, the coordinator's board, task and assignment pages, the export."""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from openpyxl import load_workbook

from apps.tasks.models import Assignment, SourceDocument, Task
from tests.tasks.factories import TaskFactory, make_assignments

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def queries_for(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx)


def test_my_tasks_lists_only_the_units_assignments_overdue_first(browser, staff_xining, xining):
    c = browser(staff_xining)
    with freeze_time("2026-11-21"):
        # The seeded documents are all past their periods: nothing live, all in history.
        assert c.get("/tasks/mine/").context["page"].paginator.count == 0
        SourceDocument.objects.filter(code__in=["004", "002"]).update(status="active")
        r = c.get("/tasks/mine/", {"page_size": 100})
    assert r.status_code == 200
    page = r.context["page"]
    live = Assignment.objects.filter(unit=xining, task__source__code__in=["004", "002"])
    assert page.paginator.count == live.count()
    assert all(a.unit_id == xining.pk for a in page)
    flags = [a.is_overdue for a in page]
    assert flags == sorted(flags, reverse=True)  # overdue first
    assert r.context["counts"]["total"] == page.paginator.count
    assert "报送进展" in r.content.decode()


def test_my_tasks_query_count_is_constant(browser, staff_xining):
    c = browser(staff_xining)
    assert queries_for(c, "/tasks/mine/", page_size=20) == queries_for(
        c, "/tasks/mine/", page_size=100
    )


def test_board_is_for_those_who_see_everything(browser, staff_xining, coordinator, leader):
    assert browser(staff_xining).get("/tasks/board/").status_code == 403
    assert browser(leader).get("/tasks/board/").status_code == 200
    c = browser(coordinator)
    with freeze_time("2026-11-21"):
        r = c.get("/tasks/board/", {"source": "004", "overdue": "true"})
        assert r.context["page"].paginator.count == 0  # 004 is 总结评估: history, not overdue
        r = c.get("/tasks/board/", {"source": "004", "scope": "history"})
        assert r.context["page"].paginator.count == 1627
        SourceDocument.objects.filter(code="004").update(status="active")
        r = c.get("/tasks/board/", {"source": "004", "overdue": "true"})
    assert r.context["page"].paginator.count == 1627  # every 004 assignment, due 2025-12-31


def test_board_and_task_list_query_counts_are_constant(browser, coordinator):
    c = browser(coordinator)
    assert queries_for(c, "/tasks/board/", page_size=20) == queries_for(
        c, "/tasks/board/", page_size=100
    )
    assert queries_for(c, "/tasks/", page_size=20) == queries_for(c, "/tasks/", page_size=100)


def test_task_list_filters_and_scoping(browser, leader, staff_haidong, haidong):
    r = browser(leader).get("/tasks/", {"source": "004", "chapter": "11"})
    assert r.context["total"] == 38
    r = browser(staff_haidong).get("/tasks/", {"page_size": 100})
    mine = Task.objects.filter(
        pk__in=Assignment.objects.filter(unit=haidong).values("task_id")
    ).count()
    assert r.context["total"] == mine


def test_other_units_task_and_assignment_pages_are_404(browser, staff_haidong, xining, org):
    only_xining = TaskFactory(lead=[xining])
    a = make_assignments(only_xining)[xining.pk]
    c = browser(staff_haidong)
    assert c.get(f"/tasks/{only_xining.pk}/").status_code == 404
    assert c.get(f"/tasks/assignments/{a.pk}/").status_code == 404
    r = c.post(f"/tasks/assignments/{a.pk}/report/", {"text": "代报"})
    assert r.status_code == 404
    assert a.reports.count() == 0


def test_unit_reports_progress_with_attachment_from_the_page(browser, staff_xining, xining):
    task = TaskFactory(lead=[xining], due_date=dt.date(2026, 12, 31))
    a = make_assignments(task)[xining.pk]
    c = browser(staff_xining)
    r = c.post(
        f"/tasks/assignments/{a.pk}/report/",
        {"text": "完成调研", "attachment": SimpleUploadedFile("调研报告.txt", b"report")},
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == "in_progress"
    report = a.reports.get()
    page = c.get(f"/tasks/assignments/{a.pk}/").content.decode()
    assert "完成调研" in page and "调研报告" in page
    assert c.get(f"/tasks/reports/{report.pk}/attachment/").status_code == 200
    # Submitting without a result is refused with the message, nothing changes.
    r = c.post(f"/tasks/assignments/{a.pk}/submit/", {"comment": ""}, follow=True)
    assert "办理结果" in r.content.decode()
    a.refresh_from_db()
    assert a.status == "in_progress"


def test_lead_unit_reviews_a_participating_units_submission_from_the_page(
    browser, staff_xining, staff_haidong, xining, haidong
):
    task = TaskFactory(lead=[xining], participating=[haidong], due_date=dt.date(2026, 12, 31))
    made = make_assignments(task)
    part = made[haidong.pk]
    h = browser(staff_haidong)
    h.post(f"/tasks/assignments/{part.pk}/start/", {"version": 1})
    h.post(f"/tasks/assignments/{part.pk}/submit/", {"comment": "已完成", "version": 2})
    part.refresh_from_db()
    assert part.status == "submitted"
    x = browser(staff_xining)
    page = x.get(f"/tasks/assignments/{part.pk}/")
    assert page.status_code == 200 and page.context["may_accept"]
    r = x.post(f"/tasks/assignments/{part.pk}/return/", {"comment": "请补充附件", "version": 3})
    assert r.status_code == 302
    part.refresh_from_db()
    assert part.status == "returned"


def test_extension_request_and_decision_from_the_pages(browser, staff_xining, coordinator, xining):
    task = TaskFactory(lead=[xining], due_date=dt.date(2026, 12, 31))
    a = make_assignments(task)[xining.pk]
    with freeze_time("2026-12-01"):
        r = browser(staff_xining).post(
            f"/tasks/assignments/{a.pk}/extend/", {"working_days": 12, "reason": "x"}, follow=True
        )
        assert "延期工作日" in r.content.decode()
        browser(staff_xining).post(
            f"/tasks/assignments/{a.pk}/extend/", {"working_days": 2, "reason": "会商"}
        )
    ext = a.extensions.get()
    assert browser(staff_xining).post(
        f"/tasks/extensions/{ext.pk}/decide/", {"decision": "approve"}
    ).status_code in (403, 404)
    browser(coordinator).post(f"/tasks/extensions/{ext.pk}/decide/", {"decision": "approve"})
    a.refresh_from_db()
    assert (a.due_date, a.extension_days) == (dt.date(2027, 1, 4), 2)


def test_export_in_the_004_layout(browser, leader):
    r = browser(leader).get("/tasks/export.xlsx", {"source": "004"})
    assert r.status_code == 200
    ws = load_workbook(BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert "青政办〔2021〕29号" in rows[0][0]
    assert "（筛选：来源文件=" in rows[0][0] and " · 导出时间：" in rows[0][0]
    assert list(rows[1]) == ["序号", "内容", "牵头单位", "参加单位"]
    assert rows[2][1] == "（一）着力建设全国乃至国际生态文明高地"
    assert rows[3][0] == 1
    assert rows[3][1].startswith("推动形成主体功能明显优势互补的空间格局。")
    assert (rows[3][2], rows[3][3]) == (
        "省自然资源厅，各市州政府",
        "省发展改革委、省住房城乡建设厅、省生态环境厅、省农业农村厅等",
    )
    task_rows = [row for row in rows[2:] if isinstance(row[0], int)]
    chapter_rows = [row for row in rows[2:] if row[0] in (None, "")]
    assert len(task_rows) == 229 and len(chapter_rows) == 14


def test_export_follows_the_filter_and_the_documents_labels(browser, leader):
    r = browser(leader).get("/tasks/export.xlsx", {"source": "002", "chapter": "2"})
    rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
    assert list(rows[1]) == ["序号", "内容", "牵头单位", "责任单位"]
    assert "；章节=" in rows[0][0]
    assert [row[0] for row in rows[3:]] == list(range(14, 21))
    r = browser(leader).get("/tasks/export.xlsx", {"source": "003"})
    rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[-1][1].endswith("（完成时限：《青海省政府投资管理办法》于2022年8月底前完成）")
    assert rows[-1][2] == "省发展改革委"


def test_the_supervision_ledger_export_names_its_scope_and_filters(browser, leader):
    r = browser(leader).get("/tasks/board/export.xlsx", {"source": "004"})
    assert r.status_code == 200
    rows = list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][0].startswith("督办台账（在办，截至")
    assert "（筛选：范围=在办；来源文件=" in rows[0][0] and " · 导出时间：" in rows[0][0]
    assert rows[1][:5] == ("来源文件", "文件状态", "序号", "任务", "承办单位")


def test_every_figure_card_of_the_board_is_a_link(browser, coordinator):
    html = browser(coordinator).get("/tasks/board/").content.decode()
    cards = re.findall(r'<(\w+) class="card stat-card[^"]*"([^>]*)>', html)
    assert len(cards) == 6
    assert all(tag == "a" and "href=" in attrs for tag, attrs in cards), cards
    assert 'href="/tasks/" data-card="tasks"' in html
    assert 'href="#pending-extensions"' in html and 'id="pending-extensions"' in html
