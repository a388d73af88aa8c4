from apps.core.registry import nav_items


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"nav_items": nav_items(user)}
