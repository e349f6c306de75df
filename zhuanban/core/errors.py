"""Domain errors: the one way a service says "no".

Services raise :class:`DomainError` with a machine-readable ``code``, a Chinese ``message`` for people and
optional per-field messages.  The API turns it into ``{"code", "message", "fields"}`` with ``status``; the
web UI shows the message next to the right field.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400

    def __init__(
        self,
        code: str,
        message: str,
        fields: dict[str, str] | None = None,
        *,
        status: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.extra = extra or {}
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message, "fields": self.fields}
        body.update(self.extra)
        return body


class NotFound(DomainError):
    """Unknown, or outside the actor's view: the two are deliberately indistinguishable."""

    status = 404

    def __init__(self, message: str = "对象不存在或无权查看") -> None:
        super().__init__("not_found", message)


class Forbidden(DomainError):
    """The actor can see the object but may not do this to it."""

    status = 403

    def __init__(self, message: str = "没有执行此操作的权限") -> None:
        super().__init__("forbidden", message)


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    status = 422
