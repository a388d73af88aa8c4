"""What every API list and detail offers a machine client (issue 14 points 3–4).

- ``?updated_since=<ISO-8601>`` on lists: rows changed at or after the instant, including the
  related rows the endpoint shows (``updated_since_fields`` per viewset; a project counts as
  changed when one of its monthly updates did). Endpoints of seed-published reference data
  declare no fields and answer 400 for the parameter rather than pretend to filter.
- ``?format=csv`` / ``?format=xlsx`` on lists: every row of the filtered, ordered list (all
  pages), the same fields as the JSON, streamed from ``.iterator(chunk_size=…)`` so 100,000
  rows stay in bounded memory; no cell can start a live formula.
- A weak ``ETag`` on details (a digest of the representation, so a change to a related row the
  detail shows changes it too) and ``304`` for a matching ``If-None-Match``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Iterator
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpResponseNotModified, StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from openpyxl import Workbook
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from apps.core.downloads import content_disposition, safe_filename, stream_download
from apps.core.excel import XLSX_CONTENT_TYPE, csv_safe, export_cell

EXPORT_CHUNK = 500

UPDATED_SINCE_PARAMETER = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description=(
        "增量同步：只返回在该时刻（ISO-8601，无时区按北京时间）及之后变更的记录，"
        "含该接口所展示的关联记录的变更（如项目的月度调度）。删除与出库见 /api/v1/deletions/。"
    ),
)
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", "xlsx"],
    description=(
        "csv / xlsx：导出筛选、排序后的全部记录（不分页），字段与 JSON 相同；其他取值答 406。"
    ),
)
# Both are added to the list operations by apps.core.schema.AutoSchema (updated_since only
# where the viewset declares updated_since_fields).


class _ExportRenderer(BaseRenderer):
    """Lets content negotiation accept ?format=csv|xlsx; the list answers with its own
    streamed response, so this renderer only ever renders errors (as JSON text)."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, ensure_ascii=False, default=str).encode()


class CSVRenderer(_ExportRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(_ExportRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None


def parse_instant(value: str, field: str = "updated_since") -> dt.datetime:
    parsed = parse_datetime(value.replace(" ", "+")) if value else None  # '+' decoded as ' '
    if parsed is None and value:
        day = parse_date(value)
        if day is not None:
            parsed = dt.datetime.combine(day, dt.time.min)
    if parsed is None:
        raise ValidationError(
            {field: [_("应为 ISO-8601 日期时间，如 2026-12-01T08:00:00+08:00。")]}
        )
    try:
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)  # Asia/Shanghai, the platform's zone
        # As UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO-8601 (and Python) allow,
        # and a year-1 or year-9999 instant may not exist in UTC at all (OverflowError).
        parsed = parsed.astimezone(dt.UTC)
    except (OverflowError, ValueError) as exc:
        raise ValidationError(
            {field: [_("日期时间超出范围：应在公元 1 年至 9999 年之间。")]}
        ) from exc
    return parsed


def _flat(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


class SyncExportMixin:
    """Mixed into every API viewset (ScopedViewSetMixin includes it)."""

    # ORM paths to the timestamps whose change makes a row "updated"; () = not supported.
    updated_since_fields: tuple[str, ...] = ("updated_at",)

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) == "list":
            renderers += [CSVRenderer(), XLSXRenderer()]
        return renderers

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        raw = self.request.query_params.get("updated_since")
        if getattr(self, "action", None) != "list" or raw is None:
            return queryset
        if not self.updated_since_fields:
            raise ValidationError(
                {"updated_since": [_("该接口为随种子数据发布的参考数据，不支持增量同步。")]}
            )
        since = parse_instant(raw)
        changed = reduce(or_, (Q(**{f"{f}__gte": since}) for f in self.updated_since_fields))
        if any("__" in f for f in self.updated_since_fields):
            # A join through a to-many relation would repeat rows; keep the list's order.
            ids = queryset.model._default_manager.filter(changed).values("pk")
            return queryset.filter(pk__in=ids)
        return queryset.filter(changed)

    def list(self, request, *args, **kwargs):
        fmt = getattr(request.accepted_renderer, "format", None)
        if fmt in ("csv", "xlsx"):
            return self.export(fmt)
        return super().list(request, *args, **kwargs)

    # --- exports ------------------------------------------------------------------------
    def _export_rows(self) -> tuple[list[str], Iterator[dict]]:
        queryset = self.filter_queryset(self.get_queryset())
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()
        columns = list(serializer_class(context=context).fields)

        def rows() -> Iterator[dict]:
            if isinstance(queryset, QuerySet):
                chunk: list = []
                for obj in queryset.iterator(chunk_size=EXPORT_CHUNK):
                    chunk.append(obj)
                    if len(chunk) == EXPORT_CHUNK:
                        yield from serializer_class(chunk, many=True, context=context).data
                        chunk = []
                if chunk:
                    yield from serializer_class(chunk, many=True, context=context).data
            else:
                yield from serializer_class(list(queryset), many=True, context=context).data

        return columns, rows()

    def _export_name(self, fmt: str) -> str:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return f"{getattr(self, 'basename', None) or 'export'}-{stamp}.{fmt}"

    def export(self, fmt: str):
        columns, rows = self._export_rows()
        name = self._export_name(fmt)
        if fmt == "csv":
            writer = csv.writer(_Echo())

            def lines() -> Iterator[str]:
                yield "\ufeff" + writer.writerow(columns)  # BOM: Excel opens UTF-8 correctly
                for row in rows:
                    yield writer.writerow([csv_safe(_flat(row.get(c))) for c in columns])

            response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        else:
            wb = Workbook(write_only=True)
            ws = wb.create_sheet(title="export")
            ws.append([export_cell(ws, c) for c in columns])
            for row in rows:
                ws.append([export_cell(ws, _flat(row.get(c))) for c in columns])
            # Write-only rows go to openpyxl's temp files as they come; the zip goes to disk
            # and is streamed from there by the one helper for generated files.
            handle = tempfile.TemporaryFile()  # noqa: SIM115 — the response closes it
            wb.save(handle)
            handle.seek(0)
            return stream_download(handle, filename=name, content_type=XLSX_CONTENT_TYPE)
        # The CSV is written as it is sent (no file): the same headers as stream_download.
        response["Content-Disposition"] = content_disposition(safe_filename(name))
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    # --- conditional GET on details --------------------------------------------------------
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and isinstance(
            getattr(response, "accepted_renderer", None), _ExportRenderer
        ):
            # An error on an export request (bad filter, refused) is the API's JSON error.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        if (
            getattr(self, "action", None) == "retrieve"
            and request.method in ("GET", "HEAD")
            and isinstance(response, Response)
            and response.status_code == 200
        ):
            response.render()
            digest = hashlib.sha256(response.content).hexdigest()[:32]
            etag = f'W/"{digest}"'
            response["ETag"] = etag
            wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
            tags = {t.strip() for t in wanted.split(",") if t.strip()}
            if etag in tags or "*" in tags or etag[2:] in tags:
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = etag
                for header in ("Vary", "Content-Language"):
                    if header in response:
                        not_modified[header] = response[header]
                return not_modified
        return response
