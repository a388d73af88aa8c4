"""The library's events for other apps (apps.core.events): each review step, on commit; and
``factor_difficulty``, the one synchronous hook (a Django signal) other apps answer.

``factor_difficulty`` is sent inside ``services.record_factor_need``'s transaction when a
要素保障 need turns 存在困难 and has no open ticket, with ``need``, ``user``, ``title`` and
``description``; a receiver may return the problem ticket it opened (the problems app does:
apps.problems.receivers). The library does not import the problems app, which depends on it.
"""

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from apps.core import events
from apps.projects.models import ProjectReviewEvent

factor_difficulty = Signal()


@receiver(post_save, sender=ProjectReviewEvent, dispatch_uid="projects.review_event")
def review_event_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        events.emit("projects.review_event", event_id=instance.pk)
