"""A unit staff member proposes a project, a reviewer screens it and decides (入库 for one,
不予入库 with a reason for another), it shows in the library, and a leader drills from the
cockpit's chart to that list and exports it. Every page is guarded (no console error, no request
outside the app) and switched to English and back."""

import re
from io import BytesIO

from openpyxl import load_workbook
from playwright.sync_api import expect

from apps.accounts.models import Role
from apps.projects.models import LibraryStatus, Project
from apps.projects.seed import load_campaign
from apps.reference.models import Organization, Region, Sector
from tests.browser.conftest import english_round_trip
from tests.projects.factories import make_project

BAR = """([chart, series, label]) => {
    const c = echarts.getInstanceByDom(document.getElementById(chart));
    const i = c.getOption().xAxis[0].data.indexOf(label);
    const r = c.getModel().getSeriesByIndex(series).getData().getItemLayout(i);
    const box = document.getElementById(chart).getBoundingClientRect();
    return {x: box.x + r.x + r.width / 2, y: box.y + r.y + r.height / 2};
}"""


def test_staff_proposes_reviewer_decides_leader_drills_and_exports(
    live_server, page, login, guard, screenshots, staff_xining, make_user, leader, xining
):
    load_campaign()  # the 001 campaign and its conditions of entry
    # A 县级 project of 西宁 is reviewed by 西宁市发展改革委 (reviewers per tier).
    reviewer = make_user(
        Role.REVIEWER, Organization.objects.get(name="西宁市发展改革委"), username="b_xn_reviewer"
    )
    name = "湟中区城乡供水一体化工程（浏览器测试）"

    # 1. 西宁市政府's staff member creates the project …
    login(staff_xining)
    page.goto("/projects/new/")
    expect(page.locator("h1")).to_have_text("新建项目")
    page.fill("#id_name", name)
    page.select_option("#id_tier", "county")
    page.select_option("#id_region", str(Region.objects.get(short_name="湟中区").pk))
    page.select_option("#id_sector", str(Sector.objects.get(code="water").pk))
    expect(page.locator("#id_responsible_unit option")).to_have_count(1)  # own unit only
    page.fill("#id_total_investment", "3.2500")
    page.fill("#id_plan_year", "2026")
    page.fill("#id_planned_investment_year", "1.2")
    page.fill("#id_scale_content", "新建输水管线 40 公里，配套加压泵站 2 座。")
    page.click("#project-form button[type=submit]")
    expect(page.locator("#project-name")).to_have_text(name)
    expect(page.locator(".badge-status")).to_have_text("草稿")

    # … and submits it for review.
    page.fill("#workflow-actions textarea[name=comment]", "请审核")
    page.click("#workflow-actions button[value=submit]")
    expect(page.locator(".alert-success")).to_contain_text("已提交")
    expect(page.locator(".badge-status")).to_have_text("已提交")
    project = Project.objects.get(name=name)
    assert project.library_status == LibraryStatus.SUBMITTED
    english_round_trip(page)
    # A second proposal of the unit's, already in review, which the reviewer will turn down.
    weak = make_project(
        xining,
        LibraryStatus.IN_REVIEW,
        name="湟中区高尔夫球场配套工程（浏览器测试）",
        tier="county",
        region=Region.objects.get(short_name="湟中区"),
    )
    guard.assert_clean()

    # 2. The reviewer takes it from the queue: expert screening, then approval.
    login(reviewer)
    page.goto("/projects/review/")
    row = page.locator(f"#review-table tr[data-project='{project.pk}']")
    row.locator("input[name=comment]").fill("组织专家论证")
    row.locator("button[value=start_review]").click()
    expect(page.locator(".alert-success")).to_contain_text("审核中")
    # The conditions of entry (001 五(三)) are judged on the project page before approval.
    page.goto(f"/projects/{project.pk}/")
    checklist = page.locator("#entry-checklist")
    expect(checklist).to_contain_text("入库前须完成")
    selects = checklist.locator("select")
    for i in range(selects.count()):
        selects.nth(i).select_option("meets")
    checklist.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("项入库条件审查")
    english_round_trip(page)
    page.goto("/projects/review/")
    english_round_trip(page)
    row = page.locator(f"#review-table tr[data-project='{project.pk}']")
    row.locator("input[name=comment]").fill("符合入库条件，同意入库")
    row.locator("button[value=approve]").click()
    expect(page.locator(".alert-success")).to_contain_text("已入库")
    expect(page.locator(f"#review-table tr[data-project='{project.pk}']")).to_have_count(0)
    # 不予入库 is final: the reviewer gives the reason and confirms before it is recorded.
    asked: list[str] = []
    page.on("dialog", lambda d: (asked.append(d.message), d.accept()))
    row = page.locator(f"#review-table tr[data-project='{weak.pk}']")
    row.locator("input[name=comment]").fill("不符合产业政策，不予入库")
    question = row.locator("button[value=reject]").get_attribute("data-confirm")
    row.locator("button[value=reject]").click()
    expect(page.locator(".alert-success")).to_contain_text("不予入库")
    # The queue asks before a final decision (data-confirm, app.js), then sends it.
    assert question is not None and question.startswith("确定不予入库？")
    assert asked == [question], asked
    weak.refresh_from_db()
    assert weak.library_status == LibraryStatus.REJECTED
    page.screenshot(path=screenshots / "journey-reviewer-queue.png", full_page=True)
    guard.assert_clean()

    # 3. It is in the library list, filtered to 已入库, with its totals.
    page.goto("/projects/?status=approved")
    table = page.locator("#project-table")
    expect(table).to_contain_text(name)
    expect(page.locator("[data-total-count]")).to_have_text("1")
    expect(page.locator("[data-total-investment]")).to_have_text("3.25")

    # The unit sees the decision and the review trail on its project page.
    login(staff_xining)
    page.goto(f"/projects/{project.pk}/")
    expect(page.locator(".badge-status")).to_have_text("已入库")
    trail = page.locator("#review-trail")
    expect(trail).to_contain_text("符合入库条件，同意入库")
    expect(trail).to_contain_text(re.compile("提交.*开始审核.*入库", re.S))
    page.goto(f"/projects/{weak.pk}/")
    expect(page.locator(".badge-status")).to_have_text("不予入库")
    expect(page.locator("#review-trail")).to_contain_text("不符合产业政策")
    english_round_trip(page)
    page.screenshot(path=screenshots / "journey-staff-project.png", full_page=True)
    guard.assert_clean()

    # 4. The leader clicks 西宁市's bar on the cockpit, lands on its list, and exports it.
    login(leader)
    page.goto("/dashboard/")
    page.wait_for_selector("#chart-region canvas")
    page.wait_for_timeout(300)  # the bars' entry animation
    english_round_trip(page)
    page.wait_for_selector("#chart-region canvas")
    page.wait_for_timeout(300)
    page.screenshot(path=screenshots / "journey-leader-cockpit.png", full_page=True)
    page.locator("#chart-region").scroll_into_view_if_needed()
    spot = page.evaluate(BAR, ["chart-region", 1, "西宁市"])  # the 目标 bar: tall, clickable
    with page.expect_navigation():
        page.mouse.click(spot["x"], spot["y"])
    assert "/projects/" in page.url and "region=" in page.url, page.url
    expect(page.locator("#project-table")).to_contain_text(name)
    expect(page.locator("#project-table")).not_to_contain_text("高尔夫球场")  # not in the library
    english_round_trip(page)
    with page.expect_download() as download:
        page.locator("a[href*='/projects/export/']").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(BytesIO(download.value.path().read_bytes())).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert name in cells
    assert any("西宁市" in c for c in cells[:5]), cells[:5]  # the title row names the filter
    guard.assert_clean()
