"""Who gets what, for every page and every API operation: the rules the matrix test checks.

One entry per URL name (pages) and per schema path (API); a new page or endpoint without an
entry fails ``tests/core/test_permission_matrix.py``. Each entry names the sample record the
URL is about (built by the test, owned by 西宁市政府) and, per HTTP method, the answer of each
role in the column order below:

    own     填报员 (staff) of 西宁市政府, the unit that owns every sample record
    other   填报员 of 海东市政府 (another unit)
    rev     审核员 (reviewer) of 省发展改革委 — also the sample task's lead unit
    coord   牵头协调单位 (coordinator) of 省经济和信息化委 — coordinates the sample fair
    leader  领导 (no unit)
    api_r   API client of 西宁市政府, read-only (token for the API, session for pages)
    api_w   API client of 西宁市政府 with api_write
    admin   系统管理员
    anon    not signed in

Answers: an HTTP status, or ``login`` (redirected to the login page). Writes are sent with an
empty body, so an allowed write answers 400 (API validation), 200 (the form shown again with
its errors) or 302 (a page's redirect with a message); a refused one 403, or 404 when the
record is not visible to the user at all — the one refusal rule of apps/core/permissions.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("own", "other", "rev", "coord", "leader", "api_r", "api_w", "admin", "anon")

# URL names that are not pages of the platform (Django's development upload server).
NOT_PAGES = {"/^media/(?P<path>.*)$", "/^api/.*/$"}  # the API's catch-all JSON 404 too
# Pages that are meant to work without the policy decorator: the health check, signing in and
# out, the language switch and its catalogue, the API's own schema and documentation views.
PUBLIC_PAGES = {
    "healthz",
    "login",
    "logout",
    "set_language",
    "javascript-catalog",
    "api-schema",
    "api-docs",
    "api-redoc",
    "open-data",  # the public explanation of the OC4IDS publication (issue 14 point 7)
}
# Apps whose models are business records (checked to declare a policy scope).
BUSINESS_APPS = {
    "reference",
    "projects",
    "contracts",
    "workgroups",
    "indicators",
    "tasks",
    "notifications",
    "jobs",
    "problems",
    "rankings",
}
# API views that serve aggregates, not rows (no queryset to scope): each asks the policy's
# gate itself; their answers are in API below like every other endpoint's. DeletionsView lists
# rows that are gone (judged by policy.can on each row as it was); OC4IDSPackageView is the
# public publication of the approved library, anonymous by design.
AGGREGATE_API_VIEWS = {"RankingView", "DeletionsView", "OC4IDSPackageView"}
SERVED_WITHOUT_HISTORY = {"jobs.JobRun", "notifications.Notification"}


@dataclass(frozen=True)
class Rule:
    obj: str | None
    answers: dict[str, str]
    kwargs: dict = field(default_factory=dict)
    query: str = ""

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(self.answers)

    def expected(self, method: str, role: str) -> str:
        row = self.answers.get(method)
        if row is None:
            raise AssertionError(f"no answers for {method}")
        cells = row.split()
        assert len(cells) == len(ROLES), f"{row!r}: {len(cells)} answers for {len(ROLES)} roles"
        return cells[ROLES.index(role)]


def R(obj: str | None = None, *, kwargs=None, query: str = "", **answers: str) -> Rule:
    return Rule(obj=obj, answers=answers, kwargs=kwargs or {}, query=query)


PAGES: dict[str, Rule] = {
    "accounts:profile": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    # API tokens (issue 14): API clients manage their own, administrators everyone's; an empty
    # POST shows the form again with its errors.
    "accounts:tokens": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="403  403   403  403   403    200   200   200   login",
        POST="403  403   403  403   403    200   200   200   login",
    ),
    # The sample token is api_w's: api_r may not revoke another client's token.
    "accounts:token-revoke": R(
        "api_token",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  403   403  403   403    403   302   302   login",
    ),
    # The API's schema and documentation hold no data: public, like the login page.
    "api-docs": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   200",
    ),
    "api-redoc": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   200",
    ),
    "api-schema": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   200",
    ),
    "contracts:correct": R(
        "contract",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   403  403   403    403   200   200   login",
        POST="200  404   403  403   403    403   200   200   login",
    ),
    "contracts:detail": R(
        "contract",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   login",
    ),
    "contracts:import": R(
        query="?fair={fair}",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="403  403   403  200   403    403   403   200   login",
        POST="403  403   403  200   403    403   403   200   login",
    ),
    "contracts:import-confirm": R(
        query="?fair={fair}",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="403  403   403  302   403    403   403   302   login",
        POST="403  403   403  302   403    403   403   302   login",
    ),
    "contracts:ledger": R(
        query="?fair={fair}",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "contracts:ledger-export": R(
        query="?fair={fair}",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "contracts:rates": R(
        query="?fair={fair}",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "contracts:report": R(
        query="?fair={fair}",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   403    403   200   200   login",
        POST="200  200   200  200   403    403   200   200   login",
    ),
    "contracts:reports-export": R(
        query="?fair={fair}",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "contracts:status": R(
        query="?fair={fair}",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "dashboard:cockpit": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="403  403   200  200   200    200   200   200   login",
    ),
    "healthz": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   200",
    ),
    # The public explanation of the OC4IDS publication: no sign-in (PUBLIC_PAGES).
    "open-data": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   200",
    ),
    "home": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "indicators:board": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "indicators:detail": R(
        "indicator",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   login",
    ),
    "indicators:entry": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   403    403   200   200   login",
        POST="200  200   200  200   403    403   200   200   login",
    ),
    # 分年度目标: the same gate as the value entry; the rows are the unit's led measures
    # (ENTER_VALUES). An empty POST has no year: a 400 with the message, nothing saved.
    # Opening a year's 谋划行动 is the provincial 发展改革委's (001 四(三)) and the admin's; an
    # empty POST names no year: a message and back.
    "projects:campaign-open": R(
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  403   302  403   403    403   403   302   login",
    ),
    "indicators:year-targets": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   403    403   200   200   login",
        POST="400  400   400  400   403    403   400   400   login",
    ),
    "indicators:evaluation": R(
        kwargs={"year": 2023},
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "indicators:evaluation-final": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "indicators:evaluation-midterm": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "indicators:export": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "javascript-catalog": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   200",
    ),
    # Personal: the job's user; administrators look at every job.
    "jobs:detail": R(
        "job",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   404  404   404    404   404   200   login",
    ),
    "jobs:download": R(
        "job",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   404  404   404    404   404   200   login",
    ),
    "jobs:error-report": R(
        "job",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   404  404   404    404   404   200   login",
    ),
    "jobs:list": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "jobs:status": R(
        "job",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   404  404   404    404   404   200   login",
    ),
    "login": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   200",
        POST="200  200   200  200   200    200   200   200   200",
    ),
    "logout": R(
        #    own  other rev  coord leader api_r api_w admin anon
        POST="login login login login login  login login login login",
    ),
    "notifications:inbox": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    # Personal: only the recipient; an administrator may look but not act for them (403).
    "notifications:read": R(
        "notification",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="302  404   404  404   404    404   404   403   login",
    ),
    "notifications:read-all": R(
        #    own  other rev  coord leader api_r api_w admin anon
        POST="302  302   302  302   302    302   302   302   login",
    ),
    "object-history": R(
        "project",
        kwargs={"app_label": "projects", "model_name": "project"},
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   login",
    ),
    "problems:create": R(
        query="?project={project}",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   403  403   403    403   200   200   login",
        POST="200  404   403  403   403    403   200   200   login",
    ),
    "problems:detail": R(
        "problem",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   login",
    ),
    "problems:list": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    # An empty form is bad input (a message), not a refusal: the step decides who may act.
    "problems:step": R(
        "problem",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="302  404   302  302   302    302   302   302   login",
    ),
    "projects:create": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   403    403   200   200   login",
        POST="200  200   200  200   403    403   200   200   login",
    ),
    "projects:detail": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   login",
    ),
    "projects:edit": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   403  403   403    403   200   200   login",
        POST="200  404   403  403   403    403   200   200   login",
    ),
    "projects:export": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "projects:import": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   403    403   200   200   login",
        POST="200  200   200  200   403    403   200   200   login",
    ),
    "projects:import-template": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "projects:list": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "projects:monthly": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "projects:review": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="403  403   200  403   403    403   403   200   login",
    ),
    "projects:stage": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="302  404   403  403   403    403   302   302   login",
    ),
    "projects:targets": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    # An empty form names no step: a message; a named step refused by role is a 403.
    "projects:transition": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="302  404   302  302   302    302   302   302   login",
    ),
    "projects:update-create": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   403  403   403    403   200   200   login",
        POST="200  404   403  403   403    403   200   200   login",
    ),
    "projects:update-edit": R(
        "update",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   403  403   403    403   200   200   login",
        POST="200  404   403  403   403    403   200   200   login",
    ),
    "reference:my-organization": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="302  302   302  302   302    302   302   302   login",
    ),
    # Public reference data: everyone reads it; its own unit changes its profile.
    "reference:organization": R(
        "organization",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
        POST="200  403   403  403   403    403   200   200   login",
    ),
    "set_language": R(
        #    own  other rev  coord leader api_r api_w admin anon
        POST="302  302   302  302   302    302   302   302   302",
    ),
    "tasks:assignment": R(
        "assignment",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   login",
    ),
    "tasks:assignment-action": R(
        "assignment",
        kwargs={"action": "start"},
        #    own  other rev  coord leader api_r api_w admin anon
        POST="302  404   403  403   403    403   302   302   login",
    ),
    # rev is the task's lead unit: it follows the participating unit's reports (lead_fields).
    "tasks:attachment": R(
        "progress_report",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   login",
    ),
    "tasks:board": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="403  403   200  200   200    200   200   200   login",
    ),
    "tasks:detail": R(
        "task",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   login",
    ),
    "tasks:export": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "tasks:extension-decide": R(
        "extension",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  404   403  302   403    403   403   302   login",
    ),
    "tasks:list": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "tasks:mine": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "workgroups:detail": R(
        "workgroup",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "workgroups:list": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "contracts:quarterly": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "contracts:quarterly-export": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "notifications:late-export": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="403  403   400  400   400    400   400   400   login",
    ),
    "notifications:preferences": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
        POST="302  302   302  302   302    302   302   302   login",
    ),
    "notifications:urge": R(
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  403   400  400   403    403   403   400   login",
    ),
    "rankings:bulletin": R(
        "bulletin",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "rankings:bulletin-export": R(
        "bulletin",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "rankings:bulletins": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "rankings:export": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="403  403   200  200   200    200   200   200   login",
    ),
    "rankings:publish": R(
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  403   302  302   403    403   403   302   login",
    ),
    "rankings:ranking": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="403  403   200  200   200    200   200   200   login",
    ),
    "tasks:board-export": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    # An empty form is bad input (a message); the service decides who moves a document.
    "tasks:source-status": R(
        "source",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="302  302   302  302   302    302   302   302   login",
    ),
    "tasks:sources": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
    ),
    "contracts:fair-status": R(
        "fair",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   login",
        POST="403  403   403  200   403    403   403   200   login",
    ),
    "tasks:rates": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="403  403   200  200   200    200   200   200   login",
    ),
    # 入库 checklist, 前期工作/要素保障, documents and photos (issue 13)
    "projects:checklist": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  403   302  403   403    403   403   302   login",
    ),
    "projects:expert-opinion": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  403   302  403   403    403   403   302   login",
    ),
    "projects:milestones": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="302  404   403  403   403    403   302   302   login",
    ),
    "projects:factor-needs": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="302  404   403  403   403    403   302   302   login",
    ),
    "projects:document-upload": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="302  404   403  403   403    403   302   302   login",
    ),
    "projects:document": R(
        "document",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   login",
    ),
    "projects:photo": R(
        "photo",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   login",
    ),
    "projects:photo-thumb": R(
        "photo",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   login",
    ),
    "projects:photo-upload": R(
        "update",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   403  403   403    403   200   200   login",
        POST="200  404   403  403   403    403   200   200   login",
    ),
}

API: dict[str, Rule] = {
    "/api/v1/assignments/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/assignments/{id}/": R(
        "assignment",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
    ),
    # SUPERVISE: the sample document's supervisors (coord), admins, and the
    # task's lead unit (rev's) for its participants.
    "/api/v1/assignments/{id}/accept/": R(
        "assignment",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  404   400  400   403    403   403   400   401",
    ),
    "/api/v1/assignments/{id}/report/": R(
        "assignment",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="400  404   403  403   403    403   400   400   401",
    ),
    "/api/v1/assignments/{id}/request-extension/": R(
        "assignment",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="400  404   403  403   403    403   400   400   401",
    ),
    "/api/v1/assignments/{id}/return/": R(
        "assignment",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  404   400  400   403    403   403   400   401",
    ),
    "/api/v1/assignments/{id}/start/": R(
        "assignment",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="200  404   403  403   403    403   200   200   401",
    ),
    "/api/v1/assignments/{id}/submit/": R(
        "assignment",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="400  404   403  403   403    403   400   400   401",
    ),
    "/api/v1/contract-reports/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
        POST="400  400   400  400   403    403   400   400   401",
    ),
    "/api/v1/contract-reports/{id}/": R(
        "contract_report",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
        PUT="400  404   403  403   403    403   400   400   401",
        PATCH="400  404   403  403   403    403   400   400   401",
    ),
    "/api/v1/contracts/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/contracts/{id}/": R(
        "contract",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
    ),
    "/api/v1/domains/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/domains/{id}/": R(
        "domain",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/extension-requests/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/extension-requests/{id}/": R(
        "extension",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
    ),
    "/api/v1/extension-requests/{id}/approve/": R(
        "extension",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  404   403  200   403    403   403   200   401",
    ),
    "/api/v1/extension-requests/{id}/reject/": R(
        "extension",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  404   403  400   403    403   403   400   401",
    ),
    "/api/v1/fairs/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/fairs/{id}/": R(
        "fair",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/fairs/{id}/rates/": R(
        "fair",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/fairs/{id}/reporting-status/": R(
        "fair",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/indicator-values/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
        POST="400  400   400  400   403    403   400   400   401",
    ),
    "/api/v1/indicator-values/{id}/": R(
        "measure_value",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
        PUT="400  404   403  403   403    403   400   400   401",
        PATCH="400  404   403  403   403    403   400   400   401",
    ),
    "/api/v1/indicators/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/indicators/{id}/": R(
        "indicator",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
    ),
    "/api/v1/organizations/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/organizations/{id}/": R(
        "organization",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/problems/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/problems/{id}/": R(
        "problem",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
    ),
    "/api/v1/problems/{id}/accept/": R(
        "problem",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  404   403  403   403    403   403   200   401",
    ),
    "/api/v1/problems/{id}/answer/": R(
        "problem",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  404   403  403   403    403   403   400   401",
    ),
    "/api/v1/problems/{id}/reopen/": R(
        "problem",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="400  404   403  403   403    403   400   400   401",
    ),
    "/api/v1/problems/{id}/resolve/": R(
        "problem",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="400  404   403  403   403    403   400   400   401",
    ),
    "/api/v1/progress-reports/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/progress-reports/{id}/": R(
        "progress_report",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
    ),
    "/api/v1/progress-reports/{id}/attachment/": R(
        "progress_report",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
    ),
    "/api/v1/project-updates/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
        POST="400  400   400  400   403    403   400   400   401",
    ),
    "/api/v1/project-updates/{id}/": R(
        "update",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
        PUT="400  404   403  403   403    403   400   400   401",
        PATCH="400  404   403  403   403    403   400   400   401",
    ),
    "/api/v1/projects/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
        POST="400  400   400  400   403    403   400   400   401",
    ),
    "/api/v1/projects/{id}/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
        PUT="400  404   403  403   403    403   400   400   401",
        PATCH="400  404   403  403   403    403   400   400   401",
    ),
    "/api/v1/projects/{id}/approve/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  404   400  403   403    403   403   400   401",
    ),
    "/api/v1/projects/{id}/reject/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  404   400  403   403    403   403   400   401",
    ),
    "/api/v1/projects/{id}/remove/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  404   400  403   403    403   403   400   401",
    ),
    "/api/v1/projects/{id}/return/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  404   400  403   403    403   403   400   401",
    ),
    "/api/v1/projects/{id}/stage/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="400  404   403  403   403    403   400   400   401",
    ),
    "/api/v1/projects/{id}/start-review/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="403  404   400  403   403    403   403   400   401",
    ),
    "/api/v1/projects/{id}/submit/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="400  404   403  403   403    403   400   400   401",
    ),
    "/api/v1/projects/{id}/updates/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
    ),
    "/api/v1/regions/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/regions/{id}/": R(
        "region",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/sectors/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/sectors/{id}/": R(
        "sector",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/tasks/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/tasks/{id}/": R(
        "task",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
    ),
    "/api/v1/workgroups/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    "/api/v1/workgroups/{id}/": R(
        "workgroup",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    # Incremental sync: rows deleted and projects removed since an instant (issue 14 point 3).
    "/api/v1/deletions/": R(
        query="?since=2026-01-01",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   401",
    ),
    # The OC4IDS publication is public (issue 14 point 7).
    "/api/v1/oc4ids/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  200   200  200   200    200   200   200   200",
    ),
    "/api/v1/rankings/": R(
        #    own  other rev  coord leader api_r api_w admin anon
        GET="403  403   200  200   200    200   200   200   401",
    ),
    # 入库 checklist, 前期工作/要素保障, withdraw (issue 13)
    "/api/v1/projects/{id}/checklist/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
        POST="403  404   400  403   403    403   403   400   401",
    ),
    "/api/v1/projects/{id}/expert-opinions/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        GET="200  404   200  200   200    200   200   200   401",
        POST="403  404   400  403   403    403   403   400   401",
    ),
    "/api/v1/projects/{id}/factor-needs/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="400  404   403  403   403    403   400   400   401",
    ),
    "/api/v1/projects/{id}/milestones/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="400  404   403  403   403    403   400   400   401",
    ),
    "/api/v1/projects/{id}/withdraw/": R(
        "project",
        #    own  other rev  coord leader api_r api_w admin anon
        POST="400  404   403  403   403    403   400   400   401",
    ),
}


# --- drafting help (QH_MATRIX_RECORD=1) ---------------------------------------------------------

_PAGE_OBJECTS = {
    "projects:detail": "project",
    "projects:edit": "project",
    "projects:transition": "project",
    "projects:stage": "project",
    "projects:update-create": "project",
    "projects:update-edit": "update",
    "contracts:detail": "contract",
    "contracts:correct": "contract",
    "workgroups:detail": "workgroup",
    "indicators:detail": "indicator",
    "tasks:detail": "task",
    "tasks:assignment": "assignment",
    "tasks:assignment-action": "assignment",
    "tasks:extension-decide": "extension",
    "tasks:attachment": "progress_report",
    "notifications:read": "notification",
    "accounts:token-revoke": "api_token",
    "jobs:detail": "job",
    "jobs:status": "job",
    "jobs:download": "job",
    "jobs:error-report": "job",
    "reference:organization": "organization",
    "problems:detail": "problem",
    "problems:step": "problem",
    "rankings:bulletin": "bulletin",
    "tasks:source-status": "source",
    "contracts:fair-status": "fair",
    "rankings:bulletin-export": "bulletin",
    "projects:checklist": "project",
    "projects:milestones": "project",
    "projects:factor-needs": "project",
    "projects:document-upload": "project",
    "projects:document": "document",
    "projects:photo-upload": "update",
    "projects:photo": "photo",
    "projects:photo-thumb": "photo",
    "projects:expert-opinion": "project",
}
_API_OBJECTS = {
    "assignments": "assignment",
    "contract-reports": "contract_report",
    "contracts": "contract",
    "domains": "domain",
    "extension-requests": "extension",
    "fairs": "fair",
    "indicator-values": "measure_value",
    "indicators": "indicator",
    "organizations": "organization",
    "progress-reports": "progress_report",
    "project-updates": "update",
    "projects": "project",
    "regions": "region",
    "sectors": "sector",
    "tasks": "task",
    "workgroups": "workgroup",
    "problems": "problem",
}


_PAGE_KWARGS = {
    "indicators:evaluation": {"year": 2023},
    "tasks:assignment-action": {"action": "start"},
}


_PAGE_QUERIES = {
    "problems:create": "?project={project}",
    **{
        f"contracts:{name}": "?fair={fair}"
        for name in (
            "ledger",
            "ledger-export",
            "report",
            "reports-export",
            "status",
            "rates",
            "import",
            "import-confirm",
        )
    },
}


def guess_rule(key: str) -> Rule:
    """A first guess at the sample record of a route without a rule (record mode only)."""
    if key.startswith("/api/"):
        resource = key.split("/")[3]
        return R(_API_OBJECTS.get(resource) if "{id}" in key else None)
    return R(_PAGE_OBJECTS.get(key), kwargs=_PAGE_KWARGS.get(key), query=_PAGE_QUERIES.get(key, ""))


def format_rule(kind: str, key: str, by_method: dict[str, dict[str, str]]) -> str:
    table = PAGES if kind == "page" else API
    old = table.get(key) or guess_rule(key)
    lines = [f'    "{key}": R(']
    if old.obj:
        lines.append(f'        "{old.obj}",')
    if old.kwargs:
        lines.append(f"        kwargs={old.kwargs!r},")
    if old.query:
        lines.append(f"        query={old.query!r},")
    for method, answers in by_method.items():
        row = " ".join(answers.get(r, "ERR") for r in ROLES)
        lines.append(f'        {method}="{row}",')
    lines.append("    ),")
    return "\n".join(lines)
