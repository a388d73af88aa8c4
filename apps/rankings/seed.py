"""Seed loader: the default 考核 weights (the administrator edits them; a later load keeps
their edits)."""

from apps.rankings.models import Weight
from apps.rankings.selectors import DEFAULT_WEIGHTS


def load(*, stdout) -> None:
    created = 0
    for measure, weight in DEFAULT_WEIGHTS.items():
        _, made = Weight.objects.get_or_create(measure=measure, defaults={"weight": weight})
        created += made
    stdout.write(f"  考核权重 {len(DEFAULT_WEIGHTS)} 项（新建 {created} 项）")
