"""How an outbound delivery failed (a robot webhook, an e-mail, a client push), and the base
of the Celery tasks that retry them.

Shared by ``apps.notifications`` (channels) and ``apps.projects.push`` so that Celery's
``autoretry_for`` can name one exception, and neither app imports the other for it.
"""

from celery import Task


class ChannelError(Exception):
    pass


class TransientChannelError(ChannelError):
    """Worth retrying later."""


class PermanentChannelError(ChannelError):
    """Retrying will not help (bad address, refused request)."""


class RetryingTask(Task):
    """A delivery task retried by Celery itself: ``autoretry_for`` a transient failure, with
    exponential backoff (``retry_backoff``, whole seconds, read when the task is registered)
    and full jitter; subclasses or the decorator set the backoff and ``max_retries``.

    In-process (no broker; the unit tests) Celery runs a retry at once, inside ``apply`` —
    but only when the ``Retry`` is not propagated, and the project propagates eager errors
    (CELERY_TASK_EAGER_PROPAGATES). So ``apply`` lets Celery see the ``Retry`` and re-raises
    only a real failure, as propagation would have.
    """

    autoretry_for = (TransientChannelError,)
    retry_jitter = True

    def apply(self, *args, throw=None, **kwargs):
        result = super().apply(*args, throw=False, **kwargs)
        propagate = self.app.conf.task_eager_propagates if throw is None else throw
        if propagate and result.failed():
            raise result.result
        return result
