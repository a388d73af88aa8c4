"""Content-Security-Policy (issue 9 §17): the main pages run under a strict policy with zero
violations and no console errors, in headless Chromium.

The policy forbids inline scripts, on…= handlers and style attributes; before this change the
targets, indicator and rates pages had inline <script> blocks, four selects submitted with
onchange=…, and 30-odd elements had style="…" — each a violation (or a dead page) under it.
Violations are collected by a ``securitypolicyviolation`` listener that Playwright installs
before any page script (init scripts are not subject to the page's policy).
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from apps.indicators.models import Indicator
from apps.jobs.models import JobRun
from tests.projects.factories import make_project

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation, console error and uncaught exception recorded."""
    problems: list[str] = []
    page.add_init_script(COLLECT)
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.problems = problems
    return page


def visit(page, path: str, *, ready: str | None = None) -> list[str]:
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}\n{response.text()[:3000]}"
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
    if ready:
        page.wait_for_selector(ready, state="attached")
    page.wait_for_load_state("networkidle")
    found = page.evaluate("window.__csp") + page.problems
    page.problems.clear()
    return [f"{path}: {p}" for p in found]


@pytest.fixture
def platform_data(committed_db):
    call_command(
        "load_seed_data", only=["contracts", "workgroups", "indicators", "tasks"],
        stdout=io.StringIO(),
    )  # fmt: skip


def test_main_pages_have_no_csp_violations_and_no_console_errors(
    live_server, watched, login, platform_data, staff_xining, reviewer, leader, xining
):
    project = make_project(xining, "approved", name="湟水河综合治理工程（CSP测试）")
    indicator = Indicator.objects.filter(measures__isnull=False).order_by("pk").first()
    job = JobRun.objects.create(
        kind="projects.export", label="导出", user=reviewer, status="running", progress_done=3,
        progress_total=10,
    )  # fmt: skip
    problems: list[str] = []

    # ReDoc's page shows Redocly's logo from its CDN (allowed there); no internet here.
    watched.route("https://cdn.redoc.ly/**", lambda route: route.fulfill(
        status=200, content_type="image/svg+xml", body='<svg xmlns="http://www.w3.org/2000/svg"/>'
    ))  # fmt: skip
    login(reviewer)
    # The listener sees what the policy refuses: a style attribute written into the markup.
    visit(watched, "/")
    watched.evaluate("document.body.setAttribute('style', 'color: red')")
    watched.wait_for_function("window.__csp.length > 0")
    assert "style-src-attr" in watched.evaluate("window.__csp")[0]
    watched.problems.clear()

    for path, ready in [
        ("/", None),
        ("/projects/", "#project-table"),
        (f"/projects/{project.pk}/", "#project-name"),
        ("/projects/review/", None),
        ("/projects/targets/", "#region-chart canvas"),
        ("/contracts/", None),
        ("/contracts/rates/", "#rates-chart canvas"),
        ("/contracts/status/", None),
        ("/indicators/", None),
        (f"/indicators/{indicator.pk}/", ".chart canvas"),
        ("/tasks/", None),
        ("/tasks/board/", None),
        ("/notifications/", None),
        (f"/jobs/{job.pk}/", "#job-status"),
        ("/api/docs/", ".swagger-ui .info"),
        ("/api/redoc/", "#redoc-container h1"),
    ]:
        problems += visit(watched, path, ready=ready)

    # An htmx swap (the job card polls every second) and a select that submits its form.
    watched.goto(f"/jobs/{job.pk}/")
    JobRun.objects.filter(pk=job.pk).update(status="succeeded", message="已完成。")
    watched.wait_for_selector("#job-status .bg-success")
    problems += [f"/jobs/ swap: {p}" for p in watched.evaluate("window.__csp") + watched.problems]
    watched.problems.clear()

    login(leader)
    problems += visit(watched, "/dashboard/", ready="#chart-region canvas")
    for chart in ["#chart-region", "#chart-funnel", "#chart-indicators"]:
        watched.hover(f"{chart} canvas", position={"x": 150, "y": 60})  # its tooltip shows
        watched.wait_for_timeout(300)
    problems += [f"tooltips: {p}" for p in watched.evaluate("window.__csp") + watched.problems]
    watched.problems.clear()

    login(staff_xining)
    for path in ["/projects/new/", f"/projects/{project.pk}/edit/", "/contracts/report/"]:
        problems += visit(watched, path)
    watched.goto("/contracts/status/")
    with watched.expect_navigation():
        watched.select_option("#month-select", index=1)  # data-autosubmit submits the form
    assert "month=" in watched.url

    assert problems == [], "\n".join(problems)


def test_admin_pages_have_no_csp_violations(live_server, watched, login, admin_user_, xining):
    """Django's admin (and django-axes' and simple-history's pages in it) needs no allowance.
    Only violations count here: the admin has no favicon, so Chromium logs a 404."""
    project = make_project(xining, "approved", name="湟水河综合治理工程（后台CSP测试）")
    login(admin_user_)
    problems: list[str] = []
    for path in [
        "/admin/",
        "/admin/projects/project/",
        f"/admin/projects/project/{project.pk}/change/",
        "/admin/accounts/user/add/",
        "/admin/axes/accessattempt/",
        f"/admin/projects/project/{project.pk}/history/",
    ]:
        visit(watched, path)
        problems += [f"{path}: {p}" for p in watched.evaluate("window.__csp")]
    assert problems == [], "\n".join(problems)
