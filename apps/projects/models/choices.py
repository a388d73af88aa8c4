"""The projects app's vocabularies: tiers, stages, library statuses, review actions, approval
types, code status, size classes and funding sources (MISSION §1; seeds 001 and 003)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy


class Tier(models.TextChoices):
    PROVINCE = "province", gettext_lazy("省级")
    PREFECTURE = "prefecture", gettext_lazy("市州级")
    COUNTY = "county", gettext_lazy("县级")


class Stage(models.TextChoices):
    """Life-cycle stages of the infrastructure plan (003): 谋划 → 签约 → 开工 → 投产 → 增资."""

    PLANNING = "planning", gettext_lazy("谋划")
    SIGNED = "signed", gettext_lazy("签约")
    STARTED = "started", gettext_lazy("开工")
    UNDER_CONSTRUCTION = "construction", gettext_lazy("在建")
    IN_OPERATION = "operation", gettext_lazy("投产")
    COMPLETED = "completed", gettext_lazy("竣工")
    EXPANSION = "expansion", gettext_lazy("增资")


class LibraryStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    SUBMITTED = "submitted", gettext_lazy("已提交")
    IN_REVIEW = "in_review", gettext_lazy("审核中")
    APPROVED = "approved", gettext_lazy("已入库")
    RETURNED = "returned", gettext_lazy("退回修改")
    REJECTED = "rejected", gettext_lazy("不予入库")
    REMOVED = "removed", gettext_lazy("已出库")


class ApprovalType(models.TextChoices):
    APPROVAL = "approval", gettext_lazy("审批")
    RATIFICATION = "ratification", gettext_lazy("核准")
    FILING = "filing", gettext_lazy("备案")


class CodeStatus(models.TextChoices):
    """赋码状态 of the national 项目代码 (GB/T 40058): derived from whether a code is on file."""

    UNCODED = "uncoded", gettext_lazy("未赋码")
    CODED = "coded", gettext_lazy("已赋码")


class SizeClass(models.TextChoices):
    """百亿项目引领、十亿项目示范、亿元项目支撑 (001)."""

    HUNDRED_YI = "100yi", gettext_lazy("百亿项目")
    TEN_YI = "10yi", gettext_lazy("十亿项目")
    ONE_YI = "1yi", gettext_lazy("亿元项目")
    BELOW = "below", gettext_lazy("亿元以下")


# Lower bounds (亿元) of the size classes, largest first.
SIZE_CLASS_BOUNDS: list[tuple[str, Decimal]] = [
    (SizeClass.HUNDRED_YI, Decimal("100")),
    (SizeClass.TEN_YI, Decimal("10")),
    (SizeClass.ONE_YI, Decimal("1")),
]


def size_class_of(total: Decimal | None) -> str:
    if total is None:
        return SizeClass.BELOW
    for cls, bound in SIZE_CLASS_BOUNDS:
        if total >= bound:
            return cls
    return SizeClass.BELOW


# Funding sources (MISSION §1), stored as one amount column each: fixed, few, and summed in
# every report, so columns keep lists and exports free of extra queries.
FUNDING_SOURCES: list[tuple[str, str]] = [
    ("fund_central_budget", gettext_lazy("中央预算内")),
    ("fund_special_bonds", gettext_lazy("地方政府专项债券")),
    ("fund_policy_finance", gettext_lazy("政策性开发性金融工具")),
    ("fund_bank_loans", gettext_lazy("银行贷款")),
    ("fund_social_capital", gettext_lazy("社会资本")),
    ("fund_other", gettext_lazy("其他")),
]


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", gettext_lazy("提交")
    RESUBMIT = "resubmit", gettext_lazy("重新提交")
    WITHDRAW = "withdraw", gettext_lazy("撤回")
    START_REVIEW = "start_review", gettext_lazy("开始审核")
    APPROVE = "approve", gettext_lazy("入库")
    RETURN = "return", gettext_lazy("退回修改")
    REJECT = "reject", gettext_lazy("不予入库")
    REMOVE = "remove", gettext_lazy("出库")


EDITABLE_STATUSES = frozenset({LibraryStatus.DRAFT, LibraryStatus.RETURNED, LibraryStatus.APPROVED})
