"""Reminders (定时提醒): the rules, the sweep that generates them, and the registry of reminder sources.

Rules (``ReminderRule`` rows; a task force's own rule wins over the office-wide one with no task force,
which wins over the built-in default: task due in 1 working day, overdue, acknowledgement pending, all
enabled):
- ``task_due``: an open task (dispatched or later, not done) whose deadline falls in the window of "N working
  days from today" — after the end of the (N−1)-th workday from today and up to the end of the N-th — gets
  one reminder for its responsible person.  N is the rule's ``days_before``, or the person's own
  ``PersonPreference.days_before`` where the rule allows tuning.  The sweep makes reminders on workdays
  only, so a task due the first workday after National Day is reminded on the last workday before it.
- ``task_overdue``: an open task past its deadline: one reminder per workday.
- ``ack_pending``: a receipt that requires acknowledgement, not yet acknowledged, due by the end of the next
  workday: one reminder per workday.
- sources: other apps register ``register_reminder_source(name, fn)``; ``fn(now, today)`` returns
  :class:`ReminderSpec` items (report due today and not filed, meeting tomorrow, …).

Exactly once: every reminder is an :class:`~.models.InboxItem` with a unique ``key``
``<rule>:<subject>:<id>:<person>:<occurrence>``; the sweep inserts with ``INSERT … SELECT … ON CONFLICT DO
NOTHING`` (SQLite and PostgreSQL), so re-running a sweep, two schedulers, or a worker killed mid-batch and
restarted never makes a reminder twice.  The task table is walked in id ranges (``CHUNK``), each range one
transaction: a crash loses at most the range in progress, which the next run makes.
Pushes: one group-robot message per task force and range with the count (quiet hours: it waits until
morning); the in-app item exists at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import CharField, DateTimeField, F, IntegerField, Max, Min, Q, Value
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone

from zhuanban.core import workdays
from zhuanban.tasks.models import Task

from . import hours
from .models import Channel, Delivery, InboxItem, PersonPreference, Priority, ReminderRule

CHUNK = 100_000
DEFAULT_DAYS_BEFORE = 1


@dataclass(frozen=True)
class ReminderSpec:
    person_id: int
    title: str
    subject_kind: str
    subject_id: int
    occurrence: str  # e.g. the period or the date: one reminder per occurrence
    taskforce_id: int | None = None
    due_at: dt.datetime | None = None
    link: str = ""
    priority: int = Priority.NORMAL


SOURCES: dict[str, Callable[[dt.datetime, dt.date], Iterable[ReminderSpec]]] = {}
EVERY_DAY: set[str] = set()  # sources the sweep also calls on rest days (duty rosters work every day)


def register_reminder_source(name: str, fn: Callable[[dt.datetime, dt.date], Iterable[ReminderSpec]], *,
                             every_day: bool = False) -> None:
    """Plug a reminder source in (``sources.py``: "report due today and not filed", "meeting tomorrow",
    "today's on-duty person").  ``fn(now, today)`` is called by every sweep on a workday (and on rest days
    too with ``every_day``)."""
    if len(name) > 40:
        raise ValueError("a reminder source name has at most 40 characters")
    SOURCES[name] = fn
    if every_day:
        EVERY_DAY.add(name)
    else:
        EVERY_DAY.discard(name)


def source_key(name: str, s: ReminderSpec) -> str:
    """The exactly-once key of a source's reminder: one per source, subject, person and occurrence."""
    return f"src:{name}:{s.subject_kind}:{s.subject_id}:{s.person_id}:{s.occurrence}"[:160]


SOURCE_BATCH = 2000


def insert_specs(name: str, specs: Iterable[ReminderSpec], now: dt.datetime) -> int:
    """Put a source's reminders into the inbox, each at most once (unique ``key``); the rows made.
    Batches of ``SOURCE_BATCH``, each its own transaction (a crash loses at most one batch, which the
    next run makes)."""
    made = 0
    batch: list[InboxItem] = []

    def flush() -> int:
        keys = [r.key for r in batch]
        with transaction.atomic():
            before = InboxItem.objects.filter(key__in=keys).count()
            InboxItem.objects.bulk_create(batch, batch_size=SOURCE_BATCH, ignore_conflicts=True)
            return InboxItem.objects.filter(key__in=keys).count() - before

    seen: set[str] = set()
    for s in specs:
        key = source_key(name, s)
        if key in seen:
            continue
        seen.add(key)
        batch.append(InboxItem(
            person_id=s.person_id, kind=InboxItem.Kind.REMINDER, priority=s.priority, title=s.title[:200],
            taskforce_id=s.taskforce_id, due_at=s.due_at, subject_kind=s.subject_kind[:16],
            subject_id=s.subject_id, link=s.link[:200], created_at=now, delivered_at=now, key=key))
        if len(batch) >= SOURCE_BATCH:
            made += flush()
            batch = []
    if batch:
        made += flush()
    return made


class InjectedFailure(RuntimeError):
    """Raised by the sweep's test hook (``fail_after``) to simulate a worker killed mid-batch."""


