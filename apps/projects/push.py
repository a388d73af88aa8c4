"""The periodic push of the changed major-project list to subscribed clients (issue 14 point 8).

Each run sends, per active subscription, the approved 十四五 major / head projects changed
since the subscription's last successful push (and those taken out of the library), as OC4IDS
project records (apps.projects.oc4ids) — one documented format for pull and push. The body is
signed with HMAC-SHA256 over its exact bytes using the subscription's secret:
``X-QH-Signature: sha256=<hex>``. A failed attempt (network, 5xx, 429) is retried by Celery with
exponential backoff; every attempt is a PushDelivery row; the cursor moves only on success,
so nothing changed in between is ever skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import PushDelivery, PushSubscription, Role, User
from apps.core.delivery import PermanentChannelError, TransientChannelError

SIGNATURE_HEADER = "X-QH-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def check_push_url(subscription: PushSubscription) -> None:
    parts = urlsplit(subscription.url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PermanentChannelError(_("推送地址无效"))
    if parts.hostname not in (subscription.allowed_hosts or []):
        raise PermanentChannelError(
            _("推送地址的主机 %(hostname)s 不在该客户端的允许列表中") % {"hostname": parts.hostname}
        )


@transaction.atomic
def subscribe(*, actor: User, owner: User, url: str, allowed_hosts: list[str]) -> PushSubscription:
    """Administrators register a client's webhook and the hosts it may point at."""
    from apps.core import permissions as policy

    if not policy.is_admin(actor):
        raise ValidationError(_("只有系统管理员可以登记推送订阅。"))
    if owner.role != Role.API_CLIENT:
        raise ValidationError({"owner": _("推送订阅只能属于接口用户。")})
    subscription = PushSubscription(
        owner=owner, url=url, allowed_hosts=allowed_hosts, secret=secrets.token_hex(32)
    )
    try:
        check_push_url(subscription)
    except PermanentChannelError as exc:
        raise ValidationError({"url": str(exc)}) from exc
    subscription.save()
    return subscription


def changed_major_projects(since: dt.datetime | None, until: dt.datetime):
    from apps.projects.models import LibraryStatus, Project, ProjectReviewEvent, ReviewAction
    from apps.projects.oc4ids import approved_projects, project_release

    major = Q(is_14th_fyp_major=True) | Q(is_head_project=True)
    changed = Q(updated_at__lt=until) | Q(monthly_updates__updated_at__lt=until)
    if since is not None:
        changed = Q(updated_at__gte=since, updated_at__lt=until) | Q(
            monthly_updates__updated_at__gte=since, monthly_updates__updated_at__lt=until
        )
    ids = Project.objects.filter(major, changed).values("pk")
    projects = [project_release(p) for p in approved_projects().filter(pk__in=ids)]
    removed_events = ProjectReviewEvent.objects.filter(
        action=ReviewAction.REMOVE, at__lt=until, project__in=Project.objects.filter(major)
    ).exclude(project__library_status=LibraryStatus.APPROVED)
    if since is not None:
        removed_events = removed_events.filter(at__gte=since)
    removed = sorted(set(removed_events.values_list("project_id", flat=True)))
    return projects, removed


def build_body(subscription: PushSubscription, until: dt.datetime) -> tuple[bytes, int]:
    from apps.projects.oc4ids import prefix

    projects, removed = changed_major_projects(subscription.last_pushed_at, until)
    payload = {
        "subscription": subscription.pk,
        "since": subscription.last_pushed_at.isoformat() if subscription.last_pushed_at else None,
        "until": until.isoformat(),
        "projects": projects,
        "removed": [f"{prefix()}{pk}" for pk in removed],
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8"), len(projects)


def push_once(*, subscription_id: int, until: dt.datetime, attempt: int, final: bool) -> str:
    """One attempt; records it. Raises TransientChannelError when worth retrying."""
    subscription = PushSubscription.objects.select_related("owner").get(pk=subscription_id)
    body, count = build_body(subscription, until)
    record = PushDelivery(
        subscription=subscription,
        attempt=attempt,
        since=subscription.last_pushed_at,
        until=until,
        project_count=count,
        body_sha256=hashlib.sha256(body).hexdigest(),
    )
    try:
        check_push_url(subscription)
        request = urllib.request.Request(
            subscription.url,
            data=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                SIGNATURE_HEADER: sign(subscription.secret, body),
                "X-QH-Delivery-Attempt": str(attempt),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(
                request, timeout=settings.NOTIFICATIONS_WEBHOOK_TIMEOUT
            ) as r:
                record.http_status = r.status
        except urllib.error.HTTPError as exc:
            record.http_status = exc.code
            if exc.code >= 500 or exc.code == 429:
                raise TransientChannelError(f"HTTP {exc.code}") from exc
            raise PermanentChannelError(f"HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise TransientChannelError(_("无法连接：%(exc)s") % {"exc": exc}) from exc
    except TransientChannelError as exc:
        record.status = PushDelivery.Status.FAILED if final else PushDelivery.Status.RETRYING
        record.error = str(exc)
        record.save()
        if final:
            return record.status
        raise
    except PermanentChannelError as exc:
        record.status = PushDelivery.Status.FAILED
        record.error = str(exc)
        record.save()
        return record.status
    record.status = PushDelivery.Status.SENT
    with transaction.atomic():
        record.save()
        PushSubscription.objects.filter(pk=subscription.pk).update(last_pushed_at=until)
    return record.status


def queue_pushes(*, now: dt.datetime | None = None) -> dict:
    """The scheduled job: one Celery task per active subscription, after commit."""
    from apps.projects.tasks import push_subscription

    until = now or timezone.now()
    ids = list(PushSubscription.objects.filter(is_active=True).values_list("pk", flat=True))
    for pk in ids:
        transaction.on_commit(lambda pk=pk: push_subscription.delay(pk, until.isoformat()))
    return {"subscriptions": len(ids)}
