"""Every role's work end to end in headless Chromium (issue 16 point 5).

A unit's 填报员 imports its proposal table, files a project's month and — on a phone, as from
a WeCom link — the contract monthly report, reports a task's progress and asks an extension;
the coordinator (省经济和信息化委, 牵头单位 of the ledger and supervisor of the task list) imports
a ledger through its staged preview and confirmation, urges the unit that has not filed, grants
the extension and accepts the completed task. (The
proposing, the reviewer's decisions and the leader's drill-down are in test_project_journey.)

Each role has its own browser context; every page a role opens is guarded: no console error,
no uncaught exception, no request to any host but the app's. On each page the English switch is
pressed and the page comes back in English, then in Chinese. Screenshots go to the
``screenshots`` directory (artifacts/screenshots/).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from apps.contracts.models import Contract, ContractReport
from apps.notifications.models import Notification, Urge
from apps.projects.models import LibraryStatus, Project, ProjectMonthlyUpdate
from apps.projects.seed import load_campaign
from apps.tasks.models import Assignment, ExtensionRequest, Task
from tests.browser.conftest import english_round_trip
from tests.contracts.factories import ContractFactory, FairFactory
from tests.projects.factories import make_project
from tests.projects.test_excel import good_row, workbook
from tests.tasks.factories import SourceDocumentFactory, TaskFactory, make_assignments

PHONE = {"width": 390, "height": 844}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


LEDGER = (
    Path(__file__).resolve().parents[2] / "fixtures/contracts/第十八届青洽会签约项目责任分工表.xlsx"
)


def first_ledger_rows() -> bytes:
    """The 002 ledger's first five contracts (西宁市政府's group, its header's count adjusted)."""
    wb = load_workbook(LEDGER)
    ws = wb.active
    assert str(ws["A4"].value).startswith("责任单位: 西宁市政府")
    ws["A4"] = "责任单位: 西宁市政府(5项)"
    ws.delete_rows(10, ws.max_row)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(page, rows: list[dict], name: str) -> None:
    page.set_input_files(
        "#import-form input[type=file]",
        files=[{"name": name, "mimeType": XLSX, "buffer": workbook(rows).getvalue()}],
    )
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state()


