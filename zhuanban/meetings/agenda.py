"""The agenda of a meeting, built from the task force's state, so the weekly "each unit reports its
projects" (各单位汇报项目进展) is prepared, not improvised:

1. per member unit: its open tasks (as lead unit) with light counts, and the red and yellow ones;
2. overdue items with the responsible person and their dispatching unit (问题追溯到人和派出单位);
3. open disputes (推诿争议待裁定);
4. reports missing today (from ``zhuanban.reports.queries.missing_for_taskforce``).

Only tasks the viewer may see are listed (``tasks.access.visible_tasks``).  A fixed number of queries,
whatever the size of the task force: member units, light counts (with the number flagged), the flagged
tasks, the disputes (and which of their tasks the viewer sees), and the reports app's own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from zhuanban.taskforces.models import Membership, TaskForce

# How many red/yellow and overdue tasks the agenda lists (the counts are always complete): the API and
# the meeting page's "显示全部" view list up to FLAGGED_LISTED, the meeting page itself the PAGE_LISTED most
# urgent (earliest due) ones, with a link to the rest.
FLAGGED_LISTED = 200
PAGE_LISTED = 30


def missing_reports(tf: TaskForce, day: dt.date) -> list[dict[str, Any]] | None:
    """The reports not filed for ``day`` (``None`` when the reports app does not provide them)."""
    try:
        from zhuanban.reports.queries import missing_for_taskforce
    except ImportError:
        return None
    return list(missing_for_taskforce(tf, day))


def tasks_seen(user: Any, tf: TaskForce, acc: Any = None) -> Any:
    """The tasks of ``tf`` that ``user`` sees: ``tasks.access.visible_tasks`` — whose rules give a manager
    of the task force every task of it (the task-force rule, 敏感 ones included), so for a manager (``acc``,
    the task-force access the caller already has) the per-user visibility is not computed at all."""
    from zhuanban.tasks.access import visible_tasks
    from zhuanban.tasks.models import Task

    if acc is not None and acc.manage and not getattr(acc, "external_only", False):
        return Task.objects.filter(taskforce=tf)
    return visible_tasks(user).filter(taskforce=tf)


def build(user: Any, tf: TaskForce, day: dt.date | None = None, *, listed: int = FLAGGED_LISTED,
          acc: Any = None) -> dict[str, Any]:
    """The agenda of ``tf`` for ``day`` as ``user`` may see it; at most ``listed`` flagged (red, yellow or
    overdue) tasks are listed, ``flagged_total`` says how many there are.  ``acc``: the caller's access
    to ``tf`` if known (see ``tasks_seen``)."""
    from zhuanban.tasks.models import Dispute, Task
    from zhuanban.tasks.queries import PERSONAL

    day = day or timezone.localdate()
    now = timezone.now()
    units = list(tf.member_units.filter(left_on__isnull=True).select_related("unit").order_by("role", "id"))
    seen_tasks = tasks_seen(user, tf, acc)
    open_tasks = seen_tasks.exclude(status__in=Task.CLOSED)
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: {"green": 0, "yellow": 0, "red": 0, "total": 0})
    is_flagged = Q(light__in=("red", "yellow")) | Q(due_at__lt=now)
    flagged_total = 0
    for row in open_tasks.order_by().values("lead_unit_id", "light").annotate(
            n=Count("id"), flagged=Count("id", filter=is_flagged)):
        c = counts[row["lead_unit_id"]]
        c[row["light"]] = c.get(row["light"], 0) + row["n"]
        c["total"] += row["n"]
        flagged_total += row["flagged"]
    # Lean rows: the names shown and the responsible person's dispatching unit in this task force.
    dispatching = Membership.objects.filter(taskforce_id=tf.pk, person_id=OuterRef("responsible_id")).order_by(
        "end_on", "-start_on").values("dispatching_unit__name")[:1]
    flagged = list(open_tasks.filter(is_flagged)
                   .select_related("lead_unit", "responsible").defer(*PERSONAL, "description", "plan")
                   .annotate(dispatching_unit_name=Subquery(dispatching)).order_by("due_at", "id")[:listed])
    by_unit: dict[int | None, list[Any]] = defaultdict(list)
    overdue: list[Any] = []
    for t in flagged:
        if t.light in ("red", "yellow"):
            by_unit[t.lead_unit_id].append(t)
        if t.due_at is not None and t.due_at < now:
            overdue.append(t)
    unit_ids = {mu.unit_id for mu in units}
    sections = [{"unit": mu.unit, "role": mu.get_role_display(), "counts": dict(counts[mu.unit_id]),
                 "flagged": by_unit.get(mu.unit_id, [])} for mu in units]
    others = {k: v for k, v in counts.items() if k not in unit_ids}
    if others:
        total = {"green": 0, "yellow": 0, "red": 0, "total": 0}
        for c in others.values():
            for k in total:
                total[k] += c.get(k, 0)
        sections.append({"unit": None, "role": "", "counts": total,
                         "flagged": [t for k in others for t in by_unit.get(k, [])]})
    # The task force's open disputes, then those whose task the viewer sees (by primary key: a subquery
    # over visible_tasks() costs more than the few disputes there are).
    disputes = list(Dispute.objects.filter(taskforce=tf, status=Dispute.Status.OPEN)
                    .select_related("task").only("id", "task", "opened_at", "bounces", "task__title")
                    .order_by("opened_at", "id")[:FLAGGED_LISTED])
    if disputes:
        seen = set(seen_tasks.filter(pk__in=[d.task_id for d in disputes]).values_list("pk", flat=True))
        disputes = [d for d in disputes if d.task_id in seen]
    missing = missing_reports(tf, day)
    return {"day": day, "units": sections, "overdue": overdue, "disputes": disputes, "missing_reports": missing,
            "missing_available": missing is not None, "flagged_total": flagged_total,
            "flagged_listed": len(flagged), "truncated": flagged_total > len(flagged)}


def summary(agenda: dict[str, Any]) -> dict[str, Any]:
    """The agenda as JSON (the API's meeting detail)."""

    def task(t: Any) -> dict[str, Any]:
        return {"id": t.pk, "title": t.title, "light": t.light, "status": t.status, "due_at": t.due_at,
                "lead_unit": str(t.lead_unit) if t.lead_unit_id else None,
                "responsible": t.responsible.name if t.responsible_id else None,
                "dispatching_unit": getattr(t, "dispatching_unit_name", None)}

    return {
        "day": agenda["day"],
        "units": [{"unit": {"id": s["unit"].pk, "name": str(s["unit"])} if s["unit"] else None,
                   "counts": s["counts"], "flagged": [task(t) for t in s["flagged"]]} for s in agenda["units"]],
        "overdue": [task(t) for t in agenda["overdue"]],
        "disputes": [{"id": d.pk, "task": {"id": d.task_id, "title": d.task.title}, "opened_at": d.opened_at,
                      "bounces": len(d.bounces or [])} for d in agenda["disputes"]],
        "missing_reports": agenda["missing_reports"],
    }
