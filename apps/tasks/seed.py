"""Seed data of the tasks app: the holiday calendar, the source documents and their tasks."""

import datetime as dt
import json
from typing import Any

from django.conf import settings

from apps.tasks.models import CalendarDay


def _read(name: str) -> Any:
    return json.loads((settings.FIXTURES_DIR / "tasks" / name).read_text(encoding="utf-8"))


def load_calendar() -> int:
    """Expand the State Council arrangements (periods + make-up days) into calendar days."""
    count = 0
    for year in _read("holidays.json"):
        for period in year["periods"]:
            day = dt.date.fromisoformat(period["start"])
            end = dt.date.fromisoformat(period["end"])
            while day <= end:
                CalendarDay.objects.update_or_create(
                    date=day,
                    defaults={"is_workday": False, "name": period["name"], "note": year["source"]},
                )
                day += dt.timedelta(days=1)
                count += 1
            for makeup in period["makeup"]:
                CalendarDay.objects.update_or_create(
                    date=dt.date.fromisoformat(makeup),
                    defaults={
                        "is_workday": True,
                        "name": f"{period['name']}调休上班",
                        "note": year["source"],
                    },
                )
                count += 1
    return count


def load(*, stdout) -> None:
    stdout.write(f"  节假日安排 {load_calendar()} 天")
