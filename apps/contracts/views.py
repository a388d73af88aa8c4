"""Pages of the contract ledgers. Thin: the policy scopes rows, selectors aggregate, services
write, the shared FilterSet filters the ledger for the page and its export alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.contracts import selectors, services
from apps.contracts.exports import export_ledger, export_month_reports
from apps.contracts.filters import ContractFilter
from apps.contracts.forms import ContractCorrectionForm, LedgerUploadForm, ReportFormSet
from apps.contracts.importers import import_ledger
from apps.contracts.models import Contract, Fair
from apps.contracts.services import LEDGER_IMPORT
from apps.core import permissions as policy
from apps.core.charts import chart_number
from apps.core.excel import describe_filters, xlsx_response
from apps.core.forms import error_text
from apps.core.pages import policy_view
from apps.core.paging import paginate
from apps.core.periods import (
    add_months,
    parse_period,
    parse_quarter,
    period_due,
    period_label,
    quarter_param,
)

PAGE_SIZES = (50, 100, 500)  # the ledger's own: a unit's block is often over 50 rows
EXPORT_IN_BACKGROUND = 3000  # rows; larger exports run as a tracked job


# --- helpers ---------------------------------------------------------------------------------


def _fair(request) -> Fair:
    """The fair named by ?fair=, else the most recent one."""
    fairs = Fair.objects.select_related("coordinating_unit")
    pk = request.GET.get("fair") or request.POST.get("fair")
    if pk:
        try:
            return get_object_or_404(fairs, pk=int(pk))
        except ValueError as exc:
            raise Http404 from exc
    fair = fairs.order_by("-held_on", "-document_date", "-pk").first()
    if fair is None:
        raise Http404(_("尚无招商活动。"))
    return fair


def _month(request, fair: Fair, *, figures: bool = False) -> dt.date:
    """?month=, else the fair's display period (``selectors.display_period``)."""
    text = request.GET.get("month") or request.POST.get("month")
    if text:
        try:
            return parse_period(text)
        except ValueError:
            messages.warning(
                request, _("月份“%(text)s”格式不对，已显示默认月份。") % {"text": text}
            )
    return selectors.display_period(fair, figures=figures)


def _visible(request):
    return policy.restrict(Contract.objects.all(), request.user, policy.Action.VIEW)


def _may_import(user, fair: Fair) -> bool:
    return policy.may_coordinate(user, fair.coordinating_unit)


def _base_context(request, fair: Fair, **extra) -> dict:
    return {
        "fair": fair,
        "fairs": Fair.objects.order_by("-held_on", "-document_date", "-pk"),
        "may_import": _may_import(request.user, fair),
        "may_report": policy.can_create(request.user),
        **extra,
    }


# --- the ledger ------------------------------------------------------------------------------


@policy_view()
def ledger(request):
    fair = _fair(request)
    filterset = ContractFilter(request.GET or None, queryset=selectors.ledger(fair=fair))
    contracts = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    contracts = policy.restrict(contracts, request.user, policy.Action.VIEW)
    page = paginate(request, contracts, choices=PAGE_SIZES, default=100)
    subtotals = selectors.unit_subtotals(contracts)
    for contract in page.object_list:
        contract.group = subtotals.get(contract.responsible_unit_label)
    export_query = request.GET.copy()
    export_query["fair"] = str(fair.pk)
    for key in ("page", "page_size"):
        export_query.pop(key, None)
    return render(
        request,
        "contracts/ledger.html",
        _base_context(
            request,
            fair,
            filter=filterset,
            page=page,
            totals=selectors.ledger_totals(contracts),
            export_query=export_query.urlencode(),
        ),
    )


@policy_view()
def ledger_export(request):
    fair = _fair(request)
    filterset = ContractFilter(request.GET or None, queryset=Contract.objects.filter(fair=fair))
    contracts = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    contracts = policy.restrict(contracts, request.user, policy.Action.VIEW)
    filters = describe_filters(filterset)  # named in the workbook's title row
    if contracts.count() > EXPORT_IN_BACKGROUND:
        from apps.contracts import tasks
        from apps.jobs.services import job_url, query_data, start_job

        job = start_job(
            kind="contracts.export_ledger",
            user=request.user,
            task=tasks.export_ledger,
            kwargs={"fair": fair.pk, "query": query_data(request.GET), "filters": filters},
            label=_("导出%(short_name)s台账") % {"short_name": fair.short_name},
        )
        return redirect(job_url(job))
    name, content = export_ledger(fair=fair, contracts=contracts, filters=filters)
    return xlsx_response(content, name)


@policy_view(
    model=Contract,
    queryset=lambda request: Contract.objects.select_related(
        "fair", "responsible_unit", "region", "region__parent"
    ),
)
def contract_detail(request, contract: Contract):
    reports = contract.reports.select_related("reported_by").order_by("-period")
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "reports": reports,
            "may_change": policy.can(request.user, policy.Action.CHANGE, contract),
        },
    )


