"""Writes of the contract ledgers: monthly reports and corrections of ledger rows.

Every write checks the policy again (a unit's staff write only their unit's contracts), runs
``full_clean()`` and saves through ``save_versioned`` with the version the form or API client
started from, so a stale edit fails instead of overwriting somebody else's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.contracts.models import REPORT_FIELDS, Contract, ContractReport, Fair
from apps.contracts.selectors import ReportSheet
from apps.contracts.tasks import import_ledger as import_ledger_job
from apps.core import permissions as policy
from apps.core.concurrency import ConcurrentEditError, save_versioned
from apps.core.lifecycle import LIVE, DocumentStatus, check_step
from apps.core.periods import month_start, period_due, period_label
from apps.jobs.imports import ImportFlow

# The ledger import: previewed in the page, imported by a job once confirmed.
LEDGER_IMPORT = ImportFlow(
    kind="contracts.import_ledger",
    task=import_ledger_job,
    upload_dir="contracts/imports",
)

CORRECTABLE_FIELDS = (
    "name",
    "party_a",
    "party_b",
    "total_investment",
    "funding_source_places",
    "responsible_leader",
    "responsible_persons",
    "region",
)


def check_reportable_period(*, fair: Fair, period: dt.date) -> dt.date:
    """A report covers a past or the current month, not before the fair's first period."""
    period = month_start(period)
    if fair.status in (DocumentStatus.CLOSED, DocumentStatus.ARCHIVED):
        raise ValidationError(
            {
                "period": _("%(short_name)s台账已%(status)s，月报只读。")
                % {"short_name": fair.short_name, "status": fair.get_status_display()}
            }
        )
    if period > month_start(timezone.localdate()):
        raise ValidationError(
            {
                "period": _("不能填报未来月份（%(period_label)s）。")
                % {"period_label": period_label(period)}
            }
        )
    if fair.first_period and period < fair.first_period:
        raise ValidationError(
            {
                "period": _("%(short_name)s自%(period_label)s起报送月报。")
                % {"short_name": fair.short_name, "period_label": period_label(fair.first_period)}
            }
        )
    return period


