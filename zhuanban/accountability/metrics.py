"""Accountability figures — the ONE place that says how a person's, a unit's or a task force's work is
counted from the tasks, reports, meetings and notices data.  Assessment (objective indicators) and insight
(dashboards) compute from here; a dashboard grouping by region uses the expressions below so "overdue"
means the same thing everywhere.

Definitions (each reuses the owning app's rule, it does not restate it):

- a task is **done** when its status is in ``Task.CLOSED`` and **open** otherwise (``tasks.lights.OPEN``);
- **done on time**: done and ``completed_at`` (when completion was applied for, ``tasks.services.complete``)
  is not after ``due_at`` (a task without a deadline is on time);
- **overdue**: open and past its deadline now (the red light's rule, ``tasks.lights.conditions``), or done
  late (``completed_at > due_at``);
- **owned**: a person owns the tasks where they are ``responsible`` (责任人); a unit the tasks it leads
  (``lead_unit``, 牵头决策主责单位); a task force its own tasks;
- **returned**: dispatch hops the subject sent back (``Dispatch.Status.RETURNED`` to the person / unit; for
  a task force, the returned hops of its tasks);
- **disputes caused**: disputes (推诿争议) opened on a task after the subject had returned a hop of it; for
  a task force, the disputes opened on its tasks.  **Resolved**: disputes ruled with the subject as the
  owner (it took the bounced task on); for a task force, its disputes that were ruled;
- **assisted**: done tasks led by someone else in which the subject helped — a unit as a cooperating unit
  (配合执行责任单位) of a task led by another unit; a person who signed a hop of, or reported progress on,
  a task whose 责任人 is someone else; a task force that received (``to_taskforce``) a task of another
  task force;
- **joint done**: done tasks with more than one responsible unit (lead + cooperating units, counted
  distinct) in which the subject took part (owned or assisted);
- **reports**: an obligation is one period of a report template the subject files (a liaison files for
  its member unit, key ``u<unit>``; a named filer for themself, ``p<person>``), whose due time has passed
  (``reports.periods``); **on time** = submitted and not late (``reports.queries.row_status`` ==
  ``on_time``).  Periods are counted from the task force's establishment (at most the last
  ``REPORT_WINDOW_DAYS``) or from ``start``, up to ``end`` or today;
- **meetings**: attendance rows of held meetings (expected); attended = 出席 (for a unit, also when a
  substitute went for it);
- **acknowledgements**: inbox items that require acknowledgement (``notices.InboxItem.requires_ack``);
  done when ``acked_at`` is set; latency = ``acked_at − created_at`` in hours, median over the acked ones.
  A unit's are its home staff's items.

Period (``start``/``end``, dates, both inclusive): tasks by deadline (a task without one by its completion
date), returned hops by ``returned_at``, disputes by ``opened_at``, meetings by ``starts_at``, inbox items
by ``created_at``.  Filtering by ``taskforce_ids`` keeps only those task forces' rows.

Every function runs a fixed number of queries whatever the number of subjects.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

REPORT_WINDOW_DAYS = 366


@dataclass(frozen=True)
class Figures:
    tasks_owned: int = 0
    tasks_done: int = 0
    done_on_time: int = 0
    overdue: int = 0  # open and past due now, or done late
    returned: int = 0
    disputes_caused: int = 0
    disputes_resolved: int = 0
    assisted: int = 0  # done tasks of which another unit/person was the lead, the subject helping
    joint_done: int = 0  # done tasks with more than one responsible unit in which the subject took part
    reports_due: int = 0
    reports_on_time: int = 0
    meetings_expected: int = 0
    meetings_attended: int = 0
    acks_required: int = 0
    acks_done: int = 0
    ack_latency_hours_median: float | None = None

    @staticmethod
    def _rate(num: int, base: int) -> float | None:
        return None if not base else num / base

    @property
    def on_time_rate(self) -> float | None:
        """Done on time over done."""
        return self._rate(self.done_on_time, self.tasks_done)

    @property
    def report_timeliness(self) -> float | None:
        return self._rate(self.reports_on_time, self.reports_due)

    @property
    def attendance_rate(self) -> float | None:
        return self._rate(self.meetings_attended, self.meetings_expected)

    @property
    def ack_rate(self) -> float | None:
        return self._rate(self.acks_done, self.acks_required)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in ("on_time_rate", "report_timeliness", "attendance_rate", "ack_rate"):
            out[name] = getattr(self, name)
        out["collaboration_index"] = collaboration_index(self)
        return out


EMPTY = Figures()


def collaboration_index(f: Figures) -> float:
    """协同指数, 0–100: ``100 × (0.4·J + 0.4·A + 0.2·D)``, rounded to one decimal, where

    - J (joint work) = joint_done / (tasks_done + assisted): the share of the finished work that was joint;
    - A (help given) = assisted / (assisted + tasks_done): the share of finished work done for others;
    - D (disputes) = disputes_resolved / (disputes_caused + disputes_resolved), 1 when neither happened.

    J and A are 0 when nothing is finished, so a subject with no finished work scores 20 (no disputes)."""
    finished = f.tasks_done + f.assisted
    j = f.joint_done / finished if finished else 0.0
    a = f.assisted / finished if finished else 0.0
    d_base = f.disputes_caused + f.disputes_resolved
    d = f.disputes_resolved / d_base if d_base else 1.0
    return round(100 * (0.4 * min(j, 1.0) + 0.4 * a + 0.2 * d), 1)


# ---- reusable expressions (prefix: the path to the task from the model queried, e.g. "tasks__") --------


def _p(prefix: str, q: dict[str, Any]) -> Q:
    return Q(**{f"{prefix}{k}": v for k, v in q.items()})


def done_q(prefix: str = "") -> Q:
    from zhuanban.tasks.models import Task

    return _p(prefix, {"status__in": list(Task.CLOSED)})


def open_q(prefix: str = "") -> Q:
    return ~done_q(prefix)


def done_on_time_q(prefix: str = "") -> Q:
    return done_q(prefix) & (_p(prefix, {"due_at__isnull": True}) | _p(prefix, {"completed_at__isnull": True})
                             | _p(prefix, {"completed_at__lte": F(f"{prefix}due_at")}))


def done_late_q(prefix: str = "") -> Q:
    return done_q(prefix) & _p(prefix, {"completed_at__gt": F(f"{prefix}due_at")})


def overdue_open_q(now: dt.datetime | None = None, prefix: str = "") -> Q:
    """The red light's rule (``tasks.lights.conditions``): open and past the deadline now."""
    return open_q(prefix) & _p(prefix, {"due_at__lt": now or timezone.now()})


