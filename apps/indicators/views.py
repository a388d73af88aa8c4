"""Pages: the indicator board, an indicator's detail, the lead unit's value entry, the
mid-term / final evaluation, and the Excel export of the indicator table (004 layout)."""

from __future__ import annotations

from collections import OrderedDict
from functools import partial

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import permissions as policy
from apps.core.charts import chart_number
from apps.core.excel import describe_filters, workbook_bytes, xlsx_response
from apps.core.pages import policy_view
from apps.indicators import selectors, services
from apps.indicators.choices import (
    CHAPTERS,
    MIDTERM_YEAR,
    PLAN_END_YEAR,
    Kind,
    Level,
    Status,
    chapter_label,
)
from apps.indicators.filters import IndicatorFilterSet, year_from
from apps.indicators.forms import EntryForm, YearTargetForm
from apps.indicators.models import Indicator, MeasureValue

EVALUATIONS = {MIDTERM_YEAR: gettext_lazy("中期评估"), PLAN_END_YEAR: gettext_lazy("总结评估")}


def _groups(rows: list) -> list[dict]:
    """一级 by type (约束性, 预期性); 二级 (untyped in 004) by chapter."""
    groups: OrderedDict[tuple, dict] = OrderedDict()
    for kind in (Kind.BINDING, Kind.EXPECTED):
        groups[(1, kind)] = {"title": _("一级指标 · %(label)s") % {"label": kind.label}, "rows": []}
    for number in CHAPTERS:
        groups[(2, number)] = {
            "title": _("二级指标 · %(chapter_label)s") % {"chapter_label": chapter_label(number)},
            "rows": [],
        }
    groups[(2, None)] = {"title": _("二级指标"), "rows": []}
    for ind in rows:
        key = (1, ind.kind) if ind.level == Level.PRIMARY else (2, ind.chapter)
        groups.setdefault(key, {"title": ind.code, "rows": []})["rows"].append(ind)
    return [g for g in groups.values() if g["rows"]]


@policy_view()
def board(request):
    year = year_from(request.GET)
    qs = selectors.indicators_for(request.user, year=year)
    filterset = IndicatorFilterSet(request.GET or None, queryset=qs)
    rows = selectors.judged_indicators(filterset.qs, year)
    summary = selectors.indicator_status_summary(year=year, user=request.user)
    return render(
        request,
        "indicators/board.html",
        {
            "filter": filterset,
            "year": year,
            "groups": _groups(rows),
            "count": len(rows),
            "cards": selectors.status_cards(summary),
            "may_enter": selectors.measures_for_entry(request.user).exists(),
            "query": request.GET.urlencode(),
        },
    )


@policy_view(
    model=Indicator,
    queryset=lambda request: selectors.indicators_for(request.user, year=year_from(request.GET)),
)
def detail(request, indicator: Indicator):
    year = year_from(request.GET)
    charts = []
    for m in indicator.measure_list:
        m.judged = selectors.judge_measure(m, year)
        m.rows = [dict(selectors.judge_measure(m, y), year=y) for y in m.years]
        m.may_enter = services.may_enter_values(request.user, m)
        charts.append(
            {
                "id": f"chart-{m.pk}",
                "name": m.name,
                "unit": m.unit,
                "years": [str(y) for y in m.years],
                "values": [chart_number(r["value"].value) if r["value"] else None for r in m.rows],
                "target": chart_number(m.target_value),
                "target_year": str(m.target_year),
            }
        )
    return render(
        request,
        "indicators/detail.html",
        {"indicator": indicator, "year": year, "charts": charts, "object": indicator},
    )


