"""监测与洞察 endpoints of /api/v1: the dashboards, the health checks and their rules, the archived
dissolution summaries.  Thin: scope and refusals come from ``queries``, writes from ``services``.

``GET /api/v1/health`` is the task forces' health checks (体检), not the process liveness probe, which is
``GET /healthz`` (zhuanban.core.health).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from zhuanban.core.schemas import READ_ERRORS, WRITE_ERRORS
from zhuanban.taskforces import access as tf_access

from . import checks, dashboards, queries, services
from .models import DissolutionSummary, HealthRule
from .schemas import (
    HealthOut,
    HealthRuleIn,
    HealthRuleOut,
    InsightDashboardOut,
    InsightSummaryOut,
)

router = Router(tags=["监测与洞察"])
FORBIDDEN = {403: READ_ERRORS[401]}
MAX_ID = 2**63 - 1  # larger ids cannot name a row (and overflow SQLite's INTEGER)


def dashboard_data(user, dashboard: str, unit: int | None = None) -> dict:
    ids, meta = queries.dashboard_scope(user, dashboard, unit)
    if ids is None:  # the province: the daily snapshot (live aggregation takes seconds at that scale)
        snap = services.office_snapshot()
        data = {**snap.data, "snapshot_at": snap.computed_at.isoformat()}
    else:
        data = {**dashboards.build(ids), "snapshot_at": None}
    return {"dashboard": dashboard, **meta, "taskforce_count": data["taskforces"]["total"], **data}


def health_data(results: list[checks.Result]) -> dict:
    out = [{"code": r.check.code, "label": r.check.label, "abuse": r.check.abuse, "enabled": r.enabled,
            "threshold": r.threshold, "threshold_label": r.check.threshold_label, "unit": r.check.unit,
            "failing_count": len(r.failures),
            "failing": [{"taskforce_id": f.taskforce_id, "taskforce": r.names.get(f.taskforce_id, ""),
                         "detail": f.detail, "people": list(f.people)} for f in r.failures]} for r in results]
    return {"checks": out, "taskforces_failing": len({f.taskforce_id for r in results for f in r.failures})}


def rule_rows() -> list[dict]:
    rows = {r.code: r for r in HealthRule.objects.all()}
    return [{"code": c.code, "label": c.label, "enabled": rows[c.code].enabled if c.code in rows else True,
             "threshold": rows[c.code].threshold if c.code in rows else c.default, "default": c.default,
             "maximum": c.maximum, "unit": c.unit, "threshold_label": c.threshold_label, "abuse": c.abuse,
             "version": rows[c.code].version if c.code in rows else 0} for c in checks.CHECKS.values()]


@router.get("/health", response={200: HealthOut, **READ_ERRORS, **FORBIDDEN},
            summary="专班体检：各项检查及未通过的专班（?check= 只看一项；进程存活检查是 /healthz）")
def health(request: HttpRequest, check: str | None = None):
    return health_data(queries.health(request.auth, [c for c in (check or "").split(",") if c] or None))


@router.get("/health/rules", response={200: list[HealthRuleOut], **READ_ERRORS, **FORBIDDEN},
            summary="体检规则与阈值（专班统筹办公室）")
def list_rules(request: HttpRequest):
    if not queries.is_office(request.auth):
        from zhuanban.core.errors import Forbidden

        raise Forbidden("体检规则仅供专班统筹办公室查看和调整")
    return rule_rows()


@router.put("/health/rules/{rule_code}", response={200: HealthRuleOut, **WRITE_ERRORS},
            summary="调整一项体检规则（启用、阈值；带 version 防覆盖）")
def save_rule(request: HttpRequest, rule_code: str, payload: HealthRuleIn):
    services.save_rule(request.auth, rule_code, enabled=payload.enabled, threshold=payload.threshold,
                       version=payload.version)
    return next(r for r in rule_rows() if r["code"] == rule_code)


@router.get("/insight/{dashboard}", response={200: InsightDashboardOut, **READ_ERRORS, **FORBIDDEN},
            summary="监测看板：office 全省、leader 我牵头的专班、unit 派出单位（?unit= 单位编号）")
def dashboard(request: HttpRequest, dashboard: str, unit: int | None = Query(None, ge=1, le=MAX_ID)):
    return dashboard_data(request.auth, dashboard, unit)


def summary_out(s: DissolutionSummary) -> dict:
    return {"id": s.pk, "taskforce_id": s.taskforce_id, "period_number": s.period_number,
            "dissolved_on": s.dissolved_on.isoformat(), "data": s.data, "shared_with": len(s.shared_with or [])}


@router.get("/dissolution-summaries", response={200: list[InsightSummaryOut], **READ_ERRORS},
            summary="专班历次解散总结（?taskforce= 专班编号；重启后仍可查看上一期）")
def taskforce_summaries(request: HttpRequest, taskforce: int = Query(..., ge=1, le=MAX_ID)):
    tf, _ = tf_access.get_visible_taskforce(request.auth, taskforce)
    return [summary_out(s) for s in queries.summaries_of(request.auth, tf)]