# ---- rule resolution -----------------------------------------------------------------------------------


@dataclass
class Resolved:
    default_days: int
    default_enabled: bool
    default_tuning: bool
    by_tf: dict[int, ReminderRule]


def _resolve(kind: str) -> Resolved:
    rules = list(ReminderRule.objects.filter(kind=kind, source=""))
    office = next((r for r in rules if r.taskforce_id is None), None)
    return Resolved(office.days_before if office else DEFAULT_DAYS_BEFORE, office.enabled if office else True,
                    office.allow_person_tuning if office else True,
                    {r.taskforce_id: r for r in rules if r.taskforce_id is not None})


def _tf_in(ids: Iterable[int]) -> Q:
    return Q(taskforce_id__in=sorted(set(ids)))


def _enabled_q(res: Resolved) -> Q:
    explicit = list(res.by_tf)
    on = [t for t, r in res.by_tf.items() if r.enabled]
    return _tf_in(on) | (~_tf_in(explicit) if res.default_enabled else Q(pk__in=[]))


def _key(prefix: str, person: str, occurrence: str) -> Concat:
    return Concat(Value(prefix), Cast("id", CharField()), Value(":"), Cast(person, CharField()),
                  Value(f":{occurrence}"), output_field=CharField())


COLUMNS = ["person_id", "kind", "priority", "title", "body", "taskforce_id", "requires_ack", "due_at",
           "subject_kind", "subject_id", "link", "key", "created_at", "delivered_at", "reminders"]


def _insert_select(qs: Any, *, person: str, title: Any, subject_kind: str, key: Concat, link: Any,
                   now: dt.datetime, due: str = "due_at", tf: str = "taskforce_id",
                   priority: int = Priority.NORMAL) -> int:
    """``INSERT INTO inbox (…) SELECT … FROM <qs> ON CONFLICT DO NOTHING``; the rows inserted."""
    stamp = Value(now, output_field=DateTimeField())
    select = qs.order_by().annotate(
        c_person=F(person), c_kind=Value(InboxItem.Kind.REMINDER.value, output_field=CharField()),
        c_priority=Value(int(priority), output_field=IntegerField()),
        c_title=Substr(title, 1, 200), c_body=Value("", output_field=CharField()), c_tf=F(tf),
        c_ack=Value(False), c_due=F(due), c_sk=Value(subject_kind, output_field=CharField()), c_sid=F("id"),
        c_link=link, c_key=key, c_created=stamp, c_delivered=stamp,
        c_rem=Value(0, output_field=IntegerField()),
    ).values("c_person", "c_kind", "c_priority", "c_title", "c_body", "c_tf", "c_ack", "c_due", "c_sk", "c_sid",
             "c_link", "c_key", "c_created", "c_delivered", "c_rem")
    sql, params = select.query.sql_with_params()
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in COLUMNS)
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {qn(InboxItem._meta.db_table)} ({cols}) {sql} ON CONFLICT DO NOTHING", params)
        return max(cur.rowcount, 0)


def _task_link() -> Concat:
    return Concat(Value("/tasks/"), Cast("id", CharField()), Value("/"), output_field=CharField())


def _open_tasks() -> Any:
    return Task.objects.filter(responsible__isnull=False, due_at__isnull=False).exclude(
        status__in=[*Task.CLOSED, Task.Status.DRAFT])


def _windows(today: dt.date, now: dt.datetime, ns: set[int]) -> dict[int, tuple[dt.datetime, dt.datetime]]:
    out = {}
    for n in sorted(ns):
        if n == 0:
            out[n] = (now, workdays.add_workdays(today, 0))
        else:
            out[n] = (workdays.add_workdays(today, n - 1), workdays.add_workdays(today, n))
    return out


def _task_due(base: Any, today: dt.date, now: dt.datetime) -> int:
    res = _resolve(ReminderRule.Kind.TASK_DUE)
    prefs = PersonPreference.objects.all()
    pref_ns = set(prefs.filter(days_before__isnull=False).values_list("days_before", flat=True).distinct())
    ns = {res.default_days, *(r.days_before for r in res.by_tf.values()), *pref_ns}
    muted = Q(responsible_id__in=prefs.filter(task_due=False).values("person_id"))
    overridden = Q(responsible_id__in=prefs.filter(days_before__isnull=False).values("person_id"))
    explicit = list(res.by_tf)
    tuning = _tf_in(t for t, r in res.by_tf.items() if r.allow_person_tuning) | (
        ~_tf_in(explicit) if res.default_tuning else Q(pk__in=[]))
    total = 0
    for n, (lo, hi) in _windows(today, now, ns).items():
        tf_n = _tf_in(t for t, r in res.by_tf.items() if r.days_before == n) | (
            ~_tf_in(explicit) if res.default_days == n else Q(pk__in=[]))
        person_n = Q(responsible_id__in=prefs.filter(days_before=n).values("person_id"))
        cond = (tf_n & ~(overridden & tuning)) | (person_n & tuning)
        qs = base.filter(_enabled_q(res), cond, due_at__gt=lo, due_at__lte=hi).exclude(muted)
        occurrence = timezone.localtime(hi).date().isoformat()
        title = Concat(Value(f"【{n} 个工作日内到期】" if n else "【今日到期】"), F("title"), output_field=CharField())
        total += _insert_select(qs, person="responsible_id", title=title, subject_kind="task",
                                key=_key(f"task_due{n}:task:", "responsible_id", occurrence), link=_task_link(),
                                now=now)
    return total


