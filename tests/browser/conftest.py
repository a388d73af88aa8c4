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
