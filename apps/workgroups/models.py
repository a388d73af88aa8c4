"""The special working groups (专项工作组) of the infrastructure plan (003).

Six groups, each with 组长 (vice-governors) and 成员 (heads of departments and state firms),
a remit over some of the five infrastructure domains (the 要素保障 group has none), and the
plan's tasks (apps.tasks, linked through ``Task.working_groups``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.scopes import Scope


class WorkingGroup(models.Model):
    name = models.CharField(_("名称"), max_length=64, unique=True)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    remit = models.TextField(_("工作重点"), blank=True, help_text=_("方案对本组的具体要求"))
    duties = models.TextField(_("主要职责"), blank=True, help_text=_("各专项工作组共同的主要职责"))
    domains = models.ManyToManyField(
        "reference.InfrastructureDomain",
        verbose_name=_("负责领域"),
        blank=True,
        related_name="working_groups",
    )
    source = models.CharField(_("依据"), max_length=128, blank=True)

    history = HistoricalRecords(m2m_fields=[domains])

    policy_scope = Scope.PUBLIC  # reference data: every signed-in user reads it

    class Meta:
        verbose_name = _("专项工作组")
        verbose_name_plural = _("专项工作组")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class GroupMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("组长")
        DEPUTY = "deputy", _("副组长")
        MEMBER = "member", _("成员")

    group = models.ForeignKey(
        WorkingGroup, verbose_name=_("专项工作组"), on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(_("职务"), max_length=16, choices=Role.choices)
    person_name = models.CharField(_("姓名"), max_length=32)
    title = models.CharField(
        _("职务全称"), max_length=128, help_text=_("文件中的写法，如 省发展改革委主任")
    )
    organization = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_group_seats",
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # reference data: every signed-in user reads it

    class Meta:
        verbose_name = _("工作组成员")
        verbose_name_plural = _("工作组成员")
        ordering = ["group__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person_name", "role"], name="workgroups_member_unique_seat"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group.display_name} {self.get_role_display()} {self.person_name}"
