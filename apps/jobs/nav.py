from django.utils.translation import gettext_lazy as _

from apps.core import permissions as policy
from apps.core.registry import NavItem

# Users reach their own jobs from the import/export pages and their inbox; the full list of
# runs (including the scheduled ones) is for administrators.
NAV_ITEMS = [
    NavItem(_("后台作业"), "jobs:list", icon="hourglass-split", order=95, when=policy.is_admin)
]