@policy_view(gate=policy.can_create, methods=("GET", "POST"))
def entry(request):
    """The lead unit's grid: every measure its unit leads (policy ENTER_VALUES), one row each,
    for one year."""
    year = year_from(request.GET) if request.method == "GET" else year_from(request.POST)
    measures = list(
        selectors.measures_with_year(selectors.measures_for_entry(request.user), year=year)
    )
    form = EntryForm(request.POST or None, measures=measures, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_grid(
                rows=form.changed_rows(),
                save=partial(services.record_value, user=request.user),
                on_error=form.add_row_error,
            )
        except services.GridRejected:
            messages.error(request, _("有监测值未通过校验，本次填报未保存，请修改后重新提交。"))
        else:
            if saved:
                messages.success(
                    request,
                    _("已保存 %(saved)s 项 %(year)s 年监测值。") % {"saved": saved, "year": year},
                )
            else:
                messages.info(request, _("没有需要保存的改动。"))
            return redirect(f"{reverse('indicators:entry')}?year={year}")
    return render(
        request,
        "indicators/entry.html",
        {
            "form": form,
            "year": year,
            "years": list(selectors.MONITORED_YEARS),
            "base_year": 2020,
        },
    )


def _posted_year(request) -> int | None:
    """The year a grid was drawn for; None when it is missing or outside 2021–2025 (a POST
    must not fall back to the default year and write into a year the user never saw)."""
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        return None
    return year if year in selectors.MONITORED_YEARS else None


@policy_view(gate=policy.can_create, methods=("GET", "POST"))
def year_targets(request):
    """分年度目标 (004 三(一)): the lead unit's target of each of its measures for one year
    (policy ENTER_VALUES via ``selectors.measures_for_entry``; the service checks it again).
    A year with a target is judged against it; clearing it returns to the plan path."""
    status = 200
    if request.method == "POST":
        year = _posted_year(request)
        if year is None:
            messages.error(
                request,
                _("年份无效：分年度目标只能填报 %(first)s—%(last)s 年，本次未保存。")
                % {"first": selectors.MONITORED_YEARS.start, "last": PLAN_END_YEAR},
            )
            year, status = year_from(request.GET), 400
    else:
        year = year_from(request.GET)
    measures = list(selectors.measures_for_year_targets(request.user, year=year))
    bound = request.method == "POST" and status == 200
    form = YearTargetForm(request.POST if bound else None, measures=measures, year=year)
    if bound and form.is_valid():
        try:
            saved = services.save_grid(
                rows=form.changed_rows(),
                save=partial(services.set_year_target, user=request.user),
                on_error=form.add_row_error,
            )
        except services.GridRejected:
            messages.error(request, _("有年度目标未通过校验，本次未保存，请修改后重新提交。"))
            status = 400
        else:
            if saved:
                messages.success(
                    request,
                    _("已保存 %(n)s 项 %(year)s 年目标。") % {"n": saved, "year": year},
                )
            else:
                messages.info(request, _("没有需要保存的改动。"))
            return redirect(f"{reverse('indicators:year-targets')}?year={year}")
    elif bound:
        messages.error(request, _("有年度目标未通过校验，本次未保存，请修改后重新提交。"))
        status = 400
    return render(
        request,
        "indicators/year_targets.html",
        {"form": form, "year": year, "years": list(selectors.MONITORED_YEARS)},
        status=status,
    )


@policy_view()
def evaluation(request, year: int):
    if year not in EVALUATIONS:
        raise Http404
    measures = list(
        selectors.evaluation(year, user=request.user)
        .prefetch_related(
            Prefetch("values", queryset=MeasureValue.objects.order_by("year"), to_attr="series"),
            Prefetch("year_targets", to_attr="target_list"),
        )
        .order_by("status_order", "indicator__level", "indicator__number", "order")
    )
    for m in measures:
        m.judged = selectors.judge_measure(m, year)
        m.status_label = Status(m.year_status).label
    summary = selectors.indicator_status_summary(year=year, user=request.user)
    return render(
        request,
        "indicators/evaluation.html",
        {
            "year": year,
            "title": EVALUATIONS[year],
            "measures": measures,
            "cards": selectors.status_cards(summary),
        },
    )


EXPORT_HEADERS = [
    gettext_lazy("序号"),
    gettext_lazy("内容"),
    gettext_lazy("牵头单位"),
    gettext_lazy("参加单位"),
]


@policy_view()
def export(request):
    """The indicator table in the layout of 004 (序号, 内容, 牵头单位, 参加单位), filtered by
    the board's FilterSet, with a section row before each level."""
    year = year_from(request.GET)
    qs = selectors.indicators_for(request.user, year=year)
    rows: list[list] = []
    current = None
    filterset = IndicatorFilterSet(request.GET or None, queryset=qs)
    for ind in filterset.qs:
        if ind.level != current:
            current = ind.level
            rows.append([_("（一）一级指标") if current == Level.PRIMARY else _("（二）二级指标")])
        rows.append([ind.number, ind.text, ind.lead_display(), ind.participating_display()])
    content = workbook_bytes(
        EXPORT_HEADERS,
        rows,
        title="发展指标及分工",
        widths=[8, 70, 36, 60],
        caption="“十四五”规划纲要发展指标及分工",
        # The year shown, chosen or the default; then the board's other filters.
        filters=[("年份", str(year)), *(f for f in describe_filters(filterset) if f[0] != "年份")],
    )
    return xlsx_response(content, "十四五发展指标及分工.xlsx")
