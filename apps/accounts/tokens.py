"""API tokens for machine clients: issue, revoke, authenticate.

A small model of our own rather than django-rest-knox: knox hashes tokens and supports expiry
and several tokens per user, but has no scope (read / read-write) and no last-used address,
and its own views log in/out users rather than let an administrator issue tokens for a client.
What we need is ~100 lines, so a dependency would add more than it saves.

``Authorization: Token <key>`` and ``Authorization: Bearer <key>`` are both accepted. A read
token never writes (``PolicyPermission`` asks the token's ``allows_write``); a read-write token
writes what its owner's role and unit allow (apps.core.permissions), nothing more.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from apps.accounts.models import ApiToken, ApiTokenScope, User
from apps.accounts.security import client_ip
from apps.core import permissions as policy

KEY_PREFIX = "qh_"
# last_used_* are written at most this often per token, so reads do not each cost a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def may_manage_tokens(actor: User, owner: User) -> bool:
    """Administrators manage every client's tokens; a client manages its own."""
    return policy.is_admin(actor) or (actor.is_authenticated and actor.pk == owner.pk)


@transaction.atomic
def issue_token(
    *,
    actor: User,
    owner: User,
    name: str,
    scope: str = ApiTokenScope.READ,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token; returns it with the plain key, which is never stored or shown again."""
    if not may_manage_tokens(actor, owner):
        raise PermissionDenied(_("只能为自己创建接口令牌。"))
    if scope not in ApiTokenScope.values:
        raise ValueError(scope)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        owner=owner,
        name=name,
        prefix=key[:10],
        digest=digest_of(key),
        scope=scope,
        expires_at=expires_at,
        created_by=actor,
    )
    return token, key


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken) -> ApiToken:
    if not may_manage_tokens(actor, token.owner):
        raise PermissionDenied(_("只能吊销自己的接口令牌。"))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式无效。"))
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("令牌格式无效。")) from exc
        token = (
            ApiToken.objects.select_related("owner", "owner__organization")
            .filter(digest=digest_of(key))
            .first()
        )
        now = timezone.now()
        if token is None or not token.is_usable(now):
            raise exceptions.AuthenticationFailed(_("令牌无效、已过期或已吊销。"))
        if not token.owner.is_active:
            raise exceptions.AuthenticationFailed(_("用户已停用。"))
        address = client_ip(request) or None  # behind the trusted proxies, the client
        if (
            token.last_used_at is None
            or now - token.last_used_at >= LAST_USED_RESOLUTION
            or token.last_used_ip != address
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=address)
            token.last_used_at, token.last_used_ip = now, address
        return token.owner, token

    def authenticate_header(self, request) -> str:
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the schema documents the token (drf-spectacular registers it by subclassing)."""

    target_class = "apps.accounts.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "接口令牌：请求头 Authorization: Token <令牌> 或 Authorization: Bearer <令牌>。"
                "令牌由系统管理员或接口用户在 /accounts/tokens/ 创建，分只读与读写（限本单位）。"
            ),
        }
