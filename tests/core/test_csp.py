"""Content-Security-Policy (issue 9 §17): the header, its scoped exceptions, and templates that
need none (the browser test tests/browser/test_csp.py checks the pages in Chromium)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def directives(header: str) -> dict[str, str]:
    parts = (p.strip().split(" ", 1) for p in header.split(";") if p.strip())
    return {name: value for name, value in parts}


def test_pages_carry_the_strict_policy(client, reviewer):
    client.force_login(reviewer)
    for path in ["/", "/projects/", "/accounts/login/", "/api/docs/"]:
        header = client.get(path)["Content-Security-Policy"]
        assert directives(header) == directives(POLICY), path


def test_only_redoc_gets_its_allowances(client, reviewer):
    client.force_login(reviewer)
    found = directives(client.get("/api/redoc/")["Content-Security-Policy"])
    assert found["style-src"] == "'self' 'unsafe-inline'"
    assert found["worker-src"] == "'self' blob:"
    assert found["img-src"] == "'self' data: https://cdn.redoc.ly"
    assert found["script-src"] == "'self'"


def test_swagger_starts_from_a_script_file_not_inline(client, reviewer):
    client.force_login(reviewer)
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page and "<style>" not in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_the_lockout_page_has_the_policy_too(client, staff_xining):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/accounts/login/", {"username": staff_xining.username, "password": "nope"}
        )
    assert response.status_code == 429
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (r"<script(?![^>]*\bsrc=)[^>]*>", "an inline <script>"),
        (r"\son[a-z]+\s*=", "an on…= event handler"),
        (r"\shx-on", "an htmx hx-on handler (evaluated as script)"),
        (r"\sstyle\s*=", "a style attribute"),
        (r"<style[\s>]", "a <style> element"),
    ],
)
def test_no_template_needs_an_unsafe_inline_policy(pattern, what):
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        # Django comments may mention what they avoid.
        if re.search(pattern, re.sub(r"\{#.*?#\}", "", path.read_text()), re.I)
    ]
    assert offenders == [], f"{what} in {offenders}"
