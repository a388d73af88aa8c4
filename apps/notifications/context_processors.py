"""The bell in the navigation bar: the inbox link and the unread count (one COUNT query)."""

from functools import partial

from django.urls import reverse

from apps.notifications.selectors import unread_count


def inbox(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    # A callable: the template evaluates it only on pages that show the bell.
    return {
        "inbox_url": reverse("notifications:inbox"),
        "unread_count": partial(unread_count, user),
    }
