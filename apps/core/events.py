"""A small domain-event API: the domain apps say what happened, other apps react.

A domain app records its events as rows (``ProjectReviewEvent``, ``AssignmentEvent``,
``ProblemEvent``…) or calls ``emit(name, **ids)``; it never imports the apps that react (the
notifications app subscribes). Subscribers run on commit, so a rolled-back request announces
nothing, and with plain ids, so they re-read what they need.

``quiet()`` silences events for bulk loads (seed and demo data) that go through the services.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

_subscribers: dict[str, list[Callable[..., Any]]] = defaultdict(list)
_quiet: ContextVar[bool] = ContextVar("qh_events_quiet", default=False)


def subscribe(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: call the function with the event's payload after the emitting commit."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        if fn not in _subscribers[name]:
            _subscribers[name].append(fn)
        return fn

    return register


def is_quiet() -> bool:
    return _quiet.get()


@contextmanager
def quiet() -> Iterator[None]:
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def emit(name: str, **payload: Any) -> None:
    """Announce ``name`` once the current transaction commits (at once outside one)."""
    if is_quiet():
        return
    # robust: a failing subscriber must not turn a committed request into an error page.
    transaction.on_commit(partial(_dispatch, name, payload), robust=True)


def _dispatch(name: str, payload: dict[str, Any]) -> None:
    for fn in list(_subscribers.get(name, ())):
        try:
            fn(**payload)
        except Exception:  # one subscriber's failure must not stop the others
            logger.exception("event %s: subscriber %s failed", name, fn.__qualname__)
