"""The JSON API, mounted at /api/v1 (django-ninja; OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Each app contributes a router; this module wires authentication and turns domain errors into
``{"code", "message", "fields"}`` responses.
"""

from __future__ import annotations

from django.db import DataError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from zhuanban.core.errors import DomainError
from zhuanban.core.tokens import BearerTokenAuth, SessionAuthCsrf

api = NinjaAPI(
    title="Zhuanban 工作专班 API",
    version="1",
    description="工作专班平台接口。认证：`Authorization: Bearer <token>`（`zhuanban token USERNAME` 签发），"
    "或浏览器会话。错误统一为 `{code, message, fields}`。"
    "POST 请求可带 `Idempotency-Key` 头：相同的键和请求在 24 小时内重放首次的响应而不重复执行，"
    "相同的键用于不同请求时返回 422 `idempotency_key_reused`。请求体超过上限时返回 413 `payload_too_large`。",
    auth=[BearerTokenAuth(), SessionAuthCsrf()],
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        fields[".".join(loc) or "body"] = err.get("msg", "invalid")
    status = 400 if any(e.get("type") == "json_invalid" for e in exc.errors) else 422
    code = "malformed_json" if status == 400 else "validation_error"
    message = "请求体不是合法的 JSON" if status == 400 else "输入数据校验失败"
    return api.create_response(request, {"code": code, "message": message, "fields": fields}, status=status)


@api.exception_handler(OverflowError)
def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # An id or number beyond 64 bits in a path or query: SQLite's driver cannot bind it.  It names nothing
    # that exists, so it is bad input (422), not a server error.
    return api.create_response(
        request, {"code": "number_out_of_range", "message": "数值超出范围", "fields": {}}, status=422
    )


@api.exception_handler(DataError)
def on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # The same on PostgreSQL: a paging offset or number beyond bigint is refused by the database.
    return api.create_response(
        request, {"code": "number_out_of_range", "message": "数值超出范围", "fields": {}}, status=422
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "unauthenticated", "message": "未登录或令牌无效", "fields": {}}, status=401
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # ninja wraps a body its JSON parser rejected (JSONDecodeError, bad UTF-8) in HttpError(400).
        body = {"code": "malformed_json", "message": "请求体不是合法的 JSON", "fields": {"body": str(exc.__cause__)}}
        return api.create_response(request, body, status=400)
    return api.create_response(
        request, {"code": f"http_{exc.status_code}", "message": str(exc), "fields": {}}, status=exc.status_code
    )


from zhuanban.accountability.api import router as accountability_router  # noqa: E402
from zhuanban.accounts.api import router as accounts_router  # noqa: E402
from zhuanban.assessment.api import router as assessment_router  # noqa: E402
from zhuanban.files.api import router as files_router  # noqa: E402
from zhuanban.funds.api import router as funds_router  # noqa: E402
from zhuanban.insight.api import router as insight_router  # noqa: E402
from zhuanban.meetings.api import router as meetings_router  # noqa: E402
from zhuanban.notices.api import router as notices_router  # noqa: E402
from zhuanban.org.api import router as org_router  # noqa: E402
from zhuanban.reports.api import router as reports_router  # noqa: E402
from zhuanban.taskforces.api import router as taskforces_router  # noqa: E402
from zhuanban.tasks.api import router as tasks_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/", org_router)
# Before the task-force router: its catch-all POST /taskforces/{id}/{action} would shadow /attachments.
api.add_router("/", files_router)
# Also before it: /taskforces/{id}/ledger… (funds) must not reach the catch-all.
api.add_router("/", funds_router)
api.add_router("/", taskforces_router)
api.add_router("/", tasks_router)
api.add_router("/", meetings_router)
api.add_router("/", reports_router)
api.add_router("/", notices_router)
api.add_router("/", accountability_router)
api.add_router("/", assessment_router)
api.add_router("/", insight_router)
