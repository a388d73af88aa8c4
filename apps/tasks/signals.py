"""Supervision events for other apps (apps.core.events): every recorded step of an
assignment (交办, 退回, 审核通过, 延期审批…) is announced on commit, whichever service wrote
it. Bulk loads (bulk_create: seeds) announce nothing."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from apps.core import events
from apps.tasks.models import AssignmentEvent


@receiver(post_save, sender=AssignmentEvent, dispatch_uid="tasks.assignment_event")
def assignment_event_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        events.emit("tasks.assignment_event", event_id=instance.pk)
