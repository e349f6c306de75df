"""Verifying and archiving the audit chain (``zhuanban audit verify`` / ``zhuanban audit archive``).

An archive file is JSON lines: a header (``first_prev_hash``, range, count), one line per event with
every chained field plus ``id``, ``prev_hash`` and ``hash``, and a footer with ``last_hash``.  Events are
deleted from the database only after the file is written and synced, in one transaction that also
records an :class:`AuditArchive` row (the anchors) and an ``audit.archive`` event.  On PostgreSQL the
append-only trigger lets that DELETE through only inside the archive transaction (a transaction-local
``zhuanban.audit_archive`` setting) and only for rows inside a recorded archive's id range.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import audit
from .models import AuditArchive, AuditEvent

FORMAT = "zhuanban-audit-archive"


@dataclass
class Result:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""

    def message(self) -> str:
        if self.ok:
            return f"审计链完整：已校验 {self.checked} 条事件"
        return f"审计链断裂：事件 #{self.broken_id}：{self.reason}（此前 {self.checked} 条完整）"


def _archive_anchor() -> tuple[str, str | None]:
    """Where the chain in the database starts, and a problem with the archives' own chain if any."""
    expected = ""
    for a in AuditArchive.objects.order_by("last_event_id"):
        if a.first_prev_hash != expected:
            return a.last_hash, f"archive {a.pk} does not continue the previous archive"
        expected = a.last_hash
    return expected, None


def verify_db() -> Result:
    expected, problem = _archive_anchor()
    if problem:
        return Result(False, 0, None, problem)
    checked = 0
    fields = (*audit.CHAINED_FIELDS, "id", "prev_hash", "hash")
    for row in AuditEvent.objects.order_by("id").values(*fields).iterator(chunk_size=2000):
        reason = audit.check_event(row, expected)
        if reason:
            return Result(False, checked, row["id"], reason)
        expected = row["hash"]
        checked += 1
    return Result(True, checked)


def _jsonable_row(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["at"] = audit._utc(row["at"])
    if out.get("ip") is not None:
        out["ip"] = str(out["ip"])
    return out


def verify_file(path: str | Path) -> Result:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    if not lines:
        return Result(False, 0, None, "empty file")
    try:
        header = json.loads(lines[0])
        footer = json.loads(lines[-1])
    except json.JSONDecodeError:
        return Result(False, 0, None, "header or footer is not JSON")
    if header.get("format") != FORMAT or footer.get("type") != "end":
        return Result(False, 0, None, "not an audit archive (header/footer missing)")
    expected = header.get("first_prev_hash", "")
    checked = 0
    for line in lines[1:-1]:
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            return Result(False, checked, None, f"line {checked + 2} is not JSON")
        reason = audit.check_event(row, expected)
        if reason:
            return Result(False, checked, row.get("id"), reason)
        expected = row["hash"]
        checked += 1
    if checked != header.get("count") or expected != footer.get("last_hash"):
        return Result(False, checked, None, "count or last hash differs from the header/footer (truncated?)")
    return Result(True, checked)


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class ArchiveRefused(Exception):
    pass


def archive(before: dt.datetime, out: str | Path, *, actor: Any = None, now: dt.datetime | None = None
            ) -> AuditArchive | None:
    """Move the events older than ``before`` (a contiguous prefix of the chain) to ``out``."""
    now = now or timezone.now()
    retention = settings.AUDIT["RETENTION_DAYS"]
    if before > now - dt.timedelta(days=retention):
        raise ArchiveRefused(f"审计记录至少保留 {retention} 天：只能归档 "
                             f"{(now - dt.timedelta(days=retention)).date()} 之前的事件")
    out = Path(out)
    if out.exists():
        raise ArchiveRefused(f"{out} 已存在，不覆盖")
    check = verify_db()
    if not check.ok:
        raise ArchiveRefused("归档前校验失败，请先处理：" + check.message())
    anchor, _ = _archive_anchor()
    fields = (*audit.CHAINED_FIELDS, "id", "prev_hash", "hash")
    rows: list[dict[str, Any]] = []
    # The prefix by id whose events are all older than ``before``: the archive is one piece of the chain.
    for row in AuditEvent.objects.order_by("id").values(*fields).iterator(chunk_size=2000):
        if row["at"] >= before:
            break
        rows.append(row)
    if not rows:
        return None
    header = {"format": FORMAT, "version": 1, "first_prev_hash": anchor, "first_id": rows[0]["id"],
              "last_id": rows[-1]["id"], "count": len(rows), "first_at": audit._utc(rows[0]["at"]),
              "last_at": audit._utc(rows[-1]["at"]), "before": before.isoformat(),
              "crypto": getattr(settings, "CRYPTO", {}).get("SUITE", "")}
    footer = {"type": "end", "last_hash": rows[-1]["hash"]}
    tmp = out.with_name(out.name + ".part")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(header, ensure_ascii=False, sort_keys=True) + "\n")
        for row in rows:
            fh.write(json.dumps(_jsonable_row(row), ensure_ascii=False, sort_keys=True) + "\n")
        fh.write(json.dumps(footer, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, out)
    if not verify_file(out).ok:  # read back what was written before anything is deleted
        raise ArchiveRefused(f"归档文件 {out} 回读校验失败，数据库未改动")
    digest = file_sha256(out)
    with transaction.atomic():
        audit._lock_chain()
        if AuditEvent.objects.order_by("id").values_list("id", flat=True).first() != rows[0]["id"]:
            raise ArchiveRefused("归档期间审计链起点发生变化，请重试")
        arch = AuditArchive.objects.create(
            first_event_id=rows[0]["id"], last_event_id=rows[-1]["id"], first_at=rows[0]["at"],
            last_at=rows[-1]["at"], count=len(rows), first_prev_hash=anchor, last_hash=rows[-1]["hash"],
            file_name=str(out.resolve()), file_sha256=digest,
            created_by=actor.get_username() if getattr(actor, "pk", None) else "system",
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('zhuanban.audit_archive', 'on', true)")
            cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id BETWEEN %s AND %s",
                           [rows[0]["id"], rows[-1]["id"]])
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('zhuanban.audit_archive', '', true)")
        audit.record(actor, "audit.archive", arch, after={
            "first_id": arch.first_event_id, "last_id": arch.last_event_id, "count": arch.count,
            "file": arch.file_name, "sha256": digest, "last_hash": arch.last_hash})
    return arch
