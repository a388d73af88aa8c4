"""The inbox: a user's own notifications, mark one or all as read."""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import permissions as policy
from apps.core.forms import error_text
from apps.core.pages import policy_view
from apps.core.paging import paginate
from apps.core.redirects import redirect_next, safe_url
from apps.notifications import selectors, services
from apps.notifications.models import Notification


@policy_view()
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = paginate(request, selectors.inbox(request.user, unread_only=unread_only), choices=(20,))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_total": selectors.unread_count(request.user),
        },
    )


@policy_view(model=Notification, action=policy.Action.CHANGE, methods=("POST",))
def mark_read(request, notification: Notification):
    # Personal records: another user's notification is a 404 (policy scope PERSONAL).
    notification = services.mark_read(user=request.user, notification_id=notification.pk)
    # The form's next (the inbox page it was on), else the notification's own link.
    inbox = reverse("notifications:inbox")
    return redirect_next(request, safe_url(request, notification.url, default=inbox))


@policy_view(methods=("POST",))
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, _("已将 %(count)s 条消息标为已读。") % {"count": count})
    return redirect("notifications:inbox")


@policy_view(methods=("GET", "POST"))
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


def _urge_target(data):
    """subject, period and fair of an urge request or export; ValueError when malformed."""
    from apps.contracts.models import Fair
    from apps.core.periods import parse_period
    from apps.notifications.models import Urge

    subject = data.get("subject", "")
    if subject not in Urge.Subject.values:
        raise ValueError("subject")
    period = parse_period(data.get("period", ""))
    fair = None
    if subject == Urge.Subject.CONTRACTS:
        raw = data.get("fair", "")
        if not raw.isdigit() or len(raw) > 18:
            raise ValueError("fair")
        fair = Fair.objects.select_related("coordinating_unit").filter(pk=int(raw)).first()
        if fair is None:
            raise ValueError("fair")
    return subject, period, fair


@policy_view(gate=policy.may_urge, methods=("POST",))
def urge(request):
    from django.core.exceptions import PermissionDenied, ValidationError

    from apps.notifications import urging

    try:
        subject, period, fair = _urge_target(request.POST)
    except ValueError:
        return HttpResponseBadRequest(_("催办参数无效"))
    units = None
    if request.POST.get("all") != "1":
        units = [int(u) for u in request.POST.getlist("unit") if u.isdigit() and len(u) < 18]
        if not units:
            return HttpResponseBadRequest(_("请选择要催办的单位"))
    try:
        result = urging.urge(
            user=request.user, subject=subject, period=period, organizations=units, fair=fair
        )
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        text = _("已催办 %(sent)d 个单位。") % {"sent": len(result.sent)}
        if result.already:
            text += _("%(n)d 个单位今日已催办过，未重复发送。") % {"n": len(result.already)}
        messages.success(request, text)
    return redirect_next(request, reverse("home"))


@policy_view(
    gate=policy.sees_everything, refusal=gettext_lazy("未报单位清单仅对协调、审核和领导角色开放。")
)
def late_export(request):
    """The late units of a month (for the written 通报), as a workbook."""
    from django.core.exceptions import PermissionDenied

    from apps.core import permissions as policy
    from apps.core.excel import workbook_bytes, xlsx_response
    from apps.core.periods import period_due, period_label
    from apps.notifications import urging

    if not policy.sees_everything(request.user):
        raise PermissionDenied(_("未报单位清单仅对协调、审核和领导角色开放。"))
    try:
        subject, period, fair = _urge_target(request.GET)
    except ValueError:
        return HttpResponseBadRequest(_("参数无效"))
    due = period_due(period)
    today = timezone.localdate()
    units = urging.late_units(subject=subject, period=period, fair=fair)
    what = _("%(fair)s签约项目月报") % {"fair": fair} if fair else _("项目月度调度")
    rows = [
        [
            i,
            u.organization.name,
            u.contracts,
            u.items,
            due,
            max((today - due).days, 0),
            u.urges,
            u.last_urged,
        ]
        for i, u in enumerate(units, start=1)
    ]
    content = workbook_bytes(
        [
            "序号",
            "单位",
            "应报项目",
            "未报项目",
            "截止日期",
            "逾期天数",
            "本月催办次数",
            "最近催办",
        ],
        rows,
        title="未报单位",
        caption=f"{period_label(period)}{what}未报单位清单（截至{today:%Y年%m月%d日}）",
        filters=[("报送事项", str(what)), ("月份", period_label(period))],
        widths=[6, 36, 10, 10, 12, 10, 14, 12],
        totals=[2, 3, 6],  # 应报项目, 未报项目, 本月催办次数
    )
    return xlsx_response(content, f"未报单位_{subject}_{period:%Y-%m}.xlsx")
