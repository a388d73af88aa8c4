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


class ApiTokenScope(models.TextChoices):
    READ = "read", "只读"
    READ_WRITE = "read_write", "读写（限本单位）"


class ApiToken(models.Model):
    """A machine client's API token. Only a SHA-256 digest of the secret is stored: the plain
    token is shown once, when it is made (apps.accounts.tokens.issue_token)."""

    owner = models.ForeignKey(
        User, verbose_name="所属用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途说明", max_length=100)
    prefix = models.CharField("前缀", max_length=12, editable=False)
    digest = models.CharField("摘要", max_length=64, unique=True, editable=False)
    scope = models.CharField(
        "权限范围", max_length=16, choices=ApiTokenScope.choices, default=ApiTokenScope.READ
    )
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True, editable=False)
    last_used_ip = models.GenericIPAddressField(
        "最近使用地址", null=True, blank=True, editable=False
    )
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["digest", "last_used_at", "last_used_ip"])

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def is_usable(self, now) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now


class PushSubscription(models.Model):
    """A client's webhook that receives the changed major-project list on the schedule
    (apps.jobs.schedules, "重大项目清单推送"). The body is signed with HMAC-SHA256 using
    ``secret`` (header ``X-QH-Signature: sha256=<hex>``); the URL's host must be on the
    client's allowlist (``allowed_hosts``, set by an administrator), so a client cannot make
    the platform post to an internal service."""

    owner = models.ForeignKey(
        User, verbose_name="接口用户", on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    url = models.URLField("推送地址", max_length=500)
    allowed_hosts = models.JSONField(
        "允许的主机", default=list, blank=True, help_text="管理员为该客户端核准的推送主机名。"
    )
    secret = models.CharField("签名密钥", max_length=64, editable=False)
    is_active = models.BooleanField("启用", default=True)
    last_pushed_at = models.DateTimeField(
        "已推送至",
        null=True,
        blank=True,
        editable=False,
        help_text="上次成功推送所含变更的截止时刻。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = "推送订阅"
        verbose_name_plural = "推送订阅"
        ordering = ["owner", "id"]

    def __str__(self) -> str:
        return f"{self.owner} → {self.url}"


class PushDelivery(models.Model):
    """One attempt to deliver one push: what was sent, and how it went."""

    class Status(models.TextChoices):
        SENT = "sent", "成功"
        RETRYING = "retrying", "失败，将重试"
        FAILED = "failed", "失败"

    subscription = models.ForeignKey(
        PushSubscription, verbose_name="订阅", on_delete=models.CASCADE, related_name="deliveries"
    )
    attempt = models.PositiveSmallIntegerField("第几次尝试")
    status = models.CharField("结果", max_length=16, choices=Status.choices)
    since = models.DateTimeField("变更起", null=True, blank=True)
    until = models.DateTimeField("变更止")
    project_count = models.PositiveIntegerField("项目数")
    http_status = models.PositiveSmallIntegerField("HTTP 状态", null=True, blank=True)
    error = models.TextField("错误", blank=True)
    body_sha256 = models.CharField("内容摘要", max_length=64)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "推送记录"
        verbose_name_plural = "推送记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.subscription_id} #{self.attempt} {self.get_status_display()}"
