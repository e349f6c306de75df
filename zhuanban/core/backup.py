"""Backup and restore (``zhuanban backup`` / ``zhuanban restore``; docs/backup.md).

A backup is one folder::

    zhuanban-20260105T180000Z/
      database.dump      pg_dump -Fc of the database (PostgreSQL), or
      database.sqlite3   a copy made with SQLite's online backup API
      media.tar.gz       the uploaded files (MEDIA_ROOT)
      manifest.json      time, app version, migrations, row count of every table, audit-trail checksum,
                         SHA-256 and size of each part; signed with the deployment's key (HMAC)

The manifest describes exactly what the dump holds: on PostgreSQL the counts and the checksum are read in
the snapshot pg_dump itself uses (``pg_export_snapshot()`` and ``pg_dump --snapshot``), on SQLite from the
copy.  The folder is written as ``<name>.partial`` and renamed only once complete.

Restoring refuses before anything is changed when the manifest's signature or a part's SHA-256 is wrong,
when the target database is not empty or the target files folder is not empty (``force`` overrides the
last two).  It then checks the restored database against the manifest: the row count of every table, the
audit checksum (:func:`zhuanban.core.audit.checksum`), the audit chain
(:func:`zhuanban.core.auditchain.verify_db`) and every attachment's file and SHA-256.  The checks run on
a temporary connection to the restored database through :func:`zhuanban.core.replica.reading_from`, i.e.
with the same code that checks the live database.
"""

from __future__ import annotations

import copy
import datetime as dt
import glob
import itertools
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess  # nosec B404
import tarfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import dj_database_url
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.utils import load_backend
from django.utils import timezone

from . import audit, auditchain, crypto
from .auditchain import file_sha256
from .replica import reading_from

