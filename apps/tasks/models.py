"""Task division (任务分工) and closed-loop supervision (督办).

The three source documents' tasks, their lead and participating units, one assignment per
(task, unit) moved through explicit transitions (services.py), progress reports, extension
requests, and the working-day calendar the time limits are counted in.
"""

from django.db import models
from simple_history.models import HistoricalRecords


class CalendarDay(models.Model):
    """An exception to the Monday–Friday working week: a public holiday or a make-up workday.

    Days not listed here follow the plain rule (Saturday and Sunday off). The State Council
    publishes the arrangement each year; administrators add the next year's days in the admin.
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

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "调休上班" if self.is_workday else "放假"
        return f"{self.date:%Y-%m-%d} {self.name}（{kind}）"
