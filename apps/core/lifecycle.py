"""The life cycle of a source document (a task list, a fair's ledger): one rule for every app.

    执行中 active  →  总结评估 evaluating  →  已办结 closed  →  归档 archived

A document is *live* only while 执行中: its assignments and reports count on the live boards
(cockpit, 督办台账, 我的任务, home widgets), are overdue when late, and get reminders. When its
period ends it moves to 总结评估 (a daily job; the plans say "动态监测—中期评估—总结评估"), and a
coordinator or the administrator closes it (已办结, with a date and a note) and later archives
it. Everything of a non-live document stays readable in history views and exports.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DocumentStatus(models.TextChoices):
    ACTIVE = "active", _("执行中")
    EVALUATING = "evaluating", _("总结评估")
    CLOSED = "closed", _("已办结")
    ARCHIVED = "archived", _("归档")


LIVE = DocumentStatus.ACTIVE
# The steps a person may take (the period's end → 总结评估 is also taken by the daily job).
NEXT_STEPS: dict[str, set[str]] = {
    DocumentStatus.ACTIVE: {DocumentStatus.EVALUATING, DocumentStatus.CLOSED},
    DocumentStatus.EVALUATING: {DocumentStatus.CLOSED, DocumentStatus.ACTIVE},
    DocumentStatus.CLOSED: {DocumentStatus.ARCHIVED},
    DocumentStatus.ARCHIVED: set(),
}


def check_step(document, status: str, *, on=None, note: str = "") -> None:
    """Refuse a status change the life cycle does not allow, with a specific message."""
    from django.core.exceptions import ValidationError

    if status not in DocumentStatus.values:
        raise ValidationError(
            {"status": gettext("未知的文件状态“%(status)s”。") % {"status": status}}
        )
    if status == document.status:
        raise ValidationError(
            {
                "status": gettext("文件已是“%(status)s”状态。")
                % {"status": document.get_status_display()}
            }
        )
    if status not in NEXT_STEPS[document.status]:
        raise ValidationError(
            {
                "status": gettext("“%(status)s”的文件不能转为“%(label)s”。")
                % {"status": document.get_status_display(), "label": DocumentStatus(status).label}
            }
        )
    if status == DocumentStatus.CLOSED:
        if on is None:
            raise ValidationError({"closed_on": gettext("办结须填写办结日期。")})
        if not (note or "").strip():
            raise ValidationError({"status_note": gettext("办结须填写办结说明。")})


class LifecycleFields(models.Model):
    """Status, period and closing record shared by SourceDocument and Fair."""

    status = models.CharField(
        _("文件状态"),
        max_length=16,
        choices=DocumentStatus.choices,
        default=DocumentStatus.ACTIVE,
        db_index=True,
    )
    status_note = models.TextField(_("状态说明"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_live(self) -> bool:
        return self.status == LIVE
