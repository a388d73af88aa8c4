from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem

NAV_ITEMS = [NavItem(_("问题协调"), "problems:list", icon="exclamation-diamond", order=45)]
