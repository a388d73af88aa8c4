from django.utils import translation

from apps.core.registry import nav_items


def navigation(request):
    # The breakpoint from which the menus lie in one row (Bootstrap's navbar-expand-*): English
    # labels are about twice as wide as the Chinese ones, so they need 1400 px, Chinese 1200 px.
    expand = "xxl" if (translation.get_language() or "").startswith("en") else "xl"
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav_expand": expand}
    return {"nav_items": nav_items(user), "nav_expand": expand}
