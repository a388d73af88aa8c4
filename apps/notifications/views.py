"""The inbox: a user's own notifications, mark one or all as read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.redirects import redirect_next, safe_url
from apps.notifications import selectors, services
from apps.notifications.models import Notification


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox(request.user, unread_only=unread_only), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_total": selectors.unread_count(request.user),
        },
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    try:
        notification = services.mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    # The form's next (the inbox page it was on), else the notification's own link.
    inbox = reverse("notifications:inbox")
    return redirect_next(request, safe_url(request, notification.url, default=inbox))


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    """The user's own notification settings: mute a category per channel (where allowed)."""
    from apps.notifications.channels import CHANNELS
    from apps.notifications.models import MUTABLE_CHANNELS, Category, Mute

    shown = ("inbox", "email")
    if request.method == "POST":
        chosen = [
            (category, channel)
            for category in Category.values
            for channel in shown
            if request.POST.get(f"mute-{category}-{channel}") == "1"
        ]
        services.set_mutes(user=request.user, muted=chosen)
        messages.success(request, _("通知设置已保存。"))
        return redirect("notifications:preferences")
    muted = set(Mute.objects.filter(user=request.user).values_list("category", "channel"))
    rows = [
        {
            "category": value,
            "label": label,
            "cells": [
                {
                    "channel": channel,
                    "mutable": channel in MUTABLE_CHANNELS.get(value, ()),
                    "muted": (value, channel) in muted,
                }
                for channel in shown
            ],
        }
        for value, label in Category.choices
    ]
    return render(
        request,
        "notifications/preferences.html",
        {
            "rows": rows,
            "channels": [CHANNELS[c].label for c in shown],
            "has_email": bool(request.user.email),
        },
    )
