"""The three drills of docs/backup.md run end to end on throwaway loopback PostgreSQL clusters (as the
postgres account when the tests run as root), each well within a minute: backup and restore into a fresh
database, a streaming hot standby with WAL archiving, and point-in-time recovery to a chosen moment.

They start their own clusters and their own `zhuanban` processes, so they need no test database; they are
skipped only where the PostgreSQL server binaries are missing (`make test` installs them).
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The drills take 20-35 s on an idle 2-core machine; the budget leaves room for a test run sharing it.
BUDGET_SECONDS = float(os.environ.get("ZHUANBAN_DRILL_BUDGET_SECONDS", "180"))

pytestmark = [
    pytest.mark.skipif(
        not glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        reason="PostgreSQL server binaries not found (Debian package postgresql; `make test` installs it)",
    ),
    # They bring their own clusters, so one pass of `make test` is enough: the SQLite pass (tests/conftest.py).
    pytest.mark.once,
]


def drill(name: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHUANBAN_", "DJANGO_"))}
    env["ZHUANBAN_BIN"] = str(ROOT / ".venv" / "bin" / "zhuanban")
    start = time.monotonic()
    proc = subprocess.run([str(ROOT / "scripts" / "ops" / name)], env=env, capture_output=True, text=True,
                          timeout=3 * BUDGET_SECONDS, check=False)
    took = time.monotonic() - start
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{name} failed after {took:.0f} s:\n{output[-6000:]}"
    assert took < BUDGET_SECONDS, f"{name} took {took:.0f} s (budget {BUDGET_SECONDS} s):\n{output[-3000:]}"
    return output


def test_backup_drill_restores_into_a_fresh_database_and_everything_matches():
    out = drill("backup-drill.sh")
    assert "签名与 SHA-256 校验通过" in out and "还原完成并核对一致" in out
    # The demo's uploads (the establishment notice, a site-verification photo, …) all come back identical.
    assert "审计链完整" in out and re.search(r"uploaded files: [1-9]\d* identical", out)
    assert "BACKUP DRILL OK" in out


def test_replica_drill_streams_to_a_hot_standby_that_serves_reads():
    out = drill("replica-drill.sh")
    assert "read from 'replica'" in out and "pg_is_in_recovery=True" in out
    assert "| streaming |" in out and "pg_stat_archiver: archived_count=" in out
    assert "cannot execute INSERT in a read-only transaction" in out
    assert "REPLICA DRILL OK" in out


def test_pitr_drill_recovers_to_the_chosen_moment():
    out = drill("pitr-drill.sh")
    assert "recovery stopping before commit" in out
    assert "units: 演练单位A1 演练单位A2 演练单位A3" in out and "审计链完整：已校验 3 条事件" in out
    assert "PITR DRILL OK" in out
