#!/usr/bin/env python
"""Summarise a locust run (its --csv files) as a short table and a JSON file; optionally check that every
acknowledged write (LOAD_ACK_LOG of the locustfile) is in the database.

    report.py OUT_DIR/run            # reads run_stats.csv, writes OUT_DIR/summary.json, prints the table
    report.py OUT_DIR/run --acks OUT_DIR/acks.jsonl   # and checks the writes (needs var/prod/env sourced)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _num(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_stats(prefix: str) -> dict[str, Any]:
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
    endpoints, total = [], None
    for row in rows:
        entry = {
            "name": row["Name"] if row["Type"] in ("", None) else f"{row['Name']}",
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": round(_num(row["Requests/s"]) or 0.0, 2),
            "p50_ms": _num(row["50%"]),
            "p95_ms": _num(row["95%"]),
            "p99_ms": _num(row["99%"]),
            "max_ms": _num(row["Max Response Time"]),
        }
        if row["Name"] == "Aggregated":
            total = entry
        else:
            endpoints.append(entry)
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        failures = [{"name": r["Name"], "error": r["Error"], "count": int(r["Occurrences"])}
                    for r in csv.DictReader(open(f"{prefix}_failures.csv", encoding="utf-8"))]
    writes = sum(e["requests"] - e["failures"] for e in endpoints if e["name"] == "POST /api/v1/tasks/{id}/progress")
    conflicts = sum(e["requests"] for e in endpoints if e["name"].endswith("→ 409 stale"))
    return {"total": total, "endpoints": endpoints, "failures": failures,
            "writes_acknowledged": writes, "write_conflicts_409": conflicts}


def check_acks(path: Path) -> dict[str, Any]:
    """Every acknowledged write: its progress update (by its unique note) exists, on that task, and the
    task's version is at least the acknowledged one."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhuanban.settings")
    import django

    django.setup()
    from zhuanban.tasks.models import ProgressUpdate, Task

    acks = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = {(u["task_id"], u["note"]): u for u in ProgressUpdate.objects.filter(
        note__in=[a["note"] for a in acks]).values("id", "task_id", "note", "progress")}
    versions = dict(Task.objects.filter(pk__in={a["task"] for a in acks}).values_list("pk", "version"))
    missing = [a for a in acks if (a["task"], a["note"]) not in found
               or found[(a["task"], a["note"])]["progress"] != a["progress"]
               or (a.get("update") is not None and found[(a["task"], a["note"])]["id"] != a["update"])
               or versions.get(a["task"], 0) < a["version"]]
    return {"acknowledged": len(acks), "missing": len(missing), "examples": missing[:5]}


def table(summary: dict[str, Any]) -> str:
    head = f"{'endpoint':<48} {'reqs':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}"
    lines = [head, "-" * len(head)]

    def fmt(v: float | None) -> str:
        return "—" if v is None else f"{v:.0f}"

    for e in [*summary["endpoints"], summary["total"]]:
        if e is None:
            continue
        lines.append(f"{e['name'][:48]:<48} {e['requests']:>7} {e['failures']:>5} {e['rps']:>7.1f} "
                     f"{fmt(e['p50_ms']):>6} {fmt(e['p95_ms']):>6} {fmt(e['p99_ms']):>6}")
    t = summary["total"] or {}
    lines.append("")
    lines.append(f"throughput {t.get('rps', 0):.1f} req/s · p50 {fmt(t.get('p50_ms'))} ms · "
                 f"p95 {fmt(t.get('p95_ms'))} ms · p99 {fmt(t.get('p99_ms'))} ms · errors {t.get('failures', 0)} · "
                 f"writes acknowledged {summary['writes_acknowledged']} (409 conflicts retried "
                 f"{summary['write_conflicts_409']})")
    for f in summary["failures"][:10]:
        lines.append(f"  error ×{f['count']}: {f['name']}: {f['error'][:120]}")
    if "acks" in summary:
        a = summary["acks"]
        lines.append(f"acknowledged writes found in the database: {a['acknowledged'] - a['missing']}/{a['acknowledged']}"
                     + ("" if not a["missing"] else f"  — MISSING {a['missing']}: {a['examples']}"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("prefix", help="the --csv prefix of the locust run")
    parser.add_argument("--acks", help="LOAD_ACK_LOG file to check against the database")
    parser.add_argument("--meta", default="{}", help="JSON object merged into the summary (users, duration…)")
    args = parser.parse_args(argv)
    summary = {**json.loads(args.meta), **read_stats(args.prefix)}
    if args.acks and Path(args.acks).exists():
        summary["acks"] = check_acks(Path(args.acks))
        # The ack log is exact (locust's CSV may be written before the last in-flight requests finish).
        summary["writes_acknowledged"] = summary["acks"]["acknowledged"]
    out = Path(args.prefix).parent / "summary.json"
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(table(summary))
    print(f"\n(summary: {out})")
    if not (summary["total"] or {}).get("requests"):
        print("no requests were made: see locust.log next to the CSV files", file=sys.stderr)
        return 1
    return 1 if summary.get("acks", {}).get("missing") else 0


if __name__ == "__main__":
    sys.exit(main())
