"""Fixtures: the local robot server, channel settings, the inbox context processor."""

from __future__ import annotations

import pytest

from tests.notifications.robot import robot  # noqa: F401 - a fixture


@pytest.fixture
def channel_settings(settings):
    """Local robot allowed, three retries (in-process, Celery runs each retry at once)."""
    settings.NOTIFICATIONS_WEBHOOK_HOSTS = ("127.0.0.1",)
    settings.NOTIFICATIONS_MAX_RETRIES = 3
    settings.NOTIFICATIONS_WEBHOOK_TIMEOUT = 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


@pytest.fixture
def with_inbox_context(settings):
    """The context processor the project settings are asked to add (see the report)."""
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    if "apps.notifications.context_processors.inbox" not in processors:
        settings.TEMPLATES = [
            {
                **settings.TEMPLATES[0],
                "OPTIONS": {
                    **settings.TEMPLATES[0]["OPTIONS"],
                    "context_processors": [
                        *processors,
                        "apps.notifications.context_processors.inbox",
                    ],
                },
            }
        ]
    return settings
