"""Delivery channels: the inbox, email, and WeCom/DingTalk group robots (webhook).

Every channel answers the same three questions: does it apply to this notification, where does
it go (for the record), and send it. ``send`` raises ``TransientChannelError`` for failures
worth retrying (network, 5xx, rate limits) and ``PermanentChannelError`` for those that are not
(no address, a host that is not allowed, a 4xx). The retry loop lives in the Celery task.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import ClassVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.notifications.models import Notification

logger = logging.getLogger(__name__)

# The official robot endpoints; a private deployment adds its host in settings.


# The failure kinds live in core (apps.core.delivery); importable from here as before.
from apps.core.delivery import (  # noqa: E402
    ChannelError,
    PermanentChannelError,
    TransientChannelError,
)

__all__ = ["ChannelError", "PermanentChannelError", "TransientChannelError"]


class Channel:
    name: ClassVar[str]
    label: ClassVar[str]
    # Inline channels deliver inside the transaction that creates the notification; the others
    # are sent by one Celery task per (notification, channel), after commit.
    inline: ClassVar[bool] = False

    def applies(self, notification: Notification) -> bool:
        raise NotImplementedError

    def target(self, notification: Notification) -> str:
        return ""

    def send(self, notification: Notification) -> None:
        raise NotImplementedError


def absolute_url(path: str) -> str:
    """Links in email and group messages need the site's address (settings.QH_SITE_URL)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    base = settings.QH_SITE_URL.rstrip("/")
    return f"{base}{path}" if base else path


def language_of(notification: Notification) -> str:
    """The recipient's language (User.language); a group robot speaks the platform's."""
    recipient = notification.recipient if notification.recipient_id else None
    return getattr(recipient, "language", "") or settings.LANGUAGE_CODE


def message_text(notification: Notification) -> str:
    """The message as sent: its stored text (written in the recipient's language when it was
    made), and the link line in that language."""
    parts = [notification.title]
    if notification.body:
        parts.append(notification.body)
    if notification.url:
        with translation.override(language_of(notification)):
            parts.append(_("详情：%(url)s") % {"url": absolute_url(notification.url)})
    return "\n".join(parts)


class InboxChannel(Channel):
    """The notification row is the inbox item; delivering it is recording it."""

    name = "inbox"
    label = gettext_lazy("站内消息")
    inline = True

    def applies(self, notification: Notification) -> bool:
        return notification.recipient_id is not None

    def target(self, notification: Notification) -> str:
        return notification.recipient.username

    def send(self, notification: Notification) -> None:
        return None


class EmailChannel(Channel):
    """Django's mail backend (console in the demo, SMTP in production)."""

    name = "email"
    label = gettext_lazy("电子邮件")

    def applies(self, notification: Notification) -> bool:
        return notification.recipient_id is not None and bool(notification.recipient.email)

    def target(self, notification: Notification) -> str:
        return notification.recipient.email

    def send(self, notification: Notification) -> None:
        try:
            with translation.override(language_of(notification)):
                subject = _("【青海省项目管理平台】%(title)s") % {"title": notification.title}
            send_mail(
                subject=subject,
                message=message_text(notification),
                from_email=None,  # DEFAULT_FROM_EMAIL
                recipient_list=[notification.recipient.email],
            )
        except Exception as exc:  # SMTP, socket or backend errors: all worth another try
            raise TransientChannelError(_("邮件发送失败：%(exc)s") % {"exc": exc}) from exc


class WebhookChannel(Channel):
    """A WeCom (企业微信) or DingTalk (钉钉) group robot, configured per organisation.

    Both accept the same text message JSON and answer 200 with ``{"errcode": 0}`` on success.
    """

    name = "webhook"
    label = gettext_lazy("群机器人")

    def applies(self, notification: Notification) -> bool:
        return (
            notification.recipient_id is None
            and notification.organization_id is not None
            and bool(notification.organization.webhook_url)
        )

    def target(self, notification: Notification) -> str:
        # The query string of a robot URL is its secret key: never store it.
        parts = urlsplit(notification.organization.webhook_url)
        return f"{parts.scheme}://{parts.netloc}{parts.path}"

    def send(self, notification: Notification) -> None:
        url = notification.organization.webhook_url
        check_webhook_url(url)
        payload = {"msgtype": "text", "text": {"content": message_text(notification)}}
        request = urllib.request.Request(
            url,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        timeout = settings.NOTIFICATIONS_WEBHOOK_TIMEOUT
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read(4096)
        except urllib.error.HTTPError as exc:
            message = f"群机器人返回 HTTP {exc.code}"
            if exc.code >= 500 or exc.code == 429:
                raise TransientChannelError(message) from exc
            raise PermanentChannelError(message) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise TransientChannelError(_("无法连接群机器人：%(exc)s") % {"exc": exc}) from exc
        try:
            answer = json.loads(body or b"{}")
        except ValueError:
            answer = {}
        errcode = answer.get("errcode", 0) if isinstance(answer, dict) else 0
        if errcode:
            # e.g. 45009 rate limit (WeCom), 130101 too frequent (DingTalk): try again later.
            raise TransientChannelError(
                _("群机器人拒绝：errcode=%(errcode)s %(get)s")
                % {"errcode": errcode, "get": answer.get("errmsg", "")}
            )


def check_webhook_url(url: str) -> None:
    """Only http(s) to an allowed robot host: a unit's webhook must not reach internal services."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PermanentChannelError(_("群机器人地址无效"))
    allowed = settings.NOTIFICATIONS_WEBHOOK_HOSTS
    if "*" not in allowed and parts.hostname not in allowed:
        raise PermanentChannelError(
            _("群机器人地址的主机 %(hostname)s 不在允许列表中") % {"hostname": parts.hostname}
        )


CHANNELS: dict[str, Channel] = {
    channel.name: channel for channel in (InboxChannel(), EmailChannel(), WebhookChannel())
}


def get_channel(name: str) -> Channel:
    try:
        return CHANNELS[name]
    except KeyError:
        raise PermanentChannelError(_("未知的渠道 %(name)s") % {"name": name}) from None
