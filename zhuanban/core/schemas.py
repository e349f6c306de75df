"""Shapes and helpers shared by every API router: errors, references, pagination.

Every error the API returns has the shape :class:`ErrorOut` (``{"code", "message", "fields"}``, see
``zhuanban/api.py``); conflicts may add context such as the dissolution blockers or the current version.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from ninja import Field, Schema
from pydantic import ConfigDict, ValidationInfo, field_validator

from .errors import Invalid


class ErrorOut(Schema):
    code: str = Field(description="机器可读的错误代码，如 not_found、forbidden、validation_error")
    message: str = Field(description="给人看的说明（中文）")
    fields: dict[str, str] = Field(default_factory=dict, description="按字段给出的错误说明")


class OpenItemOut(Schema):
    kind: str
    id: int
    title: str
    owner_id: int | None = None


class BlockerOut(Schema):
    kind: str = Field(description="open_item（未办结事项）、summary（工作总结）或 lessons（经验做法）")
    message: str
    item: OpenItemOut | None = None


class ConflictOut(ErrorOut):
    """409: a domain rule refused the change.  Extra keys depend on ``code``."""

    blockers: list[BlockerOut | OpenItemOut] | None = Field(
        None, description="dissolution_blocked / liaison_has_open_items：尚未满足的解散条件或未办结事项"
    )
    current_version: int | None = Field(None, description="stale_version：库中当前版本")
    your_version: int | None = Field(None, description="stale_version：请求所依据的版本")
    status: str | None = Field(None, description="illegal_transition：专班当前状态")
    action: str | None = Field(None, description="illegal_transition：被拒绝的操作")


# Error responses for the OpenAPI document.  Reads can fail with 401/404 (and 422 on bad parameters);
# writes also with 400 (malformed JSON), 403 (view-only or read-scoped token) and 409 (domain conflict).
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut,
}


class Input(Schema):
    """A request body.  Unknown keys are refused (422 naming them) rather than silently ignored, so a
    client that sends ``status`` in an edit learns that status changes through the lifecycle actions."""

    model_config = ConfigDict(extra="forbid")


class Ref(Schema):
    """A reference to another object: its id and display name."""

    id: int
    name: str


def ref(obj: Model | None) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


class Filters(Schema):
    """Query-string filters.  An empty parameter (``?region=``, as an HTML form sends it) means "no
    filter" (the field's default), not an invalid value."""

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_default(cls, value: Any, info: ValidationInfo) -> Any:
        if value == "" and info.field_name is not None:
            return cls.model_fields[info.field_name].get_default(call_default_factory=True)
        return value


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=200, description="每页条数（1–200）")
    offset: int = Field(0, ge=0, le=2**31 - 1, description="跳过的条数（不超过 2147483647）")


def page(qs: QuerySet[Any], params: PageParams) -> tuple[int, list[Any]]:
    """Count and one page of ``qs``: two queries whatever the size."""
    return qs.count(), list(qs[params.offset : params.offset + params.limit])


def resolve(qs: QuerySet[Any], pk: int | None, field: str, errors: dict[str, str]) -> Any:
    """The object ``pk`` among those the caller may see (``qs``).  A miss is recorded as a field error:
    the id came in the request body, so the answer is a 422 naming the field, not a 404."""
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        errors[field] = "不存在或无权查看"
    return obj


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise Invalid("invalid_reference", "引用的对象不存在或无权查看", errors)
