"""Shared fixtures for end-to-end journeys in headless Chromium (any app may use them).

    def test_journey(live_server, page, login, staff_xining):
        login(staff_xining)                   # signs in through the login form
        page.goto("/projects/")               # relative to the live server
        expect(page.locator("h1")).to_contain_text("项目库")

* ``live_server`` (pytest-django) serves the app from a thread; tests that use it get a
  transactional database, so data the test creates is visible to the server.
* ``browser`` is one Debian Chromium (/usr/bin/chromium) per session, driven by Playwright's
  sync API; ``page`` is a fresh context per test (its own cookies), base URL = live server.
* Without /usr/bin/chromium the tests skip with the reason, unless QH_REQUIRE_BROWSER=1, in
  which case they fail (CI that must run them).
* ``screenshots`` is the directory the journeys save their pictures to: artifacts/screenshots/
  (gitignored; QH_SCREENSHOTS moves it), kept after the run for CI to publish.
* ``guard(page)`` records console errors, uncaught exceptions and any request to a host other
  than the live server's (which it refuses, as an intranet without internet would);
  ``guard.assert_clean()`` fails with the list.
* A transactional test ends by flushing every table; ``committed_db`` (tests/committed.py)
  puts the reference data (regions, units, sectors) the other suites rely on back.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
# synchronous, so Django's async-safety check must be told so.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("QH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(
    os.environ.get("QH_SCREENSHOTS", Path(__file__).resolve().parents[2] / "artifacts/screenshots")
)
TEST_PASSWORD = "pw-for-tests-1"  # tests.factories.UserFactory's password
DEFAULT_TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} 不存在：浏览器测试需要 Debian 的 chromium（scripts/system_deps.sh）"
        if os.environ.get("QH_REQUIRE_BROWSER") == "1":
            pytest.fail(f"QH_REQUIRE_BROWSER=1 但 {reason}")
        pytest.skip(reason)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, committed_db, live_server):
    # committed_db: the live server's thread needs committed rows, and the reference data
    # must survive the flush that ends such a test.
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1366, "height": 900},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def login(page):
    """``login(user)``: sign in through the login form; returns the page, on the home page."""

    def sign_in(user, password: str = TEST_PASSWORD):
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("form button[type=submit]")
        page.wait_for_load_state()
        if "/accounts/login/" in page.url:
            raise AssertionError(f"登录失败：{user.username}")
        return page

    return sign_in


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


class Guard:
    """What went wrong in the browser while a journey ran (see the module docstring)."""

    def __init__(self, page, origin: str):
        self.problems: list[str] = []
        self.origin = origin
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.context.route("**/*", self._route)

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.origin + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.problems.append(f"request outside the app: {url}")
            route.abort()

    def assert_clean(self):
        problems, self.problems = self.problems, []
        assert problems == [], "\n".join(problems)


@pytest.fixture
def guard(page, live_server):
    return Guard(page, live_server.url)


@pytest.fixture
def open_as(browser, committed_db, live_server):
    """``open_as(user, viewport=…)``: a new context (its own cookies) signed in as ``user``,
    guarded (``tab.guard``); one per role of a journey, closed at the end of the test."""
    contexts = []

    def open_tab(user, *, viewport=None, password: str = TEST_PASSWORD):
        context = browser.new_context(
            base_url=live_server.url,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport=viewport or {"width": 1366, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        tab = context.new_page()
        tab.guard = Guard(tab, live_server.url)
        tab.goto("/accounts/login/")
        tab.fill("#id_username", user.username)
        tab.fill("#id_password", password)
        tab.click("form button[type=submit]")
        tab.wait_for_load_state()
        if "/accounts/login/" in tab.url:
            raise AssertionError(f"登录失败：{user.username}")
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def switch_language(page, to: str) -> None:
    """Press the navigation's language button (behind the toggler on a narrow screen) and
    check the same page came back in that language."""
    path = page.url.split("#")[0]
    if page.locator("#topnav .navbar-toggler").is_visible():
        page.click("#topnav .navbar-toggler")
        # Wait for Bootstrap's collapse to finish opening: a click during its transition can
        # land while the menu is still clipped, and then no form is sent.
        page.locator("#topnav .navbar-collapse.show").wait_for()
        page.locator("#topnav .collapsing").wait_for(state="detached")
    with page.expect_navigation(timeout=30_000):
        page.locator(f"#topnav button[name=language][value={to}]").click()
    page.wait_for_load_state()
    assert page.url == path, (path, page.url)
    lang = page.evaluate("document.documentElement.lang")
    assert lang == to, f"{path}: lang={lang}"


def english_round_trip(page) -> None:
    """The page in English (its title and navigation; data stays as entered), then back."""
    switch_language(page, "en")
    assert page.title().endswith("Qinghai Project Pipeline Platform"), page.title()
    assert "首页" not in page.locator("#topnav").inner_text()
    switch_language(page, "zh-hans")
    assert page.title().endswith("青海省项目管理平台"), page.title()
