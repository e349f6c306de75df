"""`zhuanban backup` / `zhuanban restore`: a round trip into a fresh database checks out (row counts, audit
checksum, audit chain, attachments); a non-empty target and a tampered backup are refused before anything
is changed.  On the SQLite pass the database is copied with SQLite's backup API, on the PostgreSQL pass
(scripts/with-postgres.sh) with pg_dump/pg_restore, into a database created for the test.

The tests are transactional: pg_dump (another process) and the restore checks (another connection) see
only committed rows.
"""

from __future__ import annotations

import io
import json
import secrets
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from zhuanban.core import audit, backup, replica
from zhuanban.core.auditchain import file_sha256
from zhuanban.core.models import AuditEvent
from zhuanban.files import services as file_services
from zhuanban.files.models import Attachment

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PG = connection.vendor == "postgresql"
DB_PART = "database.dump" if PG else "database.sqlite3"


@pytest.fixture
def data(cast, settings, tmp_path):
    """The cast, with an uploaded establishment notice under a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return file_services.upload_attachment(cast.alice, cast.tf, SimpleUploadedFile("设立通知.pdf", PDF),
                                           kind="establishment")


@pytest.fixture
def target(tmp_path):
    """The URL of an empty database to restore into: a new database on the test's PostgreSQL cluster, or a
    SQLite file that does not exist yet."""
    if not PG:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restore_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    yield f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def make_backup(tmp_path: Path, name: str = "b1") -> Path:
    run("backup", "--out", str(tmp_path / "backups"), "--name", name)
    return tmp_path / "backups" / name


def tables_in(url: str) -> list[str]:
    return backup._existing_tables(backup.target_settings(url))


def test_backup_writes_the_dump_the_files_and_a_signed_manifest(data, tmp_path):
    folder = make_backup(tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == sorted([DB_PART, "media.tar.gz", "manifest.json"])
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["engine"] == ("postgresql" if PG else "sqlite")
    assert manifest["tables"]["files_attachment"] == 1
    assert manifest["tables"]["core_auditevent"] == AuditEvent.objects.count()
    assert (manifest["audit"]["events"], manifest["audit"]["checksum"]) == audit.checksum()
    assert manifest["media"] == {"files": 1, "bytes": len(PDF)}
    assert manifest["app"]["name"] == "zhuanban" and "core" in manifest["migrations"]
    assert manifest["parts"][DB_PART]["sha256"] == file_sha256(folder / DB_PART)
    assert manifest["signature"].startswith("dev:")
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_round_trip_into_a_fresh_database_checks_counts_checksum_chain_and_files(data, tmp_path, target):
    folder = make_backup(tmp_path)
    media = tmp_path / "restored-media"
    out = run("restore", str(folder), "--database-url", target, "--media-root", str(media))
    assert "签名与 SHA-256 校验通过" in out and "还原完成并核对一致" in out
    events, digest = audit.checksum()
    assert f"审计校验和 {digest}（{events} 条）" in out and f"审计链完整：已校验 {events} 条事件" in out
    assert "附件 1 个" in out
    restored = media / data.stored_name
    assert restored.read_bytes() == PDF
    # Independently of the command's own checks: the restored database holds the same rows.
    with backup.temporary_database(backup.target_settings(target)) as alias:
        assert backup.table_counts(alias) == backup.describe(connection.alias)["tables"]
        assert list(Attachment.objects.using(alias).values_list("stored_name", flat=True)) == [data.stored_name]
    assert not replica.is_configured(alias)


def test_audit_checksum_command_prints_the_digest_and_follows_new_events(data):
    events, digest = audit.checksum()
    assert run("audit", "checksum").strip() == f"{digest} {events}"
    audit.record(None, "org.unit_create", None, object_type="org.unit", object_id="0", object_repr="probe")
    later = run("audit", "checksum").split()
    assert later[1] == str(events + 1) and later[0] != digest


def test_a_non_empty_target_is_refused_unless_forced(data, tmp_path, target):
    folder = make_backup(tmp_path)
    stray = tmp_path / "m0"
    stray.mkdir()
    (stray / "stray.txt").write_text("x")
    with pytest.raises(CommandError, match="文件目录 .* 不是空的"):
        run("restore", str(folder), "--database-url", target, "--media-root", str(stray))
    assert tables_in(target) == []
    run("restore", str(folder), "--database-url", target, "--media-root", str(tmp_path / "m1"))
    with pytest.raises(CommandError, match="不是空的.*--force"):
        run("restore", str(folder), "--database-url", target, "--media-root", str(tmp_path / "m2"))
    assert not (tmp_path / "m2").exists()  # refused before anything was written
    out = run("restore", str(folder), "--database-url", target, "--media-root", str(stray), "--force")
    assert "还原完成并核对一致" in out and (stray / data.stored_name).read_bytes() == PDF


def test_a_tampered_archive_is_refused_before_anything_is_restored(data, tmp_path, target):
    folder = make_backup(tmp_path)
    tar = folder / "media.tar.gz"
    raw = bytearray(tar.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    tar.write_bytes(bytes(raw))
    with pytest.raises(CommandError, match="media.tar.gz 的 SHA-256 与清单不符"):
        run("restore", str(folder), "--database-url", target, "--media-root", str(tmp_path / "m"))
    with pytest.raises(CommandError, match="SHA-256 与清单不符"):
        run("restore", "--check", str(folder))
    assert tables_in(target) == [] and not (tmp_path / "m").exists()


def test_a_manifest_edited_to_match_a_tampered_part_fails_its_signature(data, tmp_path, target):
    folder = make_backup(tmp_path)
    dump = folder / DB_PART
    dump.write_bytes(dump.read_bytes() + b"\0")
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["parts"][DB_PART] = {"sha256": file_sha256(dump), "bytes": dump.stat().st_size}
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError, match="清单签名不符"):
        run("restore", str(folder), "--database-url", target, "--media-root", str(tmp_path / "m"))
    assert tables_in(target) == []


def test_keep_prunes_old_backups(data, tmp_path):
    out = tmp_path / "backups"
    for name in ("zhuanban-20260101T000000Z", "zhuanban-20260102T000000Z"):
        make_backup(tmp_path, name)
    run("backup", "--out", str(out), "--name", "zhuanban-20260103T000000Z", "--keep", "2")
    assert sorted(p.name for p in out.iterdir()) == ["zhuanban-20260102T000000Z", "zhuanban-20260103T000000Z"]
