"""Abstract bases shared by the business models."""

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """Optimistic locking: every edit states the version it started from.

    A save through ``apps.core.concurrency.save_versioned`` fails when somebody else saved
    in between, instead of silently overwriting their change.
    """

    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        abstract = True