def overdue_q(now: dt.datetime | None = None, prefix: str = "") -> Q:
    """Overdue: open and past due now, or done late."""
    return overdue_open_q(now, prefix) | done_late_q(prefix)


def report_on_time_q(prefix: str = "") -> Q:
    """A submission on time (``reports.queries.row_status`` == "on_time")."""
    from zhuanban.reports.models import Submission

    return _p(prefix, {"status": Submission.Status.SUBMITTED, "is_late": False})


def ack_required_q(prefix: str = "") -> Q:
    return _p(prefix, {"requires_ack": True})


def acked_q(prefix: str = "") -> Q:
    return _p(prefix, {"requires_ack": True, "acked_at__isnull": False})


def attended_q(prefix: str = "") -> Q:
    from zhuanban.meetings.models import Attendance

    return _p(prefix, {"status": Attendance.Status.PRESENT})


def task_counts(now: dt.datetime | None = None) -> dict[str, Count]:
    """The aggregate of the task figures at any grain: ``Task.objects.values("lead_unit__region_id")
    .annotate(**task_counts())`` gives owned / done / on_time / overdue per region."""
    now = now or timezone.now()
    return {
        "owned": Count("id"),
        "done": Count("id", filter=done_q()),
        "on_time": Count("id", filter=done_on_time_q()),
        "overdue": Count("id", filter=overdue_q(now)),
    }


