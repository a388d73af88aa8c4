"""A unit staff member proposes a project, a reviewer approves it, it shows in the library."""

import re

from playwright.sync_api import expect

from apps.accounts.models import Role
from apps.projects.models import LibraryStatus, Project
from apps.projects.seed import load_campaign
from apps.reference.models import Organization, Region, Sector


def test_staff_proposes_reviewer_approves_library_lists(
    live_server, page, login, staff_xining, make_user, xining
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
    page.goto("/projects/review/")
    row = page.locator(f"#review-table tr[data-project='{project.pk}']")
    row.locator("input[name=comment]").fill("符合入库条件，同意入库")
    row.locator("button[value=approve]").click()
    expect(page.locator(".alert-success")).to_contain_text("已入库")
    expect(page.locator(f"#review-table tr[data-project='{project.pk}']")).to_have_count(0)

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
    page.screenshot(path="/tmp/qh_browser_project_journey.png", full_page=True)
