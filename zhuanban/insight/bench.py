"""Benchmark scenarios of insight (``zhuanban bench``; data from the generator — insight adds no phase).

Goals of issue #9: a province-wide dashboard < 300 ms median (1,000 task forces, 200,000 tasks); all
health checks over all task forces < 5 s (also ``zhuanban health_bench``, which prints each check).

The province-wide figures come from the daily snapshot (``insight.snapshot``; live they take ~10 s on
SQLite, mostly ``accountability.metrics.taskforce_figures`` over 1,000 task forces), so the page reads one
row.  The scenario makes the snapshot once before timing, as the nightly sweep would, and lets the
generated office director act as the province office (``insight.view_province``).  No app/raw ratio
goal: the raw SQL of a one-row read is a fraction of a millisecond.
"""

from __future__ import annotations

from typing import Any

from zhuanban.scale.bench import Request, scenario

OFFICE = {"median_ms": 300.0, "p95_ms": 600.0}


def _office(s: dict[str, Any]) -> str:
    from django.contrib.auth.models import Permission

    from zhuanban.org.models import User

    from . import services
    from .models import DashboardSnapshot

    user = User.objects.get(username=s["office_director_username"])
    user.user_permissions.add(Permission.objects.get(codename="view_province", content_type__app_label="insight"))
    if not DashboardSnapshot.objects.filter(key=services.OFFICE_SNAPSHOT).exists():
        services.refresh_snapshot()
    return user.username


def _snapshot_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [("SELECT data, computed_at FROM insight_dashboardsnapshot WHERE key = %s", ["office"])]


@scenario("insight_office", "全省监测看板页面（1,000 个专班，每日快照）", raw=_snapshot_raw, goals=OFFICE)
def insight_office(s: dict[str, Any]) -> Request:
    return Request(_office(s), "/insight/office/")


@scenario("api_insight_office", "全省监测看板 API（每日快照）", raw=_snapshot_raw, goals=OFFICE)
def api_insight_office(s: dict[str, Any]) -> Request:
    return Request(_office(s), "/api/v1/insight/office")


@scenario("api_insight_leader", "组长的监测看板 API（实时 + 快照指标）", goals={"median_ms": 300.0})
def api_insight_leader(s: dict[str, Any]) -> Request:
    return Request(s["head_username"], "/api/v1/insight/leader")


@scenario("insight_unit", "派出单位监测看板页面（实时 + 快照指标）", goals={"median_ms": 300.0})
def insight_unit(s: dict[str, Any]) -> Request:
    return Request(s["unit_leader_username"], "/insight/unit/")


@scenario("health_all", "全部体检项 × 全部专班（API，全省）", goals={"median_ms": 5000.0})
def health_all(s: dict[str, Any]) -> Request:
    return Request(_office(s), "/api/v1/health")


@scenario("insight_snapshot", "全省看板快照重算（每日后台作业）", kind="job", goals={"median_ms": 30000.0})
def insight_snapshot(s: dict[str, Any]) -> Any:
    from . import services

    return services.refresh_snapshot
