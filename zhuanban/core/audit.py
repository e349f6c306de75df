"""Writing the audit trail.  Services call :func:`record` inside their transaction, so an action and its
audit event commit together or not at all: a failed audit write fails the action.

The trail is a hash chain (see ``AuditEvent``).  Appending reads the last event's hash, so appends are
serialised: on PostgreSQL by a transaction-level advisory lock held until the action commits, on SQLite
by its single writer (the project opens write transactions IMMEDIATE).  When ``ZHUANBAN_AUDIT_SYSLOG``
is set, each event is also sent to syslog once its transaction has committed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import logging
import logging.handlers
import socket
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from . import crypto
from .context import current_channel, current_ip, forget
from .models import AuditArchive, AuditEvent

# pg_advisory_xact_lock key for the audit chain ("zb-audit" as a number).
AUDIT_LOCK_ID = 0x7A622D6175646974
HASH_PURPOSE = "audit-chain"
# The fields a chain hash covers, in a fixed order (their canonical JSON is what is signed).
CHAINED_FIELDS = ("at", "actor_id", "actor_name", "ip", "channel", "action", "object_type", "object_id",
                  "object_repr", "taskforce_id", "before", "after", "note", "outcome")

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
    "org.pii_view": "查看完整个人信息",
    "audit.export": "导出审计记录",
    "audit.archive": "归档审计记录",
    "security.role_grant": "授予管理角色",
    "security.role_revoke": "撤销管理角色",
    "crypto.rotate": "更换加密密钥",
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
    obj: models.Model | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    taskforce_id: int | None = None,
    note: str = "",
    outcome: str = AuditEvent.Outcome.SUCCESS,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    actor_name: str = "",
) -> AuditEvent:
    """Append one event to the trail, chained to the previous one.

    ``obj`` is the object acted on; pass ``None`` with ``object_type``/``object_id``/``object_repr`` for
    events about no row (a failed login for an unknown name, an export).  ``outcome`` is ``"success"``
    or ``"failure"``; ``actor_name`` names an actor who has no account (the login name tried).
    """
    if outcome not in AuditEvent.Outcome.values:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    forget()  # a state change: what this request memoised (who sees what) may no longer hold
    user = actor if getattr(actor, "pk", None) else None
    fields: dict[str, Any] = {
        "at": timezone.now(),
        "actor_id": user.pk if user else None,
        "actor_name": (user.get_username() if user else (actor_name or "system"))[:150],
        "ip": _normalise_ip(current_ip.get()),
        "channel": current_channel.get(),
        "action": action,
        "object_type": obj._meta.label_lower if obj is not None else object_type,
        "object_id": str(obj.pk) if obj is not None else object_id,
        "object_repr": (str(obj) if obj is not None else object_repr)[:200],
        "taskforce_id": taskforce_id,
        "before": before,
        "after": after,
        "note": note,
        "outcome": outcome,
    }
    with transaction.atomic():
        _lock_chain()
        fields["prev_hash"] = last_hash()
        fields["hash"] = chain_hash(fields["prev_hash"], fields)
        event = AuditEvent.objects.create(**fields)
    if settings.AUDIT["SYSLOG"]:
        transaction.on_commit(lambda: ship(event))
    return event


def _normalise_ip(ip: str | None) -> str | None:
    # Stored the way the database gives it back (IPv6 compressed), so the hash verifies after a read.
    if ip and ":" in ip:
        from django.utils.ipv6 import clean_ipv6_address

        try:
            return clean_ipv6_address(ip)
        except Exception:  # noqa: BLE001 - not an address: keep none rather than fail the action
            return None
    return ip or None


# ---- the chain ---------------------------------------------------------------------------------------


def _lock_chain() -> None:
    """Serialise appends until the surrounding transaction ends (PostgreSQL; SQLite has one writer)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK_ID])


def last_hash() -> str:
    """The hash the next event chains to: the newest event's, else the newest archive's, else ""."""
    latest = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    if latest is not None:
        return latest
    return AuditArchive.objects.order_by("-last_event_id").values_list("last_hash", flat=True).first() or ""