# ---- the period -----------------------------------------------------------------------------------


def _bounds(start: dt.date | None, end: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min)) if start else None
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)) if end else None
    return lo, hi


def _in(field: str, start: dt.date | None, end: dt.date | None) -> Q:
    lo, hi = _bounds(start, end)
    q = Q()
    if lo:
        q &= Q(**{f"{field}__gte": lo})
    if hi:
        q &= Q(**{f"{field}__lt": hi})
    return q


def _task_period(start: dt.date | None, end: dt.date | None, prefix: str = "") -> Q:
    if start is None and end is None:
        return Q()
    return _in(f"{prefix}due_at", start, end) | (Q(**{f"{prefix}due_at__isnull": True})
                                                 & _in(f"{prefix}completed_at", start, end))


def _tf(prefix: str, taskforce_ids: Iterable[int] | None) -> Q:
    return Q() if taskforce_ids is None else Q(**{f"{prefix}taskforce_id__in": list(taskforce_ids)})


# ---- building blocks shared by the three grains ---------------------------------------------------


class _Acc:
    """Counters per subject, turned into Figures at the end."""

    def __init__(self, ids: Iterable[int]) -> None:
        self.ids = list(dict.fromkeys(int(i) for i in ids))
        self.c: dict[int, dict[str, Any]] = {i: defaultdict(int) for i in self.ids}
        self.latencies: dict[int, list[float]] = {i: [] for i in self.ids}

    def add(self, subject: int | None, name: str, n: int = 1) -> None:
        if subject in self.c:
            self.c[subject][name] += n

    def result(self) -> dict[int, Figures]:
        out = {}
        for i in self.ids:
            c, lat = self.c[i], self.latencies[i]
            out[i] = Figures(
                tasks_owned=c["owned"], tasks_done=c["done"], done_on_time=c["on_time"], overdue=c["overdue"],
                returned=c["returned"], disputes_caused=c["caused"], disputes_resolved=c["resolved"],
                assisted=c["assisted"], joint_done=c["joint"], reports_due=c["reports_due"],
                reports_on_time=c["reports_on_time"], meetings_expected=c["meetings_expected"],
                meetings_attended=c["meetings_attended"], acks_required=c["acks_required"],
                acks_done=c["acks_done"],
                ack_latency_hours_median=round(statistics.median(lat), 2) if lat else None)
        return out


def _owned(acc: _Acc, group: str, base: Q, now: dt.datetime) -> None:
    from zhuanban.tasks.models import Task

    for row in Task.objects.filter(base).values(group).annotate(**task_counts(now)).order_by():
        for k in ("owned", "done", "on_time", "overdue"):
            acc.add(row[group], k, row[k])


def _joint_among(q: Q, group: str) -> set[tuple[int, int]]:
    """(``group`` value, task id) of the tasks matching ``q`` with more than one responsible unit,
    counted in the database (no list of ids sent back: a task force's 2,000 tasks would make a long
    ``IN``): distinct units = cooperating units + the lead unit unless it is also listed as cooperating."""
    from django.db.models import Exists, OuterRef

    from zhuanban.tasks.models import Task

    through = Task.cooperating_units.through
    lead_listed = Exists(through.objects.filter(task_id=OuterRef("pk"), unit_id=OuterRef("lead_unit_id")))
    return set(Task.objects.filter(q).annotate(nc=Count("cooperating_units", distinct=True), ll=lead_listed)
                .filter(Q(nc__gte=2) | Q(nc=1, lead_unit__isnull=False, ll=False))
                .values_list(group, "id").order_by())


def _acks(acc: _Acc, group: str, base: Q) -> None:
    from zhuanban.notices.models import InboxItem

    for subject, created, acked in InboxItem.objects.filter(base, requires_ack=True).values_list(
            group, "created_at", "acked_at").order_by():
        acc.add(subject, "acks_required")
        if acked is not None:
            acc.add(subject, "acks_done")
            if subject in acc.latencies:
                acc.latencies[subject].append(max((acked - created).total_seconds(), 0) / 3600)


