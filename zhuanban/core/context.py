"""Per-request context: the source address the audit trail records without threading it everywhere, and a
per-request memo."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
current_channel: ContextVar[str] = ContextVar("current_channel", default="cli")
# What one request computes more than once (the ids of the task forces a user may see, …).  Only inside a
# request (``RequestContextMiddleware``); every audited state change (``audit.record``) forgets it, so a
# request that changes memberships and then reads sees the change.
request_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("request_memo", default=None)


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    memo = request_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget() -> None:
    memo = request_memo.get()
    if memo is not None:
        memo.clear()
