"""通报 and rankings (考核): the weights the administrator sets, and published bulletins.

A bulletin is a dated snapshot: its ranked rows and the weights used are stored when it is
published and never recomputed or edited afterwards — later data changes leave it as it was.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.scopes import Scope


class Measure(models.TextChoices):
    COMPLETION = "completion", _("投资完成率")
    TARGET = "target", _("谋划目标完成度")
    FULFILLMENT = "fulfillment", _("履约率达标度")
    START = "start", _("开工率达标度")
    FUNDING = "funding", _("资金到位率达标度")
    TIMELINESS = "timeliness", _("月报及时率")
    TASK_DONE = "task_done", _("任务办结率")
    TASK_OVERDUE = "task_overdue", _("任务逾期率（反向）")


class By(models.TextChoices):
    REGION = "region", _("市州")
    UNIT = "unit", _("省直部门")
    PARK = "park", _("园区")


class Weight(models.Model):
    """The weight of one measure in the 考核 score (data: the administrator edits it)."""

    measure = models.CharField(_("考核指标"), max_length=16, choices=Measure.choices, unique=True)
    weight = models.DecimalField(
        _("权重"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("各项权重按比例折算，无数据的指标不参与计分"),
    )

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # weights and published 通报 are read by every signed-in user

    class Meta:
        verbose_name = _("考核权重")
        verbose_name_plural = _("考核权重")
        ordering = ["measure"]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.weight}"


class Bulletin(models.Model):
    """A published 通报: the ranking of one month or quarter, frozen when published."""

    class Kind(models.TextChoices):
        MONTH = "month", _("月度")
        QUARTER = "quarter", _("季度")

    kind = models.CharField(_("周期"), max_length=8, choices=Kind.choices)
    period = models.DateField(_("所属期"), help_text=_("月度为当月1日；季度为季度首月1日"))
    by = models.CharField(_("排名对象"), max_length=8, choices=By.choices)
    title = models.CharField(_("标题"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    published_on = models.DateField(_("通报日期"), default=timezone.localdate)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    weights = models.JSONField(_("所用权重"), default=dict)
    rows = models.JSONField(_("排名表"), default=list)

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # weights and published 通报 are read by every signed-in user

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-period", "-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "by"], name="rankings_one_bulletin_per_period"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Published means frozen: an existing bulletin is never written again.
        if self.pk is not None and Bulletin.objects.filter(pk=self.pk).exists():
            raise ValidationError(gettext("通报发布后不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("通报发布后不能删除。"))
