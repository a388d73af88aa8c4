"""The cockpit's figures, computed once per day and data version, shared by every reader.

Every leader sees the same province-wide figures, so the cockpit is computed once and kept in
the cache (Redis in production, shared by the gunicorn workers) under a key made of the day
(overdue work and the campaign phase move with the date), the language and *generation*
tokens. Each part of the cockpit (the library, the contracts, indicators, tasks, problems) is
cached on its own, keyed by the tokens of the apps it reads: a save or delete of a model
replaces its app's token, so the next view recomputes only the parts that read that app
(issue 15: a monthly report no longer recomputes the library's figures). ``invalidate()``
with no app replaces the token every key includes. Entries also expire after ``TIMEOUT`` as a
safety net for writes that send no signals (``QuerySet.update``, raw SQL). Fresh random
tokens, not counters, so an evicted token can never bring back an older generation's entry.

A fair's rates per month (the cockpit's trend) are kept per month: a report for month P
changes the state of months P and later only, so a report write drops those months' entries
(``forget_months``) and leaves the earlier ones — the trend of a year is not recomputed from
1.1 million reports after each monthly report.
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

from apps.core.signals import bulk_written

logger = logging.getLogger(__name__)
TOKEN_KEY = "dashboard:generation"
TIMEOUT = 300  # seconds
#: A past month's rates change only with a report for that month or before (which drops
#: them); the expiry is the safety net for writes that send no signals.
MONTH_TIMEOUT = 3600
#: How many months after a report's month its write drops (a fair's window is a few years).
MONTHS_AHEAD = 60
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


def _token_key(app: str | None) -> str:
    return TOKEN_KEY if app is None else f"{TOKEN_KEY}:{app}"


def _tokens(apps: tuple[str, ...] = ()) -> str:
    """The global token and each of ``apps``' tokens, joined (one round trip when all exist)."""
    keys = [_token_key(None), *(_token_key(app) for app in apps)]
    found = cache.get_many(keys)  # a cache error propagates to cached(), which computes
    out = []
    for key in keys:
        token = found.get(key)
        if token is None:
            token = uuid.uuid4().hex
            cache.add(key, token, timeout=None)
            token = cache.get(key) or token
        out.append(token)
    return ":".join(out)


def invalidate(app: str | None = None) -> None:
    """Replace ``app``'s token (every part that reads the app recomputes), or with no app the
    token every cached figure depends on."""
    try:
        cache.set(_token_key(app), uuid.uuid4().hex, timeout=None)
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


def cached(name: str, compute: Callable[[], Any], apps: tuple[str, ...] = ()) -> Any:
    """``compute()``, cached until a write to one of ``apps`` (or ``invalidate()``)."""
    if not _shared():
        return compute()
    try:
        key = (
            f"dashboard:{name}:{_tokens(apps)}:{timezone.localdate().isoformat()}"
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


def _month_token_key(period) -> str:
    return f"{TOKEN_KEY}:month:{period.isoformat()}"


def _get_tokens(keys: list[str]) -> dict[str, str]:
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            token = uuid.uuid4().hex
            cache.add(key, token, timeout=None)
            found[key] = cache.get(key) or token
    return found


def cached_months(fair_id: int, periods: list, compute: Callable[[list], dict]) -> dict:
    """``{period: figures}`` of a fair for ``periods``; the months not cached come from
    ``compute(missing)``, which returns that mapping for the months it is given. A month's
    entry holds until a report for it or an earlier month is written (``forget_months``) or
    anything about the fairs and contracts changes."""
    if not _shared():
        return compute(periods)
    try:
        base = _tokens(("contracts:fairs",))
        months = _get_tokens([_month_token_key(p) for p in periods])
        keys = {
            p: f"dashboard:rates:{base}:{months[_month_token_key(p)]}:{fair_id}:{p.isoformat()}"
            for p in periods
        }
        found = cache.get_many(list(keys.values()))
    except Exception:
        logger.warning("cockpit cache unavailable", exc_info=True)
        return compute(periods)
    out = {p: found[k] for p, k in keys.items() if k in found}
    missing = [p for p in periods if p not in out]
    if missing:
        fresh = compute(missing)
        out.update(fresh)
        try:
            cache.set_many({keys[p]: fresh[p] for p in missing}, timeout=MONTH_TIMEOUT)
        except Exception:
            logger.warning("cockpit cache: could not store", exc_info=True)
    return out


def forget_months(period) -> None:
    """A report for ``period`` was written: that month's and later months' rates change."""
    from apps.core.periods import add_months, month_start

    period = month_start(period)
    try:
        cache.set_many(
            {
                _month_token_key(add_months(period, k)): uuid.uuid4().hex
                for k in range(MONTHS_AHEAD)
            },
            timeout=None,
        )
    except Exception:
        logger.warning("cockpit cache: could not invalidate", exc_info=True)


class _Later:
    """``func(*args)``, comparable, so a transaction schedules it once however many rows."""

    def __init__(self, func: Callable[..., None], *args: Any) -> None:
        self.func, self.args = func, args

    def __call__(self) -> None:
        self.func(*self.args)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Later) and (self.func, self.args) == (other.func, other.args)

    __hash__ = None  # type: ignore[assignment]


def _now_and_on_commit(func: Callable[..., None], *args: Any) -> None:
    # After the commit too: a view computing meanwhile may have cached the old rows.
    later = _Later(func, *args)
    later()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        entry[1] == later for entry in connection.run_on_commit
    ):  # once per transaction, not once per row of an import
        transaction.on_commit(later)


def _on_write(sender, **kwargs) -> None:
    app = sender._meta.app_label
    if app not in WATCHED_APPS:
        return
    _now_and_on_commit(invalidate, app)
    # A history row (django-simple-history) comes with the save of the row it records.
    label = getattr(sender, "instance_type", sender)._meta.label
    if label == "contracts.ContractReport":
        period = getattr(kwargs.get("instance"), "period", None)
        if period:
            _now_and_on_commit(forget_months, period)
    elif app in ("contracts", "reference"):
        # A contract added, moved or re-valued, a fair or a region changed: every month.
        _now_and_on_commit(invalidate, "contracts:fairs")


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed, bulk_written):
        signal.connect(_on_write, dispatch_uid=f"dashboard-cache-{signal!r}")
