"""Refusing oversized requests with 413 before anything reads them.

:class:`BodySizeLimitMiddleware` compares the declared ``Content-Length`` with
``ZHUANBAN_MAX_UPLOAD_BYTES`` and answers 413 at once: the body is never read, so a client cannot make
the server buffer or parse it.  A body without a usable length that turns out too large once read makes
Django raise ``RequestDataTooBig``; :func:`bad_request` (``handler400``) turns that into the same 413.
The API gets JSON ``{"code": "payload_too_large", ...}``, pages a short Chinese page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{message}</p></body></html>"""


def limit_bytes() -> int:
    return int(getattr(settings, "ZHUANBAN_MAX_UPLOAD_BYTES", settings.DATA_UPLOAD_MAX_MEMORY_SIZE))


def payload_too_large(request: HttpRequest) -> HttpResponse:
    limit = limit_bytes()
    mb = f"{limit / (1024 * 1024):.0f} MB" if limit >= 1024 * 1024 else f"{limit} 字节"
    message = f"请求内容超过大小上限（{mb}），请压缩或拆分后重试"
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "payload_too_large", "message": message, "fields": {}}, status=413)
    response = HttpResponse(PAGE.format(title="文件或内容过大", message=message), status=413,
                            content_type="text/html; charset=utf-8")
    return response


class BodySizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or ""
        try:
            length = int(raw) if raw else 0
        except ValueError:
            length = 0  # Django treats an unparsable length as 0 and reads nothing
        if length > limit_bytes():
            response = payload_too_large(request)
            # The unread body is still on the connection: don't keep it alive for another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def bad_request(request: HttpRequest, exception: Any = None, **kwargs: Any) -> HttpResponse:
    """``handler400``: an oversized body found while reading it is a 413, not a 400."""
    if isinstance(exception, RequestDataTooBig):
        return payload_too_large(request)
    return defaults.bad_request(request, exception, **kwargs)
