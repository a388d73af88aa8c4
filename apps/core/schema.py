"""OpenAPI post-processing: the error responses every operation can give, in one shape.

drf-spectacular documents the success responses it can read off the views; the errors come
from the shared layers (authentication, the policy, the throttles, pagination, filters and
serializers, optimistic locking) and would otherwise be missing from every operation.
"""

from drf_spectacular.openapi import AutoSchema as _SpectacularAutoSchema

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "所有接口错误的统一格式：键为字段名（嵌套字段以点连接，如 targets.0.due_on），值为该字段的"
        "错误信息列表；不属于某个字段的错误（认证、权限、未找到、冲突、限流、非字段校验错误）"
        "放在 detail 下。默认中文，请求头 Accept-Language: en 时为英文。"
    ),
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"period": ["月份应写作 YYYY-MM 或当月第一天 YYYY-MM-01。"]},
}

_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
_WRITE = {"post", "put", "patch", "delete"}


def _response(description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": _REF}}}
    if headers:
        response["headers"] = headers
    return response


def _error_responses(path: str, method: str, operation: dict) -> dict[str, dict]:
    params = operation.get("parameters", [])
    query = [p for p in params if p.get("in") == "query"]
    responses = {}
    if query or "requestBody" in operation:
        responses["400"] = _response("请求参数或请求体有误（筛选条件、字段校验）")
    responses["401"] = _response(
        "未提供或无效的令牌",
        {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "认证方式：Token"}},
    )
    responses["403"] = _response("无权访问或无权执行该操作")
    if "{" in path or any(p["name"] == "page" for p in query):
        responses["404"] = _response("记录不存在或不可见；或页码超出范围")
    if method in _WRITE:
        responses["409"] = _response("版本已过期（乐观锁）：记录已被他人修改")
    responses["429"] = _response(
        "请求过于频繁",
        {"Retry-After": {"schema": {"type": "integer"}, "description": "建议等待的秒数"}},
    )
    return responses


def add_error_responses(result, generator, request, public):
    """SPECTACULAR_SETTINGS POSTPROCESSING_HOOKS entry: document the errors of every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, response in _error_responses(path, method, operation).items():
                operation["responses"].setdefault(code, response)
    return result


# --- incremental sync and exports (issue 14 points 3-4) -----------------------------------------


class AutoSchema(_SpectacularAutoSchema):
    """drf-spectacular's, plus the parameters every list of the scoped base takes: ``format``
    (json / csv / xlsx, described) and ``updated_since`` where the viewset declares the
    timestamps it filters on (reference data declares none and answers 400 for it)."""

    def get_override_parameters(self):
        from apps.core.api_sync import (
            FORMAT_PARAMETER,
            UPDATED_SINCE_PARAMETER,
            SyncExportMixin,
        )

        params = list(super().get_override_parameters())
        view = self.view
        if (
            isinstance(view, SyncExportMixin)
            and getattr(view, "action", None) == "list"
            and self.method == "GET"
        ):
            params.append(FORMAT_PARAMETER)
            if view.updated_since_fields:
                params.append(UPDATED_SINCE_PARAMETER)
        return params

    def get_operation(self, *args, **kwargs):
        """A detail of the scoped base carries an ``ETag`` and answers 304 to a matching
        ``If-None-Match`` (apps.core.api_sync.SyncExportMixin.finalize_response)."""
        from apps.core.api_sync import SyncExportMixin

        operation = super().get_operation(*args, **kwargs)
        if (
            operation is not None
            and isinstance(self.view, SyncExportMixin)
            and getattr(self.view, "action", None) == "retrieve"
            and self.method == "GET"
        ):
            ok = operation["responses"].get("200", {})
            ok.setdefault("headers", {})["ETag"] = _ETAG
            operation.setdefault("parameters", []).append(
                {
                    "in": "header",
                    "name": "If-None-Match",
                    "schema": {"type": "string"},
                    "description": "上次响应的 ETag：记录未变时答 304（无响应体）",
                }
            )
            operation["responses"]["304"] = {
                "description": "记录未变（If-None-Match 与当前 ETag 相同）",
                "headers": {"ETag": _ETAG},
            }
        return operation


_EXPORT_CONTENT = {
    "text/csv": {"type": "string", "description": "UTF-8（带 BOM）CSV，首行为字段名"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "type": "string",
        "format": "binary",
        "description": "Excel 工作簿，一张工作表，首行为字段名",
    },
}
_ETAG = {"schema": {"type": "string"}, "description": "弱校验标记；下次以 If-None-Match 带上"}


def describe_sync_and_exports(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: what the scoped base adds to the operations.

    - Every operation may answer 406: an unknown ``?format=`` or an ``Accept`` header the
      endpoint cannot serve (apps.core.drf.FormatNegotiation).
    - A list's csv / xlsx 200 is a file, not the JSON page (drf-spectacular repeats the JSON
      schema under every renderer's media type).
    """
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            responses.setdefault(
                "406", _response("不支持的格式（format 参数）或 Accept 请求头所要的类型")
            )
            ok = responses.get("200", {})
            for media_type, schema in _EXPORT_CONTENT.items():
                if media_type in ok.get("content", {}):
                    ok["content"][media_type] = {"schema": schema}
    return result
