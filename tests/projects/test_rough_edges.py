"""The rough edges of issue 16 point 4: the 所在地区 list grouped by 市州, 监管部门 offering
government departments only, "请选择" for the empty choice, the review queue's paging, filters,
sorts and confirmations, the month button that becomes 'view/edit' once filed, the return
reason beside 重新提交, and the favicon."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from PIL import Image

from apps.core.periods import current_period
from apps.projects.forms import ProjectForm
from apps.projects.models import LibraryStatus, Project, ProjectMonthlyUpdate, Stage, Tier
from apps.reference.models import GOVERNMENT_DEPARTMENT_KINDS, Organization, Region
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


def _optgroups(html: str) -> dict[str, list[str]]:
    return {
        label: re.findall(r"<option [^>]*>([^<]*)</option>", body)
        for label, body in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', html, re.S)
    }


def test_the_region_list_groups_the_counties_under_their_prefecture(staff_xining):
    html = str(ProjectForm(user=staff_xining)["region"])
    groups = _optgroups(html)
    prefectures = Region.objects.filter(level=Region.Level.PREFECTURE)
    assert list(groups) == [p.display_name for p in prefectures]  # 8, in the regions' order
    for prefecture in prefectures:
        counties = [c.display_name for c in prefecture.children.all()]
        assert groups[prefecture.display_name] == [prefecture.display_name, *counties]
    assert "格尔木市" in groups["海西州"] and "湟中区" not in groups["海西州"]
    assert "湟中区" in groups["西宁市"]
    assert sum(len(g) for g in groups.values()) == 8 + 45
    # The project list's filter is the same field (its values are the region codes).
    filter_html = str(
        __import__("apps.projects.filters", fromlist=["ProjectFilter"])
        .ProjectFilter(queryset=None)
        .form["region"]
    )
    assert _optgroups(filter_html)["海西州"][0] == "海西州"


def test_supervising_department_offers_government_departments_only(staff_xining, org):
    field = ProjectForm(user=staff_xining).fields["supervising_department"]
    offered = list(field.queryset)
    assert {o.kind for o in offered} == set(GOVERNMENT_DEPARTMENT_KINDS)
    names = {o.name for o in offered}
    assert {"省水利厅", "西宁市发展改革委", "国家税务总局青海省税务局"} <= names
    assert "国网青海省电力公司" not in names and "西宁市政府" not in names
    assert len(offered) == Organization.objects.government_departments().count() == 81
    # A project saved earlier with another kind of supervisor keeps it on edit.
    company = org("国网青海省电力公司")
    project = make_project(staff_xining.organization, supervising_department=company)
    edit = ProjectForm(user=staff_xining, instance=project).fields["supervising_department"]
    assert company in edit.queryset


def test_the_empty_choice_reads_select_not_dashes(client, staff_xining, admin_user_):
    client.force_login(staff_xining)
    html = client.get(reverse("projects:create")).content.decode()
    assert "---------" not in html
    assert '<option value="" selected>请选择</option>' in html
    with translation.override("en"):
        english = str(ProjectForm(user=staff_xining)["sector"])
    assert '<option value="" selected>Select…</option>' in english
    client.force_login(admin_user_)
    admin = client.get("/admin/projects/project/add/").content.decode()
    assert "---------" not in admin and ">请选择</option>" in admin


@pytest.fixture
def queue(ndrc, xining, haidong, campaign):
    """Three 已提交 provincial projects the provincial reviewer sees, and one 审核中."""
    golmud = Region.objects.get(short_name="格尔木市")
    made = {
        "a": make_project(xining, LibraryStatus.SUBMITTED, name="队列甲",
                          total_investment=Decimal("5"), campaign=campaign, batch=1),
        "b": make_project(haidong, LibraryStatus.SUBMITTED, name="队列乙", region=golmud,
                          total_investment=Decimal("50"), campaign=campaign, batch=2),
        "c": make_project(xining, LibraryStatus.SUBMITTED, name="队列丙",
                          total_investment=Decimal("20"), campaign=campaign, batch=2),
        "d": make_project(haidong, LibraryStatus.IN_REVIEW, name="队列丁", region=golmud,
                          total_investment=Decimal("3"), tier=Tier.PROVINCE),
    }  # fmt: skip
    # Submitting after a batch's deadline moves a proposal on: set the batches as the test
    # means them.
    for key, batch in (("a", 1), ("b", 2), ("c", 2), ("d", 1)):
        Project.objects.filter(pk=made[key].pk).update(batch=batch)
    return made


def _names(response) -> list[str]:
    return [p.name for p, _t in response.context["rows"]]


def test_the_review_queue_filters_sorts_and_pages(client, reviewer, queue):
    client.force_login(reviewer)
    url = reverse("projects:review")
    assert _names(client.get(url)) == ["队列甲", "队列乙", "队列丙", "队列丁"]  # first come
    haixi = Region.objects.get(short_name="海西州").code
    assert _names(client.get(url, {"region": haixi})) == ["队列乙", "队列丁"]
    unit = queue["a"].responsible_unit_id
    assert _names(client.get(url, {"unit": unit})) == ["队列甲", "队列丙"]
    assert _names(client.get(url, {"batch": 2})) == ["队列乙", "队列丙"]
    by_amount = client.get(url, {"ordering": "-total_investment"})
    assert _names(by_amount) == ["队列乙", "队列丙", "队列甲", "队列丁"]
    both = client.get(url, {"status": "submitted", "region": haixi})
    assert _names(both) == ["队列乙"]
    html = both.content.decode()
    assert 'id="review-filter"' in html and f'href="?region={haixi}"' in html  # 全部待办 tab
    page = client.get(url, {"page_size": 20, "page": 1})
    assert page.context["page"].paginator.count == 4 and "data-total-count>4<" in (
        page.content.decode()
    )


def test_rejecting_and_removing_ask_for_confirmation(client, reviewer, queue, xining):
    client.force_login(reviewer)
    html = client.get(reverse("projects:review")).content.decode()
    reject = re.search(r'<button[^>]*value="reject"[^>]*>', html).group(0)
    assert 'data-confirm="确定不予入库？' in reject
    approve = re.search(r'<button[^>]*value="approve"[^>]*>', html).group(0)
    assert "data-confirm" not in approve
    approved = make_project(xining, LibraryStatus.APPROVED)
    detail = client.get(reverse("projects:detail", args=[approved.pk])).content.decode()
    remove = re.search(r'<button[^>]*value="remove"[^>]*>', detail).group(0)
    assert 'data-confirm="确定将该项目出库？' in remove
    script = (Path(settings.BASE_DIR) / "static/js/app.js").read_text(encoding="utf-8")
    assert "[data-confirm]" in script and "window.confirm(" in script


def test_the_month_button_opens_the_filed_month(client, staff_xining, xining):
    project = make_project(xining, LibraryStatus.APPROVED)
    client.force_login(staff_xining)
    url = reverse("projects:detail", args=[project.pk])
    html = client.get(url).content.decode()
    assert 'id="file-update"' in html and 'id="current-update"' not in html
    period = current_period()
    update = ProjectMonthlyUpdate.objects.create(
        project=project,
        period=period,
        completed_this_month=Decimal("1"),
        stage=Stage.STARTED,
        progress="开工",
    )
    html = client.get(url).content.decode()
    assert 'id="file-update"' not in html
    edit = reverse("projects:update-edit", args=[update.pk])
    assert f'id="current-update" href="{edit}"' in html
    assert f"查看/修改 {period.year}年{period.month}月 调度" in html


def test_a_returned_project_shows_the_reason_beside_resubmit(client, staff_xining, xining):
    project = make_project(xining, LibraryStatus.RETURNED)  # returned with "请补充资料"
    client.force_login(staff_xining)
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    button = html.index(">重新提交</button>")
    reason = html.index('id="return-reason"')
    assert 0 < reason - button < 200
    assert "请补充资料" in html[reason : reason + 400]
    assert dt.date.today().strftime("%Y") in html[reason : reason + 200]


def test_the_favicon_is_linked_with_fallbacks(client, staff_xining):
    client.force_login(staff_xining)
    html = client.get("/").content.decode()
    for name, kind in (("favicon.svg", None), ("favicon-32.png", "PNG"),
                       ("favicon.ico", "ICO"), ("apple-touch-icon.png", "PNG")):  # fmt: skip
        assert f"/static/{name}" in html, name
        path = Path(settings.BASE_DIR) / "static" / name
        assert path.stat().st_size > 100
        if kind:
            with Image.open(path) as image:
                assert image.format == kind
    with Image.open(Path(settings.BASE_DIR) / "static/favicon.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48)} <= set(ico.info["sizes"])
