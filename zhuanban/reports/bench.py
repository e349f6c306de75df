"""Benchmark scenarios of reporting (``zhuanban bench``; runner ``zhuanban.scale.bench``; data from the
generator phase ``reports.gen``: 500 units × 365 days).  Goals of issue #7: the aggregate of one day with
the missing list < 100 ms median, a year's trend of one field < 300 ms, the .xlsx export of a month < 3 s.

The export is timed through ``POST /api/v1/reports/{id}/exports?sync=1``: the same job the worker runs
(``tasks.run_export``), run inside the request, so the figure is the job itself plus one small request.
"""

from __future__ import annotations

from typing import Any

from zhuanban.scale.bench import Request, scenario
from zhuanban.taskforces.models import Membership, MemberUnit

from .models import PeriodTotal, ReportReminder, Submission, SubmissionValue

S, V, PT = Submission._meta.db_table, SubmissionValue._meta.db_table, PeriodTotal._meta.db_table
MU, M, R = MemberUnit._meta.db_table, Membership._meta.db_table, ReportReminder._meta.db_table


def _agg_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    t, day = s["reports_template_id"], s["reports_day"]
    return [
        (f"SELECT mu.id, mu.unit_id, m.person_id FROM {MU} mu LEFT JOIN {M} m ON m.member_unit_id = mu.id "
         f"AND m.role = 'liaison' AND m.end_on IS NULL WHERE mu.taskforce_id = %s AND mu.left_on IS NULL",
         [s["reports_taskforce_id"]]),
        (f"SELECT id, filer_key, status, is_late, submitted_at, \"values\" FROM {S} WHERE template_id = %s "
         f"AND period = %s", [t, day]),
        (f"SELECT field_id, total, \"values\" FROM {PT} WHERE template_id = %s AND period = %s", [t, day]),
        (f"SELECT filer_key, COUNT(*) FROM {R} WHERE template_id = %s AND period = %s GROUP BY filer_key",
         [t, day]),
    ]


@scenario("reports_aggregate_day", "信息报送：某日汇总（500 个单位，含未报名单）", raw=_agg_raw,
          goals={"median_ms": 100.0, "p95_ms": 250.0, "ratio": 3.0})
def reports_aggregate_day(s: dict[str, Any]) -> Request:
    return Request(s["reports_office_username"],
                   f"/api/v1/reports/{s['reports_template_id']}/periods/{s['reports_day']}")


@scenario("reports_aggregate_page", "信息报送：某日汇总页面（含趋势图数据）", raw=_agg_raw,
          goals={"median_ms": 300.0, "p95_ms": 600.0, "ratio": 6.0})
def reports_aggregate_page(s: dict[str, Any]) -> Request:
    return Request(s["reports_office_username"], f"/reports/{s['reports_template_id']}/?period={s['reports_day']}")


def _trend_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """The floor of the stored design (the per-period totals); ``_trend_groupby_raw`` is what it replaced."""
    return [(f"SELECT t.period, t.total, t.filed FROM {PT} t JOIN reports_reportfield f ON f.id = t.field_id "
             f"WHERE f.template_id = %s AND f.key = %s AND t.period BETWEEN %s AND %s ORDER BY t.period",
             [s["reports_template_id"], s["reports_field"], "2000-01-01", "2100-01-01"])]


def _trend_groupby_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [
        (f"SELECT v.period, SUM(v.value) FROM {V} v JOIN reports_reportfield f ON f.id = v.field_id "
         f"WHERE f.template_id = %s AND f.key = %s AND v.period BETWEEN %s AND %s GROUP BY v.period",
         [s["reports_template_id"], s["reports_field"], "2000-01-01", "2100-01-01"]),
        (f"SELECT period, COUNT(*) FROM {S} WHERE template_id = %s AND status = 'submitted' "
         f"AND period BETWEEN %s AND %s GROUP BY period", [s["reports_template_id"], "2000-01-01", "2100-01-01"]),
    ]


@scenario("reports_trend_year", "信息报送：某数值项全年趋势", raw=_trend_raw,
          goals={"median_ms": 300.0, "p95_ms": 600.0, "ratio": 3.0})
def reports_trend_year(s: dict[str, Any]) -> Request:
    return Request(s["reports_office_username"],
                   f"/api/v1/reports/{s['reports_template_id']}/trend?field={s['reports_field']}")


def _export_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(f"SELECT period, filer_key, status, is_late, submitted_at, \"values\", return_comment FROM {S} "
             f"WHERE template_id = %s AND period BETWEEN %s AND %s",
             [s["reports_template_id"], s["reports_month_from"], s["reports_month_to"]])]


@scenario("reports_export_month", "信息报送：导出一个月 .xlsx（导出作业同步执行）", raw=_export_raw,
          goals={"median_ms": 3000.0, "p95_ms": 4000.0, "ratio": 50.0})
def reports_export_month(s: dict[str, Any]) -> Request:
    return Request(s["reports_office_username"], f"/api/v1/reports/{s['reports_template_id']}/exports?sync=1",
                   method="post", data={"from": s["reports_month_from"], "to": s["reports_month_to"]})


def _list_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(f"SELECT COUNT(*) FROM {S} WHERE template_id = %s AND period = %s", [s["reports_template_id"],
                                                                                 s["reports_day"]]),
            (f"SELECT * FROM {S} WHERE template_id = %s AND period = %s ORDER BY filer_key LIMIT 50",
             [s["reports_template_id"], s["reports_day"]])]


@scenario("api_submissions", "API 报送列表（某报表某日，第一页）", raw=_list_raw)
def api_submissions(s: dict[str, Any]) -> Request:
    return Request(s["reports_office_username"],
                   f"/api/v1/submissions?template={s['reports_template_id']}&period={s['reports_day']}&limit=50")


def _my_raw(s: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(f"SELECT id, status, period FROM {S} WHERE template_id = %s AND period = %s AND filer_key LIKE 'u%%' "
             f"LIMIT 1", [s["reports_template_id"], s["reports_day"]])]


@scenario("my_reports", "我的报送（联络员）", raw=_my_raw)
def my_reports(s: dict[str, Any]) -> Request:
    return Request(s["reports_liaison_username"], "/my-reports/")
