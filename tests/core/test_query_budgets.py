"""Query budgets for the hot paths: every page and endpoint a user opens many times a day runs a
constant, known number of queries, kept in one committed file (``tests/query_budgets.json``, as
NetBox keeps ``query_counts.json``).

Each path is requested twice on the data ``scripts/run.sh`` serves (the seeds, the demo library,
the demo contract reports and the demo present-day task work) and the second, warm request is
counted. The count must equal the budget: one more query fails (an N+1 creeping in), one fewer
asks for the file to be updated so the budget stays tight. ``QH_BUDGETS_RECORD=1`` rewrites the
file with the counts observed (review the diff before committing it).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

BUDGETS = Path(__file__).resolve().parent.parent / "query_budgets.json"
RECORD = os.environ.get("QH_BUDGETS_RECORD") == "1"
# The mark makes pytest-django set the test databases up before the module's data is built.
pytestmark = pytest.mark.django_db

# (key, demo username, path). Paths with {placeholders} are filled from the demo data.
PATHS = [
    # pages
    ("page home", "staff_xining", "/"),
    ("page projects list", "staff_xining", "/projects/"),
    ("page projects list (leader)", "leader", "/projects/"),
    ("page project detail", "staff_xining", "/projects/{project}/"),
    ("page project monthly overview", "staff_xining", "/projects/updates/"),
    ("page review queue", "reviewer", "/projects/review/"),
    ("page ledger", "coordinator", "/contracts/"),
    ("page contract report sheet", "staff_xining", "/contracts/report/"),
    ("page reporting status", "coordinator", "/contracts/status/"),
    ("page rates", "leader", "/contracts/rates/"),
    ("page cockpit", "leader", "/dashboard/"),
    ("page indicators board", "leader", "/indicators/"),
    ("page tasks list", "leader", "/tasks/"),
    ("page my tasks", "staff_xining", "/tasks/mine/"),
    ("page supervision board", "coordinator", "/tasks/board/"),
    ("page assignment detail", "staff_xining", "/tasks/assignments/{assignment}/"),
    ("page task detail", "leader", "/tasks/{task}/"),
    ("page unit rates", "leader", "/tasks/rates/"),
    ("page problems", "coordinator", "/problems/"),
    ("page rankings", "leader", "/rankings/"),
    ("page inbox", "staff_xining", "/notifications/"),
    ("page workgroups", "leader", "/workgroups/"),
    # API lists and details (default page)
    ("api projects", "api_client", "/api/v1/projects/"),
    ("api project", "api_client", "/api/v1/projects/{project}/"),
    ("api project updates", "api_client", "/api/v1/project-updates/"),
    ("api contracts", "api_client", "/api/v1/contracts/"),
    ("api contract reports", "api_client", "/api/v1/contract-reports/"),
    ("api fairs", "api_client", "/api/v1/fairs/"),
    ("api indicators", "api_client", "/api/v1/indicators/"),
    ("api tasks", "api_client", "/api/v1/tasks/"),
    ("api assignments", "api_client", "/api/v1/assignments/"),
    ("api assignment", "api_client", "/api/v1/assignments/{assignment}/"),
    ("api problems", "api_client", "/api/v1/problems/"),
    ("api workgroups", "api_client", "/api/v1/workgroups/"),
    ("api organizations", "api_client", "/api/v1/organizations/"),
]


@pytest.fixture(scope="module")
def served(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo platform of scripts/run.sh, rolled back after the module."""
    from apps.accounts.models import User
    from apps.projects.models import Project
    from apps.reference.models import Organization
    from apps.tasks.models import Assignment

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")), DEMO_MODE=True),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            for command in (
                "load_seed_data",
                "load_demo_users",
                "load_contract_demo_reports",
                "load_demo_present",
            ):
                call_command(command, stdout=out)
            if connection.vendor == "postgresql":
                # Fresh statistics for the rows just loaded (ANALYZE sees this transaction's
                # own rows): with the stale "empty table" estimates of a reused test database
                # the planner nests loops over thousands of rows and a page takes minutes.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            xining = Organization.objects.get(name="西宁市政府")
            project = Project.objects.filter(responsible_unit=xining).order_by("pk").first()
            assignment = Assignment.objects.filter(unit=xining).order_by("pk").first()
            ids = {"project": project.pk, "assignment": assignment.pk, "task": assignment.task_id}
            users = {u.username: u for u in User.objects.all()}
            yield ids, users
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _budgets() -> dict[str, int]:
    return json.loads(BUDGETS.read_text()) if BUDGETS.exists() else {}


_observed: dict[str, int] = {}


@pytest.mark.parametrize(("key", "username", "path"), PATHS, ids=[p[0] for p in PATHS])
def test_query_budget(served, key, username, path):
    ids, users = served
    user = users[username]
    url = path.format(**ids)
    if url.startswith("/api/"):
        client = APIClient()
        client.force_authenticate(user)
    else:
        client = Client()
        client.force_login(user)
    assert client.get(url).status_code == 200, url  # warms the caches the count should not see
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    count = len(queries)
    _observed[key] = count
    if RECORD:
        return
    budget = _budgets().get(key)
    assert budget is not None, f"no budget for {key!r} in {BUDGETS.name} (QH_BUDGETS_RECORD=1)"
    assert count <= budget, f"{key}: {count} queries, budget {budget}:\n" + "\n".join(
        q["sql"][:200] for q in queries.captured_queries
    )
    assert count == budget, f"{key}: {count} queries < budget {budget}; lower it in {BUDGETS.name}"


def test_every_budget_belongs_to_a_path():
    assert set(_budgets()) <= {p[0] for p in PATHS}


@pytest.fixture(scope="module", autouse=True)
def _write_recorded():
    yield
    if RECORD and _observed:
        BUDGETS.write_text(
            json.dumps(dict(sorted(_observed.items())), indent=2, ensure_ascii=False) + "\n"
        )
