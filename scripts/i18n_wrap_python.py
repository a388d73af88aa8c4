"""Wrap the user-facing Chinese literals of Python modules in gettext / gettext_lazy.

One-off helper kept for code that lands later: `python scripts/i18n_wrap_python.py FILE...`.
Only literals in known user-facing places are wrapped (verbose_name, help_text, label,
choices, messages.*, ValidationError, add_error, raise X("…"), admin descriptions); the Chinese
string stays the msgid, so the Chinese UI is unchanged. Literals at module or class level get
gettext_lazy (evaluated per request), literals inside functions gettext. f-strings and other
places are reported for a hand edit.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
KEYWORDS = {"verbose_name", "verbose_name_plural", "help_text", "label", "empty_label"}
CLASS_ATTRS = {"verbose_name", "verbose_name_plural", "short_description"}
MESSAGE_FUNCS = {"success", "error", "warning", "info", "debug"}
ERROR_CLASSES = {"ValidationError", "PermissionDenied"}


def is_cjk_str(node: ast.AST | None) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(CJK.search(node.value))
    )


def convertible(node: ast.JoinedStr) -> bool:
    return all(
        isinstance(v, ast.Constant)
        or (isinstance(v, ast.FormattedValue) and not isinstance(v.format_spec, ast.JoinedStr))
        or (
            isinstance(v, ast.FormattedValue)
            and isinstance(v.format_spec, ast.JoinedStr)
            and all(isinstance(x, ast.Constant) for x in v.format_spec.values)
        )
        for v in node.values
    )


def placeholder(expr: ast.AST) -> str:
    if isinstance(expr, ast.Name):
        return expr.id.strip("_") or "value"
    if isinstance(expr, ast.Attribute):
        return expr.attr.strip("_") or "value"
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant):
        return re.sub(r"\W", "_", str(expr.slice.value)) or "value"
    if isinstance(expr, ast.Call):
        name = call_name(expr)
        if name == "len":
            return "count"
        if name.startswith("get_") and name.endswith("_display"):
            return name[4:-8]
        return name.strip("_") or "value"
    return "value"


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def fstring_to_gettext(node: ast.JoinedStr, wrapper: str) -> str:
    """f"已保存 {n} 项" → _("已保存 %(n)s 项") % {"n": n}: the msgid keeps named slots."""
    text, args, used = "", [], set()
    for v in node.values:
        if isinstance(v, ast.Constant):
            text += str(v.value).replace("%", "%%")
            continue
        assert isinstance(v, ast.FormattedValue)
        base = placeholder(v.value)
        name, n = base, 2
        while name in used:
            name, n = f"{base}{n}", n + 1
        used.add(name)
        expr = ast.unparse(v.value)
        if v.conversion == ord("r"):
            expr = f"repr({expr})"
        elif v.conversion == ord("s"):
            expr = f"str({expr})"
        if v.format_spec is not None:
            spec = "".join(str(x.value) for x in v.format_spec.values)  # type: ignore[attr-defined]
            expr = f"format({expr}, {spec!r})"
        args.append(f'"{name}": {expr}')
        text += f"%({name})s"
    if not args:
        return f"{wrapper}({quote(text.replace('%%', '%'))})"
    return f"{wrapper}({quote(text)}) % {{{', '.join(args)}}}"


def call_name(node: ast.Call) -> str:
    f = node.func
    if isinstance(f, ast.Attribute):
        return f.attr
    if isinstance(f, ast.Name):
        return f.id
    return ""


SKIP_CALLS = {
    "workbook_bytes",
    "xlsx_response",
    "compile",
    "match",
    "search",
    "fullmatch",
    "sub",
    "split",
    "findall",
    "resolve",
    "get",
    "filter",
    "exclude",
    "startswith",
    "endswith",
    "replace",
    "strip",
    "lstrip",
    "rstrip",
    "index",
    "count",
    "find",
    "get_or_create",
    "update_or_create",
    "Q",
    "getattr",
    "setdefault",
}
NUMERALS = re.compile(r"^[零一二三四五六七八九十百]+$")


class AllFinder(ast.NodeVisitor):
    """--all: every Chinese literal of a user-facing module, except data operations."""

    def __init__(self, finder: Finder) -> None:
        self.finder = finder
        self.skip: set[int] = set()

    def visit_Call(self, node: ast.Call) -> None:
        if call_name(node) in SKIP_CALLS | {"_", "gettext", "gettext_lazy", "ngettext"}:
            for sub in ast.walk(node):
                if sub is not node:
                    self.skip.add(id(sub))
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        for sub in ast.walk(node):
            self.skip.add(id(sub))
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        for k in node.keys:
            if k is not None:
                self.skip.add(id(k))
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        for sub in ast.walk(node.slice):
            self.skip.add(id(sub))
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        for sub in ast.walk(node):
            if sub is not node:
                self.skip.add(id(sub))
        self.generic_visit(node)


class Finder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.hits: list[tuple[ast.Constant, bool]] = []  # (node, lazy)
        self.fstrings: list[int] = []
        self.depth_func = 0
        self.class_stack: list[ast.ClassDef] = []
        self.seen: set[int] = set()

    def add(self, node: ast.AST | None) -> None:
        if LINES and getattr(node, "lineno", None) not in LINES:
            return
        if is_cjk_str(node) and id(node) not in self.seen:
            self.seen.add(id(node))
            self.hits.append((node, self.depth_func == 0))  # type: ignore[arg-type]
        elif isinstance(node, ast.JoinedStr) and CJK.search(ast.unparse(node)):
            if self.depth_func and id(node) not in self.seen and convertible(node):
                self.seen.add(id(node))
                self.hits.append((node, False))  # type: ignore[arg-type]
            else:
                self.fstrings.append(node.lineno)

    def generic_visit(self, node: ast.AST) -> None:
        if getattr(self, "all_mode", None) is not None:
            skip, docs = self.all_mode
            if (
                isinstance(node, (ast.Constant, ast.JoinedStr))
                and id(node) not in skip
                and node not in docs
            ):
                text = node.value if isinstance(node, ast.Constant) else ast.unparse(node)
                if (
                    isinstance(text, str)
                    and CJK.search(text)
                    and not NUMERALS.match(text)
                    and not text.endswith(".xlsx")
                ):
                    self.add(node)
        super().generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for d in node.decorator_list:
            self.visit(d)
        self.depth_func += 1
        for stmt in node.body:
            self.visit(stmt)
        self.depth_func -= 1

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.depth_func += 1
        self.generic_visit(node)
        self.depth_func -= 1

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.class_stack.append(node)
        bases = {ast.unparse(b).split(".")[-1] for b in node.bases}
        choices = bool(bases & {"TextChoices", "IntegerChoices", "Choices"})
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and self.depth_func == 0:
                targets = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
                if set(targets) & CLASS_ATTRS:
                    self.add(stmt.value)
                if choices and isinstance(stmt.value, ast.Tuple) and len(stmt.value.elts) >= 2:
                    self.add(stmt.value.elts[-1])
        self.generic_visit(node)
        self.class_stack.pop()

    def choices_value(self, value: ast.AST) -> None:
        if isinstance(value, (ast.List, ast.Tuple)):
            for elt in value.elts:
                if isinstance(elt, ast.Tuple) and len(elt.elts) == 2:
                    self.add(elt.elts[1])

    def visit_Assign(self, node: ast.Assign) -> None:
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if any("CHOICES" in n.upper() for n in names):
            self.choices_value(node.value)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = call_name(node)
        for kw in node.keywords:
            if kw.arg in KEYWORDS:
                self.add(kw.value)
            elif kw.arg == "choices":
                self.choices_value(kw.value)
            elif kw.arg == "error_messages" and isinstance(kw.value, ast.Dict):
                for v in kw.value.values:
                    self.add(v)
            elif (kw.arg == "description" and name in {"display", "action"}) or (
                kw.arg in {"message", "msg"} and name in ERROR_CLASSES | {"add_error"}
            ):
                self.add(kw.value)
        # models.CharField("名称", ...): the verbose name given positionally
        if (
            (name.endswith("Field") or name in {"ForeignKey", "OneToOneField"})
            and node.args
            and isinstance(node.func, ast.Attribute)
        ):
            self.add(node.args[0])
        if (
            name in MESSAGE_FUNCS
            and isinstance(node.func, ast.Attribute)
            and ast.unparse(node.func.value) == "messages"
            and len(node.args) >= 2
        ):
            self.add(node.args[1])
        if name in ERROR_CLASSES and node.args:
            self.add(node.args[0])
            if isinstance(node.args[0], ast.Dict):
                for v in node.args[0].values:
                    self.add(v)
        if (
            name == "update"
            and isinstance(node.func, ast.Attribute)
            and ast.unparse(node.func.value).endswith("attrs")
            and node.args
            and isinstance(node.args[0], ast.Dict)
        ):
            for k, v in zip(node.args[0].keys, node.args[0].values, strict=True):
                if isinstance(k, ast.Constant) and k.value in {"placeholder", "title"}:
                    self.add(v)
        if name == "message_user" and len(node.args) >= 2:
            self.add(node.args[1])
        for kw in node.keywords:
            if kw.arg == "attrs" and isinstance(kw.value, ast.Dict):
                for k, v in zip(kw.value.keys, kw.value.values, strict=True):
                    if isinstance(k, ast.Constant) and k.value in {"placeholder", "title"}:
                        self.add(v)
        if name == "add_error" and len(node.args) >= 2:
            self.add(node.args[1])
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc
        if isinstance(exc, ast.Call) and exc.args:
            self.add(exc.args[0])
        self.generic_visit(node)


def underscore_is_free(tree: ast.Module) -> bool:
    """`_` must not also be a throwaway variable somewhere in the module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
            return False
        if isinstance(node, ast.arg) and node.arg == "_":
            return False
    return True