def _task_overdue(base: Any, today: dt.date, now: dt.datetime) -> int:
    res = _resolve(ReminderRule.Kind.TASK_OVERDUE)
    muted = Q(responsible_id__in=PersonPreference.objects.filter(task_overdue=False).values("person_id"))
    qs = base.filter(_enabled_q(res), due_at__lt=now).exclude(muted)
    title = Concat(Value("【已逾期】"), F("title"), output_field=CharField())
    return _insert_select(qs, person="responsible_id", title=title, subject_kind="task",
                          key=_key("task_overdue:task:", "responsible_id", today.isoformat()), link=_task_link(),
                          now=now)


def _ack_pending(today: dt.date, now: dt.datetime) -> int:
    res = _resolve(ReminderRule.Kind.ACK_PENDING)
    qs = InboxItem.objects.filter(_enabled_q(res) | Q(taskforce__isnull=True), kind=InboxItem.Kind.NOTICE,
                                  requires_ack=True, acked_at__isnull=True, due_at__gt=now,
                                  due_at__lte=workdays.add_workdays(today, 1))
    title = Concat(Value("【待确认接收】"), F("title"), output_field=CharField())
    link = Concat(Value("/inbox/?item="), Cast("id", CharField()), output_field=CharField())
    return _insert_select(qs, person="person_id", title=title, subject_kind="receipt",
                          key=_key("ack_pending:receipt:", "person_id", today.isoformat()), link=link, now=now)


def _sources(today: dt.date, now: dt.datetime, *, rest_day: bool = False) -> int:
    made = 0
    disabled = {(r.taskforce_id, r.source) for r in ReminderRule.objects.filter(kind=ReminderRule.Kind.SOURCE,
                                                                               enabled=False)}
    for name, fn in list(SOURCES.items()):
        if (None, name) in disabled or (rest_day and name not in EVERY_DAY):
            continue
        made += insert_specs(name, (s for s in fn(now, today) if (s.taskforce_id, name) not in disabled), now)
    return made


def _summaries(now: dt.datetime, id_lo: int | None = None, id_hi: int | None = None) -> int:
    """One group-robot push per task force with the reminders just made (``created_at == now``)."""
    chans = list(Channel.objects.filter(enabled=True).exclude(kind=Channel.Kind.EMAIL))
    if not chans:
        return 0
    qs = InboxItem.objects.filter(kind=InboxItem.Kind.REMINDER, created_at=now,
                                  taskforce_id__in={c.taskforce_id for c in chans})
    if id_lo is not None:
        qs = qs.filter(subject_kind="task", subject_id__gte=id_lo, subject_id__lt=id_hi)
    from django.db.models import Count

    counts = dict(qs.values_list("taskforce_id").annotate(n=Count("id")).values_list("taskforce_id", "n"))
    when = hours.push_time(now, urgent=False)
    rows = [Delivery(channel=c, kind=c.kind, taskforce_id=c.taskforce_id, target=c.url.split("/")[2] if "//" in c.url
                     else "", subject="【定时提醒】", text=f"本轮共生成 {counts[c.taskforce_id]} 条提醒（到期、逾期、待确认），"
                     "请相关责任人登录收件箱查看。", next_attempt_at=when)
            for c in chans if counts.get(c.taskforce_id)]
    Delivery.objects.bulk_create(rows)
    return len(rows)


def run_sweep(now: dt.datetime | None = None, *, chunk: int = CHUNK, fail_after: int | None = None) -> dict[str, Any]:
    """One reminder sweep.  ``fail_after=K`` (tests only) raises after the K-th task range has been
    written, inside that range's transaction, as a killed worker would."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if not workdays.is_workday(today):
        return {"skipped": "not_a_workday", "sources": _sources(today, now, rest_day=True)}
    counts = {"task_due": 0, "task_overdue": 0, "ack_pending": 0, "sources": 0, "pushes": 0}
    bounds = _open_tasks().aggregate(lo=Min("id"), hi=Max("id"))
    done = 0
    if bounds["lo"] is not None:
        for lo in range(bounds["lo"], bounds["hi"] + 1, chunk):
            with transaction.atomic():
                base = _open_tasks().filter(id__gte=lo, id__lt=lo + chunk)
                counts["task_due"] += _task_due(base, today, now)
                counts["task_overdue"] += _task_overdue(base, today, now)
                counts["pushes"] += _summaries(now, lo, lo + chunk)
                done += 1
                if fail_after is not None and done >= fail_after:
                    raise InjectedFailure(f"injected after {done} ranges")
    with transaction.atomic():
        counts["ack_pending"] = _ack_pending(today, now)
    counts["sources"] = _sources(today, now)
    return counts
