"""The library's events for other apps (apps.core.events): each review step, on commit."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from apps.core import events
from apps.projects.models import ProjectReviewEvent


@receiver(post_save, sender=ProjectReviewEvent, dispatch_uid="projects.review_event")
def review_event_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        events.emit("projects.review_event", event_id=instance.pk)