def existing_underscore(tree: ast.Module) -> str | None:
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for a in node.names:
                if a.asname == "_":
                    return a.name
    return None


def imported_names(tree: ast.Module) -> set[str]:
    out = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            out |= {a.asname or a.name for a in node.names}
    return out


def process(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    finder = Finder()
    if ALL:
        pre = AllFinder(finder)
        pre.visit(tree)
        docs = set()
        for n in ast.walk(tree):
            if (
                isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and n.body
                and isinstance(n.body[0], ast.Expr)
                and isinstance(n.body[0].value, ast.Constant)
            ):
                docs.add(n.body[0].value)
        finder.all_mode = (pre.skip, docs)  # type: ignore[attr-defined]
    finder.visit(tree)
    report = [f"{path}:{ln}: f-string with Chinese, wrap by hand" for ln in finder.fstrings]
    if not finder.hits:
        return report
    under = existing_underscore(tree)
    free = under is None and underscore_is_free(tree)
    lazy_count = sum(1 for _n, lazy in finder.hits if lazy)
    if free:
        under = "gettext_lazy" if lazy_count * 2 >= len(finder.hits) else "gettext"
    names = imported_names(tree)
    needed: set[str] = set()

    # byte offsets of each line start (ast columns are UTF-8 byte offsets)
    data = source.encode("utf-8")
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    edits = []
    for node, lazy in finder.hits:
        func = "gettext_lazy" if lazy else "gettext"
        if func == under:
            wrapper = "_"
        else:
            wrapper = func
            if func not in names:
                needed.add(func)
        begin = starts[node.lineno - 1] + node.col_offset
        end = starts[node.end_lineno - 1] + node.end_col_offset  # type: ignore[operator]
        edits.append((begin, end, wrapper, node))
    if under and "_" not in names and any(e[2] == "_" for e in edits):
        needed.add(f"{under} as _")
    for begin, end, wrapper, node in sorted(edits, key=lambda e: e[0], reverse=True):
        if isinstance(node, ast.JoinedStr):
            data = data[:begin] + fstring_to_gettext(node, wrapper).encode() + data[end:]
        else:
            data = data[:begin] + f"{wrapper}(".encode() + data[begin:end] + b")" + data[end:]
    text = data.decode("utf-8")
    if needed:
        imp = "from django.utils.translation import " + ", ".join(sorted(needed)) + "\n"
        # after the module docstring and __future__ imports: ruff's isort fix places it properly
        lines = text.splitlines(keepends=True)
        idx = 0
        first = tree.body[0] if tree.body else None
        if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant):
            idx = first.end_lineno  # type: ignore[assignment]
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                idx = node.end_lineno  # type: ignore[assignment]
        lines.insert(idx, imp)
        text = "".join(lines)
    path.write_text(text, encoding="utf-8")
    report.append(f"{path}: wrapped {len(edits)}")
    return report


ALL = False
LINES: set[int] = set()  # --lines=12,40: only the literals starting on these lines (with --all)

if __name__ == "__main__":
    if "--all" in sys.argv:
        ALL = True
        sys.argv.remove("--all")
    for arg in [a for a in sys.argv if a.startswith("--lines=")]:
        LINES = {int(n) for n in arg[8:].split(",")}
        sys.argv.remove(arg)
    for p in sys.argv[1:]:
        for line in process(Path(p)):
            print(line)
