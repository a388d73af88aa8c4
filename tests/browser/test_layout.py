"""Screens that fit (issue 16 point 3): a projector's 1024×768 and a phone's 390×844.

At both sizes the key pages scroll only vertically (the document is no wider than the window)
and the navigation is one bar at most 64 px high: below 1200 px (1400 px in English) its menus
fold behind the toggler instead of wrapping each label one character per line — before, at
1024 px the bar was 152 px high and the page 1118–1318 px wide. From 1200 px (1400 px in
English) the menus lie in one row. On a phone the contract monthly report is one card per
contract; on a projector the cockpit's bars carry their values and the axes read at 14 px.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import switch_language
from tests.projects.factories import make_project

PROJECTOR = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
NAV_MAX_PX = 64

MEASURE = """() => ({
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: window.innerWidth,
    nav: document.getElementById("topnav").getBoundingClientRect().height,
    toggler: getComputedStyle(document.querySelector("#topnav .navbar-toggler")).display !== "none",
})"""


@pytest.fixture
def ledger(committed_db):
    call_command("load_seed_data", only=["contracts"], stdout=io.StringIO())


def measure(page, path: str, *, ready: str | None = None) -> dict:
    response = page.goto(path)
    assert response.status == 200, path
    if ready:
        page.wait_for_selector(ready, state="attached")
    return page.evaluate(MEASURE)


def check(page, paths, size, found):
    page.set_viewport_size(size)
    for path, ready in paths:
        m = measure(page, path, ready=ready)
        where = f"{path} at {size['width']}px"
        if m["scrollWidth"] > m["innerWidth"]:
            found.append(f"{where}: {m['scrollWidth']} px wide (horizontal scroll)")
        if m["nav"] > NAV_MAX_PX:
            found.append(f"{where}: navigation {m['nav']:.0f} px high")
        if size["width"] < 1200 and not m["toggler"]:
            found.append(f"{where}: menus not folded behind the toggler")


def test_key_pages_fit_a_projector_and_a_phone(
    live_server, page, login, screenshots, ledger, staff_xining, leader, xining
):
    make_project(xining, "approved", name="湟水河综合治理工程（版式测试）")
    found: list[str] = []

    login(staff_xining)
    staff_pages = [
        ("/", None),
        ("/projects/", "#project-table"),
        ("/contracts/", ".ledger-table"),
        ("/contracts/report/", "#report-form"),
        ("/projects/updates/", "#monthly-table"),
        ("/tasks/", "#task-table"),
        ("/tasks/mine/", None),
    ]
    check(page, staff_pages, PROJECTOR, found)
    # The monthly report's rows are table rows on a projector …
    rows = page.locator("#report-form tbody tr")
    page.goto("/contracts/report/")
    assert rows.count() == 35  # 西宁市政府's contracts in the 002 ledger
    assert rows.first.evaluate("e => getComputedStyle(e).display") == "table-row"
    check(page, staff_pages, PHONE, found)
    # … and cards on a phone: no header row, each field labelled, the whole card in the window.
    page.goto("/contracts/report/")
    expect(page.locator("#report-form thead")).to_be_hidden()
    card = rows.first
    assert card.evaluate("e => getComputedStyle(e).display") == "block"
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    label = card.locator("td[data-label]").nth(3)  # 累计到位资金
    assert "累计到位资金" in label.evaluate("e => getComputedStyle(e, '::before').content")
    field = card.locator("input[name$=funds_arrived_to_date]")
    assert field.bounding_box()["width"] > 250  # a full-width field, not a 6rem table cell
    page.screenshot(path=screenshots / "layout-report-form-390.png")
    page.goto("/projects/updates/")
    assert page.locator("#monthly-table tbody tr").first.evaluate(
        "e => getComputedStyle(e).display"
    ) == "block"  # fmt: skip

    # Long grids keep their header row in view (ledger: 346 rows).
    page.set_viewport_size(PROJECTOR)
    page.goto("/contracts/")
    box = page.locator(".ledger-table").locator("xpath=..")
    box.evaluate("e => e.scrollTop = 2000")
    offset = page.evaluate(
        """() => { const t = document.querySelector(".ledger-table");
            return t.querySelector("thead th").getBoundingClientRect().top
                 - t.parentElement.getBoundingClientRect().top; }"""
    )
    assert abs(offset) < 1, offset

    # The menus lie in one row once there is room, in both languages.
    page.set_viewport_size({"width": 1280, "height": 800})
    m = measure(page, "/")
    assert not m["toggler"] and m["nav"] <= NAV_MAX_PX, m
    page.locator("button[name=language][value=en]").click()
    page.wait_for_load_state()
    page.set_viewport_size({"width": 1440, "height": 900})
    m = measure(page, "/projects/")
    assert not m["toggler"] and m["nav"] <= NAV_MAX_PX, m
    page.set_viewport_size(PROJECTOR)
    check(page, [("/projects/", "#project-table"), ("/contracts/report/", None)], PROJECTOR, found)

    login(leader)
    leader_pages = [
        ("/dashboard/", "#chart-region canvas"),
        ("/contracts/rates/", None),
        ("/projects/targets/", "#region-chart canvas"),
    ]
    check(page, leader_pages, PHONE, found)
    switch_language(page, "en")  # English labels run about twice as wide
    check(page, leader_pages, PHONE, found)
    switch_language(page, "zh-hans")
    check(page, leader_pages, PROJECTOR, found)
    page.goto("/dashboard/")
    page.wait_for_selector("#chart-region canvas")
    options = page.evaluate(
        """() => ["chart-region", "chart-sector", "chart-funnel"].map((id) => {
            const o = echarts.getInstanceByDom(document.getElementById(id)).getOption();
            const category = o.xAxis[0].type === "category" ? o.xAxis[0] : o.yAxis[0];
            return {id, axis: category.axisLabel.fontSize, label: o.series[0].label};
        })"""
    )
    for o in options:
        assert o["axis"] == 14, o  # readable from the back of a meeting room
        assert o["label"]["show"] and o["label"]["fontSize"] == 14, o  # values on the bars
    page.screenshot(path=screenshots / "layout-cockpit-1024.png", full_page=True)

    assert found == [], "\n".join(found)
