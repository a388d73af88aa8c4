"""调度: the monthly progress report of a project."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import dateformat
from django.utils.translation import gettext, gettext_lazy
from simple_history.models import HistoricalRecords

from apps.core.models import MonthlyReport, TimeStampedModel, VersionedModel
from apps.projects.models.choices import Stage
from apps.projects.models.fields import money
from apps.projects.models.project import Project


class ProjectMonthlyUpdate(MonthlyReport, TimeStampedModel, VersionedModel):
    """调度: one report per project and month (period = the month's first day)."""

    project = models.ForeignKey(
        Project,
        verbose_name=gettext_lazy("项目"),
        on_delete=models.CASCADE,
        related_name="monthly_updates",
    )
    period = models.DateField(gettext_lazy("月份"), help_text=gettext_lazy("所报告月份的第一天"))
    completed_this_month = money(gettext_lazy("本月完成投资(亿元)"))
    stage = models.CharField(gettext_lazy("项目阶段"), max_length=16, choices=Stage.choices)
    progress = models.TextField(gettext_lazy("形象进度"))
    problems = models.TextField(gettext_lazy("需协调解决的困难问题"), blank=True)
    confirmation_note = models.TextField(
        gettext_lazy("超常数据核实说明"),
        blank=True,
        help_text=gettext_lazy(
            "本月完成投资超过年度计划投资时，填报人核实后的说明（随记录留痕）。"
        ),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    owner_fields = ("project__responsible_unit",)

    class Meta:
        verbose_name = gettext_lazy("月度调度")
        verbose_name_plural = gettext_lazy("月度调度")
        ordering = ["project", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period"],
                name="uniq_project_month",
                violation_error_message=gettext_lazy("该项目本月的调度已填报，请修改原记录。"),
            ),
            models.CheckConstraint(
                condition=Q(period__day=1), name="monthly_update_period_first_day"
            ),
            models.CheckConstraint(
                condition=Q(completed_this_month__gte=0), name="monthly_update_amount_nonneg"
            ),
        ]
        indexes = [models.Index(fields=["period"])]

    def __str__(self) -> str:
        return gettext("%(project)s %(period)s") % {
            "project": self.project,
            "period": dateformat.format(self.period, gettext("Y年m月")),
        }
