"""One shape for the platform's state machines (the project library's workflow, a task
assignment's handling): a table of steps, each an action name, the statuses it starts from and
the status it leads to, plus what the app needs to know of a step (who takes it, which event
it records).

The tables are domain data only: the app's service decides who may take a step, checks it
against the table and executes it; how a step looks (a button's colour) belongs to the
templates (their template tags), never to the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar


@dataclass(frozen=True)
class Step:
    action: str
    sources: frozenset[str]
    target: str

    def starts_from(self, status: str) -> bool:
        return status in self.sources


S = TypeVar("S", bound=Step)


def step_table(steps: Iterable[S]) -> dict[str, S]:
    """The table of a state machine: its steps by action name."""
    return {step.action: step for step in steps}


def steps_from(table: dict[str, S], status: str) -> list[S]:
    """The steps that may start from ``status``, in table order."""
    return [step for step in table.values() if step.starts_from(status)]
