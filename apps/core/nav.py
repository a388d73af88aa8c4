from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem

NAV_ITEMS = [NavItem(_("首页"), "home", icon="house", order=0)]
