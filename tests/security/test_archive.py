"""Archiving old audit events to a file keeps the chain verifiable, in the file and in the database."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from zhuanban.core import audit, auditchain
from zhuanban.core.models import AuditArchive, AuditEvent

LATER = timezone.now() + dt.timedelta(days=400)  # "now" for the archive: today's events are old by then


def test_archiving_inside_the_retention_period_is_refused(cast, tmp_path):
    with pytest.raises(CommandError, match="至少保留 180 天"):
        call_command("audit", "archive", "--before", timezone.localdate().isoformat(),
                     "--out", str(tmp_path / "a.jsonl"))
    assert not (tmp_path / "a.jsonl").exists()


def test_archive_moves_old_events_to_a_file_and_the_chain_still_verifies(cast, tmp_path):
    total = AuditEvent.objects.count()
    last = AuditEvent.objects.order_by("-id").first()
    out = tmp_path / "audit-2026.jsonl"
    arch = auditchain.archive(timezone.now() + dt.timedelta(seconds=1), out, now=LATER)
    assert arch.count == total and arch.last_hash == last.hash and arch.first_prev_hash == ""
    assert arch.file_sha256 == auditchain.file_sha256(out)
    # Only the archive's own event is left, chained to the archive's last hash.
    remaining = list(AuditEvent.objects.all())
    assert [e.action for e in remaining] == ["audit.archive"]
    assert remaining[0].prev_hash == arch.last_hash
    assert auditchain.verify_db().ok
    assert auditchain.verify_file(out).ok
    lines = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["count"] == total and len(lines) == total + 2
    # New events keep chaining; verify (command) passes from the anchor.
    audit.record(cast.alice, "taskforce.update", cast.tf)
    buf = io.StringIO()
    call_command("audit", "verify", stdout=buf)
    assert "完整" in buf.getvalue()
    buf = io.StringIO()
    call_command("audit", "verify", "--archive", str(out), stdout=buf)
    assert f"已校验 {total} 条" in buf.getvalue()


def test_a_second_archive_continues_the_first(cast, tmp_path):
    first = auditchain.archive(timezone.now() + dt.timedelta(seconds=1), tmp_path / "1.jsonl", now=LATER)
    audit.record(cast.alice, "taskforce.update", cast.tf)
    second = auditchain.archive(timezone.now() + dt.timedelta(seconds=1), tmp_path / "2.jsonl", now=LATER)
    assert second.first_prev_hash == first.last_hash
    assert AuditArchive.objects.count() == 2
    assert auditchain.verify_db().ok and auditchain.verify_file(tmp_path / "2.jsonl").ok


def test_a_tampered_or_truncated_archive_file_fails_verification(cast, tmp_path):
    out = tmp_path / "a.jsonl"
    auditchain.archive(timezone.now() + dt.timedelta(seconds=1), out, now=LATER)
    lines = out.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[3])
    row["actor_name"] = "mallory"
    tampered = tmp_path / "t.jsonl"
    tampered.write_text("\n".join([*lines[:3], json.dumps(row, ensure_ascii=False), *lines[4:]]) + "\n")
    result = auditchain.verify_file(tampered)
    assert not result.ok and result.broken_id == row["id"]
    truncated = tmp_path / "c.jsonl"
    truncated.write_text("\n".join([*lines[:-2], lines[-1]]) + "\n")
    assert not auditchain.verify_file(truncated).ok
    with pytest.raises(SystemExit):
        call_command("audit", "verify", "--archive", str(tampered), stderr=io.StringIO())


def test_archive_refuses_to_overwrite_a_file_or_to_archive_a_broken_chain(cast, tmp_path):
    existing = tmp_path / "x.jsonl"
    existing.write_text("keep")
    with pytest.raises(auditchain.ArchiveRefused):
        auditchain.archive(timezone.now(), existing, now=LATER)
    from tests.security.conftest import trigger_disabled

    victim = AuditEvent.objects.order_by("id")[1]
    with trigger_disabled() as cursor:
        cursor.execute("UPDATE core_auditevent SET note = 'x' WHERE id = %s", [victim.pk])
    with pytest.raises(auditchain.ArchiveRefused, match="校验失败"):
        auditchain.archive(timezone.now(), tmp_path / "y.jsonl", now=LATER)
    assert AuditEvent.objects.filter(pk=victim.pk).exists()
