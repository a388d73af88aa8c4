"""English is complete behind the language switch (issue 16, point 1).

Chinese is the source of truth (the msgids) and the default; these checks fail when a template
or a user-facing Python message carries a Chinese literal that does not go through gettext,
when a msgid has no English, when a committed .mo is stale, and when a key page rendered in
English still shows Chinese that is not data (names, units, regions stay as entered).
"""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import html
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from apps.accounts.models import Role
from apps.projects.models import LibraryStatus
from tests.projects.factories import make_project

ROOT = Path(settings.BASE_DIR)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

# --- templates -------------------------------------------------------------------------------

TRANSLATED = re.compile(
    r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}"
    r"|\{%\s*blocktrans(?:late)?\b.*?%\}.*?\{%\s*endblocktrans(?:late)?\s*%\}"
    r"|\{#.*?#\}|<!--.*?-->"
    r"|\{%\s*trans(?:late)?\s.*?%\}"
    r"|_\(\"[^\"]*\"\)|_\('[^']*'\)",
    re.S,
)
# Chinese that is compared with data, not shown: (template, the literal, why).
TEMPLATE_DATA_LITERALS = {
    (
        "tasks/sources.html",
        '"推定"',
    ): "period_note is entered text; the badge shows when it says 推定",
}


def _templates() -> list[Path]:
    dirs = [ROOT / "templates", *(ROOT / "apps").glob("*/templates")]
    return sorted(p for d in dirs for p in d.rglob("*.html"))


def test_templates_carry_no_untranslated_chinese():
    found = []
    for path in _templates():
        rel = path.relative_to(ROOT / "templates") if "apps" not in path.parts else path
        text = TRANSLATED.sub("", path.read_text(encoding="utf-8"))
        for (name, literal), _why in TEMPLATE_DATA_LITERALS.items():
            if str(rel) == name:
                text = text.replace(literal, "")
        for number, line in enumerate(text.splitlines(), start=1):
            if CJK.search(line):
                found.append(f"{rel}:{number}: {line.strip()[:120]}")
    assert not found, (
        "Chinese outside {% translate %}/{% blocktranslate %} (wrap it, e.g. with "
        "scripts/i18n_wrap_templates.py, then makemessages and add the English):\n"
        + "\n".join(found)
    )


JS_TRANSLATED = re.compile(r'gettext\("[^"]*"\)|//[^\n]*|/\*.*?\*/', re.S)
JS_DATA_LITERALS = {'map: "青海"'}  # the name the vendored map is registered under


def test_scripts_carry_no_untranslated_chinese():
    found = []
    for path in sorted((ROOT / "static/js").glob("*.js")):
        text = JS_TRANSLATED.sub("", path.read_text(encoding="utf-8"))
        for literal in JS_DATA_LITERALS:
            text = text.replace(literal, "")
        found += [f"{path.name}: {line.strip()}" for line in text.splitlines() if CJK.search(line)]
    assert not found, "Chinese in scripts outside gettext() (djangojs catalog):\n" + "\n".join(
        found
    )


@pytest.mark.django_db
def test_the_javascript_catalog_speaks_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/jsi18n/").content.decode()
    assert '"\\u8d44\\u91d1\\u5230\\u4f4d\\u7387": "Funds-in-place rate"' in body


def test_the_checker_sees_an_untranslated_literal():
    sample = '<h1>{% translate "项目库" %}</h1><p title="{% translate "说明" %}">未翻译</p>'
    assert CJK.findall(TRANSLATED.sub("", sample)) == list("未翻译")


# --- Python ----------------------------------------------------------------------------------

WRAPPERS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
}
MESSAGE_KEYWORDS = {"verbose_name", "verbose_name_plural", "help_text", "label", "empty_label"}
# Modules whose Chinese is a data format, not UI: workbook headers an import reads back, seeds,
# demo data, parsers of Chinese deadline wording, management commands (operators' CLI).
PYTHON_EXEMPT = re.compile(
    r"/migrations/|/management/|/seed[^/]*\.py$|/demo[^/]*\.py$|/importers\.py$|"
    r"/excel\.py$|/exports\.py$|/deadlines\.py$"
)


