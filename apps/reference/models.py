"""Reference data of Qinghai: the region tree, organisations (单位), sectors and domains.

Loaded from fixtures/reference/ by `manage.py load_seed_data`; edited by administrators.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.scopes import Scope


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        PREFECTURE = "prefecture", _("市州")
        COUNTY = "county", _("县区")

    code = models.CharField(_("行政区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # reference data: every signed-in user reads it

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def within_q(self, prefix: str = "") -> Q:
        """Rows whose ``<prefix>region`` lies in this region: a 市州 includes its 县区."""
        q = Q(**{f"{prefix}region": self})
        if self.level == self.Level.PREFECTURE:
            q |= Q(**{f"{prefix}region__parent": self})
        return q

    def prefecture(self) -> "Region | None":
        """The 市州 this region lies in (itself for a 市州, None for the province)."""
        if self.level == self.Level.PREFECTURE:
            return self
        if self.level == self.Level.COUNTY:
            return self.parent
        return None


class OrganizationQuerySet(models.QuerySet):
    def resolve(self, name: str) -> "Organization | None":
        """Find an organisation by its name, full name or any alias used in the documents."""
        name = normalize_unit_name(name)
        if not name:
            return None
        return (
            self.filter(Q(name=name) | Q(full_name=name) | Q(aliases__contains=[name])).first()
            if _json_contains_supported()
            else self._resolve_in_python(name)
        )

    def _resolve_in_python(self, name: str) -> "Organization | None":
        # SQLite has no JSON containment lookup; the table is small (a few hundred rows).
        for org in self.filter(Q(name=name) | Q(full_name=name)):
            return org
        for org in self.exclude(aliases=[]):
            if name in org.aliases:
                return org
        return None

    def government_departments(self) -> "OrganizationQuerySet":
        """The organisations that may supervise a project (监管部门): government departments —
        the province's, the 市州/县's, and the central ones in Qinghai (税务, 海关, 统计, …) —
        not governments themselves, party and mass organisations, parks or enterprises."""
        return self.filter(kind__in=GOVERNMENT_DEPARTMENT_KINDS, is_active=True)

    def name_index(self) -> dict[str, "Organization"]:
        """Every spelling → organisation, for bulk resolution in importers."""
        index: dict[str, Organization] = {}
        for org in self.all():
            for spelling in (org.name, org.full_name, *org.aliases):
                if spelling:
                    index[normalize_unit_name(spelling)] = org
        return index


GOVERNMENT_DEPARTMENT_KINDS = ("provincial_department", "local_department", "central_unit")


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def normalize_unit_name(name: str) -> str:
    """Unify the spelling variants documents use: full-width brackets, stray spaces."""
    return (
        (name or "")
        .replace("（", "(")
        .replace("）", ")")
        .replace("\u3000", "")
        .replace(" ", "")
        .strip()
    )


class Organization(models.Model):
    class Kind(models.TextChoices):
        PROVINCIAL_DEPARTMENT = "provincial_department", _("省直部门")
        PROVINCIAL_OTHER = "provincial_other", _("省级其他单位")
        CENTRAL_UNIT = "central_unit", _("中央驻青单位")
        PREFECTURE_GOVERNMENT = "prefecture_government", _("市州政府")
        COUNTY_GOVERNMENT = "county_government", _("县级政府")
        LOCAL_DEPARTMENT = "local_department", _("市县部门")
        PARK_COMMITTEE = "park_committee", _("园区管委会")
        STATE_ENTERPRISE = "state_enterprise", _("国有企业")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=128, unique=True)
    full_name = models.CharField(_("全称"), max_length=128, blank=True)
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    aliases = models.JSONField(
        _("别名"), default=list, blank=True, help_text=_("文件中出现的其他写法")
    )
    note = models.CharField(_("备注"), max_length=255, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    webhook_url = models.URLField(
        _("群机器人地址"), blank=True, help_text=_("企业微信/钉钉群机器人 Webhook，可选")
    )

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords()

    # A unit's own staff maintain its contact details and robot webhook (policy: own unit).
    owner_fields = ("id",)

    policy_scope = (
        Scope.PUBLIC
    )  # every signed-in user reads the unit list; its own staff change the profile

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """The 8 sectors of the planning campaign (001): 生态环保, 交通运输 …"""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # reference data: every signed-in user reads it

    class Meta:
        verbose_name = _("行业领域")
        verbose_name_plural = _("行业领域")
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.name


class InfrastructureDomain(models.Model):
    """The 5 infrastructure domains of the infrastructure plan (003): 网络型, 产业升级 …"""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    policy_scope = Scope.PUBLIC  # reference data: every signed-in user reads it

    class Meta:
        verbose_name = _("基础设施领域")
        verbose_name_plural = _("基础设施领域")
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.name
