"""One safe-redirect rule (apps/core/redirects.py) for every target that came with a request."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from apps.accounts.models import Role
from apps.core.redirects import is_safe_target, next_url, referer_url, safe_url
from apps.projects.models import LibraryStatus, Tier
from tests.projects.factories import make_project

OUTSIDE = [
    "//evil.example/",
    "https://evil.example/",
    "http://evil.example/projects/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "https://testserver.evil.example/",
]


@pytest.mark.parametrize("url", OUTSIDE)
def test_outside_targets_are_refused(rf: RequestFactory, url):
    request = rf.post("/x/", {"next": url})
    assert not is_safe_target(request, url)
    assert next_url(request, "/fallback/") == "/fallback/"


@pytest.mark.parametrize("url", ["/projects/?page=2", "/", "http://testserver/tasks/"])
def test_targets_on_this_site_are_followed(rf: RequestFactory, url):
    assert next_url(rf.get("/x/", {"next": url}), "/fallback/") == url


def test_https_request_does_not_go_back_to_http(rf: RequestFactory):
    request = rf.get("/x/", {"next": "http://testserver/tasks/"}, secure=True)
    assert next_url(request, "/fallback/") == "/fallback/"
    assert next_url(rf.get("/x/", {"next": "/tasks/"}, secure=True), "/f/") == "/tasks/"


def test_first_safe_candidate_then_default(rf: RequestFactory):
    request = rf.get("/x/")
    assert safe_url(request, None, "", "//evil.example/", "/inbox/", default="/d/") == "/inbox/"
    assert safe_url(request, "//evil.example/", default="/d/") == "/d/"


def test_referer_only_when_it_is_this_site(rf: RequestFactory):
    assert referer_url(rf.get("/x/", HTTP_REFERER="http://testserver/tasks/"), "/") == (
        "http://testserver/tasks/"
    )
    assert referer_url(rf.get("/x/", HTTP_REFERER="https://evil.example/"), "/") == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/"])
def test_project_transition_does_not_follow_an_outside_next(client, make_user, xining, target):
    # Before the one helper, projects checked only startswith("/"): "//evil.example/" went out.
    reviewer = make_user(Role.REVIEWER, xining, username="t_redirect_reviewer")
    # A 市州 reviewer reviews its 市州's 市州级 projects (001: reviewers per tier).
    project = make_project(xining, LibraryStatus.SUBMITTED, tier=Tier.PREFECTURE)
    client.force_login(reviewer)
    response = client.post(
        reverse("projects:transition", args=[project.pk]),
        {"action": "start_review", "comment": "", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])


@pytest.mark.django_db
def test_notification_link_is_checked_too(client, staff_xining):
    from apps.notifications import services
    from apps.notifications.models import Kind

    (n,) = services.notify(
        recipients=[staff_xining], kind=Kind.GENERAL, title="外链", url="//evil.example/"
    )
    client.force_login(staff_xining)
    response = client.post(reverse("notifications:read", args=[n.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_no_view_keeps_its_own_copy_of_the_rule():
    """Redirect targets from the request are read only in apps/core/redirects.py."""
    patterns = re.compile(
        r"url_has_allowed_host_and_scheme|HTTP_REFERER|\.get\(\s*[\"']next[\"']"
        r"|redirect\(\s*request\."
    )
    offenders = []
    for path in Path(settings.BASE_DIR, "apps").rglob("*.py"):
        if path.name == "redirects.py" and path.parent.name == "core":
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if patterns.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{n}: {line.strip()}")
    assert offenders == []
