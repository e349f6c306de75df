#!/usr/bin/env python3
"""Audit the locked dependencies (requirements.lock) for known vulnerabilities with pip-audit.

Exit codes:
  0  every locked package was checked and none has a known vulnerability
  1  known vulnerabilities (listed), or a package we chose to fail on
  2  the vulnerability service could not be asked, or could not audit some packages: the audit did NOT
     happen.  This is a failure, never a silent pass.  Where a deployment's network cannot reach the
     service, ``PIP_AUDIT_UNAVAILABLE=warn`` turns it into a loud warning instead (exit 0).

Known vulnerabilities that were assessed and accepted can be listed, one id a line, with a reason after
``#``, in ``.pip-audit-ignore`` at the repository root.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def ignored_ids() -> list[str]:
    path = ROOT / ".pip-audit-ignore"
    if not path.exists():
        return []
    return [line.split("#", 1)[0].strip() for line in path.read_text().splitlines() if line.split("#", 1)[0].strip()]


def unavailable(reason: str) -> int:
    banner = "=" * 78
    print(f"{banner}\nPIP-AUDIT DID NOT RUN: {reason}\nThe locked dependencies were NOT checked for known "
          f"vulnerabilities.\n{banner}", file=sys.stderr)
    if os.environ.get("PIP_AUDIT_UNAVAILABLE", "fail") == "warn":
        print("PIP_AUDIT_UNAVAILABLE=warn: continuing without the audit.", file=sys.stderr)
        return 0
    print("Set PIP_AUDIT_UNAVAILABLE=warn to continue anyway where the service is unreachable.", file=sys.stderr)
    return 2


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        cmd = [str(BIN / "pip-audit"), "-r", str(ROOT / "requirements.lock"), "--no-deps", "--disable-pip",
               "--progress-spinner", "off", "--format", "json", "--output", str(out)]
        for vuln_id in ignored_ids():
            cmd += ["--ignore-vuln", vuln_id]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)  # noqa: S603  # nosec B603
        if not out.exists() or not out.read_text().strip():
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            return unavailable(f"pip-audit exited {proc.returncode}: {last}")
        report = json.loads(out.read_text())
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    for d in vulnerable:
        for v in d["vulns"]:
            fix = ", ".join(v.get("fix_versions") or []) or "no fix yet"
            print(f"VULNERABLE {d['name']} {d['version']}: {v['id']} (fixed in: {fix})", file=sys.stderr)
    if vulnerable:
        return 1
    if skipped:
        names = ", ".join(f"{d['name']} {d.get('version', '')}".strip() for d in skipped[:8])
        more = f" and {len(skipped) - 8} more" if len(skipped) > 8 else ""
        return unavailable(f"{len(skipped)} of {len(deps)} packages could not be audited "
                           f"({skipped[0]['skip_reason']}): {names}{more}")
    print(f"pip-audit: {len(deps)} locked packages, no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
