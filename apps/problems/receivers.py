"""What the problems app does when another app asks for coordination.

* ``projects.signals.factor_difficulty``: a 要素保障 need of a project turned 存在困难 → open a
  ticket of the matching category on the project (routed like any other), returned to the
  library so the need keeps it (one open ticket per need).
"""

from __future__ import annotations

from django.dispatch import receiver

from apps.problems import services
from apps.projects.models import FactorNeed
from apps.projects.signals import factor_difficulty

# 要素 kind (projects.FactorKind) → problem category (problems.Category).
FACTOR_PROBLEM_CATEGORY = {
    "land": "land",
    "forest": "forest",
    "grassland": "grassland",
    "energy": "energy",
    "environment": "environment",
    "funding_gap": "funding",
}


@receiver(factor_difficulty, sender=FactorNeed, dispatch_uid="problems.factor_difficulty")
def open_factor_problem(sender, *, need, user, title: str, description: str, **kwargs):
    return services.open_problem(
        user=user,
        category=FACTOR_PROBLEM_CATEGORY[need.kind],
        title=title,
        description=description,
        project=need.project,
        source_note="要素保障",
    )
