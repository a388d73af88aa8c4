"""The roles the permission policy reasons about (MISSION §5).

They live in ``core`` because the policy (``apps.core.permissions``) decides by them and
``core`` depends on no domain app; ``accounts.User.role`` stores one, and
``apps.accounts.models`` re-exports ``Role`` so callers keep importing it from there.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("填报员")
    REVIEWER = "reviewer", _("审核员")
    LEADER = "leader", _("领导")
    COORDINATOR = "coordinator", _("牵头协调单位")
    API_CLIENT = "api_client", _("接口用户")
    ADMIN = "admin", _("系统管理员")
