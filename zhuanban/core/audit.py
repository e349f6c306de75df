"""Writing the audit trail.  Services call :func:`record` inside their transaction, so an action and its
audit event commit together or not at all."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from .context import current_channel, current_ip
from .models import AuditEvent  # noqa: F401

ACTION_LABELS: dict[str, str] = {
    "taskforce.create": "创建专班",
    "taskforce.update": "修改专班",
    "taskforce.activate": "启动运行",
    "taskforce.suspend": "暂停",
    "taskforce.resume": "恢复运行",
    "taskforce.dissolve": "解散",
    "taskforce.restart": "重启",
    "taskforce.merge": "并入其他专班",
    "taskforce.merge_in": "接收并入",
    "taskforce.group_add": "新增专题组",
    "taskforce.target_add": "新增量化目标",
    "taskforce.demand_add": "新增需求清单项",
    "taskforce.demand_update": "更新需求清单项",
    "membership.unit_add": "加入成员单位",
    "membership.unit_exit": "成员单位退出",
    "membership.join": "人员加入",
    "membership.replace": "人员替换",
    "membership.exit": "人员退出",
    "membership.handover": "联络员交接",
    "org.unit_create": "新增单位",
    "org.person_create": "新增人员",
    "org.import": "导入组织名录",
    "auth.token_create": "签发 API 令牌",
}


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """A JSON-safe picture of ``fields`` of ``obj`` for before/after."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        out[name] = _jsonable(value)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    taskforce_id: int | None = None,
    note: str = "",
) -> AuditEvent:
    user = actor if getattr(actor, "pk", None) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_name=(user.get_username() if user else "system"),
        ip=current_ip.get(),
        channel=current_channel.get(),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        taskforce_id=taskforce_id,
        before=before,
        after=after,
        note=note,
    )
