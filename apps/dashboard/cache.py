"""The cockpit's figures, computed once per day and data version, shared by every reader.

Every leader sees the same province-wide figures, so the cockpit is computed once and kept in
the cache (Redis in production, shared by the gunicorn workers) under a key made of the day
(overdue work and the campaign phase move with the date), the language and a *generation*
token. Any save or delete of a model the cockpit reads replaces the token, so the next view
recomputes; the entry also expires after ``TIMEOUT`` as a safety net for writes that send no
signals (``QuerySet.update``, raw SQL). A fresh random token, not a counter, so an evicted
token can never bring back an older generation's entry.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

logger = logging.getLogger(__name__)
TOKEN_KEY = "dashboard:generation"
TIMEOUT = 300  # seconds
#: Apps whose rows the cockpit shows.
WATCHED_APPS = {
    "projects",
    "contracts",
    "indicators",
    "tasks",
    "problems",
    "reference",
    "workgroups",
}


def _token() -> str:
    token = cache.get(TOKEN_KEY)  # a cache error propagates to cached(), which computes
    if token is None:
        token = uuid.uuid4().hex
        cache.add(TOKEN_KEY, token, timeout=None)
        token = cache.get(TOKEN_KEY) or token
    return token


def invalidate() -> None:
    try:
        cache.set(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # a cache outage must not fail the write that triggered this
        logger.warning("cockpit cache: could not invalidate", exc_info=True)


def _shared() -> bool:
    """Whether a cached cockpit is the same for every process serving it. A process-local
    cache (LocMemCache) is only when one process serves (runserver, the tests): with several
    gunicorn workers a write seen by one would leave the others' copies stale, so production
    without Redis computes every view (settings use the Redis broker as cache by default)."""
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    return not isinstance(caches["default"], LocMemCache) or settings.DEBUG or settings.TESTING


def cached(name: str, compute: Callable[[], Any]) -> Any:
    if not _shared():
        return compute()
    try:
        key = (
            f"dashboard:{name}:{_token()}:{timezone.localdate().isoformat()}"
            f":{translation.get_language()}"
        )
        value = cache.get(key)
    except Exception:  # Redis down: the cockpit is computed, just not shared
        logger.warning("cockpit cache unavailable", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=TIMEOUT)
        except Exception:
            logger.warning("cockpit cache: could not store", exc_info=True)
    return value


def _on_write(sender, **kwargs) -> None:
    if sender._meta.app_label in WATCHED_APPS:
        # After the commit too: a view computing meanwhile may have cached the old rows.
        invalidate()
        connection = transaction.get_connection()
        if connection.in_atomic_block and not any(
            entry[1] is invalidate for entry in connection.run_on_commit
        ):  # once per transaction, not once per row of an import
            transaction.on_commit(invalidate)


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"dashboard-cache-{signal!r}")
