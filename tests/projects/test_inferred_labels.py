"""Inferences of the project pages are shown as such (issue 11 point 7): the 建议表's columns
(001 names 附表1 but gives none) and the 5th-of-the-month day applied to project updates
(002's rule for contracts; 001 sets no day)."""

from io import BytesIO

import pytest
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from apps.projects import excel, selectors
from apps.projects.models import LibraryStatus
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db

DUE_BASIS = "001 未规定项目调度的报送日，平台沿用 002 签约项目“每月5日前”报送的规定"


def test_the_proposal_table_columns_are_inferred(client, staff_xining):
    client.force_login(staff_xining)
    html = client.get(reverse("projects:import")).content.decode()
    assert 'id="columns-inferred"' in html
    assert "001 附表1 只列表名“青海省谋划攻坚重大项目建议表”，未给出栏目" in html
    wb = load_workbook(BytesIO(client.get(reverse("projects:import-template")).content))
    last = list(wb["填表说明"].iter_rows(values_only=True))[-1]
    assert last == ("栏目来源（推定）", None, excel.COLUMNS_BASIS)
    # The template's header row is unchanged by the note (the * marks the required columns).
    assert [c.value for c in wb["重大项目建议表"][2]] == excel.TEMPLATE_HEADERS


@freeze_time("2026-12-01")
def test_the_5th_applied_to_project_updates_is_inferred(client, staff_xining, xining):
    assert selectors.UPDATE_DUE_BASIS == DUE_BASIS
    project = make_project(xining, LibraryStatus.APPROVED)
    client.force_login(staff_xining)
    for url in (
        reverse("projects:monthly"),
        reverse("projects:update-create", args=[project.pk]),
    ):
        html = client.get(url).content.decode()
        assert 'id="update-due-inferred"' in html and DUE_BASIS in html, url
        assert "每月5日前报送上月情况" in html
    response = client.get("/")
    widget = next(w for w in response.context["widgets"] if w["title"] == "2026年11月调度未报")
    assert (widget["note"], widget["inferred"]) == ("每月5日前报送上月情况", DUE_BASIS)
    assert f'title="{DUE_BASIS}"' in response.content.decode()
