"""Channels: the webhook against a real local HTTP server, email, and their independence."""

import pytest
from django.core import mail

from apps.accounts.models import Role
from apps.notifications import services
from apps.notifications.channels import (
    PermanentChannelError,
    TransientChannelError,
    absolute_url,
    check_webhook_url,
)
from apps.notifications.models import Delivery, Kind, Notification
from apps.notifications.tasks import deliver_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(xining, robot):
    xining.webhook_url = robot.url
    xining.save()
    return xining


@pytest.fixture
def unit_staff(make_user, unit):
    return make_user(Role.STAFF, unit, username="t_notify_staff", email="staff@xining.example")


def send(django_capture_on_commit_callbacks, unit):
    with django_capture_on_commit_callbacks(execute=True):
        return services.notify_unit(
            organization=unit,
            kind=Kind.CONTRACT_REPORT_DUE,
            title="请于11月5日前报送10月签约项目月报",
            body="尚未报送：第十八届青洽会",
            url="/contracts/",
        )


def webhook_attempts():
    return list(
        Delivery.objects.filter(channel="webhook")
        .order_by("attempt")
        .values_list("attempt", "status")
    )


def test_webhook_success_posts_the_robot_text_message(
    channel_settings, robot, unit, unit_staff, django_capture_on_commit_callbacks
):
    channel_settings.QH_SITE_URL = "https://xm.qh.example"
    send(django_capture_on_commit_callbacks, unit)

    assert robot.received == [
        {
            "msgtype": "text",
            "text": {
                "content": "请于11月5日前报送10月签约项目月报\n尚未报送：第十八届青洽会\n"
                "详情：https://xm.qh.example/contracts/"
            },
        }
    ]
    assert robot.paths == ["/cgi-bin/webhook/send?key=SECRET-KEY"]
    assert webhook_attempts() == [(1, Delivery.Status.SENT)]
    # The robot key is a secret: the record keeps the endpoint without it.
    delivery = Delivery.objects.get(channel="webhook")
    assert "SECRET" not in delivery.target
    assert delivery.target.endswith("/cgi-bin/webhook/send")
    # One group message for the unit; the staff user got inbox + email.
    group = Notification.objects.get(recipient__isnull=True)
    assert group.organization == unit
    assert set(Delivery.objects.exclude(notification=group).values_list("channel", "status")) == {
        ("inbox", "sent"),
        ("email", "sent"),
    }
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["staff@xining.example"]


def test_webhook_retries_after_a_500_then_succeeds(
    channel_settings, robot, unit, django_capture_on_commit_callbacks
):
    robot.answer(500, 200)
    send(django_capture_on_commit_callbacks, unit)

    assert len(robot.received) == 2
    assert webhook_attempts() == [(1, Delivery.Status.FAILED), (2, Delivery.Status.SENT)]
    assert "HTTP 500" in Delivery.objects.get(channel="webhook", attempt=1).error


def test_webhook_gives_up_after_max_retries(
    channel_settings, robot, unit, django_capture_on_commit_callbacks
):
    robot.answer(500)
    send(django_capture_on_commit_callbacks, unit)

    # NOTIFICATIONS_MAX_RETRIES = 3: the first attempt and three retries, then it gives up.
    assert len(robot.received) == 4
    assert webhook_attempts() == [
        (1, Delivery.Status.FAILED),
        (2, Delivery.Status.FAILED),
        (3, Delivery.Status.FAILED),
        (4, Delivery.Status.GAVE_UP),
    ]


def test_robot_errcode_is_a_failure_even_with_http_200(
    channel_settings, robot, unit, django_capture_on_commit_callbacks
):
    robot.answer((200, {"errcode": 45009, "errmsg": "api freq out of limit"}), 200)
    send(django_capture_on_commit_callbacks, unit)

    assert webhook_attempts() == [(1, Delivery.Status.FAILED), (2, Delivery.Status.SENT)]
    assert "45009" in Delivery.objects.get(channel="webhook", attempt=1).error


def test_a_4xx_is_not_retried(channel_settings, robot, unit, django_capture_on_commit_callbacks):
    robot.answer(404)
    send(django_capture_on_commit_callbacks, unit)

    assert len(robot.received) == 1
    assert webhook_attempts() == [(1, Delivery.Status.GAVE_UP)]