def _is_chinese(node: ast.AST | None) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(CJK.search(node.value))
    return isinstance(node, ast.JoinedStr) and bool(CJK.search(ast.unparse(node)))


def _name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _user_facing(tree: ast.AST):
    """Literals in the places a user reads them: labels, choices, messages, errors."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node)
            for kw in node.keywords:
                if kw.arg in MESSAGE_KEYWORDS:
                    yield kw.value
            if (
                name in {"success", "error", "warning", "info"}
                and len(node.args) >= 2
                and ast.unparse(node.func).startswith("messages.")
            ):
                yield node.args[1]
            if name in {"ValidationError", "PermissionDenied"} and node.args:
                yield node.args[0]
            if name == "add_error" and len(node.args) >= 2:
                yield node.args[1]
            if name.endswith("Field") and node.args and isinstance(node.func, ast.Attribute):
                yield node.args[0]
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            yield node.exc.args[0]
        elif isinstance(node, ast.ClassDef):
            bases = {ast.unparse(b).split(".")[-1] for b in node.bases}
            for stmt in node.body:
                if not isinstance(stmt, ast.Assign):
                    continue
                targets = {t.id for t in stmt.targets if isinstance(t, ast.Name)}
                if targets & {"verbose_name", "verbose_name_plural"}:
                    yield stmt.value
                if bases & {"TextChoices", "IntegerChoices"} and isinstance(stmt.value, ast.Tuple):
                    yield stmt.value.elts[-1]


def test_user_facing_python_messages_go_through_gettext():
    found = []
    for path in sorted((ROOT / "apps").rglob("*.py")):
        if PYTHON_EXEMPT.search(str(path)):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _user_facing(tree):
            if _is_chinese(node):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert not found, (
        "User-facing Chinese without gettext (wrap with _()/gettext_lazy; f-strings become "
        "_('…%(name)s…') % {...}; scripts/i18n_wrap_python.py does both):\n" + "\n".join(found)
    )


def test_the_python_checker_sees_an_unwrapped_message():
    tree = ast.parse('messages.success(request, "已保存。")\nraise ValueError(_("已翻译"))')
    assert [ast.unparse(n) for n in _user_facing(tree) if _is_chinese(n)] == ["'已保存。'"]


# --- catalogs --------------------------------------------------------------------------------


def _unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def _po_entries(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each live entry, obsolete (#~) ones excluded; a plural entry
    gives one row per form, its msgid then being (msgid, n) as in a compiled catalog."""
    entries: list[tuple] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        if not lines or all(line.startswith("#") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        parts: dict[str, list[str]] = {}
        current = None
        for line in lines:
            keyword = re.match(r"(msgid|msgid_plural|msgstr(?:\[\d+\])?) ", line)
            if keyword:
                current = parts.setdefault(keyword.group(1), [])
                line = line[keyword.end() :]
            elif not line.startswith('"') or current is None:
                continue
            current.append(line)
        if "msgid" not in parts:
            continue
        msgid = _unquote(parts["msgid"])
        if "msgid_plural" in parts:
            for key in sorted(k for k in parts if k.startswith("msgstr[")):
                n = int(key[7:-1])
                entries.append(((msgid, n), _unquote(parts[key]), fuzzy))
        else:
            entries.append((msgid, _unquote(parts.get("msgstr", [])), fuzzy))
    return entries


CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# Chinese measure words after a number ("3 个") have no English word: a space is their English.
MEASURE_WORDS = {"个", "件"}
CATALOGS = [
    ROOT / "locale/en/LC_MESSAGES/django.po",
    ROOT / "locale/en/LC_MESSAGES/djangojs.po",
    ROOT / "apps/core/locale/en/LC_MESSAGES/django.po",
]


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_msgid_has_english(po):
    entries = [e for e in _po_entries(po) if e[0]]  # the header's msgid is empty
    assert len(entries) > 10
    missing = [
        str(msgid)
        for msgid, msgstr, fuzzy in entries
        if fuzzy or not (msgstr.strip() or (msgid in MEASURE_WORDS and msgstr))
    ]
    assert not missing, f"{po.name}: no (or only fuzzy) English for:\n" + "\n".join(missing)
    # Chinese may stay only where it is quoted from the msgid (an input the reader accepts,
    # such as 3.5亿元) or is the name of the language itself on the switch.
    still_chinese = [
        str(msgid)
        for msgid, msgstr, _f in entries
        if msgid != "中文" and any(run not in str(msgid) for run in CJK_RUN.findall(msgstr))
    ]
    assert not still_chinese, "English that is still Chinese:\n" + "\n".join(still_chinese)


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_committed_mo_matches_its_po(po):
    """The .mo is committed (no gettext at run time): it must be compiled from today's .po."""
    with open(po.with_suffix(".mo"), "rb") as fh:
        catalog = gnu_gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    expected = {msgid: msgstr for msgid, msgstr, fuzzy in _po_entries(po) if msgid and not fuzzy}
    compiled = {k: v for k, v in catalog.items() if k}
    assert compiled == expected, "recompile: manage.py compilemessages -l en"


# --- pages rendered in English ---------------------------------------------------------------


def _data_values() -> set[str]:
    """Every Chinese text stored in the database (names, units, regions…): shown as entered."""
    values: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            if CJK.search(value):
                values.add(value.strip())
                values.update(part.strip() for part in value.splitlines() if part.strip())
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)

    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                walk(row)
    return values


