"""Production settings are safe by default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Independent of the suite's database: `make test` runs it once, in the SQLite pass (tests/conftest.py).
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parent.parent


def _run(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ZHUANBAN_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "zhuanban.settings"
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_the_deploy_check_is_clean_with_debug_off():
    result = _run({"ZHUANBAN_SECRET_KEY": "k" * 20 + "-production-secret-" + "x" * 30,
                   "ZHUANBAN_ALLOWED_HOSTS": "zhuanban.example.gov.cn"}, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_app_refuses_to_start_without_a_secret_key_unless_debugging():
    result = _run({}, "check")
    assert result.returncode != 0
    assert "ZHUANBAN_SECRET_KEY is not set" in result.stderr
    assert _run({"ZHUANBAN_DEBUG": "1"}, "check").returncode == 0


def test_static_files_collect_with_the_production_manifest_storage(tmp_path):
    """`make demo` and production run collectstatic with hashed, compressed names; a missing file
    referenced by an asset (a source map, a font) would stop them."""
    result = _run({"ZHUANBAN_SECRET_KEY": "k" * 50, "ZHUANBAN_STATIC_ROOT": str(tmp_path)},
                  "collectstatic", "--noinput", "-v", "0")
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "staticfiles.json").read_text()
    for asset in ("vendor/bootstrap/bootstrap.min.css", "vendor/echarts/echarts.min.js", "web/orgchart.js"):
        assert asset in manifest