def test_a_slow_robot_times_out_and_is_retried(
    channel_settings, robot, unit, django_capture_on_commit_callbacks
):
    channel_settings.NOTIFICATIONS_WEBHOOK_TIMEOUT = 0.2
    channel_settings.NOTIFICATIONS_MAX_RETRIES = 1
    robot.delay = 0.5
    send(django_capture_on_commit_callbacks, unit)

    assert webhook_attempts() == [(1, Delivery.Status.FAILED), (2, Delivery.Status.GAVE_UP)]


def test_a_host_outside_the_allow_list_is_never_called(
    settings, robot, unit, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_WEBHOOK_HOSTS = ("qyapi.weixin.qq.com", "oapi.dingtalk.com")
    send(django_capture_on_commit_callbacks, unit)

    assert robot.received == []
    assert webhook_attempts() == [(1, Delivery.Status.GAVE_UP)]
    assert "不在允许列表" in Delivery.objects.get(channel="webhook").error


@pytest.mark.parametrize(
    "url", ["ftp://qyapi.weixin.qq.com/x", "file:///etc/passwd", "", "http://"]
)
def test_invalid_webhook_urls_are_refused(url):
    with pytest.raises(PermanentChannelError):
        check_webhook_url(url)


class BrokenEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_a_failing_channel_never_blocks_the_others(
    channel_settings, robot, unit, unit_staff, django_capture_on_commit_callbacks
):
    channel_settings.EMAIL_BACKEND = f"{__name__}.BrokenEmailBackend"
    send(django_capture_on_commit_callbacks, unit)

    # Email failed four times and gave up; the inbox and the robot got through.
    email = list(
        Delivery.objects.filter(channel="email")
        .order_by("attempt")
        .values_list("status", flat=True)
    )
    assert email == ["failed", "failed", "failed", "gave_up"]
    assert webhook_attempts() == [(1, Delivery.Status.SENT)]
    assert Delivery.objects.get(channel="inbox").status == Delivery.Status.SENT
    assert len(robot.received) == 1


def test_no_email_without_an_address_and_no_robot_without_a_webhook(
    channel_settings, xining, make_user, django_capture_on_commit_callbacks
):
    make_user(Role.STAFF, xining, username="t_no_mail", email="")
    send(django_capture_on_commit_callbacks, xining)

    assert Notification.objects.count() == 1  # no group message: 西宁 has no robot configured
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["inbox"]


def test_a_duplicate_delivery_task_does_not_send_twice(
    channel_settings, robot, unit, django_capture_on_commit_callbacks
):
    send(django_capture_on_commit_callbacks, unit)
    group = Notification.objects.get(recipient__isnull=True)
    deliver_notification.delay(group.pk, "webhook")
    assert len(robot.received) == 1
    assert webhook_attempts() == [(1, Delivery.Status.SENT)]


def test_nothing_is_sent_for_a_rolled_back_transaction(
    channel_settings, robot, unit, django_capture_on_commit_callbacks
):
    from django.db import transaction

    class Boom(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        services.notify_unit(organization=unit, kind=Kind.GENERAL, title="不会发出")
        raise Boom
    assert callbacks == []
    assert robot.received == []
    assert not Notification.objects.exists()


def test_retries_are_celerys_own(channel_settings, robot, unit, django_capture_on_commit_callbacks):
    """No hand loop: a transient failure is Celery's retry of the same task (one task id, the
    attempt is request.retries + 1), with exponential backoff and jitter on a worker; the
    retry count follows NOTIFICATIONS_MAX_RETRIES at each attempt."""
    assert deliver_notification.autoretry_for == (TransientChannelError,)
    assert deliver_notification.retry_jitter is True
    channel_settings.NOTIFICATIONS_MAX_RETRIES = 1
    assert deliver_notification.max_retries == 1
    robot.answer(500, 500)
    send(django_capture_on_commit_callbacks, unit)

    attempts = Delivery.objects.filter(channel="webhook").order_by("attempt")
    assert list(attempts.values_list("attempt", "status")) == [
        (1, Delivery.Status.FAILED),
        (2, Delivery.Status.GAVE_UP),
    ]
    assert len(robot.received) == 2
    (task_id,) = set(attempts.values_list("task_id", flat=True))
    assert task_id


def test_absolute_url(settings):
    settings.QH_SITE_URL = "https://xm.qh.example/"
    assert absolute_url("/notifications/") == "https://xm.qh.example/notifications/"
    assert absolute_url("https://other.example/x") == "https://other.example/x"
    settings.QH_SITE_URL = ""
    assert absolute_url("/notifications/") == "/notifications/"