def _meetings(acc: _Acc, group: str, base: Q, attended: Q) -> None:
    from zhuanban.meetings.models import Attendance, Meeting

    for row in Attendance.objects.filter(base, meeting__status=Meeting.Status.HELD).values(group).annotate(
            n=Count("id"), a=Count("id", filter=attended)).order_by():
        acc.add(row[group], "meetings_expected", row["n"])
        acc.add(row[group], "meetings_attended", row["a"])


# ---- reports: the obligations -----------------------------------------------------------------------


def _due_periods(templates: list[Any], first: dt.date, last: dt.date, now: dt.datetime) -> dict[int, list[dt.date]]:
    """Per template, the sorted period starts in [first, last] whose due time has passed.  Templates with
    the same calendar rules share one computation (``reports.periods``); ad hoc periods in one query."""
    from zhuanban.reports import periods
    from zhuanban.reports.models import AdhocPeriod, ReportTemplate

    out: dict[int, list[dt.date]] = {}
    adhoc = [t.pk for t in templates if t.cadence == ReportTemplate.Cadence.ADHOC]
    if adhoc:
        for tid, start in AdhocPeriod.objects.filter(template_id__in=adhoc, start__range=(first, last),
                                                     due_at__lte=now).values_list("template_id", "start").order_by(
                "start"):
            out.setdefault(tid, []).append(start)
    shared: dict[tuple[Any, ...], list[dt.date]] = {}
    for t in templates:
        if t.cadence == ReportTemplate.Cadence.ADHOC:
            out.setdefault(t.pk, [])
            continue
        key = (t.cadence, t.every_day, t.grace_workdays, t.due_time)
        if key not in shared:
            starts = []
            for s in periods.starts_between(t, first, last):
                inf = periods._info(t, s, *periods._days(t, s))
                if inf.due_at <= now:
                    starts.append(s)
            shared[key] = starts
        out[t.pk] = shared[key]
    return out


def _reports(acc: _Acc, obligations: list[tuple[int, Any, str]], start: dt.date | None, end: dt.date | None,
             now: dt.datetime) -> None:
    """``obligations``: (subject, template, filer key).  Counts due periods and on-time submissions."""
    from zhuanban.reports.models import Submission

    if not obligations:
        return
    today = timezone.localdate(now)
    last = min(end or today, today)
    floor = today - dt.timedelta(days=REPORT_WINDOW_DAYS)
    windows: dict[int, dt.date] = {}
    for _, t, _ in obligations:
        windows[t.pk] = start or max(t.taskforce.established_on, floor)
    first = min(windows.values())
    if first > last:
        return
    templates = list({t.pk: t for _, t, _ in obligations}.values())
    due = _due_periods(templates, first, last, now)
    keys = {k for _, _, k in obligations}
    on_time: set[tuple[int, dt.date, str]] = set(
        Submission.objects.filter(report_on_time_q(), template_id__in=list(due), filer_key__in=keys,
                                  period__range=(first, last)).values_list("template_id", "period", "filer_key"))
    for subject, t, key in obligations:
        starts = due.get(t.pk, [])
        lo = bisect.bisect_left(starts, windows[t.pk])
        mine = starts[lo:]
        acc.add(subject, "reports_due", len(mine))
        acc.add(subject, "reports_on_time", sum(1 for s in mine if (t.pk, s, key) in on_time))


def _templates(q: Q, taskforce_ids: Iterable[int] | None) -> list[Any]:
    from zhuanban.reports.models import ReportTemplate

    return list(ReportTemplate.objects.filter(q, _tf("", taskforce_ids), is_active=True).select_related(
        "taskforce").only("id", "cadence", "every_day", "grace_workdays", "due_time", "filers", "taskforce_id",
                          "taskforce__established_on").distinct())


