"""OpenAPI post-processing: the error responses every operation can give, in one shape.

drf-spectacular documents the success responses it can read off the views; the errors come
from the shared layers (authentication, the policy, the throttles, pagination, filters and
serializers, optimistic locking) and would otherwise be missing from every operation.
"""

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
