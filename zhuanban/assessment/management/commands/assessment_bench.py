"""``zhuanban assessment_bench``: the figure of issue #9 that is not a page load — a full assessment
computation for one task force of 200 people (< 2 s): the subjects, the figures from
``accountability.metrics``, every score, the points per indicator and evaluator type, the ranking.

It uses the generator's scheme (``assessment_scheme_id``, phase "assessment"), or ``--scheme``; runs the
computation ``--repeat`` times with a progress bar and prints the median, min, max and the query count.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tqdm import tqdm

from zhuanban.assessment import engine
from zhuanban.assessment.models import Scheme, Score


class Command(BaseCommand):
    help = "考核评价：一个 200 人专班的完整考核计算耗时（目标 < 2 秒）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scheme", type=int, default=None, help="考核方案 id（默认：生成数据的基准方案）")
        parser.add_argument("--repeat", type=int, default=7)

    def handle(self, *args: Any, **opts: Any) -> None:
        scheme = self._scheme(opts["scheme"])
        times: list[float] = []
        queries = 0
        res = None
        for i in tqdm(range(opts["repeat"]), desc="考核计算", unit="次"):
            scheme.refresh_from_db()
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                res = engine.compute(scheme)
                times.append(time.perf_counter() - t0)
            if i == 0:
                queries = len(ctx.captured_queries)
        assert res is not None
        med = statistics.median(times)
        self.stdout.write(
            f"scheme {scheme.pk} ({scheme.name}), {len(res.items)} subjects, {len(res.leaves)} indicators, "
            f"{Score.objects.filter(scheme=scheme).count()} scores, {connection.vendor}\n"
            f"full computation: median {med * 1000:.0f} ms, min {min(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms over {len(times)} runs; {queries} queries "
            f"(goal < 2000 ms: {'met' if med < 2 else 'NOT met'})")

    def _scheme(self, pk: int | None) -> Scheme:
        if pk is None:
            from zhuanban.scale.generator import bench_subjects

            try:
                pk = bench_subjects().get("assessment_scheme_id")
            except Exception:  # noqa: BLE001 - no generated dataset: say so below
                pk = None
        scheme = Scheme.objects.filter(pk=pk).first() if pk else None
        if scheme is None:
            raise CommandError("没有基准考核方案：请先运行 zhuanban generate（含 assessment 阶段），或用 --scheme 指定")
        return scheme
