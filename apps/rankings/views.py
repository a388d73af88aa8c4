"""通报 pages: the live ranking (month or quarter, by 市州/部门/园区) with 红黑榜, publishing
it, the published bulletins (printable on A4, exportable), and the quarterly report."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import permissions as policy
from apps.core.excel import workbook_bytes, xlsx_response
from apps.core.forms import error_text
from apps.core.pages import policy_view
from apps.core.periods import add_months, month_start, parse_period, period_label
from apps.rankings import selectors, services
from apps.rankings.models import Bulletin, By, Measure

QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")


def parse_window(data) -> tuple[dt.date, int, str]:
    """(first month, months, kind) from ``month=YYYY-MM`` or ``quarter=YYYY-Qn``; the last
    complete month by default. ValueError when malformed."""
    quarter = (data.get("quarter") or "").strip()
    if quarter:
        m = QUARTER_RE.match(quarter)
        if not m or not 2000 <= int(m.group(1)) <= 2100:
            raise ValueError(_("季度格式应为 YYYY-Qn，如 2026-Q3"))
        return dt.date(int(m.group(1)), 3 * int(m.group(2)) - 2, 1), 3, Bulletin.Kind.QUARTER
    month = (data.get("month") or "").strip()
    if not month:
        return selectors.last_complete_month(), 1, Bulletin.Kind.MONTH
    period = parse_period(month)
    if not 2000 <= period.year <= 2100:
        raise ValueError(_("月份超出范围"))
    return period, 1, Bulletin.Kind.MONTH


def window_label(period: dt.date, months: int) -> str:
    if months == 3:
        return _("%(year)s年第%(value)s季度") % {
            "year": period.year,
            "value": (period.month - 1) // 3 + 1,
        }
    return period_label(period)


def window_param(period: dt.date, months: int) -> str:
    if months == 3:
        return f"quarter={quarter_of(period)}"
    return f"month={period:%Y-%m}"


def quarter_of(period: dt.date) -> str:
    return f"{period.year}-Q{(period.month - 1) // 3 + 1}"


OVERSEERS_ONLY = gettext_lazy("排名与通报仅对领导、审核、协调和管理角色开放。")


def thaw(rows: list[dict]) -> list[dict]:
    """A stored snapshot's figures back as Decimals (they are kept as strings)."""
    out = []
    for row in rows:
        thawed = {}
        for k, v in row.items():
            if (
                isinstance(v, str)
                and k not in ("name", "code")
                and re.fullmatch(r"-?\d+(\.\d+)?", v)
            ):
                thawed[k] = Decimal(v)
            else:
                thawed[k] = v
        out.append(thawed)
    return out


@policy_view(gate=policy.sees_everything, refusal=OVERSEERS_ONLY)
def ranking_page(request):
    by = request.GET.get("by") or By.REGION
    try:
        if by not in By.values:
            raise ValueError(_("排名对象无效"))
        period, months, kind = parse_window(request.GET)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    rows = selectors.ranking(period=period, by=by, months=months)
    published = Bulletin.objects.filter(kind=kind, period=period, by=by).first()
    last = add_months(period, months - 1)
    return render(
        request,
        "rankings/ranking.html",
        {
            "rows": rows,
            "boards": selectors.boards(rows),
            "by": by,
            "by_choices": By.choices,
            "period": period,
            "months": months,
            "kind": kind,
            "label": window_label(period, months),
            "weights": [(Measure(m).label, w) for m, w in selectors.current_weights().items()],
            "published": published,
            "may_publish": policy.may_urge(request.user)
            and published is None
            and last < month_start(timezone.localdate()),
            "window_param": window_param(period, months),
            "prev_param": window_param(add_months(period, -months), months),
            "next_param": window_param(add_months(period, months), months),
            "quarter": quarter_of(period),
        },
    )


