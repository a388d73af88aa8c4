"""Wrap the Chinese literals of Django templates in {% translate %} / {% blocktranslate %}.

One-off helper kept for templates that land later: `python scripts/i18n_wrap_templates.py FILE...`
rewrites the files in place so that the Chinese rendering stays byte-identical (the Chinese
string is the msgid) and reports what it left alone (scripts, comparisons with data values).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
TOKEN = re.compile(
    r"(?P<opaque>\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}"
    r"|\{%\s*blocktrans(?:late)?\b.*?%\}.*?\{%\s*endblocktrans(?:late)?\s*%\}"
    r"|\{%\s*verbatim\s*%\}.*?\{%\s*endverbatim\s*%\}"
    r"|\{#.*?#\}|<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>)"
    r"|(?P<tag>\{%.*?%\})"
    r"|(?P<var>\{\{.*?\}\})"
    r"|(?P<brk>&#?\w+;|[<>\"'=&\n])",
    re.S,
)
LITERAL = re.compile(r"""(?<![\w_(])(?P<q>["'])(?P<s>(?:(?!(?P=q)).)*?)(?P=q)""")
COMPARISON = re.compile(r"(==|!=|\bin|\bnot in)\s*$")


def cjk(text: str) -> bool:
    return bool(CJK.search(text))


def wrap_literals(token: str, report: list[str]) -> str:
    """Inside {% %} / {{ }}: "中文" → _("中文"), except translate tags and data comparisons."""
    if re.match(r"\{%\s*(translate|trans|blocktrans|blocktranslate|load|extends)\b", token):
        return token

    def repl(m: re.Match[str]) -> str:
        s = m.group("s")
        if not cjk(s):
            return m.group(0)
        before = token[: m.start()]
        after = token[m.end() :]
        if COMPARISON.search(before) or re.match(r"\s*(==|!=|in\b)", after):
            report.append(f"comparison left alone: {token}")
            return m.group(0)
        return f'_("{s}")' if '"' not in s else f"_('{s}')"

    return LITERAL.sub(repl, token)


def alias_for(expr: str, used: set[str]) -> str:
    base = re.split(r"[|:\s]", expr.strip())[0].split(".")[-1]
    base = re.sub(r"\W", "_", base) or "value"
    if base[0].isdigit():
        base = "v" + base
    name, n = base, 2
    while name in used:
        name, n = f"{base}{n}", n + 1
    used.add(name)
    return name


def render_run(parts: list[tuple[str, str]]) -> str:
    """parts: ("text", s) / ("var", "{{ expr }}"). Returns the wrapped run."""
    raw = "".join(p for _, p in parts)
    if not any(kind == "text" and cjk(p) for kind, p in parts):
        return raw
    # keep surrounding whitespace outside the tag so the rendering stays byte-identical
    first = parts[0]
    lead = trail = ""
    if first[0] == "text":
        stripped = first[1].lstrip()
        lead = first[1][: len(first[1]) - len(stripped)]
        parts = [("text", stripped), *parts[1:]]
    if parts[-1][0] == "text":
        stripped = parts[-1][1].rstrip()
        trail = parts[-1][1][len(stripped) :]
        parts = [*parts[:-1], ("text", stripped)]
    parts = [p for p in parts if p[1]]
    if all(kind == "text" for kind, _ in parts):
        text = "".join(p for _, p in parts)
        return f'{lead}{{% translate "{text}" %}}{trail}'
    used: set[str] = set()
    withs: list[str] = []
    body = ""
    for kind, p in parts:
        if kind == "text":
            body += p
            continue
        expr = p[2:-2].strip()
        if re.fullmatch(r"[A-Za-z_]\w*", expr) and expr not in used:
            used.add(expr)
            body += "{{ " + expr + " }}"
        else:
            name = alias_for(expr, used)
            withs.append(f"{name}={expr}")
            body += "{{ " + name + " }}"
    with_clause = (" with " + " ".join(withs)) if withs else ""
    return f"{lead}{{% blocktranslate{with_clause} %}}{body}{{% endblocktranslate %}}{trail}"


def rewrite(source: str, report: list[str]) -> str:
    out: list[str] = []
    run: list[tuple[str, str]] = []
    pos = 0

    def flush() -> None:
        if run:
            out.append(render_run(run))
            run.clear()

    def add_text(s: str) -> None:
        if s:
            run.append(("text", s))

    for m in TOKEN.finditer(source):
        add_text(source[pos : m.start()])
        pos = m.end()
        tok = m.group(0)
        if m.group("opaque"):
            flush()
            if tok.startswith(("<script", "<style")) and cjk(tok):
                report.append(f"script/style with Chinese left alone: {tok[:60]!r}")
            out.append(tok)
        elif m.group("tag"):
            flush()
            out.append(wrap_literals(tok, report))
        elif m.group("var"):
            run.append(("var", wrap_literals(tok, report)))
        else:
            flush()
            out.append(tok)
    add_text(source[pos:])
    flush()
    return "".join(out)


def ensure_i18n_loaded(source: str) -> str:
    if re.search(r"\{%\s*load\s[^%]*\bi18n\b", source):
        return source
    m = re.search(r"\{%\s*load\s+([^%]*?)\s*%\}", source)
    if m:
        return source[: m.start()] + "{% load " + m.group(1) + " i18n %}" + source[m.end() :]
    m = re.match(r"\{%\s*extends\s[^%]*%\}", source)
    if m:
        return source[: m.end()] + "{% load i18n %}" + source[m.end() :]
    return "{% load i18n %}" + source


def main(paths: list[str]) -> None:
    for path in paths:
        p = Path(path)
        source = p.read_text(encoding="utf-8")
        report: list[str] = []
        new = rewrite(source, report)
        if new != source:
            new = ensure_i18n_loaded(new)
            p.write_text(new, encoding="utf-8")
        for line in report:
            print(f"{path}: {line}")


if __name__ == "__main__":
    main(sys.argv[1:])
