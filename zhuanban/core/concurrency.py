"""Optimistic concurrency: a write names the version it was based on; if someone saved in between, it is
refused with 409 instead of silently overwriting their work."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from .errors import Conflict
from .models import VersionedModel


def save_versioned(obj: VersionedModel, expected_version: int | None, fields: list[str]) -> None:
    """Write ``fields`` of ``obj`` only if the row still has ``expected_version``; bump the version.

    The check and the write are one conditional ``UPDATE``, so two concurrent writers cannot both win,
    on SQLite and PostgreSQL alike.
    """
    version = obj.version if expected_version is None else expected_version
    values: dict[str, Any] = {name: getattr(obj, name) for name in fields}
    values["updated_at"] = obj.updated_at = timezone.now()
    model = type(obj)
    updated = model._default_manager.filter(pk=obj.pk, version=version).update(
        version=F("version") + 1, **values
    )
    if updated != 1:
        current = model._default_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise Conflict(
            "stale_version",
            "该记录已被他人修改，请刷新后重试（您的修改未保存）",
            extra={"current_version": current, "your_version": version},
        )
    obj.version = version + 1
