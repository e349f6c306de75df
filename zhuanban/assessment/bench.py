"""Benchmark scenarios of assessment (``zhuanban bench``; data from the generator phase "assessment").

Goal of issue #9: a full assessment computation for one task force of 200 people < 2 s.  The result page
and the results API compute it whole on every request (figures from ``accountability.metrics``, every
score, the ranking), so their median is that figure plus a page's fixed cost; ``zhuanban
assessment_bench`` measures the computation alone.
"""

from __future__ import annotations

from typing import Any

from zhuanban.scale.bench import Request, scenario


@scenario("assessment_results", "考核结果页：200 人专班的完整考核计算（得分构成、排名、协同指数）",
          goals={"median_ms": 2000.0})
def assessment_results(s: dict[str, Any]) -> Request:
    return Request(s["office_username"], f"/assessment/schemes/{s['assessment_scheme_id']}/results/")


@scenario("api_assessment_results", "考核结果 API：200 人的总分、构成与排名", goals={"median_ms": 2000.0})
def api_assessment_results(s: dict[str, Any]) -> Request:
    return Request(s["office_username"], f"/api/v1/assessment/results?scheme={s['assessment_scheme_id']}")
