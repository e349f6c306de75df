"""Tasks as open items of a task force: open tasks block dissolution, move to the successor at a liaison
handover (those whose responsible person is the predecessor) and move with the task force on merge."""

from __future__ import annotations

from typing import Any

from zhuanban.taskforces import openitems
from zhuanban.taskforces import queries as tf_queries
from zhuanban.taskforces.models import TaskForce

from .models import Dispute, Task


def _open(tf: TaskForce) -> list[openitems.OpenItem]:
    return [openitems.OpenItem("task", t.pk, t.title, t.responsible_id)
            for t in Task.objects.filter(taskforce=tf).exclude(status__in=Task.CLOSED).order_by("id")]


def _reassign(tf: TaskForce, from_id: int, to_id: int) -> list[openitems.OpenItem]:
    qs = Task.objects.filter(taskforce=tf, responsible_id=from_id).exclude(status__in=Task.CLOSED)
    items = [openitems.OpenItem("task", t.pk, t.title, to_id) for t in qs.order_by("id")]
    qs.update(responsible_id=to_id)
    return items


def _move(source: TaskForce, target: TaskForce) -> int:
    # The whole tree moves (done tasks too), so parents and children stay in one task force.
    open_count = Task.objects.filter(taskforce=source).exclude(status__in=Task.CLOSED).count()
    Task.objects.filter(taskforce=source).update(taskforce=target, group=None)
    # A dispute is ruled by the office of its task's task force: it follows the task (an open one is
    # now for the receiving office; a ruled one stays on the task's record).
    Dispute.objects.filter(taskforce=source).update(taskforce=target)
    return open_count


openitems.register(openitems.Provider("task", _open, _reassign, _move))


def _hidden_tasks(tf: TaskForce, user: Any) -> dict[str, list[int]]:
    """The 敏感 tasks of ``tf`` that ``user`` may not see: their history events are not shown."""
    from zhuanban.core.labels import SecurityLabel

    from .access import visible_tasks

    hidden = (Task.objects.filter(taskforce=tf, security_label=SecurityLabel.SENSITIVE)
              .exclude(pk__in=visible_tasks(user).values("pk")).values_list("pk", flat=True))
    return {"tasks.task": list(hidden)}


tf_queries.HIDDEN_IN_HISTORY.append(_hidden_tasks)
