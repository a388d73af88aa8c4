"""Admin cannot bypass the workflow; home widgets and navigation per role."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from freezegun import freeze_time

from apps.tasks.models import Assignment, ExtensionRequest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Assignment, ExtensionRequest])
def test_admin_cannot_edit_workflow_fields(model, admin_user_):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = admin_user_
    readonly = set(model_admin.get_readonly_fields(request))
    assert {"status", "due_date" if model is Assignment else "working_days"} <= readonly
    assert not model_admin.has_add_permission(request)


def test_home_widgets_per_role(client, staff_xining, coordinator, leader):
    with freeze_time("2026-11-21"):
        client.force_login(staff_xining)
        titles = [w["title"] for w in client.get("/").context["widgets"]]
        assert "本单位逾期任务" in titles and "逾期任务分解" not in titles
        client.force_login(coordinator)
        titles = [w["title"] for w in client.get("/").context["widgets"]]
        assert {"逾期任务分解", "待审核 / 待审批"} <= set(titles)
        client.force_login(leader)
        widgets = {w["title"]: w for w in client.get("/").context["widgets"]}
        assert "待审核 / 待审批" not in widgets
        # Every seeded document's period has ended (004/003 in 2025, 002 in 2017): they are in
        # 总结评估, so nothing of theirs is live work and nothing is overdue on the home page.
        assert widgets["逾期任务分解"]["value"] == 0


def test_navigation(client, staff_xining, leader):
    client.force_login(staff_xining)
    html = client.get("/").content.decode()
    assert "我的任务" in html and "督办台账" not in html
    client.force_login(leader)
    html = client.get("/").content.decode()
    assert "督办台账" in html and "专项工作组" in html


def test_admin_shows_a_documents_status_read_only(client, admin_user_):
    from apps.tasks.models import SourceDocument

    doc = SourceDocument.objects.get(code="004")
    client.force_login(admin_user_)
    r = client.get(f"/admin/tasks/sourcedocument/{doc.pk}/change/")
    assert r.status_code == 200
    html = r.content.decode()
    for name in ("status", "status_note", "closed_on", "closed_by"):
        assert f'name="{name}"' not in html
    assert 'href="/tasks/sources/"' in html
