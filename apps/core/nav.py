from apps.core.registry import NavItem

NAV_ITEMS = [NavItem("首页", "home", icon="house", order=0)]