# ---- the three grains -----------------------------------------------------------------------------


def person_figures(person_ids: Iterable[int], *, taskforce_ids: Iterable[int] | None = None,
                   start: dt.date | None = None, end: dt.date | None = None) -> dict[int, Figures]:
    from zhuanban.meetings.models import Attendance  # noqa: F401
    from zhuanban.reports.models import ReportTemplate
    from zhuanban.taskforces.models import Membership
    from zhuanban.tasks.models import Dispatch, Dispute, ProgressUpdate

    acc = _Acc(person_ids)
    if not acc.ids:
        return {}
    ids, now = acc.ids, timezone.now()
    tf_ids = list(taskforce_ids) if taskforce_ids is not None else None
    tq = _task_period(start, end) & _tf("", tf_ids)
    _owned(acc, "responsible_id", Q(responsible_id__in=ids) & tq, now)

    # Returned hops and the disputes they led to: one query over the hops.
    returned = Dispatch.objects.filter(Q(status=Dispatch.Status.RETURNED, to_person_id__in=ids)
                                       & _in("returned_at", start, end) & _tf("task__", tf_ids))
    for row in returned.values("to_person_id").annotate(
            n=Count("id", distinct=True),
            d=Count("task__disputes", distinct=True,
                    filter=Q(task__disputes__opened_at__gte=F("returned_at")))).order_by():
        acc.add(row["to_person_id"], "returned", row["n"])
        acc.add(row["to_person_id"], "caused", row["d"])
    for row in Dispute.objects.filter(Q(status=Dispute.Status.RULED, owner_person_id__in=ids)
                                      & _in("opened_at", start, end) & _tf("", tf_ids)).values(
            "owner_person_id").annotate(n=Count("id")).order_by():
        acc.add(row["owner_person_id"], "resolved", row["n"])

    # Help given: hops signed by / progress reported by the person on done tasks someone else owns.
    done_other = done_q("task__") & _task_period(start, end, "task__") & _tf("task__", tf_ids)
    pairs: set[tuple[int, int]] = set(Dispatch.objects.filter(
        done_other, signed_by_id__in=ids, status=Dispatch.Status.SIGNED).filter(
        ~Q(task__responsible_id=F("signed_by_id")) | Q(task__responsible__isnull=True)).values_list(
        "signed_by_id", "task_id").order_by())
    pairs |= set(ProgressUpdate.objects.filter(done_other, author__person__in=ids).filter(
        ~Q(task__responsible_id=F("author__person__id")) | Q(task__responsible__isnull=True)).values_list(
        "author__person__id", "task_id").order_by())
    pairs = {(p, t) for p, t in pairs if p is not None}
    for p, _ in pairs:
        acc.add(p, "assisted")
    owned_joint = _joint_among(Q(responsible_id__in=ids) & tq & done_q(), "responsible_id")
    helped_joint = {t for t, _ in _joint_among(Q(pk__in={t for _, t in pairs}), "id")}
    for p, _t in owned_joint | {(p, t) for p, t in pairs if t in helped_joint}:
        acc.add(p, "joint")

    # Reports: as a liaison for the member unit, or as a named filer.
    liaison: dict[int, list[tuple[int, int]]] = defaultdict(list)  # taskforce -> [(person, unit)]
    for tf_id, pid, uid in Membership.objects.filter(
            Q(person_id__in=ids, role=Membership.Role.LIAISON, end_on__isnull=True, member_unit__isnull=False,
              member_unit__left_on__isnull=True) & _tf("", tf_ids)).values_list(
            "taskforce_id", "person_id", "member_unit__unit_id"):
        liaison[tf_id].append((pid, uid))
    named: dict[int, list[int]] = defaultdict(list)
    for tid, pid in ReportTemplate.filer_people.through.objects.filter(
            person_id__in=ids, reporttemplate__is_active=True).values_list("reporttemplate_id", "person_id"):
        named[tid].append(pid)
    templates = _templates(Q(filers=ReportTemplate.Filers.LIAISONS, taskforce_id__in=list(liaison))
                           | Q(filers=ReportTemplate.Filers.PEOPLE, pk__in=list(named)), tf_ids)
    obligations: list[tuple[int, Any, str]] = []
    for t in templates:
        if t.filers == ReportTemplate.Filers.PEOPLE:
            obligations += [(pid, t, f"p{pid}") for pid in named.get(t.pk, [])]
        else:
            obligations += [(pid, t, f"u{uid}") for pid, uid in liaison.get(t.taskforce_id, [])]
    _reports(acc, obligations, start, end, now)

    _meetings(acc, "person_id", Q(person_id__in=ids) & _in("meeting__starts_at", start, end)
              & _tf("meeting__", tf_ids), attended_q())
    _acks(acc, "person_id", Q(person_id__in=ids) & _in("created_at", start, end) & _tf("", tf_ids))
    return acc.result()


