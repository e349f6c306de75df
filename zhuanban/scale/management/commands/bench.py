"""``zhuanban bench``: time the daily pages and API lists at scale (see ``zhuanban.scale.bench``)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from zhuanban.scale import bench


class Command(BaseCommand):
    help = "在生成的规模数据上，通过真实 HTTP 栈测各场景的中位数、p95、查询数及与原生 SQL 的比值"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--db", choices=["sqlite", "postgres"],
                            help="which benchmark database (handled by the zhuanban command; "
                                 "see docs/operations.md)")
        parser.add_argument("--only", action="append", default=[], metavar="NAME",
                            help="run only this scenario (repeatable, or comma-separated)")
        parser.add_argument("--scale", choices=["demo", "city", "province"],
                            help="refuse unless this scale is loaded")
        parser.add_argument("--reps", type=int, default=20, help="timed repetitions per scenario (default 20)")
        parser.add_argument("--warmup", type=int, default=3, help="untimed warm-up runs (default 3)")
        parser.add_argument("--json", action="store_true", help="print the results as JSON (the table goes "
                                                                "to stderr)")
        parser.add_argument("--list", action="store_true", help="list the scenarios and exit")

    def handle(self, *args: Any, **opts: Any) -> None:
        scenarios = bench.discover()
        if opts["list"]:
            for sc in scenarios.values():
                self.stdout.write(f"{sc.name:<24} {sc.kind:<5} {sc.title}")
            return
        only = [n.strip() for item in opts["only"] for n in item.split(",") if n.strip()]
        unknown = [n for n in only if n not in scenarios]
        if unknown:
            raise CommandError(f"unknown scenario(s): {', '.join(unknown)}; known: {', '.join(scenarios)}")
        chosen = [scenarios[n] for n in only] if only else list(scenarios.values())
        if opts["reps"] < 1 or opts["warmup"] < 0:
            raise CommandError("--reps must be ≥ 1 and --warmup ≥ 0")

        dataset, subjects = self.loaded(opts["scale"])
        vendor = connection.vendor
        total = sum(opts["reps"] * (2 if sc.raw else 1) for sc in chosen)
        with tqdm(total=total, desc="bench", unit="run", file=sys.stderr, leave=False) as bar:
            runner = bench.Runner(subjects, warmup=opts["warmup"], reps=opts["reps"], tick=lambda: bar.update(1))
            results = []
            for sc in chosen:
                bar.set_postfix_str(sc.name)
                results.append(runner.run(sc))
        header = (f"zhuanban bench — {dataset.scale} scale (seed {dataset.seed}), {vendor}, "
                  f"{opts['reps']} reps after {opts['warmup']} warm-up")
        text = header + "\n" + bench.table(results)
        if opts["json"]:
            sys.stderr.write(text + "\n")
            self.stdout.write(json.dumps({
                "scale": dataset.scale, "seed": dataset.seed, "database": vendor, "reps": opts["reps"],
                "counts": dataset.counts, "results": [r.as_dict() for r in results]}, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text)
        missed = [r.name for r in results if not r.ok]
        if missed:
            self.stderr.write(f"goals missed: {', '.join(missed)}")

    def loaded(self, scale: str | None) -> tuple[Any, dict[str, Any]]:
        from zhuanban.scale import generator
        from zhuanban.scale.models import Dataset

        dataset = Dataset.objects.order_by("-generated_at").first()
        hint = f"zhuanban generate --scale {scale or 'province'}"
        if dataset is None:
            raise CommandError(f"no generated data in this database ({connection.vendor}: "
                               f"{connection.settings_dict['NAME']}); load it first: {hint} (with the same --db)")
        if scale and dataset.scale != scale:
            raise CommandError(f"this database holds the {dataset.scale} scale, not {scale}; "
                               f"load {scale} into a fresh database: {hint}")
        return dataset, bench.prepare(generator.bench_subjects())
