"""Per-request context (source address) that the audit trail records without threading it everywhere."""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
current_channel: ContextVar[str] = ContextVar("current_channel", default="cli")