def unit_figures(unit_ids: Iterable[int], *, taskforce_ids: Iterable[int] | None = None,
                 start: dt.date | None = None, end: dt.date | None = None) -> dict[int, Figures]:
    from zhuanban.reports.models import ReportTemplate
    from zhuanban.taskforces.models import MemberUnit
    from zhuanban.tasks.models import Dispatch, Dispute, Task

    acc = _Acc(unit_ids)
    if not acc.ids:
        return {}
    ids, now = acc.ids, timezone.now()
    tf_ids = list(taskforce_ids) if taskforce_ids is not None else None
    tq = _task_period(start, end) & _tf("", tf_ids)
    _owned(acc, "lead_unit_id", Q(lead_unit_id__in=ids) & tq, now)

    returned = Dispatch.objects.filter(Q(status=Dispatch.Status.RETURNED, to_unit_id__in=ids)
                                       & _in("returned_at", start, end) & _tf("task__", tf_ids))
    for row in returned.values("to_unit_id").annotate(
            n=Count("id", distinct=True),
            d=Count("task__disputes", distinct=True,
                    filter=Q(task__disputes__opened_at__gte=F("returned_at")))).order_by():
        acc.add(row["to_unit_id"], "returned", row["n"])
        acc.add(row["to_unit_id"], "caused", row["d"])
    for row in Dispute.objects.filter(Q(status=Dispute.Status.RULED, owner_unit_id__in=ids)
                                      & _in("opened_at", start, end) & _tf("", tf_ids)).values(
            "owner_unit_id").annotate(n=Count("id")).order_by():
        acc.add(row["owner_unit_id"], "resolved", row["n"])

    # Help given: cooperating unit of a done task another unit leads (or no unit leads).
    coop = set(Task.cooperating_units.through.objects.filter(
        Q(unit_id__in=ids) & done_q("task__") & _task_period(start, end, "task__") & _tf("task__", tf_ids)
    ).exclude(task__lead_unit_id=F("unit_id")).values_list("unit_id", "task_id").order_by())
    for u, _ in coop:
        acc.add(u, "assisted")
    # Joint: the done tasks it led (counted in the database) and those it helped on (their ids checked).
    led_joint = _joint_among(Q(lead_unit_id__in=ids) & tq & done_q(), "lead_unit_id")
    coop_joint = {t for t, _ in _joint_among(Q(pk__in={t for _, t in coop}), "id")}
    for u, _t in led_joint | {(u, t) for u, t in coop if t in coop_joint}:
        acc.add(u, "joint")

    members = list(MemberUnit.objects.filter(Q(unit_id__in=ids, left_on__isnull=True) & _tf("", tf_ids))
                   .values_list("taskforce_id", "unit_id"))
    by_tf: dict[int, list[int]] = defaultdict(list)
    for tf_id, uid in members:
        by_tf[tf_id].append(uid)
    templates = _templates(Q(filers=ReportTemplate.Filers.LIAISONS, taskforce_id__in=list(by_tf)), tf_ids)
    _reports(acc, [(uid, t, f"u{uid}") for t in templates for uid in by_tf.get(t.taskforce_id, [])],
             start, end, now)

    _meetings(acc, "unit_id", Q(unit_id__in=ids) & _in("meeting__starts_at", start, end)
              & _tf("meeting__", tf_ids), attended_q() | Q(substitute__isnull=False))
    _acks(acc, "person__home_unit_id", Q(person__home_unit_id__in=ids) & _in("created_at", start, end)
          & _tf("", tf_ids))
    return acc.result()


