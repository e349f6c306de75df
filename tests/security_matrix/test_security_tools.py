"""`make security`: the pip-audit wrapper fails on findings and on an audit that could not run."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

# Independent of the suite's database: `make test` runs it once, in the SQLite pass (tests/conftest.py).
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("pip_audit_wrapper", ROOT / "scripts" / "pip_audit.py")
wrapper = importlib.util.module_from_spec(spec)
spec.loader.exec_module(wrapper)


def fake_run(report: dict | None, returncode: int = 0, stderr: str = ""):
    def run(cmd, **kwargs):
        if report is not None:
            Path(cmd[cmd.index("--output") + 1]).write_text(json.dumps(report))
        return SimpleNamespace(returncode=returncode, stderr=stderr, stdout="")

    return run


@pytest.mark.parametrize("report,rc,expected", [
    ({"dependencies": [{"name": "django", "version": "5.2", "vulns": []}]}, 0, 0),
    ({"dependencies": [{"name": "django", "version": "4.0", "vulns": [{"id": "PYSEC-1", "fix_versions": ["4.1"]}]}]},
     1, 1),
    ({"dependencies": [{"name": "django", "version": "5.2", "skip_reason": "Dependency not found on PyPI"}]}, 0, 2),
    (None, 1, 2),  # the service was unreachable: pip-audit crashed without a report
])
def test_findings_and_an_audit_that_did_not_run_both_fail(monkeypatch, report, rc, expected):
    monkeypatch.setattr(subprocess, "run", fake_run(report, rc, "ConnectionError: no route"))
    monkeypatch.delenv("PIP_AUDIT_UNAVAILABLE", raising=False)
    assert wrapper.main() == expected


def test_an_unreachable_service_can_be_downgraded_to_a_loud_warning(monkeypatch, capsys):
    monkeypatch.setattr(subprocess, "run", fake_run(None, 1, "ConnectionError"))
    monkeypatch.setenv("PIP_AUDIT_UNAVAILABLE", "warn")
    assert wrapper.main() == 0
    assert "PIP-AUDIT DID NOT RUN" in capsys.readouterr().err


def test_bandit_finds_no_high_severity_issue():
    bandit = Path(wrapper.BIN) / "bandit"
    result = subprocess.run([str(bandit), "-q", "-r", str(ROOT / "zhuanban"), "-x", "*/migrations/*",
                             "--severity-level", "high", "--confidence-level", "high"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
