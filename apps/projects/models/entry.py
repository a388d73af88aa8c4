"""What a reviewer decides 入库 on (001 五(三)) and what a project carries into the library.

* ``EntryCriterion``: the conditions of entry of a campaign, as data (loaded for campaign 001
  from fixtures/projects/entry_criteria_001.json, editable by the administrator).
* ``CriterionJudgement``: the reviewer's 符合 / 不符合 / 不适用 on each, with a comment.
* ``Expert`` (the 专家库 the administrator keeps) and ``ExpertOpinion`` (专家论证, dated).

Re-exported by ``apps.projects.models`` (the package) like every model of the app; kept in
their own module so the checklist can move with the campaign model if that moves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.scopes import Scope


class EntryCriterion(models.Model):
    """One condition of entry (入库条件) of a campaign, e.g. 符合产业政策."""

    campaign = models.ForeignKey(
        "projects.Campaign",
        verbose_name=_("谋划行动"),
        on_delete=models.CASCADE,
        related_name="entry_criteria",
    )
    group = models.CharField(
        _("条件类别"), max_length=128, help_text=_("如：符合国家宏观调控政策及产业政策")
    )
    name = models.CharField(_("审查条件"), max_length=128)
    guidance = models.CharField(_("审查要点"), max_length=255, blank=True)
    source = models.CharField(_("依据"), max_length=128, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    policy_scope = Scope.PUBLIC  # a campaign's conditions of entry: every signed-in user reads them

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("入库条件")
        verbose_name_plural = _("入库条件")
        ordering = ["campaign", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="uniq_entry_criterion")
        ]

    def __str__(self) -> str:
        return self.name


class Verdict(models.TextChoices):
    MEETS = "meets", _("符合")
    FAILS = "fails", _("不符合")
    NOT_APPLICABLE = "na", _("不适用")


class CriterionJudgement(models.Model):
    """The reviewer's judgement of one project against one condition of entry."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="entry_judgements",
    )
    # CASCADE: a campaign (demo campaigns are regenerated yearly) takes its checklist and the
    # judgements on it along; the audit trail keeps them.
    criterion = models.ForeignKey(
        EntryCriterion, verbose_name=_("入库条件"), on_delete=models.CASCADE, related_name="+"
    )
    verdict = models.CharField(_("审查结论"), max_length=8, choices=Verdict.choices)
    comment = models.TextField(_("审查意见"), blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    judged_at = models.DateTimeField(_("审查时间"))

    history = HistoricalRecords()

    owner_fields = ("project__responsible_unit",)

    class Meta:
        verbose_name = _("入库条件审查")
        verbose_name_plural = _("入库条件审查")
        ordering = ["project", "criterion__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "criterion"], name="uniq_project_criterion_judgement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.criterion}：{self.get_verdict_display()}"


class Expert(models.Model):
    """An expert of the 项目谋划专家库 (001 六(二)), kept by the administrator."""

    name = models.CharField(_("姓名"), max_length=32)
    employer = models.CharField(_("工作单位"), max_length=128)
    title = models.CharField(_("职称/职务"), max_length=64, blank=True)
    specialty = models.CharField(_("专业领域"), max_length=128, blank=True)
    is_active = models.BooleanField(_("在库"), default=True)

    policy_scope = Scope.PUBLIC  # the 专家库 the administrator keeps; reviewers pick from it

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家库")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "employer"], name="uniq_expert_name_employer")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.employer}）"


class ExpertOpinion(models.Model):
    """One expert's dated opinion in the 专家论证 of a project."""

    class Conclusion(models.TextChoices):
        AGREE = "agree", _("同意入库")
        REVISE = "revise", _("修改完善后入库")
        DISAGREE = "disagree", _("不同意入库")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="expert_opinions",
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="opinions"
    )
    given_on = models.DateField(_("论证日期"))
    conclusion = models.CharField(_("论证结论"), max_length=16, choices=Conclusion.choices)
    opinion = models.TextField(_("论证意见"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    owner_fields = ("project__responsible_unit",)

    class Meta:
        verbose_name = _("专家论证意见")
        verbose_name_plural = _("专家论证意见")
        ordering = ["project", "given_on", "id"]

    def __str__(self) -> str:
        return f"{self.project} · {self.expert.name}（{self.given_on}）"
