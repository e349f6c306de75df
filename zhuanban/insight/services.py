"""Insight use cases — the only code that changes insight state.

- ``save_rule``: the office tunes a health check (on/off, threshold within 0–``Check.maximum``); versioned
  (a stale form is a 409); audited.
- ``archive_summary``: called by ``taskforces.services.dissolve`` (its ``DISSOLVED_HOOKS``) inside the
  dissolution's transaction, after the state change: the summary is built, stored (one per period:
  idempotent) and put into the inbox of the home units' liaisons and leaders through the notices app's
  ``reminders.insert_specs`` (exactly once per person, by its key) — the task force's members have all
  left by then, so a task-force notice (which reaches active members) would reach nobody.
- ``record_read``: one more view of a report template's collected data today (``readlog``).
- ``refresh_snapshot``: the province-wide dashboard's figures, recomputed by the daily sweep.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from zhuanban.core import audit
from zhuanban.core.concurrency import save_versioned
from zhuanban.core.errors import Forbidden, Invalid, NotFound
from zhuanban.taskforces.models import TaskForce

from . import checks, queries, summary
from .models import DashboardSnapshot, DissolutionSummary, HealthRule, ReportRead

OFFICE_SNAPSHOT = "office"

audit.ACTION_LABELS.update({"insight.rule_save": "调整体检规则", "insight.summary_archive": "归档解散总结"})


@transaction.atomic
def save_rule(actor: Any, code: str, *, enabled: bool, threshold: int, version: int | None = None) -> HealthRule:
    if not queries.can_tune_rules(actor):
        raise Forbidden("只有专班统筹办公室可以调整体检规则")
    check = checks.CHECKS.get(code)
    if check is None:
        raise NotFound()
    try:
        threshold = int(threshold)
    except (TypeError, ValueError):
        raise Invalid("invalid_threshold", "阈值须为整数", {"threshold": "请填写整数"}) from None
    if not 0 <= threshold <= check.maximum:
        raise Invalid("invalid_threshold", f"阈值须在 0 到 {check.maximum}{check.unit}之间",
                      {"threshold": f"0–{check.maximum}{check.unit}"})
    rule = HealthRule.objects.select_for_update().filter(code=code).first()
    before = {"enabled": rule.enabled, "threshold": rule.threshold} if rule else \
        {"enabled": True, "threshold": check.default}
    if rule is None:
        if version not in (None, 0, 1):
            raise Invalid("invalid_version", "版本号无效", {"version": "该规则尚未保存过"})
        try:
            with transaction.atomic():
                rule = HealthRule.objects.create(code=code, enabled=bool(enabled), threshold=threshold,
                                                 updated_by=actor if getattr(actor, "pk", None) else None)
        except IntegrityError:
            from zhuanban.core.errors import Conflict

            raise Conflict("stale_version", "该规则已被他人修改，请刷新后重试") from None
    else:
        rule.enabled, rule.threshold = bool(enabled), threshold
        rule.updated_by = actor if getattr(actor, "pk", None) else None
        save_versioned(rule, version, ["enabled", "threshold", "updated_by"])
    audit.record(actor, "insight.rule_save", rule, before=before,
                 after={"enabled": rule.enabled, "threshold": rule.threshold})
    return rule


def archive_summary(actor: Any, tf: TaskForce) -> DissolutionSummary:
    """Build, store and share the summary of the period that ``tf`` has just closed (the caller holds the
    dissolution's transaction and has checked the permission)."""
    from zhuanban.notices.models import Priority
    from zhuanban.notices.reminders import ReminderSpec, insert_specs

    data = summary.build(tf)
    people = summary.recipients(tf)
    s, created = DissolutionSummary.objects.get_or_create(
        taskforce=tf, period_number=data["period"],
        defaults={"dissolved_on": tf.dissolved_on or timezone.localdate(), "data": data, "shared_with": people,
                  "created_by": actor if getattr(actor, "pk", None) else None})
    if not created:
        return s
    audit.record(actor, "insight.summary_archive", s, after={"period": s.period_number, "shared_with": len(people)},
                 taskforce_id=tf.pk)
    link = reverse("insight_summary", args=[s.pk])
    insert_specs("insight.summary", [
        ReminderSpec(person_id=p, title=f"{tf.name}已解散：第{s.period_number}期工作总结与经验做法", subject_kind="summary",
                     subject_id=s.pk, occurrence=str(s.period_number), taskforce_id=tf.pk, link=link,
                     priority=Priority.INFO) for p in people], timezone.now())
    return s


def record_read(template_id: int) -> None:
    """Count one view of a template's aggregate today: an UPDATE in place, an INSERT the first time."""
    day = timezone.localdate()
    if ReportRead.objects.filter(template_id=template_id, day=day).update(views=F("views") + 1):
        return
    try:
        with transaction.atomic():
            ReportRead.objects.create(template_id=template_id, day=day, views=1)
    except IntegrityError:  # two first views at once: the other one inserted, count this one on top
        ReportRead.objects.filter(template_id=template_id, day=day).update(views=F("views") + 1)


def refresh_snapshot(*, now: Any = None) -> DashboardSnapshot:
    """Recompute the province-wide dashboard (the daily sweep ``insight.snapshot``; the first office
    visit when none exists yet).  A cache of figures, not a decision: no audit event."""
    import time

    from . import dashboards

    started = time.perf_counter()
    per_tf = dashboards.per_taskforce(None)
    data = dashboards.build(None, now=now, per_tf=per_tf)
    elapsed = int((time.perf_counter() - started) * 1000)
    # The per-task-force figures serve the leaders' and units' dashboards until the next sweep.
    DashboardSnapshot.objects.update_or_create(
        key=dashboards.TF_FIGURES, defaults={"data": {str(k): v for k, v in per_tf.items()},
                                             "computed_at": now or timezone.now(), "elapsed_ms": elapsed})
    snap, _ = DashboardSnapshot.objects.update_or_create(
        key=OFFICE_SNAPSHOT, defaults={"data": data, "computed_at": now or timezone.now(), "elapsed_ms": elapsed})
    return snap


def office_snapshot() -> DashboardSnapshot:
    return DashboardSnapshot.objects.filter(key=OFFICE_SNAPSHOT).first() or refresh_snapshot()
