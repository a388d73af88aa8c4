"""One shape of state machine for the project workflow and the task assignments."""

from apps.core.statemachine import Step, step_table, steps_from
from apps.projects.templatetags.project_tags import step_button
from apps.projects.workflow import TRANSITIONS as PROJECT_STEPS
from apps.tasks.services import TRANSITIONS as ASSIGNMENT_STEPS


def test_table_and_steps_from():
    table = step_table(
        [Step("go", frozenset({"a", "b"}), "c"), Step("back", frozenset({"c"}), "a")]
    )
    assert list(table) == ["go", "back"]
    assert [s.action for s in steps_from(table, "b")] == ["go"]
    assert [s.action for s in steps_from(table, "c")] == ["back"]
    assert steps_from(table, "z") == []


def test_both_apps_use_the_shape():
    assert all(isinstance(s, Step) for s in [*PROJECT_STEPS.values(), *ASSIGNMENT_STEPS.values()])
    assert [s.action for s in steps_from(PROJECT_STEPS, "in_review")] == [
        "approve",
        "return",
        "reject",
    ]
    assert [s.action for s in steps_from(ASSIGNMENT_STEPS, "submitted")] == [
        "accept",
        "return",
        "supplement",
    ]
    assert ASSIGNMENT_STEPS["accept"].event == "accepted"


def test_button_colours_are_presentation():
    assert not hasattr(PROJECT_STEPS["approve"], "button_class")
    assert [step_button(PROJECT_STEPS[a]) for a in ("submit", "withdraw", "reject")] == [
        "primary",
        "outline-secondary",
        "danger",
    ]
