"""``zhuanban health_bench``: every health check over every task force, timed (issue #9: < 5 s in all at
province scale), with a progress bar and the figures per check."""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tqdm import tqdm

from zhuanban.insight import checks
from zhuanban.taskforces.models import TaskForce

GOAL_S = 5.0


class Command(BaseCommand):
    help = "专班体检：全部检查项对全部专班的耗时（目标 < 5 秒）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reps", type=int, default=3, help="重复次数（取中位数）")

    def handle(self, *args: Any, **opts: Any) -> None:
        reps = max(1, opts["reps"])
        per: dict[str, list[float]] = {code: [] for code in checks.CHECKS}
        failing: dict[str, int] = {}
        queries: dict[str, int] = {}
        totals = []
        bar = tqdm(total=reps * len(checks.CHECKS), desc="体检", unit="项")
        for _ in range(reps):
            started = time.perf_counter()
            for code, check in checks.CHECKS.items():
                t = time.perf_counter()
                with CaptureQueriesContext(connection) as ctx:
                    rows = check.run(checks.Scope(), checks.settings_of()[code][1], _now())
                per[code].append((time.perf_counter() - t) * 1000)
                failing[code], queries[code] = len(rows), len(ctx.captured_queries)
                bar.update(1)
            totals.append(time.perf_counter() - started)
        bar.close()
        n = TaskForce.objects.count()
        self.stdout.write(f"专班 {n} 个；每项取 {reps} 次中位数")
        for code, check in checks.CHECKS.items():
            self.stdout.write(f"  {check.label:<28} {statistics.median(per[code]):8.0f} ms  "
                              f"未通过 {failing[code]:5d} 个专班  {queries[code]} 次查询")
        total = statistics.median(totals)
        verdict = "达标" if total < GOAL_S else "未达标"
        self.stdout.write(f"合计 {total:.2f} s（目标 < {GOAL_S:.0f} s）：{verdict}")


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()