@policy_view(methods=("POST",))  # the service decides who publishes (its refusal is a 403)
def publish(request):
    by = request.POST.get("by", "")
    try:
        period, _months, kind = parse_window(request.POST)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    try:
        bulletin = services.publish_bulletin(
            user=request.user, period=period, by=by, kind=kind, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        query = request.POST.get("quarter") and f"quarter={request.POST['quarter']}"
        query = query or f"month={period:%Y-%m}"
        return redirect(f"{reverse('rankings:ranking')}?by={by}&{query}")
    messages.success(request, _("通报已发布。"))
    return redirect("rankings:bulletin", pk=bulletin.pk)


@policy_view()
def bulletin_list(request):
    return render(
        request,
        "rankings/bulletins.html",
        {"bulletins": Bulletin.objects.select_related("published_by")[:200]},
    )


@policy_view(model=Bulletin)
def bulletin_detail(request, bulletin: Bulletin):
    rows = thaw(bulletin.rows)
    return render(
        request,
        "rankings/bulletin.html",
        {
            "bulletin": bulletin,
            "rows": rows,
            "boards": selectors.boards(rows),
            "weights": [
                (Measure(m).label, Decimal(w))
                for m, w in bulletin.weights.items()
                if m in Measure.values
            ],
            "by": bulletin.by,
        },
    )


HEADERS = [
    ("rank", gettext_lazy("名次")),
    ("name", gettext_lazy("名称")),
    ("score", gettext_lazy("考核得分")),
    ("completion_rate", gettext_lazy("投资完成率")),
    ("target_attainment", gettext_lazy("谋划目标完成度")),
    ("fulfillment_rate", gettext_lazy("履约率")),
    ("start_rate", gettext_lazy("开工率")),
    ("funding_rate", gettext_lazy("资金到位率")),
    ("timeliness_rate", gettext_lazy("月报及时率")),
    ("urges", gettext_lazy("被催办次数")),
    ("task_done_rate", gettext_lazy("任务办结率")),
    ("task_overdue_rate", gettext_lazy("任务逾期率")),
]
PCT_FIELDS = {
    "completion_rate",
    "target_attainment",
    "fulfillment_rate",
    "start_rate",
    "funding_rate",
    "timeliness_rate",
    "task_done_rate",
    "task_overdue_rate",
}


def _xlsx_rows(rows):
    for row in rows:
        out = []
        for key, _label in HEADERS:
            value = row.get(key)
            if key in PCT_FIELDS and value is not None:
                value = (Decimal(value) * 100).quantize(Decimal("0.01"))
            out.append(value)
        yield out


def _headers():
    return [f"{label}（%）" if key in PCT_FIELDS else label for key, label in HEADERS]


@policy_view(model=Bulletin)
def bulletin_export(request, bulletin: Bulletin):
    content = workbook_bytes(
        _headers(),
        _xlsx_rows(thaw(bulletin.rows)),
        title="通报",
        caption=f"{bulletin.title}（{bulletin.published_on:%Y年%m月%d日}）",
        widths=[6, 30, 10, 12, 14, 10, 10, 12, 12, 12, 12, 12],
    )
    return xlsx_response(content, f"{bulletin.title}.xlsx")


@policy_view(gate=policy.sees_everything, refusal=OVERSEERS_ONLY)
def ranking_export(request):
    by = request.GET.get("by") or By.REGION
    try:
        if by not in By.values:
            raise ValueError("by")
        period, months, _kind = parse_window(request.GET)
    except ValueError:
        return HttpResponseBadRequest(_("参数无效"))
    rows = selectors.ranking(period=period, by=by, months=months)
    title = services.bulletin_title(
        kind=Bulletin.Kind.QUARTER if months == 3 else Bulletin.Kind.MONTH, period=period, by=by
    )
    with translation.override(settings.LANGUAGE_CODE):  # the workbook's language
        by_label, window = str(By(by).label), window_label(period, months)
    content = workbook_bytes(
        _headers(),
        _xlsx_rows(rows),
        title="排名",
        caption=f"{title}（未发布，实时数据）",
        filters=[("排名对象", by_label), ("期间", window)],
    )
    return xlsx_response(content, f"{title}.xlsx")
