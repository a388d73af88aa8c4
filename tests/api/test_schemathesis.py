"""Schemathesis against /api/schema/: every operation, with a read-only API client's token and
with a unit staff member's token, against the seeded database of ``api_dataset``.

Each response must not be a server error, and its status code, content type, headers and body
must be the ones the schema documents. Runs are bounded and reproducible: derandomized
Hypothesis (the same examples every run) and a fixed number of examples per operation
(70 operations × 2 tokens × 20 ≈ 2,800 requests, about two minutes on two cores).
"""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 20


def _served_schema() -> dict:
    """The document /api/schema/ serves, generated and rendered as that view does.

    Built here rather than fetched: collection may not touch the database, and every request
    through the app does (ATOMIC_REQUESTS). ``test_served_schema_is_the_tested_one`` checks
    that the view serves exactly this.
    """
    generator = SchemaGenerator()
    return json.loads(OpenApiJsonRenderer().render(generator.get_schema(request=None, public=True)))


# Valid and invalid inputs (ids like "1.5", wrong types, missing fields) from the fuzzing phase,
# EXAMPLES per operation. The coverage phase is off: it enumerates every boundary of every body
# field (~760 requests for POST /projects/ alone), too slow for CI's budget of a few minutes.
CONFIG = SchemathesisConfig.from_dict(
    {"generation": {"mode": "all"}, "phases": {"coverage": {"enabled": False}}}
)
schema = schemathesis.openapi.from_dict(_served_schema(), config=CONFIG)
schema.app = WSGIHandler()
schema.location = "/api/schema/"

bounded = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _run(case, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@bounded
def test_read_only_client(case, api_dataset):
    _run(case, api_dataset["read_only"])


@pytest.mark.django_db
@schema.parametrize()
@bounded
def test_unit_staff(case, api_dataset):
    _run(case, api_dataset["staff"])


def test_served_schema_is_the_tested_one(client, api_client_user):
    client.force_login(api_client_user)
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json() == _served_schema()
