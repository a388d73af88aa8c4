"""Publishing a 通报: compute the ranking once and store it, with the weights used."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import permissions as policy
from apps.core.periods import add_months, month_start, period_label
from apps.rankings import selectors
from apps.rankings.models import Bulletin, By


def bulletin_title(*, kind: str, period: dt.date, by: str) -> str:
    if kind == Bulletin.Kind.QUARTER:
        when = f"{period.year}年第{(period.month - 1) // 3 + 1}季度"
    else:
        when = period_label(period)
    return f"{when}各{By(by).label}项目推进情况通报"


@transaction.atomic
def publish_bulletin(
    *,
    user: Any,
    period: dt.date,
    by: str,
    kind: str = Bulletin.Kind.MONTH,
    note: str = "",
    today: dt.date | None = None,
) -> Bulletin:
    """Rank and freeze. One bulletin per period, kind and dimension; a period still running
    cannot be published (its figures would move)."""
    if not policy.may_urge(user):
        raise PermissionDenied(_("只有审核员或牵头协调单位可以发布通报。"))
    if by not in By.values or kind not in Bulletin.Kind.values:
        raise ValidationError(_("通报的对象或周期无效。"))
    today = today or timezone.localdate()
    period = month_start(period)
    months = 1
    if kind == Bulletin.Kind.QUARTER:
        period, months = selectors.quarter_start(period), 3
    if add_months(period, months - 1) >= month_start(today):
        raise ValidationError(_("只能通报已结束的月份或季度。"))
    weights = selectors.current_weights()
    rows = selectors.ranking(period=period, by=by, months=months, weights=weights)
    bulletin = Bulletin(
        kind=kind,
        period=period,
        by=by,
        title=bulletin_title(kind=kind, period=period, by=by),
        note=(note or "").strip(),
        published_on=today,
        published_by=user if getattr(user, "pk", None) else None,
        # Stored as JSON text values (Decimals as strings): the snapshot never changes type.
        weights=json.loads(json.dumps(weights, cls=DjangoJSONEncoder)),
        rows=json.loads(json.dumps(rows, cls=DjangoJSONEncoder)),
    )
    try:
        with transaction.atomic():
            bulletin.save()
    except IntegrityError:
        raise ValidationError(_("该期通报已经发布。")) from None
    return bulletin
