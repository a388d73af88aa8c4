"""The permission matrix, generated from the URL configuration and the OpenAPI schema.

Every page (``get_resolver()``) and every API operation (drf-spectacular's ``SchemaGenerator``)
is requested by every role (see ``permission_rules.ROLES``) with every method the route
allows, and the answer is compared with the committed rules table in
``tests/core/permission_rules.py``. A page or endpoint added without a rule fails by itself
(``test_every_route_has_a_rule``), and so does a rule for a route that no longer exists.

Refused writes must change nothing: PostgreSQL's per-transaction counters
(``pg_stat_xact_user_tables``) must show no row inserted, updated or deleted by the request
(sessions aside). Allowed writes are sent with an empty body: they reach validation (400, a
form shown again) or succeed; each test runs in its own savepoint, rolled back after it.

The data (one record of every kind, owned by 西宁市政府 = "own"; 海东市政府 is "other") is
built once for the module inside a transaction that is rolled back at the end.

``QH_MATRIX_RECORD=1`` prints the observed answers in the table's format instead of failing
(to draft rules for a new route — then read every line before committing it).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import defaultdict
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.accounts.models import ApiTokenScope, Role
from apps.accounts.tokens import issue_token
from apps.core.api import ScopedViewSetMixin
from apps.core.pages import page_policy_of
from tests.core import permission_rules as rules

RECORD = os.environ.get("QH_MATRIX_RECORD") == "1"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Tables a refused request may still write: its session (messages), the login-lockout log, the
# API token's last-used time and address (recorded on authentication, before the policy asks).
UNTRACKED_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "accounts_apitoken"}


# --- the routes ---------------------------------------------------------------------------------


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield "/" + prefix + str(p.pattern), name, p.callback


def page_routes() -> dict[str, tuple[str, object]]:
    """URL name → (route, view) for every page: not the API, the admin or Django's own."""
    found = {}
    for route, name, callback in _walk(get_resolver().url_patterns):
        key = name or route
        if route.startswith(("/api/v1/", "/admin/")) or key in rules.NOT_PAGES:
            continue
        found[key] = (route, callback)
    return found


def page_methods(name: str, callback) -> list[str]:
    """The methods a page allows: declared by @policy_view; else those of its rule."""
    declared = page_policy_of(callback)
    if declared is not None:
        methods = declared.methods
    else:
        rule = rules.PAGES.get(name)
        methods = set(rule.methods) if rule else {"GET"}
    return [m for m in ("GET", *WRITE_METHODS) if m in methods]


