"""/api/v1/tasks/, /api/v1/assignments/ and /api/v1/extension-requests/."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from rest_framework.test import APIClient

from apps.tasks.models import Assignment, ExtensionRequest, SourceDocument, Task
from tests.tasks.factories import TaskFactory, make_assignments

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def count(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def test_task_filters_by_source_chapter_unit_status_and_overdue(leader, xining):
    c = client_for(leader)
    assert count(c, "/api/v1/tasks/", source="004") == 229
    assert count(c, "/api/v1/tasks/", source="003") == 10
    assert count(c, "/api/v1/tasks/", source="002") == 50
    assert count(c, "/api/v1/tasks/", source="004", chapter=11) == 38
    xining_004 = Task.objects.filter(source__code="004").filter(
        pk__in=Assignment.objects.filter(unit=xining).values("task_id")
    )
    assert count(c, "/api/v1/tasks/", source="004", unit=xining.pk) == xining_004.count()
    assert count(c, "/api/v1/tasks/", source="004", unit=xining.pk, role="lead") == (
        xining_004.filter(lead_units=xining).count()
    )
    # Seeded assignments are all 已交办; 002's (due 2017-09-30) are overdue today.
    assert count(c, "/api/v1/tasks/", source="002", status="assigned") == 50
    assert count(c, "/api/v1/tasks/", source="002", status="accepted") == 0
    with freeze_time("2026-11-21"):
        # Their documents are 总结评估 (periods ended): history, never overdue.
        assert count(c, "/api/v1/tasks/", source="002", overdue="true") == 0
        SourceDocument.objects.filter(code__in=["002", "003"]).update(status="active")
        # Live again (as they were in their periods), 002's are all overdue (due 2017-09-30).
        assert count(c, "/api/v1/tasks/", source="002", overdue="true") == 50
        # 003's continuous tasks have no due date: never overdue.
        assert count(c, "/api/v1/tasks/", source="003", overdue="true") == 4
        assert count(c, "/api/v1/tasks/", source="003", overdue="false") == 6


def test_task_payload_keeps_the_documents_wording(leader):
    data = client_for(leader).get("/api/v1/tasks/", {"source": "003"}).json()["results"]
    t10 = next(t for t in data if t["number"] == 10)
    assert t10["deadline_text"] == "《青海省政府投资管理办法》于2022年8月底前完成"
    assert t10["due_date"] == "2022-08-31"
    assert [u["name"] for u in t10["lead_units"]] == ["省发展改革委"]
    assert t10["progress"]["assignments"] == 1
    t1 = next(t for t in data if t["number"] == 1)
    assert t1["lead_text"] == "各专项工作组"
    assert len(t1["working_groups"]) == 6


def test_unit_staff_see_only_their_units_tasks(staff_haidong, haidong):
    c = client_for(staff_haidong)
    mine = Task.objects.filter(
        pk__in=Assignment.objects.filter(unit=haidong).values("task_id")
    ).count()
    assert count(c, "/api/v1/tasks/") == mine
    # The lead unit also follows its participating units' assignments (as on the pages).
    followed = Assignment.objects.filter(Q(unit=haidong) | Q(task__lead_units=haidong)).distinct()
    assert count(c, "/api/v1/assignments/") == followed.count()


def test_task_list_query_count_is_constant(leader):
    c = client_for(leader)

    def queries(page_size):
        with CaptureQueriesContext(connection) as ctx:
            r = c.get("/api/v1/tasks/", {"source": "004", "page_size": page_size})
        assert len(r.json()["results"]) == page_size
        return len(ctx)

    assert queries(10) == queries(100)


def test_assignment_list_query_count_is_constant(coordinator):
    c = client_for(coordinator)

    def queries(page_size):
        with CaptureQueriesContext(connection) as ctx:
            r = c.get("/api/v1/assignments/", {"page_size": page_size})
        assert len(r.json()["results"]) == page_size
        return len(ctx)

    assert queries(10) == queries(100)


def test_workgroups_endpoint(leader, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        data = client_for(leader).get("/api/v1/workgroups/").json()
    assert [g["short_name"] for g in data] == [
        "网络型基础设施建设",
        "产业升级基础设施建设",
        "城市基础设施建设",
        "农业农村基础设施建设",
        "国家安全基础设施建设",
        "要素保障",
    ]
    assert data[0]["leaders"] == ["王卫东", "匡湧"]
    assert data[0]["domains"] == ["network"]
    assert data[5]["domains"] == []
    assert [t["number"] for t in data[5]["tasks"]] == [1, 2, 3, 4, 5, 6, 7, 8, 9]


# --- transitions over the API -----------------------------------------------------------------


@pytest.fixture
def pair(xining, haidong):
    task = TaskFactory(lead=[xining], participating=[haidong], due_date=dt.date(2026, 12, 31))
    made = make_assignments(task)
    return made[xining.pk], made[haidong.pk]


def test_unit_staff_move_their_own_assignment(pair, staff_xining):
    lead, part = pair
    c = client_for(staff_xining)
    r = c.post(f"/api/v1/assignments/{lead.pk}/start/", {"version": 1}, format="json")
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["version"]) == ("in_progress", 2)
    # The lead unit sees its participating unit's assignment but may not move it.
    assert c.post(f"/api/v1/assignments/{part.pk}/start/", {}, format="json").status_code == 403
    # A stale version is a conflict, not an overwrite.
    r = c.post(
        f"/api/v1/assignments/{lead.pk}/submit/", {"comment": "完成", "version": 1}, format="json"
    )
    assert r.status_code == 409
    r = c.post(f"/api/v1/assignments/{lead.pk}/submit/", {"comment": ""}, format="json")
    assert r.status_code == 400 and "办理结果" in r.content.decode()


def test_readers_cannot_write(pair, leader, api_client_user):
    lead, _ = pair
    for user in (leader, api_client_user):
        r = client_for(user).post(f"/api/v1/assignments/{lead.pk}/start/", {}, format="json")
        assert r.status_code == 403
    lead.refresh_from_db()
    assert lead.status == "assigned"


def test_lead_unit_accepts_participating_unit_over_the_api(pair, staff_xining, staff_haidong):
    _, part = pair
    h = client_for(staff_haidong)
    h.post(f"/api/v1/assignments/{part.pk}/start/", {}, format="json")
    h.post(f"/api/v1/assignments/{part.pk}/submit/", {"comment": "已完成"}, format="json")
    # 海东 may not accept its own work; 西宁 (lead unit of the task) may.
    assert h.post(f"/api/v1/assignments/{part.pk}/accept/", {}, format="json").status_code == 403
    r = client_for(staff_xining).post(f"/api/v1/assignments/{part.pk}/accept/", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "accepted"


def test_extension_request_and_approval_over_the_api(pair, staff_xining, coordinator):
    lead, _ = pair
    c = client_for(staff_xining)
    with freeze_time("2026-12-01"):
        r = c.post(
            f"/api/v1/assignments/{lead.pk}/request-extension/",
            {"working_days": 11, "reason": "x"},
            format="json",
        )
        assert r.status_code == 400
        r = c.post(
            f"/api/v1/assignments/{lead.pk}/request-extension/",
            {"working_days": 3, "reason": "需会商"},
            format="json",
        )
        assert r.status_code == 201, r.content
    ext_id = r.json()["id"]
    assert c.post(f"/api/v1/extension-requests/{ext_id}/approve/", {}).status_code == 403
    r = client_for(coordinator).post(f"/api/v1/extension-requests/{ext_id}/approve/", {})
    assert r.status_code == 200, r.content
    # 2026-12-31 (Thu) + 3 working days; 2027-01-01 is New Year's Day only if the
    # administrator has entered 2027, so the plain weekday rule applies: 1-1, 1-4, 1-5.
    assert r.json()["due_date_after"] == "2027-01-05"
    assert ExtensionRequest.objects.get(pk=ext_id).status == "approved"


def test_progress_report_with_attachment(pair, staff_xining, staff_haidong, coordinator):
    lead, _ = pair
    upload = SimpleUploadedFile("进展.txt", "进展材料".encode(), "text/plain")
    r = client_for(staff_xining).post(
        f"/api/v1/assignments/{lead.pk}/report/",
        {"text": "已完成调研", "attachment": upload},
        format="multipart",
    )
    assert r.status_code == 201, r.content
    url = r.json()["attachment_url"]
    # The lead unit's report: the coordinator and the lead unit may download it; 海东
    # (a participating unit of the same task) may not see another unit's attachment.
    assert "/api/v1/progress-reports/" in url
    download = client_for(coordinator).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == "进展材料"
    assert client_for(staff_xining).get(url).status_code == 200
    assert client_for(staff_haidong).get(url).status_code == 404
    # The same rule on the page link used by the browser.
    from django.test import Client

    browser = Client()
    browser.force_login(staff_haidong)
    report_id = r.json()["id"]
    assert browser.get(f"/tasks/reports/{report_id}/attachment/").status_code == 404
    browser.force_login(staff_xining)
    assert browser.get(f"/tasks/reports/{report_id}/attachment/").status_code == 200