def _utc(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(fields: dict[str, Any]) -> bytes:
    """The bytes a chain hash signs: the chained fields as sorted, compact JSON (time in UTC)."""
    data = {name: fields.get(name) for name in CHAINED_FIELDS}
    data["at"] = _utc(data["at"])
    if data["actor_id"] is not None:
        data["actor_id"] = int(data["actor_id"])
    if data["taskforce_id"] is not None:
        data["taskforce_id"] = int(data["taskforce_id"])
    if data["ip"] is not None:
        data["ip"] = str(data["ip"])
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str).encode("utf-8")


def chain_hash(prev_hash: str, fields: dict[str, Any], *, key_id: str | None = None) -> str:
    """``"<key id>:<hex>"`` = HMAC(audit key, prev_hash + canonical JSON of the event)."""
    provider = crypto.get_provider()
    return provider.mac(prev_hash.encode("utf-8") + b"\n" + canonical(fields), purpose=HASH_PURPOSE,
                        key_id=key_id)


def event_fields(event: AuditEvent | dict[str, Any]) -> dict[str, Any]:
    if isinstance(event, dict):
        return event
    return {name: getattr(event, name) for name in (*CHAINED_FIELDS, "id", "prev_hash", "hash")}


def check_event(fields: dict[str, Any], expected_prev: str) -> str | None:
    """Why this event breaks the chain, or ``None`` if it is intact."""
    if fields.get("prev_hash", "") != expected_prev:
        return "prev_hash does not match the previous event (an event was removed, inserted or reordered)"
    provider = crypto.get_provider()
    token = fields.get("hash") or ""
    if not provider.verify_mac(fields["prev_hash"].encode("utf-8") + b"\n" + canonical(fields), token,
                               purpose=HASH_PURPOSE):
        kid = token.partition(":")[0]
        if kid and kid not in provider.key_ids():
            return f"hash was made with key {kid!r}, which this deployment does not have"
        return "hash does not match the event's contents (the event was altered)"
    return None


def checksum() -> tuple[int, str]:
    """``(count, "sha256:<hex>")`` over the events in the database, in chain order: each event's id, its
    canonical chained fields, ``prev_hash`` and ``hash``.  Independent of the database engine, so a
    backup's manifest and the database restored from it must give the same value
    (``zhuanban audit checksum``; zhuanban.core.backup)."""
    digest = hashlib.sha256()
    count = 0
    for row in AuditEvent.objects.order_by("id").values(*CHAINED_FIELDS, "id", "prev_hash", "hash").iterator(
            chunk_size=2000):
        digest.update(f"{row['id']}\n{row['prev_hash']}\n{row['hash']}\n".encode())
        digest.update(canonical(row) + b"\n")
        count += 1
    return count, "sha256:" + digest.hexdigest()


# ---- syslog ------------------------------------------------------------------------------------------

_syslog_logger: logging.Logger | None = None
_syslog_target: str = ""


def _syslog() -> logging.Logger:
    global _syslog_logger, _syslog_target
    target = settings.AUDIT["SYSLOG"]
    if _syslog_logger is None or target != _syslog_target:
        logger = logging.getLogger("zhuanban.audit.syslog")
        logger.propagate = False
        logger.setLevel(logging.INFO)
        for h in list(logger.handlers):
            logger.removeHandler(h)
            h.close()
        if target.startswith("/"):
            address: Any = target
        else:
            host, _, port = target.rpartition(":")
            address = (host or "localhost", int(port or 514))
        handler = logging.handlers.SysLogHandler(
            address=address, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV,
            socktype=socket.SOCK_DGRAM,
        )
        handler.setFormatter(logging.Formatter("zhuanban-audit: %(message)s"))
        logger.addHandler(handler)
        _syslog_logger, _syslog_target = logger, target
    return _syslog_logger


def ship(event: AuditEvent) -> None:
    """Send one committed event to syslog as a JSON line.  Never raises: the action has committed."""
    try:
        data = {k: v for k, v in json.loads(canonical(event_fields(event))).items()}
        data.update(id=event.pk, hash=event.hash)
        _syslog().info(json.dumps(data, ensure_ascii=False, sort_keys=True))
    except Exception:  # noqa: BLE001 - a syslog outage must not break the application
        logging.getLogger("zhuanban.audit").exception("could not ship audit event %s to syslog", event.pk)