@policy_view(
    model=Contract,
    action=policy.Action.CHANGE,
    methods=("GET", "POST"),
    queryset=lambda request: Contract.objects.select_related("fair"),
)
def contract_correct(request, contract: Contract):
    form = ContractCorrectionForm.for_contract(contract, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "note")}
        try:
            services.correct_contract(
                user=request.user,
                contract=contract,
                data=data,
                expected_version=form.cleaned_data["version"],
                resolved=form.cleaned_data["resolved"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存对“%(name)s”的更正。") % {"name": contract.name})
            return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/correct.html", {"contract": contract, "form": form})


# --- the monthly report ----------------------------------------------------------------------


@policy_view(
    gate=policy.can_create, methods=("GET", "POST"), refusal=gettext_lazy("您的角色不能填报月报。")
)
def report_form(request):
    fair = _fair(request)
    period = _month(request, fair)
    requested = request.GET.get("unit") or request.POST.get("unit")
    unit = selectors.reporting_unit(user=request.user, fair=fair, requested=requested)
    sheet = selectors.report_sheet(user=request.user, fair=fair, period=period, unit=unit)
    formset = ReportFormSet(request.POST or None, initial=sheet.initial, prefix="r")
    if request.method == "POST" and formset.is_valid():
        try:
            saved = services.save_report_sheet(
                user=request.user, sheet=sheet, rows=[f.cleaned_data for f in formset.forms]
            )
        except ValidationError as exc:
            formset.attach_errors(exc)
        else:
            messages.success(
                request,
                _("已保存 %(name)s %(count)s 个签约项目的%(period_label)s月报。")
                % {"name": unit.name, "count": len(saved), "period_label": period_label(period)},
            )
            query = f"?fair={fair.pk}&month={period:%Y-%m}"
            if policy.is_admin(request.user):
                query += f"&unit={unit.pk}"
            return redirect(reverse("contracts:report") + query)
    rows = [
        {"form": form, "contract": row.contract, "state": row.state, "source": row.source}
        for form, row in zip(formset.forms, sheet.rows, strict=False)
    ]
    units = None
    if policy.is_admin(request.user):
        units = selectors.report_units(user=request.user, fair=fair).order_by("name")
    return render(
        request,
        "contracts/report_form.html",
        _base_context(
            request,
            fair,
            formset=formset,
            rows=rows,
            unit=unit,
            units=units,
            period=period,
            months=selectors.reporting_months(fair),
            due=period_due(period),
            filed=sheet.filed,
        ),
    )


@policy_view()
def reports_export(request):
    fair = _fair(request)
    period = _month(request, fair)
    name, content = export_month_reports(fair=fair, contracts=_visible(request), period=period)
    return xlsx_response(content, name)


# --- coordination: who has reported, rates ---------------------------------------------------


@policy_view()
def reporting_status(request):
    fair = _fair(request)
    period = _month(request, fair)
    rows = selectors.reporting_status(fair=fair, period=period, queryset=_visible(request))
    return render(
        request,
        "contracts/status.html",
        _base_context(
            request,
            fair,
            rows=rows,
            summary=selectors.reporting_summary(rows),
            period=period,
            months=selectors.reporting_months(fair),
            due=period_due(period),
            overdue=timezone.localdate() > period_due(period),
        ),
    )


@policy_view()
def rates_page(request):
    fair = _fair(request)
    period = _month(request, fair, figures=True)
    visible = _visible(request)
    overall = selectors.rates(fair=fair, period=period, queryset=visible)
    by_unit = selectors.rates(fair=fair, period=period, by="unit", queryset=visible)
    by_region = selectors.rates(fair=fair, period=period, by="region", queryset=visible)
    chart = {
        "units": [r["unit_name"] for r in by_unit],
        "fulfillment": [_pct(r["fulfillment_rate"]) for r in by_unit],
        "start": [_pct(r["start_rate"]) for r in by_unit],
        "funding": [_pct(r["funding_rate"]) for r in by_unit],
        "target": {k: _pct(v) for k, v in (overall["target"] or {}).items() if k != "due_on"},
    }
    return render(
        request,
        "contracts/rates.html",
        _base_context(
            request,
            fair,
            overall=overall,
            by_unit=by_unit,
            by_region=by_region,
            period=period,
            months=selectors.reporting_months(fair),
            chart=chart,
            chart_height=max(320, 24 * len(by_unit) + 70),
            measures=selectors.rate_measures(overall),
        ),
    )


def _pct(value: Decimal | None) -> float | None:
    return chart_number(value, scale=100, places=1)


# --- import ----------------------------------------------------------------------------------


@policy_view(
    gate=policy.may_coordinate,
    methods=("GET", "POST"),
    refusal=gettext_lazy("只有牵头协调单位和系统管理员可以导入台账。"),
)
def ledger_import(request):
    """Upload → preview (errors and warnings by row and column, nothing saved) → confirm."""
    fair = _fair(request)
    if not _may_import(request.user, fair):
        raise PermissionDenied(_("只有牵头协调单位和系统管理员可以导入台账。"))
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    report = None
    token = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_ledger(fair=fair, file=upload, user=request.user, commit=False)
        if report.ok:
            token = LEDGER_IMPORT.stage(request.session, upload, scope={"fair": fair.pk})
    return render(
        request,
        "contracts/import.html",
        _base_context(
            request,
            fair,
            form=form,
            report=report,
            token=token,
            issues=report.issues[:500] if report else [],
        ),
    )


@policy_view(
    gate=policy.may_coordinate,
    methods=("GET", "POST"),
    refusal=gettext_lazy("只有牵头协调单位和系统管理员可以导入台账。"),
)
def ledger_import_confirm(request):
    if request.method != "POST":
        return redirect("contracts:import")
    fair = _fair(request)
    if not _may_import(request.user, fair):
        raise PermissionDenied(_("只有牵头协调单位和系统管理员可以导入台账。"))
    from apps.jobs.services import job_url

    job = LEDGER_IMPORT.confirm(
        request.session,
        request.POST.get("token", ""),
        scope={"fair": fair.pk},
        user=request.user,
        kwargs={"fair": fair.pk},
        label=lambda name: _("导入%(short_name)s台账：%(name)s")
        % {"short_name": fair.short_name, "name": name},
    )
    if job is None:
        messages.error(request, _("预览已过期，请重新上传文件。"))
        return redirect(reverse("contracts:import") + f"?fair={fair.pk}")
    return redirect(job_url(job))


# --- the quarterly report to the province ----------------------------------------------------


def _quarter(request, fair: Fair) -> dt.date:
    """?quarter=YYYY-Qn, else ``selectors.default_quarter``."""
    text = (request.GET.get("quarter") or "").strip()
    if text:
        try:
            return parse_quarter(text)
        except ValueError:
            messages.warning(
                request,
                _("季度“%(text)s”格式不对（应为 YYYY-Qn），已显示默认季度。") % {"text": text},
            )
    return selectors.default_quarter(fair)


def _quarter_title(fair: Fair, quarter_start: dt.date) -> str:
    n = (quarter_start.month - 1) // 3 + 1
    return _("%(short_name)s签约项目推进情况季度报告（%(year)s年第%(n)s季度）") % {
        "short_name": fair.short_name,
        "year": quarter_start.year,
        "n": n,
    }


@policy_view()
def quarterly_report(request):
    fair = _fair(request)
    quarter_start = _quarter(request, fair)
    report = selectors.quarterly_report(
        fair=fair, quarter_start=quarter_start, queryset=_visible(request)
    )
    return render(
        request,
        "contracts/quarterly.html",
        _base_context(
            request,
            fair,
            report=report,
            title=_quarter_title(fair, quarter_start),
            quarter=quarter_param(quarter_start),
            prev_quarter=quarter_param(add_months(quarter_start, -3)),
            next_quarter=quarter_param(add_months(quarter_start, 3)),
        ),
    )


@policy_view()
def quarterly_export(request):
    from apps.contracts.exports import export_quarterly_report

    fair = _fair(request)
    quarter_start = _quarter(request, fair)
    report = selectors.quarterly_report(
        fair=fair, quarter_start=quarter_start, queryset=_visible(request)
    )
    title = _quarter_title(fair, quarter_start)
    return xlsx_response(export_quarterly_report(report=report, title=title), f"{title}.xlsx")


@policy_view(
    model=Fair,
    methods=("GET", "POST"),
    queryset=lambda request: Fair.objects.select_related("coordinating_unit", "closed_by"),
)
def fair_lifecycle(request, fair: Fair):
    """台账状态: the fair's reporting window and 执行中 → 总结评估 → 已办结 → 归档, changed by its
    coordinating unit (or the administrator) with a date and a note."""
    from apps.core.forms import DocumentStatusForm

    may_manage = services.may_manage_fair(request.user, fair)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(_("只有本台账的牵头协调单位或系统管理员可以变更台账状态。"))
        form = DocumentStatusForm(request.POST, document=fair)
        if form.is_valid():
            try:
                services.change_fair_status(
                    fair=fair,
                    user=request.user,
                    status=form.cleaned_data["status"],
                    on=form.cleaned_data.get("on"),
                    note=form.cleaned_data.get("note") or "",
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                fair.refresh_from_db()
                messages.success(
                    request,
                    _("%(short_name)s已转为“%(status)s”。")
                    % {"short_name": fair.short_name, "status": fair.get_status_display()},
                )
                return redirect("contracts:fair-status", pk=fair.pk)
        else:
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return render(
        request,
        "contracts/fair_status.html",
        {
            "fair": fair,
            "may_manage": may_manage,
            "form": DocumentStatusForm(document=fair) if may_manage else None,
        },
    )
