"""Abstract bases shared by the business models, and the working-day calendar's data."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.periods import period_label
from apps.core.scopes import Scope


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
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

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True


class MonthlyReport(models.Model):
    """A row about one calendar month (a 调度 update, a contract's monthly report).

    One period rule for all of them: ``period`` is the month's first day. Forms and the API
    take "YYYY-MM" and give the first day (``apps.core.forms.MonthField``,
    ``apps.core.serializers.PeriodField``); any other day is refused, never silently moved.
    The concrete model declares the ``period`` field (its own label) and its constraints.
    """

    PERIOD_ERROR = _("月份应为当月第一天（如 2017-10-01）。")

    class Meta:
        abstract = True

    def period_errors(self) -> dict[str, str]:
        period = getattr(self, "period", None)
        return {"period": self.PERIOD_ERROR} if period and period.day != 1 else {}

    def clean(self) -> None:
        super().clean()
        if errors := self.period_errors():
            raise ValidationError(errors)

    @property
    def period_label(self) -> str:
        return period_label(self.period)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday working week: a public holiday or a make-up workday.

    Days not listed here follow the plain rule (Saturday and Sunday off). The State Council
    publishes the arrangement each year; administrators add the next year's days in the admin
    (the authority), or seed a year the ``chinese-calendar`` package knows with
    ``manage.py seed_calendar``. Rules on it: ``apps.core.calendar``. It lived in the tasks app
    until issue 10 pt 8 (every app's time limits count working days), hence its migration.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否上班"),
        default=False,
        help_text=_("勾选表示调休上班日（周末补班）；不勾选表示放假。"),
    )
    name = models.CharField(_("节日"), max_length=32, help_text=_("如 春节、国庆节"))
    note = models.CharField(_("依据"), max_length=128, blank=True)

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # reference data: every signed-in user reads it

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = gettext("调休上班") if self.is_workday else gettext("放假")
        return f"{self.date:%Y-%m-%d} {self.name}（{kind}）"
