"""Abstract bases shared by the business models, and the working-day calendar's data."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from apps.core.scopes import Scope


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


class CalendarDay(models.Model):
    """An exception to the Monday–Friday working week: a public holiday or a make-up workday.

    Days not listed here follow the plain rule (Saturday and Sunday off). The State Council
    publishes the arrangement each year; administrators add the next year's days in the admin
    (the authority), or seed a year the ``chinese-calendar`` package knows with
    ``manage.py seed_calendar``. Rules on it: ``apps.core.calendar``. It lived in the tasks app
    until issue 10 pt 8 (every app's time limits count working days), hence its migration.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField(
        "是否上班",
        default=False,
        help_text="勾选表示调休上班日（周末补班）；不勾选表示放假。",
    )
    name = models.CharField("节日", max_length=32, help_text="如 春节、国庆节")
    note = models.CharField("依据", max_length=128, blank=True)

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # reference data: every signed-in user reads it

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "调休上班" if self.is_workday else "放假"
        return f"{self.date:%Y-%m-%d} {self.name}（{kind}）"
