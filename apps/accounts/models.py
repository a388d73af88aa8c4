"""Users and their roles. What each role may do is decided in apps.core.permissions."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Defined by the policy's app (core names no domain app); stored here, importable from here.
from apps.core import permissions as policy
from apps.core.roles import Role

# Roles whose work is tied to one organisation: they cannot exist without one.
ROLES_NEEDING_ORGANIZATION = {Role.STAFF, Role.COORDINATOR}


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.STAFF)
    organization = models.ForeignKey(
        "reference.Organization",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    language = models.CharField(
        _("界面语言"),
        max_length=16,
        choices=settings.LANGUAGES,
        default="zh-hans",
        help_text=_("页面、电子邮件和通知使用的语言；页面顶部的语言切换会同时修改此项。"),
    )
    api_write = models.BooleanField(
        _("接口可写"),
        default=False,
        help_text=_("仅对接口用户：允许通过接口修改其所属单位的数据。"),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()
        return f"{full}（{self.username}）" if full else self.username

    @property
    def display_name(self) -> str:
        return f"{self.last_name}{self.first_name}".strip() or self.username

    @property
    def is_platform_admin(self) -> bool:
        """For templates (``user.is_platform_admin``): the policy's rule, not a second copy."""
        return policy.is_admin(self)

    def clean(self) -> None:
        super().clean()
        if self.role in ROLES_NEEDING_ORGANIZATION and not self.organization_id:
            raise ValidationError(
                {"organization": gettext("填报员和牵头协调单位用户必须绑定所属单位。")}
            )
        if self.api_write and self.role != Role.API_CLIENT:
            raise ValidationError({"api_write": gettext("只有接口用户可以设置“接口可写”。")})


class ApiTokenScope(models.TextChoices):
    READ = "read", _("只读")
    READ_WRITE = "read_write", _("读写（限本单位）")


class ApiToken(models.Model):
    """A machine client's API token. Only a SHA-256 digest of the secret is stored: the plain
    token is shown once, when it is made (apps.accounts.tokens.issue_token)."""

    owner = models.ForeignKey(
        User, verbose_name=_("所属用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途说明"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=12, editable=False)
    digest = models.CharField(_("摘要"), max_length=64, unique=True, editable=False)
    scope = models.CharField(
        _("权限范围"), max_length=16, choices=ApiTokenScope.choices, default=ApiTokenScope.READ
    )
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True, editable=False)
    last_used_ip = models.GenericIPAddressField(
        _("最近使用地址"), null=True, blank=True, editable=False
    )
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["digest", "last_used_at", "last_used_ip"])

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def allows_write(self) -> bool:
        """Asked by the policy (``apps.core.drf``) of whatever credential DRF authenticated."""
        return self.scope == ApiTokenScope.READ_WRITE

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
        User,
        verbose_name=_("接口用户"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    url = models.URLField(_("推送地址"), max_length=500)
    allowed_hosts = models.JSONField(
        _("允许的主机"), default=list, blank=True, help_text=_("管理员为该客户端核准的推送主机名。")
    )
    secret = models.CharField(_("签名密钥"), max_length=64, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    last_pushed_at = models.DateTimeField(
        _("已推送至"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("上次成功推送所含变更的截止时刻。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("推送订阅")
        verbose_name_plural = _("推送订阅")
        ordering = ["owner", "id"]

    def __str__(self) -> str:
        return f"{self.owner} → {self.url}"


class PushDelivery(models.Model):
    """One attempt to deliver one push: what was sent, and how it went."""

    class Status(models.TextChoices):
        SENT = "sent", _("成功")
        RETRYING = "retrying", _("失败，将重试")
        FAILED = "failed", _("失败")

    subscription = models.ForeignKey(
        PushSubscription,
        verbose_name=_("订阅"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    attempt = models.PositiveSmallIntegerField(_("第几次尝试"))
    status = models.CharField(_("结果"), max_length=16, choices=Status.choices)
    since = models.DateTimeField(_("变更起"), null=True, blank=True)
    until = models.DateTimeField(_("变更止"))
    project_count = models.PositiveIntegerField(_("项目数"))
    http_status = models.PositiveSmallIntegerField(_("HTTP 状态"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    body_sha256 = models.CharField(_("内容摘要"), max_length=64)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.subscription_id} #{self.attempt} {self.get_status_display()}"