def test_staff_files_and_the_coordinator_supervises(
    live_server, open_as, screenshots, staff_xining, staff_haidong, coordinator, xining, haidong
):
    load_campaign()  # the 001 campaign: the 建议表's 批次 and the library's calendar
    today = dt.date.today()
    project = make_project(xining, LibraryStatus.APPROVED, name="西宁市南川河综合治理工程（旅程）")
    fair = FairFactory(
        name="测试洽谈会（旅程）", short_name="旅程洽谈会", first_period=today.replace(day=1)
    )
    mine = [
        ContractFactory(fair=fair, seq=1, name="高原特色青稞加工项目（旅程）"),
        ContractFactory(fair=fair, seq=2, name="光伏支架制造项目（旅程）"),
    ]
    ContractFactory(fair=fair, seq=3, name="乐都区物流园项目（旅程）", responsible_unit=haidong)
    source = SourceDocumentFactory(code="J1", short_name="旅程方案", title="旅程测试任务分工方案")
    due = today + dt.timedelta(days=40)
    done_task = TaskFactory(source=source, lead=[xining], content="编制湟水河治理方案。")
    late_task = TaskFactory(source=source, lead=[xining], content="建成智慧调度平台。")
    Task.objects.filter(pk__in=[done_task.pk, late_task.pk]).update(due_date=due)
    done = make_assignments(done_task)[xining.pk]
    late = make_assignments(late_task)[xining.pk]
    Assignment.objects.filter(pk__in=[done.pk, late.pk]).update(due_date=due)

    # --- The unit's 填报员 -------------------------------------------------------------------
    staff = open_as(staff_xining)

    # Imports its proposal table: the check refuses a file with one bad row (nothing imported,
    # the row and column named), the corrected file goes in as drafts.
    staff.goto("/projects/import/")
    bad = good_row(1, **{"项目名称": "湟中区供水工程（导入）", "总投资(亿元)": "三亿"})
    upload(staff, [bad, good_row(2, **{"项目名称": "湟中区污水处理厂（导入）"})], "建议表.xlsx")
    expect(staff.locator("#import-result")).to_contain_text("未导入任何数据")
    expect(staff.locator("#import-errors")).to_contain_text("第 3 行")
    assert not Project.objects.filter(name__contains="（导入）").exists()
    bad["总投资(亿元)"] = 3.25
    upload(staff, [bad, good_row(2, **{"项目名称": "湟中区污水处理厂（导入）"})], "建议表.xlsx")
    expect(staff.locator("#import-result")).to_contain_text("新建 2 个项目")
    imported = Project.objects.filter(name__contains="（导入）")
    assert imported.count() == 2
    assert {p.library_status for p in imported} == {LibraryStatus.DRAFT}
    english_round_trip(staff)

    # Files the approved project's month (调度) from its page.
    staff.goto(f"/projects/{project.pk}/")
    staff.locator("a[href*='/updates/new/']").first.click()
    staff.wait_for_load_state()
    form = staff.locator("#update-form")
    form.locator("[name=completed_this_month]").fill("0.4500")
    form.locator("[name=progress]").fill("主体工程完成 60%。")
    form.locator("[name=problems]").fill("林草地征占用手续待批。")
    form.locator("button[type=submit]").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    update = ProjectMonthlyUpdate.objects.get(project=project)
    assert update.completed_this_month == Decimal("0.4500")
    assert "林草地" in update.problems
    english_round_trip(staff)

    # Reports task progress and asks an extension (我的任务 → the assignment).
    staff.goto("/tasks/mine/")
    staff.locator(f"a[href='/tasks/assignments/{done.pk}/']").first.click()
    staff.wait_for_load_state()
    staff.locator("#unit-actions button:has-text('开始办理')").click()
    staff.wait_for_load_state()
    staff.locator("#report-form textarea").fill("方案初稿已完成，征求意见中。")
    staff.locator("#report-form button[type=submit]").click()
    staff.wait_for_load_state()
    expect(staff.locator("body")).to_contain_text("方案初稿已完成")
    staff.locator("#submit-form textarea, #submit-form input[type=text]").first.fill("方案已印发。")
    staff.locator("#submit-form button[type=submit]").click()
    staff.wait_for_load_state()
    done.refresh_from_db()
    assert done.status == Assignment.Status.SUBMITTED
    english_round_trip(staff)
    staff.goto(f"/tasks/assignments/{late.pk}/")
    staff.locator("#extension-form [name=working_days]").fill("5")
    staff.locator("#extension-form [name=reason]").fill("平台招标流标，需重新招标。")
    staff.locator("#extension-form button[type=submit]").click()
    staff.wait_for_load_state()
    extension = ExtensionRequest.objects.get(assignment=late)
    assert extension.working_days == 5
    staff.screenshot(path=screenshots / "journey-staff-assignment.png", full_page=True)
    staff.guard.assert_clean()

    # On a phone, from the WeCom link: the contract monthly report, one card per contract.
    phone = open_as(staff_xining, viewport=PHONE)
    phone.goto(f"/contracts/report/?fair={fair.pk}")
    cards = phone.locator("#report-form tbody tr")
    expect(cards).to_have_count(2)
    for i, funds in enumerate(["1.2000", "0.3000"]):
        card = cards.nth(i)
        card.locator("input[name$=is_performing]").check()
        card.locator("input[name$=is_started]").check()
        card.locator("input[name$=started_on]").fill(today.replace(day=1).isoformat())
        card.locator("input[name$=funds_arrived_to_date]").fill(funds)
        card.locator("textarea[name$=progress]").fill("设备安装中。")
    phone.screenshot(path=screenshots / "journey-staff-report-phone.png")
    phone.locator("#report-form button[type=submit]").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    reports = ContractReport.objects.filter(contract__in=mine)
    assert sorted(r.funds_arrived_to_date for r in reports) == [Decimal("0.3"), Decimal("1.2")]
    assert phone.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    english_round_trip(phone)
    phone.guard.assert_clean()

    # --- The coordinator ----------------------------------------------------------------------
    boss = open_as(coordinator)
    # Imports a fair's ledger: the check previews it (nothing saved), the confirmation saves it.
    fresh = FairFactory(name="测试洽谈会（导入）", short_name="导入洽谈会")
    boss.goto(f"/contracts/import/?fair={fresh.pk}")
    boss.set_input_files(
        "form input[type=file]",
        files=[{"name": "台账.xlsx", "mimeType": XLSX, "buffer": first_ledger_rows()}],
    )
    boss.locator("form button[type=submit]:has-text('检查并预览')").click()
    boss.wait_for_load_state()
    expect(boss.locator("#confirm-import")).to_be_visible()
    assert not Contract.objects.filter(fair=fresh).exists()  # a preview saves nothing
    boss.locator("#confirm-import").click()
    boss.wait_for_selector("#job-status .bg-success")
    assert Contract.objects.filter(fair=fresh).count() == 5
    english_round_trip(boss)  # the job's page
    # Urges the unit that has not filed (海东: its one contract), once.
    boss.goto(f"/contracts/status/?fair={fair.pk}")
    panel = boss.locator("#urge-panel")
    expect(panel.locator(f"tr[data-unit='{haidong.pk}']")).to_be_visible()
    expect(panel.locator(f"tr[data-unit='{xining.pk}']")).to_have_count(0)  # it has filed
    panel.locator(f"tr[data-unit='{haidong.pk}'] button:has-text('催办')").click()
    boss.wait_for_load_state()
    expect(boss.locator(f"#urge-panel tr[data-unit='{haidong.pk}']")).to_contain_text("今日已催办")
    urge = Urge.objects.get(organization=haidong, fair=fair)
    assert (urge.missing, urge.recipients, urge.urged_by) == (1, 1, coordinator)
    assert Notification.objects.filter(recipient=staff_haidong).exists()  # its 填报员's inbox
    english_round_trip(boss)

    # Grants the extension from the 督办台账 …
    boss.goto("/tasks/board/")
    ask = boss.locator("form[action$='/decide/']").filter(has=boss.locator("button[value=approve]"))
    expect(ask).to_have_count(1)
    ask.locator("button[value=approve]").click()
    boss.wait_for_load_state()
    extension.refresh_from_db()
    assert extension.status == ExtensionRequest.Status.APPROVED
    late.refresh_from_db()
    assert late.due_date > due
    english_round_trip(boss)

    # … and accepts the completed task (答复认定: 满意).
    boss.goto(f"/tasks/assignments/{done.pk}/")
    boss.locator("#accept-form select[name=satisfaction]").select_option("satisfied")
    boss.locator("#accept-form button[type=submit]").click()
    boss.wait_for_load_state()
    done.refresh_from_db()
    assert done.status == Assignment.Status.ACCEPTED
    expect(boss.locator("body")).to_contain_text(re.compile("已办结|满意"))
    boss.screenshot(path=screenshots / "journey-coordinator-accepted.png", full_page=True)
    boss.guard.assert_clean()