FORMAT = "zhuanban-backup"
FORMAT_VERSION = 1
PG_PART = "database.dump"
SQLITE_PART = "database.sqlite3"
MEDIA_PART = "media.tar.gz"
MANIFEST = "manifest.json"
NAME_PREFIX = "zhuanban-"
SIGN_PURPOSE = "backup-manifest"
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why (and what to do)."""


def _quiet(_msg: str) -> None:
    pass


# ---- PostgreSQL client tools -------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """The path of ``pg_dump``/``pg_restore``: ``ZHUANBAN_PG_BIN``, else the newest
    ``/usr/lib/postgresql/*/bin`` (Debian; a newer pg_dump reads older servers, not the reverse), else PATH."""
    configured = getattr(settings, "PG_BIN", "")
    if configured:
        path = Path(configured) / name
        if os.access(path, os.X_OK):
            return str(path)
        raise BackupError(f"ZHUANBAN_PG_BIN={configured} 中没有可执行的 {name}")

    def major(folder: str) -> int:
        try:
            return int(Path(folder).parent.name)
        except ValueError:
            return 0

    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=major, reverse=True):
        if os.access(Path(folder) / name, os.X_OK):
            return str(Path(folder) / name)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端（Debian: postgresql-client），或设置 ZHUANBAN_PG_BIN")


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    """libpq environment for a Django database settings dict (the password never appears in argv)."""
    # Where to connect comes from the settings only; other libpq variables (PGSSLROOTCERT, …) pass through.
    env = {k: v for k, v in os.environ.items() if k not in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD",
                                                             "PGDATABASE", "PGSERVICE")}
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
                     ("PGDATABASE", "NAME")):
        if db.get(key):
            env[var] = str(db[key])
    options = db.get("OPTIONS") or {}
    for var, key in (("PGSSLMODE", "sslmode"), ("PGSSLROOTCERT", "sslrootcert"), ("PGSSLCERT", "sslcert"),
                     ("PGSSLKEY", "sslkey"), ("PGSERVICE", "service"), ("PGPASSFILE", "passfile")):
        if options.get(key):
            env[var] = str(options[key])
    return env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    # pg_dump/pg_restore with an argument list and no shell; the password goes through the environment.
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # nosec B603
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip()[-2000:]
        raise BackupError(f"{Path(cmd[0]).name} 失败（退出码 {proc.returncode}）：{detail}")


# ---- temporary connections ---------------------------------------------------------------------------

_alias_numbers = itertools.count(1)


@contextmanager
def temporary_database(db: dict[str, Any]) -> Iterator[str]:
    """A database alias for ``db`` (a Django settings dict), in this thread, for the length of the block.

    The connection is made at run time and never enters ``DATABASES``: nothing else (migrate, the test
    runner, other threads) ever sees it."""
    alias = f"zhuanban_backup_{os.getpid()}_{next(_alias_numbers)}"
    conf = connections.configure_settings({DEFAULT_DB_ALIAS: {}, alias: copy.deepcopy(db)})[alias]
    conf["CONN_MAX_AGE"] = 0
    wrapper = load_backend(conf["ENGINE"]).DatabaseWrapper(conf, alias)
    connections[alias] = wrapper
    try:
        yield alias
    finally:
        try:
            wrapper.close()
        finally:
            del connections[alias]


def _sqlite_uri(path: Path, *, read_only: bool) -> str:
    return "file:" + quote(str(path.resolve())) + ("?mode=ro" if read_only else "")


def _sqlite_settings(path: Path, *, read_only: bool) -> dict[str, Any]:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": _sqlite_uri(path, read_only=read_only)}


def engine_of(db: dict[str, Any]) -> str:
    engine = db.get("ENGINE", "")
    if "postgresql" in engine or "postgis" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    return engine or "unknown"


# ---- what a database holds -----------------------------------------------------------------------------


def table_counts(alias: str) -> dict[str, int]:
    """Row count of every table the connection sees (Django's and the app's, not the catalog's)."""
    conn = connections[alias]
    counts: dict[str, int] = {}
    with conn.cursor() as cursor:
        for name in sorted(conn.introspection.table_names(cursor)):
            # A table name from the catalog, quoted by the backend.
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(name)}")  # nosec B608
            counts[name] = int(cursor.fetchone()[0])
    return counts


def _migrations(alias: str, tables: dict[str, int]) -> dict[str, str]:
    if "django_migrations" not in tables:
        return {}
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        latest: dict[str, str] = {}
        for app, name in cursor.fetchall():
            latest[app] = name
    return dict(sorted(latest.items()))


def describe(alias: str) -> dict[str, Any]:
    """Tables with row counts, latest migration per app and the audit checksum of database ``alias``."""
    tables = table_counts(alias)
    events, digest = (0, "")
    if "core_auditevent" in tables:
        with reading_from(alias):
            events, digest = audit.checksum()
    return {"tables": tables, "migrations": _migrations(alias, tables),
            "audit": {"events": events, "checksum": digest}}


# ---- backup --------------------------------------------------------------------------------------------


@dataclass
class Backup:
    path: Path
    manifest: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)


def _app_version() -> str:
    try:
        from importlib.metadata import version

        return version("zhuanban")
    except Exception:  # noqa: BLE001 - not installed as a package (a source checkout)
        return "unknown"


def _canonical(manifest: dict[str, Any]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _dump_postgresql(alias: str, out: Path) -> dict[str, Any]:
    live = connections[alias].settings_dict
    from psycopg import IsolationLevel

    db = copy.deepcopy(live)
    db["OPTIONS"] = {k: v for k, v in (db.get("OPTIONS") or {}).items() if k != "pool"}
    db["OPTIONS"]["isolation_level"] = IsolationLevel.REPEATABLE_READ
    with temporary_database(db) as snap, transaction.atomic(using=snap):
        with connections[snap].cursor() as cursor:
            cursor.execute("SET TRANSACTION READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
        # pg_dump reads the very snapshot the counts and the checksum below are read in.
        _run([pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", "--no-password",
              f"--file={out}"], _pg_env(live))
        info = describe(snap)
    return {"engine": "postgresql", "name": live.get("NAME", ""), "host": str(live.get("HOST") or ""),
            "port": str(live.get("PORT") or ""), "server_version": server_version, **info}


def _dump_sqlite(alias: str, out: Path) -> dict[str, Any]:
    conn = connections[alias]
    conn.ensure_connection()
    target = sqlite3.connect(out)
    try:
        with conn.wrap_database_errors:
            conn.connection.backup(target)  # a consistent copy, even while others write
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        target.close()
    with temporary_database(_sqlite_settings(out, read_only=True)) as copy_alias:
        info = describe(copy_alias)
    return {"engine": "sqlite", "name": str(conn.settings_dict.get("NAME", "")),
            "server_version": sqlite3.sqlite_version, **info}


def _tar_media(root: Path, out: Path) -> dict[str, Any]:
    files = size = 0
    with tarfile.open(out, "w:gz", compresslevel=1) as tar:  # uploads are PDFs/images: little to gain
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_symlink() or not path.is_file():
                    continue
                tar.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
                files += 1
                size += path.stat().st_size
    return {"root": str(root), "files": files, "bytes": size}


def backup(out_dir: str | Path, *, using: str = DEFAULT_DB_ALIAS, media_root: str | Path | None = None,
           name: str | None = None, say: Say = _quiet) -> Backup:
    """Write a backup folder under ``out_dir`` and return it (with its manifest)."""
    now = timezone.now().astimezone(dt.UTC)
    name = name or f"{NAME_PREFIX}{now:%Y%m%dT%H%M%SZ}"
    if not SAFE_NAME.match(name):
        raise BackupError(f"备份名 {name!r} 只能由字母、数字和 . _ - 组成")
    out_dir = Path(out_dir)
    final = out_dir / name
    if final.exists():
        raise BackupError(f"{final} 已存在，不覆盖")
    work = out_dir / f"{name}.partial"
    if work.exists():
        shutil.rmtree(work)  # left by an interrupted run
    work.mkdir(parents=True)
    os.chmod(work, 0o700)  # the dump holds every row, personal data included (encrypted, but still)
    seconds: dict[str, float] = {}
    try:
        start = time.monotonic()
        vendor = connections[using].vendor
        if vendor == "postgresql":
            db_part = work / PG_PART
            database = _dump_postgresql(using, db_part)
        elif vendor == "sqlite":
            db_part = work / SQLITE_PART
            database = _dump_sqlite(using, db_part)
        else:
            raise BackupError(f"不支持的数据库：{vendor}")
        seconds["database"] = time.monotonic() - start
        say(f"数据库（{database['engine']}）：{len(database['tables'])} 张表，"
            f"{sum(database['tables'].values())} 行，审计事件 {database['audit']['events']} 条，"
            f"{seconds['database']:.1f} 秒")
        start = time.monotonic()
        media = _tar_media(Path(media_root or settings.MEDIA_ROOT), work / MEDIA_PART)
        seconds["media"] = time.monotonic() - start
        say(f"上传文件：{media['files']} 个，{media['bytes']} 字节，{seconds['media']:.1f} 秒")
        provider = crypto.get_provider()
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "name": name,
            "created_at": now.isoformat(timespec="seconds"),
            "host": socket.gethostname(),
            "app": {"name": "zhuanban", "version": _app_version()},
            "database": {k: v for k, v in database.items() if k not in ("tables", "migrations", "audit")},
            "migrations": database["migrations"],
            "tables": database["tables"],
            "audit": database["audit"],
            "media": {"files": media["files"], "bytes": media["bytes"]},
            "crypto": {"suite": getattr(settings, "CRYPTO", {}).get("SUITE", ""),
                       "key_ids": provider.key_ids()},
            "parts": {p.name: {"sha256": file_sha256(p), "bytes": p.stat().st_size}
                      for p in (db_part, work / MEDIA_PART)},
        }
        manifest["signature"] = provider.mac(_canonical(manifest), purpose=SIGN_PURPOSE)
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                     encoding="utf-8")
        for part in (db_part, work / MEDIA_PART, work / MANIFEST):
            _fsync(part)
        os.rename(work, final)
        _fsync(out_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Backup(final, manifest, seconds)


def prune(out_dir: str | Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest complete backups in ``out_dir``; return what was deleted."""
    if keep < 1:
        raise BackupError("--keep 至少为 1")
    out_dir = Path(out_dir)
    found = sorted(p for p in out_dir.glob(f"{NAME_PREFIX}*")
                   if p.is_dir() and not p.name.endswith(".partial") and (p / MANIFEST).is_file())
    doomed = found[:-keep]
    for path in doomed:
        shutil.rmtree(path)
    return doomed


# ---- checking a backup ---------------------------------------------------------------------------------


def check_backup(folder: str | Path) -> dict[str, Any]:
    """The manifest of backup ``folder`` once its signature and the SHA-256 of every part check out."""
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} 不是备份目录：没有 {MANIFEST}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} 不是有效的 JSON：{exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} 不是 Zhuanban 备份清单")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"备份格式版本 {manifest.get('format_version')} 不受支持（本程序为 {FORMAT_VERSION}）")
    provider = crypto.get_provider()
    signature = str(manifest.get("signature") or "")
    if not provider.verify_mac(_canonical(manifest), signature, purpose=SIGN_PURPOSE):
        kid = signature.partition(":")[0]
        if kid and kid not in provider.key_ids():
            raise BackupError(f"清单由密钥 {kid!r} 签名，本部署没有这把密钥（还原需要备份时的加密密钥）")
        raise BackupError("清单签名不符：清单在备份后被改动过，拒绝还原")
    parts = manifest.get("parts") or {}
    if set(parts) not in ({PG_PART, MEDIA_PART}, {SQLITE_PART, MEDIA_PART}):
        raise BackupError(f"清单列出的文件不完整：{sorted(parts)}")
    for part, meta in sorted(parts.items()):
        p = folder / part
        if not p.is_file():
            raise BackupError(f"备份缺少 {part}")
        if p.stat().st_size != meta["bytes"] or file_sha256(p) != meta["sha256"]:
            raise BackupError(f"{part} 的 SHA-256 与清单不符（文件损坏或被改动），拒绝还原")
    return manifest


# ---- restore -------------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    tables: int = 0
    rows: int = 0
    events: int = 0
    checksum: str = ""
    chain: str = ""
    files: int = 0
    attachments: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def target_settings(database_url: str | None) -> dict[str, Any]:
    if database_url:
        db = dj_database_url.parse(database_url)
    else:
        db = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    if engine_of(db) == "sqlite":
        name = str(db.get("NAME") or "")
        if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
            raise BackupError("SQLite 的还原目标须是一个文件路径（sqlite:////path/to/zhuanban.sqlite3）")
    return db


def _existing_tables(db: dict[str, Any]) -> list[str]:
    if engine_of(db) == "sqlite":
        path = Path(db["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return []
        with sqlite3.connect(_sqlite_uri(path, read_only=True), uri=True) as conn:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
        return [r[0] for r in rows]
    with temporary_database(db) as alias:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(
                    "SELECT n.nspname || '.' || c.relname FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
                    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                    "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%' "
                    "ORDER BY 1")
                return [r[0] for r in cursor.fetchall()]
        except Exception as exc:  # noqa: BLE001 - any connection failure: say which database
            raise BackupError(f"无法连接还原目标数据库 {db.get('NAME')!r}（需先建好空库：createdb）：{exc}") from None


def _wipe_postgresql(db: dict[str, Any]) -> None:
    with temporary_database(db) as alias, connections[alias].cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


def _restore_postgresql(dump: Path, db: dict[str, Any]) -> None:
    _run([pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          "--no-password", f"--dbname={db['NAME']}", str(dump)], _pg_env(db))


def _restore_sqlite(copy_file: Path, db: dict[str, Any]) -> None:
    path = Path(db["NAME"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".restoring")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(_sqlite_uri(copy_file, read_only=True), uri=True)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(tmp, path)


def _extract_media(archive: Path, dest: Path) -> tuple[int, int]:
    dest.mkdir(parents=True, exist_ok=True)
    files = size = 0
    with tarfile.open(archive, "r:gz") as tar:
        members = tar.getmembers()
        tar.extractall(dest, filter="data")  # no absolute paths, no "..", no links out, no devices
    for m in members:
        if m.isfile():
            files += 1
            size += m.size
    return files, size


def restore(folder: str | Path, *, database_url: str | None = None, media_root: str | Path | None = None,
            force: bool = False, say: Say = _quiet) -> RestoreReport:
    """Restore backup ``folder`` into an empty database and files folder, then check the result."""
    folder = Path(folder)
    start = time.monotonic()
    manifest = check_backup(folder)
    report = RestoreReport(manifest)
    report.seconds["check"] = time.monotonic() - start
    say(f"备份 {manifest['name']}（{manifest['created_at']}，版本 {manifest['app']['version']}）："
        f"签名与 SHA-256 校验通过")
    db = target_settings(database_url)
    engine = manifest["database"]["engine"]
    if engine_of(db) != engine:
        raise BackupError(f"备份来自 {engine}，目标数据库是 {engine_of(db)}：只能还原到同类数据库")
    media = Path(media_root or settings.MEDIA_ROOT)
    # Every refusal before anything changes.
    existing = _existing_tables(db)
    if existing and not force:
        raise BackupError(f"目标数据库 {db['NAME']} 不是空的（已有 {len(existing)} 个表/序列，如 "
                          f"{'、'.join(existing[:3])}）：请还原到新建的空数据库，或加 --force 清空后覆盖")
    if media.exists() and not media.is_dir():
        raise BackupError(f"{media} 不是目录")
    if media.is_dir() and any(media.iterdir()) and not force:
        raise BackupError(f"文件目录 {media} 不是空的：请还原到空目录，或加 --force 覆盖同名文件")

    start = time.monotonic()
    if engine == "postgresql":
        if existing:
            _wipe_postgresql(db)
        _restore_postgresql(folder / PG_PART, db)
    else:
        _restore_sqlite(folder / SQLITE_PART, db)
    report.seconds["database"] = time.monotonic() - start
    say(f"数据库已还原到 {db['NAME']}（{report.seconds['database']:.1f} 秒）")
    start = time.monotonic()
    report.files, size = _extract_media(folder / MEDIA_PART, media)
    report.seconds["media"] = time.monotonic() - start
    say(f"上传文件已还原到 {media}：{report.files} 个，{size} 字节（{report.seconds['media']:.1f} 秒）")

    start = time.monotonic()
    verify_restored(report, db, media)
    report.seconds["verify"] = time.monotonic() - start
    return report


def verify_restored(report: RestoreReport, db: dict[str, Any], media: Path) -> None:
    """Compare the restored database and files with the manifest; add what differs to ``report.problems``."""
    manifest = report.manifest
    if report.files != manifest["media"]["files"]:
        report.problems.append(f"上传文件：清单 {manifest['media']['files']} 个，还原 {report.files} 个")
    check_db = _sqlite_settings(Path(db["NAME"]), read_only=True) if engine_of(db) == "sqlite" else db
    with temporary_database(check_db) as alias:
        counts = table_counts(alias)
        for table, expected in sorted(manifest["tables"].items()):
            got = counts.get(table)
            if got != expected:
                report.problems.append(f"表 {table}：备份时 {expected} 行，还原后 "
                                       f"{'不存在' if got is None else f'{got} 行'}")
        report.tables = len(counts)
        report.rows = sum(counts.values())
        with reading_from(alias):
            report.events, report.checksum = audit.checksum()
            chain = auditchain.verify_db()
        report.chain = chain.message()
        if (report.events, report.checksum) != (manifest["audit"]["events"], manifest["audit"]["checksum"]):
            report.problems.append(f"审计校验和不符：备份时 {manifest['audit']['checksum']}"
                                   f"（{manifest['audit']['events']} 条），还原后 {report.checksum}"
                                   f"（{report.events} 条）")
        if not chain.ok:
            report.problems.append(chain.message())
        if engine_of(db) == "postgresql" and "core_auditevent" in counts:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname IN "
                               "('core_auditevent_append_only', 'core_auditarchive_append_only')")
                if cursor.fetchone()[0] != 2:
                    report.problems.append("审计表的只追加触发器（迁移 core/0004）没有还原")
        if "files_attachment" in counts:
            from zhuanban.files.models import Attachment

            root = media.resolve()
            for stored, digest in Attachment.objects.using(alias).values_list("stored_name", "sha256"):
                path = (root / stored).resolve()
                report.attachments += 1
                if root not in path.parents or not path.is_file():
                    report.problems.append(f"附件文件缺失：{stored}")
                elif file_sha256(path) != digest:
                    report.problems.append(f"附件文件 SHA-256 不符：{stored}")
