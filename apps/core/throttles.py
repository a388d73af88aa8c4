"""API throttles: rates from settings (``QH_API_THROTTLE_RATES``), read on every request.

DRF's own classes read their rates once, at import; ours read the setting each time, so the
rates are what the environment says and tests can change them. A cache outage (Redis down)
lets the call through rather than failing it: throttling protects the service, it must not
take it down.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from redis.exceptions import RedisError
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)


class _SettingsRateMixin:
    scope: str

    def timer(self) -> float:
        # DRF keeps ``timer = time.time`` as a class attribute, bound at import: imported while
        # a test froze time it would keep the fake clock. Look the clock up on each call.
        return time.time()

    def get_rate(self) -> str | None:
        return settings.QH_API_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        # Rates are parsed in __init__ from get_rate(); re-read so a changed setting applies.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError):  # the cache is unreachable: serve, and log it
            logger.warning("API throttle cache unavailable; request not throttled", exc_info=True)
            return True


class AnonThrottle(_SettingsRateMixin, AnonRateThrottle):
    """Anonymous callers, counted per client address."""


class UserThrottle(_SettingsRateMixin, UserRateThrottle):
    """Signed-in callers (API tokens and browser sessions), counted per user."""