def api_operations() -> dict[str, list[str]]:
    """Schema path → methods, for every operation the OpenAPI schema documents."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: [m for m in ("GET", *WRITE_METHODS) if m.lower() in ops]
        for path, ops in schema["paths"].items()
    }


PAGES = page_routes()
API = api_operations()


def _cases():
    for name, (_route, callback) in sorted(PAGES.items()):
        for method in page_methods(name, callback):
            for role in rules.ROLES:
                yield pytest.param("page", name, method, role, id=f"{name}|{method}|{role}")
    for path, methods in sorted(API.items()):
        for method in methods:
            for role in rules.ROLES:
                yield pytest.param("api", path, method, role, id=f"{path}|{method}|{role}")


CASES = list(_cases())


# --- the data ------------------------------------------------------------------------------------


def _build() -> dict:
    from apps.contracts.models import Contract, ContractReport, Fair
    from apps.core.calendar import load_calendar
    from apps.indicators.models import Indicator, IndicatorLeadUnit, Measure, MeasureValue
    from apps.jobs.models import JobRun
    from apps.notifications.models import Notification
    from apps.problems.seed import load_routes
    from apps.problems.services import open_problem
    from apps.projects.models import LibraryStatus, ProjectMonthlyUpdate
    from apps.reference.models import InfrastructureDomain, Organization, Region, Sector
    from apps.tasks.models import Assignment, ExtensionRequest, ProgressReport
    from apps.workgroups.models import WorkingGroup
    from apps.workgroups.seed import load_groups
    from tests.factories import UserFactory
    from tests.projects.factories import make_project
    from tests.tasks.factories import TaskFactory, make_assignments

    org = Organization.objects.resolve
    own, other = org("西宁市政府"), org("海东市政府")
    lead_unit = org("省发展改革委")

    def user(name, role, unit, **extra):
        return UserFactory(username=f"matrix-{name}", role=role, organization=unit, **extra)

    users = {
        "own": user("own", Role.STAFF, own),
        "other": user("other", Role.STAFF, other),
        "rev": user("rev", Role.REVIEWER, lead_unit),
        "coord": user("coord", Role.COORDINATOR, org("省经济和信息化委")),
        "leader": user("leader", Role.LEADER, None),
        "api_r": user("api_r", Role.API_CLIENT, own),
        "api_w": user("api_w", Role.API_CLIENT, own, api_write=True),
        "admin": user("admin", Role.ADMIN, None, is_superuser=True, is_staff=True),
    }
    load_groups()
    load_calendar()
    load_routes()
    admin = users["admin"]
    project = make_project(
        own,
        LibraryStatus.APPROVED,
        user=admin,
        infrastructure_domain=InfrastructureDomain.objects.get(code="network"),
    )
    update = ProjectMonthlyUpdate.objects.create(
        project=project,
        period=dt.date(2026, 10, 1),
        completed_this_month=Decimal("1.0000"),
        stage=project.stage,
        reported_by=users["own"],
    )
    fair = Fair.objects.create(
        name="矩阵测试洽谈会",
        short_name="矩阵会",
        coordinating_unit=org("省经济和信息化委"),
        first_period=dt.date(2026, 1, 1),
    )
    contract = Contract.objects.create(
        fair=fair,
        seq=1,
        name="矩阵签约项目",
        party_a=["西宁市政府"],
        party_b=["某公司"],
        total_investment=Decimal("10.0000"),
        responsible_unit=own,
        responsible_unit_label=own.name,
    )
    report = ContractReport.objects.create(
        contract=contract, period=dt.date(2026, 10, 1), is_performing=True
    )
    task = TaskFactory(lead=[lead_unit], participating=[own], due_date=dt.date(2026, 12, 31))
    assignment = make_assignments(task)[own.pk]
    assert assignment.role == Assignment.Role.PARTICIPATING
    progress = ProgressReport.objects.create(
        assignment=assignment, text="进展", reported_by=users["own"]
    )
    progress.attachment.save("matrix.txt", ContentFile(b"attachment"), save=False)
    progress.save()
    extension = ExtensionRequest.objects.create(
        assignment=assignment, working_days=3, reason="矩阵", requested_by=users["own"]
    )
    indicator = Indicator.objects.create(level=2, number=901, text="矩阵测试指标")
    IndicatorLeadUnit.objects.create(indicator=indicator, organization=own)
    measure = Measure.objects.create(
        indicator=indicator, order=1, name="矩阵测试指标", target_text="≥1", direction="gte"
    )
    value = MeasureValue.objects.create(
        measure=measure, year=2024, value=Decimal("1"), entered_by=users["own"]
    )
    job = JobRun.objects.create(
        kind="x.export",
        user=users["own"],
        status=JobRun.Status.SUCCEEDED,
        error_report=[{"row": 2, "column": "A", "level": "error", "message": "示例"}],
    )
    job.result_file.save("job.xlsx", ContentFile(b"x"), save=False)
    job.result_name = "job.xlsx"
    job.save()
    notification = Notification.objects.create(recipient=users["own"], title="矩阵通知")
    ticket = open_problem(
        user=users["own"], category="land", description="用地指标不足", project=project
    )
    from apps.rankings.models import Bulletin

    bulletin = Bulletin.objects.create(
        kind="month", period=dt.date(2026, 10, 1), by="region", title="矩阵通报", rows=[]
    )
    import io as _io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from apps.projects import services as project_services

    document = project_services.add_document(
        user=users["own"],
        project=project,
        kind="proposal",
        title="矩阵建议书",
        upload=SimpleUploadedFile("建议书.pdf", b"%PDF-1.4 matrix", content_type="application/pdf"),
    )
    buf = _io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(buf, "JPEG")
    photo = project_services.add_update_photo(
        user=users["own"],
        update=update,
        upload=SimpleUploadedFile("site.jpg", buf.getvalue(), content_type="image/jpeg"),
        caption="矩阵照片",
    )
    objects = {
        "document": document,
        "photo": photo,
        "source": task.source,
        "bulletin": bulletin,
        "project": project,
        "update": update,
        "fair": fair,
        "contract": contract,
        "contract_report": report,
        "task": task,
        "assignment": assignment,
        "progress_report": progress,
        "extension": extension,
        "indicator": indicator,
        "measure_value": value,
        "job": job,
        "notification": notification,
        "problem": ticket,
        "organization": own,
        "region": Region.objects.get(name="西宁市"),
        "sector": Sector.objects.order_by("pk").first(),
        "domain": InfrastructureDomain.objects.get(code="network"),
        "workgroup": WorkingGroup.objects.order_by("order").first(),
    }
    sessions, tokens = {}, {}
    for role, u in users.items():
        c = Client()
        c.force_login(u)
        sessions[role] = c.cookies[settings.SESSION_COOKIE_NAME].value
        scope = ApiTokenScope.READ_WRITE if u.api_write else ApiTokenScope.READ
        token, tokens[role] = issue_token(actor=admin, owner=u, name="matrix", scope=scope)
        if role == "api_w":
            objects["api_token"] = token
    return {"users": users, "objects": objects, "sessions": sessions, "tokens": tokens}


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- asking ------------------------------------------------------------------------------------


def _writes() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return sum(n for rel, n in cursor.fetchall() if rel not in UNTRACKED_TABLES)


def _answer(response) -> str:
    from django.shortcuts import resolve_url

    if response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    ):
        return "login"
    return str(response.status_code)


def _url(kind: str, key: str, rule: rules.Rule, data: dict) -> str:
    obj = data["objects"][rule.obj] if rule.obj else None
    if kind == "api":
        path = key.replace("{id}", str(obj.pk)) if obj is not None else key
        return path + rule.query.format(**{name: o.pk for name, o in data["objects"].items()})
    kwargs = dict(rule.kwargs)
    if obj is not None:
        kwargs.setdefault("pk", obj.pk)
    query = rule.query.format(**{name: o.pk for name, o in data["objects"].items()})
    return reverse(key, kwargs=kwargs or None) + query


def _request(kind: str, method: str, url: str, role: str, data: dict):
    client = Client()
    headers = {}
    if role != "anon":
        if kind == "api" and role.startswith("api_"):
            headers["HTTP_AUTHORIZATION"] = f"Token {data['tokens'][role]}"
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = data["sessions"][role]
    call = getattr(client, method.lower())
    if method == "GET":
        return call(url, **headers)
    if kind == "api":
        return call(url, data="{}", content_type="application/json", **headers)
    return call(url, data={}, **headers)


_recorded: dict[tuple[str, str], dict[str, dict[str, str]]] = defaultdict(dict)


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "key", "method", "role"), CASES)
def test_permission_matrix(matrix, kind, key, method, role):
    table = rules.PAGES if kind == "page" else rules.API
    rule = table.get(key)
    if rule is None and not RECORD:
        pytest.fail(f"{kind} {key} has no rule in tests/core/permission_rules.py")
    rule = rule or rules.guess_rule(key)
    url = _url(kind, key, rule, matrix)
    before = _writes()
    got = _answer(_request(kind, method, url, role, matrix))
    if RECORD:
        _recorded[(kind, key)].setdefault(method, {})[role] = got
        return
    expected = rule.expected(method, role)
    assert got == expected, f"{method} {url} as {role}: {got}, rule says {expected}"
    if method in WRITE_METHODS and not expected.startswith("2") and expected not in {"302"}:
        assert _writes() == before, f"refused {method} {url} as {role} changed rows"


def test_every_route_has_a_rule():
    """A page or endpoint added without a rule fails here too; so does a stale rule."""
    missing = sorted(set(PAGES) - set(rules.PAGES)) + sorted(set(API) - set(rules.API))
    stale = sorted(set(rules.PAGES) - set(PAGES)) + sorted(set(rules.API) - set(API))
    assert not missing, f"routes without a rule: {missing}"
    assert not stale, f"rules for routes that no longer exist: {stale}"
    for key, (_route, callback) in PAGES.items():
        if page_policy_of(callback) is None:
            continue
        allowed = set(page_methods(key, callback))
        declared = set(rules.PAGES[key].methods)
        assert declared == allowed, f"{key}: rule has {declared}, page allows {allowed}"
    for key, methods in API.items():
        assert set(rules.API[key].methods) == set(methods), key


def test_every_page_goes_through_policy_view():
    unchecked = [
        name
        for name, (_route, callback) in PAGES.items()
        if page_policy_of(callback) is None and name not in rules.PUBLIC_PAGES
    ]
    assert not unchecked, f"pages without @policy_view: {unchecked}"


def test_every_api_view_inherits_the_scoped_base():
    unscoped = []
    for route, name, callback in _walk(get_resolver().url_patterns):
        cls = getattr(callback, "cls", None)
        if not route.startswith("/api/v1/") or cls is None:
            continue
        if (
            not issubclass(cls, ScopedViewSetMixin)
            and cls.__name__ not in rules.AGGREGATE_API_VIEWS
        ):
            unscoped.append(f"{name}: {cls.__name__}")
    assert not unscoped, f"API views outside the scoped base: {unscoped}"


def test_every_served_model_declares_its_scope():
    """Every model behind a page, an endpoint or the audit trail says how it is scoped."""
    from django.apps import apps as django_apps

    from apps.core import permissions as policy

    undeclared = [
        m._meta.label
        for m in django_apps.get_models()
        if m._meta.app_label in rules.BUSINESS_APPS
        and not m.__name__.startswith("Historical")  # simple-history's own tables
        and (hasattr(m, "history") or m._meta.label in rules.SERVED_WITHOUT_HISTORY)
        and not policy.declares_scope(m)
    ]
    assert not undeclared, f"models without owner_fields or policy_scope: {undeclared}"
    assert not policy.declares_scope(get_user_model())


@pytest.fixture(scope="module", autouse=True)
def _print_recorded():
    yield
    if RECORD and _recorded:
        print("\n\n# --- recorded answers " + "-" * 70)
        for (kind, key), by_method in sorted(_recorded.items()):
            print(rules.format_rule(kind, key, by_method))
