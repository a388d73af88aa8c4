"""The library workflow as an explicit state machine (001, 003).

    草稿 ──提交──▶ 已提交 ──开始审核──▶ 审核中 ──入库──▶ 已入库 ──出库──▶ 已出库
     ▲               │
     └────撤回────────┘  (the submitter takes it back before review starts)
                     ▲                      ├──退回修改──▶ 退回修改 ──重新提交──┘(→ 已提交)
                     └──────────────────────┴──不予入库──▶ 不予入库

Unit staff (anyone who may change the project: its own unit) submit, resubmit and withdraw
(撤回, only while nobody has started the review); reviewers
(省发展改革委) start review, approve, return, reject and remove. This module is data only
(the shape of ``apps.core.statemachine``): ``services.py`` executes the transitions and
records the events; the buttons' colours are the templates' (``project_tags.step_button``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.core import permissions as policy
from apps.core.statemachine import Step, step_table, steps_from
from apps.projects.models import LibraryStatus, Project, ReviewAction


@dataclass(frozen=True)
class Transition(Step):
    by_reviewer: bool  # False: the project's own unit (policy CHANGE)
    comment_required: bool
    comment_label: str  # how the form asks for the comment

    @property
    def label(self) -> str:
        return ReviewAction(self.action).label

    @property
    def confirm(self) -> str:
        """The question a button asks before a decision that ends the project's way through
        the library (不予入库, 出库); empty for the others."""
        return str(CONFIRMATIONS.get(self.action, ""))


S = LibraryStatus
CONFIRMATIONS = {
    ReviewAction.REJECT: _("确定不予入库？项目将退出本轮审核，单位不能再修改或重新提交。"),
    ReviewAction.REMOVE: _("确定将该项目出库？出库后项目不再计入项目库和各项统计。"),
}
TRANSITIONS: dict[str, Transition] = step_table(
    [
        Transition(ReviewAction.SUBMIT, frozenset({S.DRAFT}), S.SUBMITTED, False, False,
                   _("提交说明")),
        Transition(ReviewAction.RESUBMIT, frozenset({S.RETURNED}), S.SUBMITTED, False, False,
                   _("修改说明")),
        Transition(ReviewAction.WITHDRAW, frozenset({S.SUBMITTED}), S.DRAFT, False, False,
                   _("撤回说明")),
        Transition(ReviewAction.START_REVIEW, frozenset({S.SUBMITTED}), S.IN_REVIEW, True, False,
                   _("专家论证意见")),
        Transition(ReviewAction.APPROVE, frozenset({S.IN_REVIEW}), S.APPROVED, True, False,
                   _("审核意见")),
        Transition(ReviewAction.RETURN, frozenset({S.IN_REVIEW}), S.RETURNED, True, True,
                   _("退回理由")),
        Transition(ReviewAction.REJECT, frozenset({S.IN_REVIEW}), S.REJECTED, True, True,
                   _("不予入库理由")),
        Transition(ReviewAction.REMOVE, frozenset({S.APPROVED}), S.REMOVED, True, True,
                   _("出库理由")),
    ]
)  # fmt: skip


def status_labels(statuses) -> str:
    return _("、").join(f"“{s.label}”" for s in LibraryStatus if s in set(statuses))


def transitions_from(status: str) -> list[Transition]:
    return steps_from(TRANSITIONS, status)


def may_perform(user: Any, transition: Transition, project: Project) -> bool:
    """The role half of the rule (the state half is ``status in transition.sources``)."""
    if transition.by_reviewer:
        return policy.may_review_project(user, project)
    return policy.can(user, policy.Action.CHANGE, project)


def available_transitions(user: Any, project: Project) -> list[Transition]:
    """What this user may do to this project now (for buttons; services check again)."""
    return [t for t in transitions_from(project.library_status) if may_perform(user, t, project)]
