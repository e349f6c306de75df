"""Idempotency keys for the API's POST endpoints: a retry or a double click never files twice.

A client sends ``Idempotency-Key: <its own unique string>`` with a POST to ``/api/v1/``.  The first
request runs and its response (status and body) is kept for 24 hours under (user, key) with a hash of
the request.  The same key again:

- with the same request (method, path, query, body) → the kept response is replayed, with
  ``Idempotent-Replayed: true``, and the endpoint does **not** run again;
- with a different request → 422 ``idempotency_key_reused``;
- while the first is still running → 409 ``idempotency_request_in_progress``.

A request without the header behaves as before.  Responses of 5xx and 401 are not kept (the key can be
retried).  A middleware rather than a decorator, so every POST endpoint, present and future, has it.  The kept
responses live in the small ``zhuanban.idempotency`` app (its own migrations, apart from core's).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from zhuanban.idempotency.models import IdempotencyRecord

HEADER = "Idempotency-Key"
TTL = timedelta(hours=24)
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as in the IETF draft's examples
API_PREFIX = "/api/v1/"


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "fields": {HEADER: message}}, status=status)


def request_hash(request: HttpRequest) -> str:
    body = request.body
    content_type = request.META.get("CONTENT_TYPE", "")
    base_type = content_type.split(";")[0].strip().lower()
    if base_type == "multipart/form-data":
        # The boundary is random per request; the same form sent twice must hash the same.
        match = re.search(r"boundary=\"?([^\";]+)\"?", content_type)
        if match:
            body = body.replace(match.group(1).encode("latin-1", "replace"), b"BOUNDARY")
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.META.get("QUERY_STRING", ""), base_type):
        digest.update(part.encode("utf-8", "replace") + b"\n")
    digest.update(body)
    return digest.hexdigest()


def _identify(request: HttpRequest) -> Any:
    """The user the API will authenticate this request as (bearer token, else session with a valid CSRF
    token), or None: then the request passes through and the API answers 401/403 itself."""
    from ninja.utils import check_csrf

    from .tokens import ApiToken, _digest

    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        raw = auth[7:].strip()
        token = ApiToken.objects.select_related("user").filter(key_hash=_digest(raw)).first()
        if token is None or not token.is_usable or not token.user.is_active:
            return None
        return token.user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and check_csrf(request) is None:
        return user
    return None


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code,
                            content_type=record.content_type or "application/json")
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    """Place after AuthenticationMiddleware (a session's user is needed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if not KEY_PATTERN.fullmatch(key):
            return _error(400, "invalid_idempotency_key", "Idempotency-Key 须为 1–255 个可见 ASCII 字符")
        user = _identify(request)
        if user is None:
            return self.get_response(request)
        digest = request_hash(request)
        now = timezone.now()
        IdempotencyRecord.objects.filter(user=user, created_at__lt=now - TTL).delete()
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user=user, key=key, request_hash=digest, method=request.method,
                        path=request.path[:500], created_at=now,
                    )
            except IntegrityError:  # a concurrent request with the same key won the insert
                existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
                if existing is None:  # ... and was already dropped (it failed): ask the client to retry
                    return _error(409, "idempotency_request_in_progress", "使用该 Idempotency-Key 的请求仍在处理中")
        if existing is not None:
            if existing.request_hash != digest:
                return _error(422, "idempotency_key_reused",
                              "该 Idempotency-Key 已用于另一个请求；每个不同的请求须使用新的键")
            if existing.status_code is None:
                return _error(409, "idempotency_request_in_progress", "使用该 Idempotency-Key 的请求仍在处理中")
            return _replay(existing)
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        if response.status_code >= 500 or response.status_code == 401 or response.streaming:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return response
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            status_code=response.status_code, content_type=response.get("Content-Type", "")[:100],
            body=response.content,
        )
        return response