def _chinese_outside_data(body: str, data: set[str]) -> list[str]:
    body = re.sub(r"(?s)<script\b.*?</script>|<style\b.*?</style>", " ", body)
    attrs = re.findall(r'(?:title|placeholder|aria-label|alt)="([^"]*)"', body)
    texts = [*re.sub(r"(?s)<[^>]+>", "\n", body).splitlines(), *attrs]
    ordered = sorted(data, key=len, reverse=True)
    left = []
    for raw in texts:
        text = html.unescape(raw).strip()
        if not CJK.search(text) or text in data:
            continue
        for value in ordered:
            if value in text:
                text = text.replace(value, " ")
                if not CJK.search(text):
                    break
        if CJK.search(text) and text != "中文":  # the switch back names its language
            left.append(text)
    return left


@pytest.fixture
def english_pages(staff_xining, reviewer, leader, xining):
    project = make_project(xining, LibraryStatus.SUBMITTED)
    approved = make_project(xining, LibraryStatus.APPROVED, name="英文页面项目")
    return [
        (staff_xining, "/"),
        (staff_xining, "/projects/"),
        (staff_xining, f"/projects/{project.pk}/"),
        (staff_xining, f"/projects/{approved.pk}/"),
        (staff_xining, "/projects/new/"),
        (staff_xining, "/projects/import/"),
        (staff_xining, "/projects/updates/"),
        (staff_xining, f"/projects/{approved.pk}/updates/new/"),
        (staff_xining, "/problems/"),
        (staff_xining, "/notifications/"),
        (staff_xining, "/accounts/profile/"),
        (staff_xining, "/tasks/"),
        (staff_xining, "/jobs/"),
        (staff_xining, "/notifications/settings/"),
        (staff_xining, "/workgroups/"),
        (reviewer, "/projects/review/"),
        (reviewer, "/projects/targets/"),
        (leader, "/"),
        (leader, "/dashboard/"),
        (leader, "/indicators/"),
        (leader, "/rankings/"),
    ]


@pytest.mark.django_db
def test_key_pages_in_english_show_no_chinese_but_data(english_pages):
    data = _data_values()
    problems = {}
    for user, url in english_pages:
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response["Content-Language"] == "en"
        left = _chinese_outside_data(response.content.decode(), data)
        if left:
            problems[f"{user.get_role_display()} {url}"] = left[:10]
    assert not problems, "\n".join(f"{page}: {left}" for page, left in problems.items())


@pytest.mark.django_db
def test_the_same_pages_stay_chinese_by_default(staff_xining):
    client = Client()
    client.force_login(staff_xining)
    body = client.get("/projects/").content.decode()
    assert "万千百亿项目库" in body and "Project library" not in body
    assert staff_xining.role == Role.STAFF
