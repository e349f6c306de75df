"""The scheduler (``zhuanban scheduler``): periodic sweeps, enqueued as background tasks, each slot once.

A sweep is registered with a name, a schedule and a django-tasks ``@task``::

    register("tasks.lights", every=timedelta(minutes=15), task=recompute_lights_sweep)
    register("accounts.sweep", every="15 2 * * *", task=accounts_sweep)      # cron: minute hour dom month dow

Every tick (30 s by default) the scheduler works out, for each sweep, the start of the slot it is in (the
latest time the sweep was due) and claims it by inserting a :class:`~zhuanban.core.models.SweepRun` row
(unique on name + slot).  Only the scheduler whose insert succeeds enqueues the task: two schedulers
running at once, or one restarted inside a slot, never enqueue the same slot twice.  A slot missed while no
scheduler ran is caught up once (the latest one only, not every missed slot): sweeps are idempotent.

With the database task backend the claim and the enqueued task are one transaction (exactly once).  With
another backend (RQ) the task is enqueued after the claim commits: a crash between the two loses that slot
(at most once; the next slot runs) rather than running it twice.  A claimed slot without ``enqueued_at``
is that case, and is logged.

Schedules are in the project's time zone (``ZHUANBAN_TIME_ZONE``, Asia/Shanghai): ``every`` intervals are
counted from local midnight of 2000-01-01, so ``every=timedelta(hours=6)`` runs at 00:00, 06:00, ….
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 30.0  # seconds between ticks


# ---- schedules ---------------------------------------------------------------------------------------


def _local(now: dt.datetime) -> dt.datetime:
    return timezone.localtime(now, timezone.get_current_timezone())


@dataclass(frozen=True)
class Every:
    """A fixed interval, aligned to local midnight of 2000-01-01 (so a day starts at 00:00)."""

    interval: dt.timedelta

    def __post_init__(self) -> None:
        if self.interval < dt.timedelta(minutes=1):
            raise ValueError("a sweep interval must be at least one minute")

    def latest(self, now: dt.datetime) -> dt.datetime:
        # Counted in UTC (absolute time), shown in local time.
        anchor = dt.datetime(2000, 1, 1, tzinfo=timezone.get_current_timezone()).astimezone(dt.UTC)
        steps = (now - anchor) // self.interval
        return _local(anchor + steps * self.interval)

    def describe(self) -> str:
        return f"every {self.interval}"


def _cron_field(text: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
            if step < 1:
                raise ValueError(f"bad step in {text!r}")
        if part == "*":
            start, end = low, high
        elif "-" in part:
            a, b = part.split("-", 1)
            start, end = int(a), int(b)
        else:
            start = int(part)
            end = high if step > 1 else start
        if not (low <= start <= end <= high):
            raise ValueError(f"{text!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    """A five-field cron expression: minute hour day-of-month month day-of-week (0 or 7 = Sunday).

    Numbers, ``*``, ranges ``a-b``, lists ``a,b`` and steps ``*/n`` are understood; as in cron, when both
    day fields are restricted a day matching either one matches.
    """

    expr: str
    minutes: frozenset[int] = field(init=False, repr=False, compare=False)
    hours: frozenset[int] = field(init=False, repr=False, compare=False)
    days: frozenset[int] = field(init=False, repr=False, compare=False)
    months: frozenset[int] = field(init=False, repr=False, compare=False)
    weekdays: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = self.expr.split()
        if len(parts) != 5:
            raise ValueError(f"a cron expression has five fields, got {self.expr!r}")
        weekdays = {d % 7 for d in _cron_field(parts[4], 0, 7)}
        for name, value in zip(
            ("minutes", "hours", "days", "months", "weekdays"),
            (_cron_field(parts[0], 0, 59), _cron_field(parts[1], 0, 23), _cron_field(parts[2], 1, 31),
             _cron_field(parts[3], 1, 12), frozenset(weekdays)), strict=True,
        ):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_dom_any", parts[2] == "*")
        object.__setattr__(self, "_dow_any", parts[4] == "*")

    def _day_matches(self, day: dt.date) -> bool:
        if day.month not in self.months:
            return False
        dom, dow = day.day in self.days, (day.isoweekday() % 7) in self.weekdays
        if self._dom_any or self._dow_any:  # type: ignore[attr-defined]
            return dom and dow
        return dom or dow

    def latest(self, now: dt.datetime) -> dt.datetime | None:
        local = _local(now).replace(second=0, microsecond=0)
        tz = local.tzinfo
        for back in range(0, 366 * 5):
            day = local.date() - dt.timedelta(days=back)
            if not self._day_matches(day):
                continue
            limit = (local.hour, local.minute) if back == 0 else (23, 59)
            times = [(h, m) for h in self.hours for m in self.minutes if (h, m) <= limit]
            if times:
                h, m = max(times)
                return dt.datetime.combine(day, dt.time(h, m), tzinfo=tz)
        return None

    def describe(self) -> str:
        return f"cron {self.expr}"


Schedule = Every | Cron


def as_schedule(every: dt.timedelta | str | Schedule) -> Schedule:
    if isinstance(every, Every | Cron):
        return every
    if isinstance(every, dt.timedelta):
        return Every(every)
    if isinstance(every, str):
        return Cron(every)
    raise TypeError(f"every must be a timedelta or a cron string, got {every!r}")


# ---- the registry ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sweep:
    name: str
    schedule: Schedule
    task: Any  # a django_tasks Task (``@task`` function)
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    def slot(self, now: dt.datetime) -> dt.datetime | None:
        return self.schedule.latest(now)


class Registry:
    def __init__(self) -> None:
        self._sweeps: dict[str, Sweep] = {}

    def register(self, name: str, every: dt.timedelta | str | Schedule, task: Any, *,
                 args: Iterable[Any] = (), kwargs: dict[str, Any] | None = None) -> Sweep:
        if len(name) > 64:
            raise ValueError("a sweep name has at most 64 characters")
        if not hasattr(task, "enqueue"):
            raise TypeError(f"{name}: task must be a django-tasks @task function")
        sweep = Sweep(name, as_schedule(every), task, tuple(args), dict(kwargs or {}))
        self._sweeps[name] = sweep
        return sweep

    def unregister(self, name: str) -> None:
        self._sweeps.pop(name, None)

    def __iter__(self) -> Iterator[Sweep]:
        return iter(list(self._sweeps.values()))

    def __len__(self) -> int:
        return len(self._sweeps)

    def __getitem__(self, name: str) -> Sweep:
        return self._sweeps[name]


registry = Registry()
register = registry.register


# ---- claiming a slot and enqueueing ------------------------------------------------------------------


def _identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _enqueues_in_database(sweep: Sweep) -> bool:
    try:
        from django_tasks_db import DatabaseBackend
    except ImportError:  # pragma: no cover - the package is a dependency
        return False
    return isinstance(sweep.task.get_backend(), DatabaseBackend)


def claim(sweep: Sweep, slot: dt.datetime, *, now: dt.datetime | None = None, who: str = "") -> Any:
    """Claim ``slot`` of ``sweep`` and enqueue its task; the SweepRun, or None if it was already claimed."""
    from .models import SweepRun

    now = now or timezone.now()
    who = who or _identity()
    in_db = _enqueues_in_database(sweep)
    try:
        with transaction.atomic():
            run = SweepRun.objects.create(name=sweep.name, slot=slot, claimed_at=now, claimed_by=who)
            if in_db:  # the task row commits with the claim, or neither does
                result = sweep.task.enqueue(*sweep.args, **sweep.kwargs)
                run.task_id, run.enqueued_at = str(result.id), timezone.now()
                run.save(update_fields=["task_id", "enqueued_at"])
    except IntegrityError:
        return None
    if not in_db:
        try:
            result = sweep.task.enqueue(*sweep.args, **sweep.kwargs)
        except Exception:
            log.exception("scheduler: %s slot %s claimed but could not be enqueued; it is skipped",
                          sweep.name, slot.isoformat())
            return run
        run.task_id, run.enqueued_at = str(result.id), timezone.now()
        SweepRun.objects.filter(pk=run.pk).update(task_id=run.task_id, enqueued_at=run.enqueued_at)
    log.info("scheduler: enqueued %s for slot %s (task %s)", sweep.name, slot.isoformat(), run.task_id)
    return run


class Scheduler:
    """Ticks over the registry.  Remembers the slots it has seen so a tick costs no query per sweep until a
    new slot begins (the database row decides; this is only a shortcut)."""

    def __init__(self, sweeps: Iterable[Sweep] | None = None, *, who: str = "") -> None:
        self._sweeps = sweeps
        self.who = who or _identity()
        self.seen: dict[str, dt.datetime] = {}

    @property
    def sweeps(self) -> list[Sweep]:
        return list(self._sweeps if self._sweeps is not None else registry)

    def tick(self, now: dt.datetime | None = None) -> list[Any]:
        """Enqueue every due, unclaimed slot; the SweepRuns this tick claimed."""
        from .models import SweepRun

        now = now or timezone.now()
        claimed = []
        for sweep in self.sweeps:
            slot = sweep.slot(now)
            if slot is None or self.seen.get(sweep.name) == slot:
                continue
            if SweepRun.objects.filter(name=sweep.name, slot=slot).exists():
                self.seen[sweep.name] = slot
                continue
            run = claim(sweep, slot, now=now, who=self.who)
            self.seen[sweep.name] = slot
            if run is not None:
                claimed.append(run)
        return claimed

    def run_forever(self, interval: float = DEFAULT_INTERVAL, stop: threading.Event | None = None) -> None:
        stop = stop or threading.Event()
        log.info("scheduler %s: %d sweeps, tick every %ss", self.who, len(self.sweeps), interval)
        for sweep in self.sweeps:
            log.info("  %s: %s → %s", sweep.name, sweep.schedule.describe(), sweep.task.module_path)
        while not stop.is_set():
            close_old_connections()  # a database restart between ticks is survived
            try:
                self.tick()
            except Exception:  # the database may be briefly away: log, try again next tick
                log.exception("scheduler: tick failed; retrying in %ss", interval)
            stop.wait(interval)
        log.info("scheduler %s: stopped", self.who)


def install_signal_handlers(stop: threading.Event) -> None:
    def handler(signum: int, frame: Any) -> None:  # noqa: ARG001
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


# ---- the built-in sweeps -----------------------------------------------------------------------------


@task()
def recompute_lights_sweep() -> dict[str, int]:
    """Task lights turn red at their deadline without anyone touching the task."""
    from zhuanban.tasks.lights import recompute_lights

    return recompute_lights()


@task()
def audit_verify_sweep() -> dict[str, Any]:
    """Walk the audit chain; a broken chain fails the job (and is logged as an error)."""
    from . import auditchain

    result = auditchain.verify_db()
    if not result.ok:
        log.error("audit chain verification failed: %s", result.message())
        raise RuntimeError(result.message())
    return {"ok": True, "checked": result.checked}


@task()
def audit_archive_sweep() -> dict[str, Any]:
    """Move events older than the retention period to ``ZHUANBAN_AUDIT_ARCHIVE_DIR``."""
    from . import auditchain

    directory = Path(settings.AUDIT_ARCHIVE_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    cutoff_day = _local(now).date() - dt.timedelta(days=settings.AUDIT["RETENTION_DAYS"])
    before = dt.datetime.combine(cutoff_day, dt.time.min, tzinfo=timezone.get_current_timezone())
    out = directory / f"audit-before-{cutoff_day:%Y%m%d}-{now:%Y%m%dT%H%M%S}.jsonl"
    arch = auditchain.archive(before, out, now=now)
    if arch is None:
        return {"archived": 0}
    return {"archived": arch.count, "file": arch.file_name, "sha256": arch.file_sha256}


def register_builtin(target: Registry | None = None) -> Registry:
    target = target or registry
    from zhuanban.accounts.tasks import accounts_sweep

    target.register("accounts.sweep", "15 2 * * *", accounts_sweep)
    target.register("tasks.lights", dt.timedelta(minutes=15), recompute_lights_sweep)
    target.register("audit.verify", "30 3 * * *", audit_verify_sweep)
    if getattr(settings, "AUDIT_ARCHIVE_DIR", ""):
        target.register("audit.archive", "45 3 * * *", audit_archive_sweep)
    return target


def describe(sweeps: Iterable[Sweep], now: dt.datetime | None = None) -> list[dict[str, Any]]:
    now = now or timezone.now()
    return [{"name": s.name, "schedule": s.schedule.describe(), "task": s.task.module_path,
             "current_slot": s.slot(now)} for s in sweeps]
