"""Helpers of the sync and export tests: the API's list endpoints and their rows."""

import json

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from apps.core.excel import csv_safe


def list_endpoints() -> list[str]:
    """Every router list under /api/v1/ — a new endpoint is covered without editing this."""
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and (p.name or "").endswith("-list"):
                route = (prefix + str(p.pattern)).replace("^", "").replace("$", "")
                if route.startswith("api/v1/") and "<" not in route and "(?P" not in route:
                    found.append("/" + route)

    walk(get_resolver().url_patterns)
    return sorted(set(found))


def all_json_rows(api: APIClient, url: str) -> list[dict]:
    # The test client replaces a URL's query string by ``data``: page_size goes in the URL.
    sep = "&" if "?" in url else "?"
    rows, next_url, params = [], f"{url}{sep}page_size=500", {}
    while next_url:
        body = api.get(next_url, params).json()
        params = {}
        if isinstance(body, list):
            return body
        rows += body["results"]
        next_url = body["next"]
    return rows


def as_cells(row: dict, columns: list[str], *, formula_safe: bool = True) -> list[str]:
    """A JSON row as the export's cells read back as text (CSV: formula-safe)."""
    out = []
    for c in columns:
        v = row.get(c)
        if isinstance(v, dict | list):
            v = json.dumps(v, ensure_ascii=False, default=str)
        if formula_safe:
            v = csv_safe(v)
        out.append("" if v is None else str(v))
    return out
