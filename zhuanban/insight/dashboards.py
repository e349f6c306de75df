"""The dashboards' figures (office / leader / home unit) over a set of task forces.

Everything is counted in the database with GROUP BY over the scope (no row per task or person comes
back to Python, except the ~1,000 task-force rows for the typology).  How a task is on time or overdue,
how reports are timely and acknowledgements late is **not** decided here: those figures come from
``zhuanban.accountability.metrics`` (the one place that defines them); while that module is missing the
dashboard shows the rest and says the figures are pending.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from zhuanban.org.models import Unit
from zhuanban.taskforces import typology
from zhuanban.taskforces.models import Membership, TaskForce
from zhuanban.taskforces.queries import outsider_memberships, outsider_units

WEEKS = 12
TOP_UNITS = 12
WORST = 10
LOAD_BUCKETS = [("≤50%", 0, 50), ("51–80%", 51, 80), ("81–100%", 81, 100), (">100%", 101, None)]
COUNT_BUCKETS = [("1 个", 1, 1), ("2 个", 2, 2), ("3 个", 3, 3), ("4 个及以上", 4, None)]
LATENCY_BUCKETS = [("4 小时内", 0, 4), ("4–24 小时", 4, 24), ("1–3 天", 24, 72), ("3 天以上", 72, None)]


def metrics_module() -> Any | None:
    try:
        from zhuanban.accountability import metrics
    except ImportError:
        return None
    return metrics if hasattr(metrics, "taskforce_figures") else None


def _in(qs: Any, ids: list[int] | None, field: str = "taskforce_id") -> Any:
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def by_type(ids: list[int] | None) -> dict[str, Any]:
    rows = list(_in(TaskForce.objects.all(), ids, "id").values_list(
        "id", "task_nature", "boundary_override", "purpose", "entity_operation", "status"))
    outsiders = set(_in(outsider_units(), ids).values_list("taskforce_id", flat=True)) | set(
        _in(outsider_memberships(), ids).values_list("taskforce_id", flat=True))
    li: dict[str, int] = {code: 0 for code, _, _ in typology.LI_TABLE.values()}
    liu: dict[str, int] = {code: 0 for code, _, _ in typology.LIU_TABLE.values()}
    status: dict[str, int] = dict.fromkeys(TaskForce.Status.values, 0)
    for pk, nature, override, purpose, entity, st in rows:
        boundary = override or (TaskForce.Boundary.CROSS_SECTOR if pk in outsiders
                                else TaskForce.Boundary.CROSS_DEPARTMENT)
        li[typology.LI_TABLE[(nature, boundary)][0]] += 1
        liu[typology.LIU_TABLE[(purpose, entity)][0]] += 1
        status[st] += 1
    li_labels = {code: label for code, label, _ in typology.LI_TABLE.values()}
    liu_labels = {code: label for code, label, _ in typology.LIU_TABLE.values()}
    return {
        "total": len(rows),
        "li": [{"code": c, "label": li_labels[c], "count": n} for c, n in li.items()],
        "liu": [{"code": c, "label": liu_labels[c], "count": n, "warning": c in ("coordination_posture", "gap_filling")}
                for c, n in liu.items()],
        "status": [{"code": s, "label": TaskForce.Status(s).label, "count": n} for s, n in status.items()],
    }


def lights_by_unit(ids: list[int] | None) -> list[dict[str, Any]]:
    """Open tasks' lights (tasks' own stored light) per lead unit; the units with most red, then yellow."""
    from zhuanban.tasks.models import Task

    rows = (_in(Task.objects.exclude(status__in=Task.CLOSED).filter(lead_unit__isnull=False), ids)
            .values("lead_unit_id").annotate(
                red=Count("id", filter=Q(light=Task.Light.RED)), yellow=Count("id", filter=Q(light=Task.Light.YELLOW)),
                green=Count("id", filter=Q(light=Task.Light.GREEN)))
            .order_by("-red", "-yellow", "lead_unit_id")[:TOP_UNITS])
    rows = list(rows)
    names = {u.pk: str(u) for u in Unit.objects.filter(pk__in=[r["lead_unit_id"] for r in rows])}
    return [{"unit_id": r["lead_unit_id"], "unit": names.get(r["lead_unit_id"], ""), "red": r["red"],
             "yellow": r["yellow"], "green": r["green"]} for r in rows]


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def trend(ids: list[int] | None, now: dt.datetime) -> dict[str, Any]:
    """Tasks completed per week (and done on time, by metrics' rule) against tasks due that week: one
    aggregate with a conditional count per week (no per-row date function, so the scope's index serves)."""
    from zhuanban.tasks.models import Task

    m = metrics_module()
    first = _week_start(timezone.localdate(now)) - dt.timedelta(weeks=WEEKS - 1)
    weeks = [first + dt.timedelta(weeks=i) for i in range(WEEKS)]
    edges = [timezone.make_aware(dt.datetime.combine(w, dt.time.min)) for w in weeks]
    edges.append(edges[-1] + dt.timedelta(weeks=1))
    on_time_q = m.done_on_time_q() if m is not None and hasattr(m, "done_on_time_q") else None
    done = Q(status__in=Task.CLOSED)
    ann: dict[str, Any] = {}
    for i in range(WEEKS):
        lo, hi = edges[i], min(edges[i + 1], now) if i == WEEKS - 1 else edges[i + 1]
        ann[f"d{i}"] = Count("id", filter=done & Q(completed_at__gte=lo, completed_at__lt=edges[i + 1]))
        ann[f"u{i}"] = Count("id", filter=Q(due_at__gte=lo, due_at__lt=hi))
        if on_time_q is not None:
            ann[f"o{i}"] = Count("id", filter=done & on_time_q & Q(completed_at__gte=lo, completed_at__lt=edges[i + 1]))
    row = _in(Task.objects.filter(Q(completed_at__gte=edges[0]) | Q(due_at__gte=edges[0], due_at__lte=now)), ids
              ).aggregate(**ann)
    return {
        "weeks": [f"{w:%m-%d}" for w in weeks],
        "done": [row[f"d{i}"] for i in range(WEEKS)],
        "on_time": [row[f"o{i}"] for i in range(WEEKS)] if on_time_q is not None else None,
        "due": [row[f"u{i}"] for i in range(WEEKS)],
    }


def _bucket(value: float, buckets: list[tuple[str, float, float | None]], upper_open: bool = False) -> int:
    for i, (_, lo, hi) in enumerate(buckets):
        if value >= lo and (hi is None or (value < hi if upper_open else value <= hi)):
            return i
    return len(buckets) - 1


def load(ids: list[int] | None) -> dict[str, Any]:
    """Members' load: each person's active secondments summed over all their task forces (the load is
    the person's, not the task force's), for the people seconded into the scope.  Two GROUP BYs in SQL."""
    m = Membership._meta.db_table
    tf = TaskForce._meta.db_table
    open_states = [TaskForce.Status.PLANNING, TaskForce.Status.ACTIVE, TaskForce.Status.SUSPENDED]
    where, params = "", list(open_states)
    if ids is not None:
        if not ids:
            return {"load": [{"label": b[0], "count": 0} for b in LOAD_BUCKETS],
                    "count": [{"label": b[0], "count": 0} for b in COUNT_BUCKETS], "people": 0, "overloaded": 0}
        where = (f" AND m.person_id IN (SELECT person_id FROM {m} WHERE end_on IS NULL AND taskforce_id IN "
                 f"({', '.join(['%s'] * len(ids))}))")
        params += list(ids)
    inner = (f"SELECT m.person_id, SUM(m.workload_pct) AS pct, COUNT(DISTINCT m.taskforce_id) AS n FROM {m} m "
             f"JOIN {tf} t ON t.id = m.taskforce_id WHERE m.end_on IS NULL AND t.status IN (%s, %s, %s){where} "
             f"GROUP BY m.person_id")
    pct_case = " ".join(f"WHEN pct <= {hi} THEN {i}" for i, (_, _, hi) in enumerate(LOAD_BUCKETS) if hi is not None)
    n_case = " ".join(f"WHEN n <= {hi} THEN {i}" for i, (_, _, hi) in enumerate(COUNT_BUCKETS) if hi is not None)
    sql = (f"SELECT CASE {pct_case} ELSE {len(LOAD_BUCKETS) - 1} END AS b1, "
           f"CASE {n_case} ELSE {len(COUNT_BUCKETS) - 1} END AS b2, COUNT(*) FROM ({inner}) x GROUP BY b1, b2")
    loads, counts = [0] * len(LOAD_BUCKETS), [0] * len(COUNT_BUCKETS)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for b1, b2, n in cur.fetchall():
            loads[b1] += n
            counts[b2] += n
    return {"load": [{"label": b[0], "count": n} for b, n in zip(LOAD_BUCKETS, loads, strict=True)],
            "count": [{"label": b[0], "count": n} for b, n in zip(COUNT_BUCKETS, counts, strict=True)],
            "people": sum(loads), "overloaded": loads[-1]}


def _rate(num: int, den: int) -> float | None:
    return round(num * 100 / den, 1) if den else None


FIGURE_FIELDS = ("tasks_owned", "tasks_done", "done_on_time", "overdue", "reports_due", "reports_on_time",
                 "acks_required", "acks_done", "ack_latency_hours_median")
TF_FIGURES = "tf_figures"


def per_taskforce(ids: list[int] | None) -> dict[int, dict[str, Any]]:
    """``metrics.taskforce_figures`` (its definitions) as plain dicts, for the scope or every task force."""
    m = metrics_module()
    if m is None:
        return {}
    tf_ids = ids if ids is not None else list(TaskForce.objects.values_list("id", flat=True))
    return {pk: {k: getattr(f, k) for k in FIGURE_FIELDS} for pk, f in m.taskforce_figures(tf_ids).items()}


def stored_figures(ids: list[int]) -> tuple[dict[int, dict[str, Any]], str | None]:
    """The per-task-force figures of the nightly snapshot (metrics over a few task forces still takes
    seconds), with the ones the snapshot lacks (task forces set up since) computed now."""
    from .models import DashboardSnapshot

    snap = DashboardSnapshot.objects.filter(key=TF_FIGURES).first()
    stored = snap.data if snap else {}
    out = {pk: stored[str(pk)] for pk in ids if str(pk) in stored}
    missing = [pk for pk in ids if pk not in out]
    if missing:
        out.update(per_taskforce(missing))
    return out, (snap.computed_at.isoformat() if snap and not missing else None)


def figures(ids: list[int] | None, per_tf: dict[int, dict[str, Any]] | None = None,
            at: str | None = None) -> dict[str, Any]:
    """Task, report and acknowledgement figures summed over the scope from ``metrics.taskforce_figures``
    (its definitions), the worst report timeliness and the acknowledgement-latency spread per task force."""
    if metrics_module() is None:
        return {"available": False}
    if per_tf is None:
        per_tf, at = (per_taskforce(None), None) if ids is None else stored_figures(ids)
    tot: dict[str, int] = dict.fromkeys(("tasks_owned", "tasks_done", "done_on_time", "overdue", "reports_due",
                                         "reports_on_time", "acks_required", "acks_done"), 0)
    latencies: list[float] = []
    worst = []
    for pk, f in per_tf.items():
        for k in tot:
            tot[k] += f[k]
        if f["ack_latency_hours_median"] is not None:
            latencies.append(f["ack_latency_hours_median"])
        if f["reports_due"]:
            worst.append((f["reports_on_time"] / f["reports_due"], pk, f))
    worst.sort(key=lambda t: (t[0], -t[2]["reports_due"]))
    names = dict(TaskForce.objects.filter(pk__in=[pk for _, pk, _ in worst[:WORST]]).values_list("id", "name"))
    spread = [0] * len(LATENCY_BUCKETS)
    for h in latencies:
        spread[_bucket(h, LATENCY_BUCKETS, upper_open=True)] += 1
    return {
        "available": True, "as_of": at, **tot,
        "on_time_rate": _rate(tot["done_on_time"], tot["tasks_done"]),
        "report_timeliness": _rate(tot["reports_on_time"], tot["reports_due"]),
        "ack_rate": _rate(tot["acks_done"], tot["acks_required"]),
        "ack_latency_hours_median": round(statistics.median(latencies), 1) if latencies else None,
        "ack_latency": [{"label": b[0], "count": n} for b, n in zip(LATENCY_BUCKETS, spread, strict=True)],
        "report_worst": [{"taskforce_id": pk, "name": names.get(pk, ""), "due": f["reports_due"],
                          "on_time": f["reports_on_time"], "rate": _rate(f["reports_on_time"], f["reports_due"])}
                         for _, pk, f in worst[:WORST]],
    }


def build(ids: list[int] | None, *, now: dt.datetime | None = None,
          per_tf: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    from zhuanban.tasks.models import Task

    tasks = _in(Task.objects.all(), ids).aggregate(total=Count("id"), open=Count("id", filter=~Q(status__in=Task.CLOSED)))
    return {
        "generated_at": now.isoformat(),
        "taskforces": by_type(ids),
        "tasks": {"total": tasks["total"], "open": tasks["open"]},
        "lights_by_unit": lights_by_unit(ids),
        "trend": trend(ids, now),
        "load": load(ids),
        "figures": figures(ids, per_tf),
    }