@transaction.atomic
def save_report(
    *,
    user: Any,
    contract: Contract,
    period: dt.date,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> ContractReport:
    """Create or update one contract's report for ``period``.

    ``expected_version`` is the version the client started from; None means "I believe there
    is no report yet" — if one exists meanwhile, the save is refused as a concurrent edit.
    """
    if not policy.can_create_for(user, contract.responsible_unit_id):
        raise PermissionDenied(_("只能填报本单位负责的签约项目。"))
    period = check_reportable_period(fair=contract.fair, period=period)
    report = (
        ContractReport.objects.select_for_update().filter(contract=contract, period=period).first()
    )
    if report is None:
        report = ContractReport(contract=contract, period=period, created_by=user)
    elif expected_version is None:
        raise ConcurrentEditError(report)
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    if report.funds_arrived_to_date is None:
        report.funds_arrived_to_date = Decimal(0)
    report.confirmation_note = (report.confirmation_note or "").strip()
    signed = contract.total_investment
    if (
        signed is not None
        and report.funds_arrived_to_date > signed
        and not report.confirmation_note
    ):
        # Usually a 万元/亿元 slip; one such row moves a whole region's 资金到位率.
        raise ValidationError(
            {
                "funds_arrived_to_date": (
                    _(
                        "累计到位资金 %(funds_arrived_to_date)s 亿元"
                        "超过签约总投资 %(signed)s 亿元。"
                        "请核实（单位：亿元）；确认无误请填写核实说明后再保存。"
                    )
                    % {
                        "funds_arrived_to_date": format(report.funds_arrived_to_date, ".4f"),
                        "signed": format(signed, ".4f"),
                    }
                )
            },
            code="needs_confirmation",
        )
    report.reported_by = user
    report.full_clean(
        exclude=["contract", "reported_by", "created_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    save_versioned(report, expected_version if report.pk else None)
    return report


@dataclass
class ReportEntry:
    contract: Contract
    data: dict[str, Any]
    expected_version: int | None


@transaction.atomic
def save_month_reports(
    *, user: Any, fair: Fair, period: dt.date, entries: list[ReportEntry]
) -> list[ContractReport]:
    """A unit's monthly report on all its contracts, all or nothing.

    Any stale row (somebody else saved it since the form was opened) or invalid row rolls the
    whole month back, so the unit never files half a report without knowing.
    """
    period = check_reportable_period(fair=fair, period=period)
    saved = []
    errors: dict[str, list[str]] = {}
    for entry in entries:
        if entry.contract.fair_id != fair.pk:
            raise ValidationError(_("签约项目不属于该招商活动。"))
        try:
            with transaction.atomic():
                saved.append(
                    save_report(
                        user=user,
                        contract=entry.contract,
                        period=period,
                        data=entry.data,
                        expected_version=entry.expected_version,
                    )
                )
        except ValidationError as exc:
            errors[str(entry.contract.pk)] = exc.messages
    if errors:
        raise ValidationError(errors)
    return saved


def save_report_sheet(
    *, user: Any, sheet: ReportSheet, rows: list[dict[str, Any]]
) -> list[ContractReport]:
    """Save a unit's report sheet (``selectors.report_sheet``) from its cleaned rows (each
    ``contract`` id, ``version`` and the ``REPORT_FIELDS``), all or nothing.

    Every row of the sheet must come back and no other: a forged or missing row is refused
    (``PermissionDenied``) before anything is written.
    """
    by_pk = {row.contract.pk: row.contract for row in sheet.rows}
    entries = []
    for data in rows:
        contract = by_pk.get(data.get("contract"))
        if contract is None:
            raise PermissionDenied(_("只能填报本单位负责的签约项目。"))
        fields = {k: v for k, v in data.items() if k in REPORT_FIELDS}
        entries.append(ReportEntry(contract, fields, data.get("version")))
    if len({e.contract.pk for e in entries}) != len(by_pk) or len(entries) != len(by_pk):
        raise PermissionDenied(_("只能填报本单位负责的签约项目。"))
    return save_month_reports(user=user, fair=sheet.fair, period=sheet.period, entries=entries)


@transaction.atomic
def correct_contract(
    *,
    user: Any,
    contract: Contract,
    data: dict[str, Any],
    expected_version: int,
    resolved: bool,
    note: str = "",
) -> Contract:
    """A unit corrects a ledger row (e.g. one flagged by the import) and may clear the flag.

    The import's note is kept; the correction is appended to it, so what the source had stays
    visible next to what was changed.
    """
    if not policy.can(user, policy.Action.CHANGE, contract):
        raise PermissionDenied(_("只能更正本单位负责的签约项目。"))
    changed = []
    region_entered = "region" in data and contract.region != data["region"]
    for name in CORRECTABLE_FIELDS:
        if name in data and getattr(contract, name) != data[name]:
            setattr(contract, name, data[name])
            changed.append(str(Contract._meta.get_field(name).verbose_name))
    if region_entered:
        contract.region_basis = ""  # entered (or cleared) by a person: no longer inferred
    if resolved and contract.needs_correction:
        contract.needs_correction = False
    line = []
    if changed:
        line.append(f"更正了{'、'.join(changed)}")
    if note:
        line.append(note)
    if line:
        who = getattr(user, "display_name", str(user))
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        contract.correction_note = "\n".join(
            filter(None, [contract.correction_note, f"{stamp} {who}：{'；'.join(line)}"])
        )
    contract.full_clean(exclude=["fair", "responsible_unit", "created_by"], validate_unique=False)
    save_versioned(contract, expected_version)
    return contract


# --- the ledger's life cycle ------------------------------------------------------------------


def may_manage_fair(user: Any, fair: Fair) -> bool:
    """A fair's ledger is closed by its coordinating unit's coordinators or the administrator."""
    return policy.may_coordinate(user, fair.coordinating_unit)


@transaction.atomic
def change_fair_status(
    *, fair: Fair, user: Any, status: str, on: dt.date | None = None, note: str = ""
) -> Fair:
    """执行中 → 总结评估 → 已办结 → 归档 for a ledger (apps.core.lifecycle): a ledger that is not
    live gets no reminders, no overdue lists and no place on the live boards; its reports
    stay readable and exportable."""
    fair = Fair.objects.select_for_update().get(pk=fair.pk)
    if user is not None and not may_manage_fair(user, fair):
        raise PermissionDenied(_("只有本台账的牵头协调单位或系统管理员可以变更台账状态。"))
    check_step(fair, status, on=on, note=note)
    fair.status = status
    fair.status_note = note.strip()
    if status == DocumentStatus.CLOSED:
        fair.closed_on, fair.closed_by = on, user
    elif status == LIVE:
        fair.closed_on, fair.closed_by = None, None
    fair.full_clean()
    fair.save()
    return fair


def advance_fair_windows(*, today: dt.date | None = None) -> list[str]:
    """Daily: a live ledger whose last reporting month's report is past due → 总结评估."""
    today = today or timezone.localdate()
    moved = []
    for fair in Fair.objects.filter(status=LIVE, last_period__isnull=False):
        if period_due(fair.last_period) < today:
            change_fair_status(
                fair=fair,
                user=None,
                status=DocumentStatus.EVALUATING,
                note=f"报送期至{period_label(fair.last_period)}已结束，转入总结评估。",
            )
            moved.append(fair.short_name)
    return moved
