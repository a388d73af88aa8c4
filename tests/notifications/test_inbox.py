"""The inbox page, the unread count in the navigation, mark read / mark all read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.notifications import services
from apps.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def give(user, n, **extra):
    return services.notify(
        recipients=[user] * n, kind=Kind.GENERAL, title=extra.pop("title", "测试消息"), **extra
    )


def test_unread_count_shows_in_the_navigation(client, with_inbox_context, staff_xining):
    give(staff_xining, 3)
    client.force_login(staff_xining)
    body = client.get("/").content.decode()
    assert 'href="/notifications/"' in body
    assert '<span class="badge rounded-pill bg-danger ms-1" id="unread-count">3</span>' in body


def test_no_badge_when_everything_is_read(client, with_inbox_context, staff_xining):
    client.force_login(staff_xining)
    body = client.get("/").content.decode()
    assert 'href="/notifications/"' in body and "unread-count" not in body


def test_inbox_shows_only_my_notifications(client, staff_xining, staff_haidong):
    give(staff_xining, 1, title="西宁的消息")
    give(staff_haidong, 1, title="海东的消息")
    client.force_login(staff_xining)
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert "西宁的消息" in body and "海东的消息" not in body
    assert "未读 1 条" in body


def test_mark_read_follows_the_link(client, staff_xining):
    (n,) = give(staff_xining, 1, url="/contracts/")
    client.force_login(staff_xining)
    response = client.post(reverse("notifications:read", args=[n.pk]), {"next": n.url})
    assert response.status_code == 302 and response["Location"] == "/contracts/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_refuses_an_outside_redirect(client, staff_xining):
    (n,) = give(staff_xining, 1)
    client.force_login(staff_xining)
    response = client.post(
        reverse("notifications:read", args=[n.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:inbox")


def test_someone_elses_notification_is_404(client, staff_xining, staff_haidong):
    (n,) = give(staff_haidong, 1)
    client.force_login(staff_xining)
    assert client.post(reverse("notifications:read", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_read_is_a_post(client, staff_xining):
    (n,) = give(staff_xining, 1)
    client.force_login(staff_xining)
    assert client.get(reverse("notifications:read", args=[n.pk])).status_code == 405


def test_mark_all_read(client, staff_xining, staff_haidong):
    give(staff_xining, 4)
    give(staff_haidong, 2)
    client.force_login(staff_xining)
    client.post(reverse("notifications:read-all"))
    assert Notification.objects.for_user(staff_xining).unread().count() == 0
    assert Notification.objects.for_user(staff_haidong).unread().count() == 2


def test_unread_filter(client, staff_xining):
    first, second = give(staff_xining, 2)
    services.mark_read(user=staff_xining, notification_id=first.pk)
    client.force_login(staff_xining)
    page = client.get(reverse("notifications:inbox") + "?unread=1").context["page"]
    assert [n.pk for n in page] == [second.pk]


def test_inbox_query_count_does_not_grow_with_rows(client, with_inbox_context, staff_xining):
    client.force_login(staff_xining)
    give(staff_xining, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:inbox"))
    give(staff_xining, 17)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("notifications:inbox"))
    assert len(few) == len(many)


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("notifications:inbox")).status_code == 302