def taskforce_figures(taskforce_ids: Iterable[int], *, start: dt.date | None = None,
                      end: dt.date | None = None) -> dict[int, Figures]:
    from zhuanban.reports.models import ReportTemplate
    from zhuanban.taskforces.models import MemberUnit
    from zhuanban.tasks.models import Dispatch, Dispute

    acc = _Acc(taskforce_ids)
    if not acc.ids:
        return {}
    ids, now = acc.ids, timezone.now()
    tq = _task_period(start, end) & Q(taskforce_id__in=ids)
    _owned(acc, "taskforce_id", tq, now)

    for row in Dispatch.objects.filter(Q(status=Dispatch.Status.RETURNED, task__taskforce_id__in=ids)
                                       & _in("returned_at", start, end)).values("task__taskforce_id").annotate(
            n=Count("id")).order_by():
        acc.add(row["task__taskforce_id"], "returned", row["n"])
    for row in Dispute.objects.filter(Q(taskforce_id__in=ids) & _in("opened_at", start, end)).values(
            "taskforce_id").annotate(n=Count("id"), r=Count("id", filter=Q(status=Dispute.Status.RULED))).order_by():
        acc.add(row["taskforce_id"], "caused", row["n"])
        acc.add(row["taskforce_id"], "resolved", row["r"])

    helped = set(Dispatch.objects.filter(
        Q(to_taskforce_id__in=ids, status=Dispatch.Status.SIGNED) & done_q("task__")
        & _task_period(start, end, "task__")).exclude(task__taskforce_id=F("to_taskforce_id")).values_list(
        "to_taskforce_id", "task_id").order_by())
    for tf_id, _ in helped:
        acc.add(tf_id, "assisted")
    own_joint = _joint_among(tq & done_q(), "taskforce_id")
    helped_joint = {t for t, _ in _joint_among(Q(pk__in={t for _, t in helped}), "id")}
    for tf_id, _t in own_joint | {(tf_id, t) for tf_id, t in helped if t in helped_joint}:
        acc.add(tf_id, "joint")

    # Reports: every filer of every active template of the task force.
    units: dict[int, list[int]] = defaultdict(list)
    for tf_id, uid in MemberUnit.objects.filter(taskforce_id__in=ids, left_on__isnull=True).values_list(
            "taskforce_id", "unit_id"):
        units[tf_id].append(uid)
    templates = _templates(Q(taskforce_id__in=ids), None)
    named: dict[int, list[int]] = defaultdict(list)
    people_templates = [t.pk for t in templates if t.filers == ReportTemplate.Filers.PEOPLE]
    if people_templates:
        for tid, pid in ReportTemplate.filer_people.through.objects.filter(
                reporttemplate_id__in=people_templates).values_list("reporttemplate_id", "person_id"):
            named[tid].append(pid)
    obligations: list[tuple[int, Any, str]] = []
    for t in templates:
        if t.filers == ReportTemplate.Filers.PEOPLE:
            obligations += [(t.taskforce_id, t, f"p{pid}") for pid in named.get(t.pk, [])]
        else:
            obligations += [(t.taskforce_id, t, f"u{uid}") for uid in units.get(t.taskforce_id, [])]
    _reports(acc, obligations, start, end, now)

    _meetings(acc, "meeting__taskforce_id", Q(meeting__taskforce_id__in=ids) & _in("meeting__starts_at", start, end),
              attended_q())
    _acks(acc, "taskforce_id", Q(taskforce_id__in=ids) & _in("created_at", start, end))
    return acc.result()
