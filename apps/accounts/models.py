"""Users and their roles. What each role may do is decided in apps.core.permissions."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    STAFF = "staff", "填报员"
    REVIEWER = "reviewer", "审核员"
    LEADER = "leader", "领导"
    COORDINATOR = "coordinator", "牵头协调单位"
    API_CLIENT = "api_client", "接口用户"
    ADMIN = "admin", "系统管理员"


# Roles whose work is tied to one organisation: they cannot exist without one.
ROLES_NEEDING_ORGANIZATION = {Role.STAFF, Role.COORDINATOR}


class User(AbstractUser):
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.STAFF)
    organization = models.ForeignKey(
        "reference.Organization",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField("联系电话", max_length=32, blank=True)
    api_write = models.BooleanField(
        "接口可写",
        default=False,
        help_text="仅对接口用户：允许通过接口修改其所属单位的数据。",
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()
        return f"{full}（{self.username}）" if full else self.username

    @property
    def display_name(self) -> str:
        return f"{self.last_name}{self.first_name}".strip() or self.username

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    def clean(self) -> None:
        super().clean()
        if self.role in ROLES_NEEDING_ORGANIZATION and not self.organization_id:
            raise ValidationError({"organization": "填报员和牵头协调单位用户必须绑定所属单位。"})
        if self.api_write and self.role != Role.API_CLIENT:
            raise ValidationError({"api_write": "只有接口用户可以设置“接口可写”。"})
