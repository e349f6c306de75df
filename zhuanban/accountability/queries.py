"""Read side of accountability: the responsibility list of a task force (责任清单), the responsibility
portrait of a person (个体责任画像) and the supervision records, each scoped to what the viewer may see.

Portrait visibility (the rule, in one place: :func:`portrait_scope`):

- system administrators: every task force;
- the person themself and the leader of their home unit (事毕人归: the unit follows its staff): the
  person's task forces that the viewer may see (``taskforces.access.visible_taskforce_ids``, so a 敏感
  task force a home-unit leader is not in stays out);
- the managers of one of the person's task forces (leaders, office, the office/leaders above it): only
  the task forces the viewer *manages* — a deputy of task force A does not learn how the person does in
  task force B, even if they happen to be a plain member of B;
- anyone else: 404, as if the person had no portrait.

Every figure of the portrait (metrics, the per-task-force breakdown, the supervision records) is
computed over that scope only.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet

from zhuanban.core.errors import NotFound
from zhuanban.org.models import Person
from zhuanban.taskforces import access as tf_access
from zhuanban.taskforces.models import Membership, TaskForce
from zhuanban.tasks.access import visible_tasks
from zhuanban.tasks.models import Dispatch, Task

from . import metrics
from .models import Supervision

PAGE = 100
# The one-character badge of tasks/_light.html, drawn inline in the list (an include per row is most of
# the page's rendering time at 100 rows).
LIGHT_SHORT = {"red": ("红", "text-bg-danger"), "yellow": ("黄", "text-bg-warning"),
               "green": ("绿", "text-bg-success"), "none": ("完", "text-bg-secondary")}


# ---- responsibility list ------------------------------------------------------------------------------


def _unit_map(tf_id: int, person_ids: set[int]) -> dict[int, str]:
    """Person -> the name of their dispatching unit in the task force (else their home unit)."""
    out: dict[int, str] = {}
    for pid, short, name in Membership.objects.filter(taskforce_id=tf_id, person_id__in=person_ids).order_by(
            "-end_on").values_list("person_id", "dispatching_unit__short_name", "dispatching_unit__name"):
        out[pid] = short or name  # ordered so that an active membership (end_on null) is read last and wins
    missing = person_ids - set(out)
    if missing:
        for pid, short, name in Person.objects.filter(pk__in=missing).values_list(
                "id", "home_unit__short_name", "home_unit__name"):
            out[pid] = short or name
    return out


def responsibility_rows(user: Any, tf: TaskForce, *, manage: bool = False, offset: int = 0,
                        limit: int | None = PAGE) -> tuple[int, list[dict[str, Any]]]:
    """(count, one page of rows) of the tasks of ``tf`` the user sees: per task the decision owner and the
    execution owner with their units, the lead and cooperating units, the dispatcher, and how many
    supervision records it caused.  A fixed number of queries whatever the page size.

    ``manage``: the caller checked that the user manages ``tf`` — managers see every task of it (敏感 ones
    included, ``tasks.access.visible_tasks``), so the per-user visibility filter is skipped."""
    base = Task.objects.all() if manage else visible_tasks(user)
    qs = base.filter(taskforce=tf).order_by("parent_id", "id")
    count = qs.count()
    window = qs if limit is None else qs[offset:offset + limit]
    tasks = list(window.select_related("lead_unit", "responsible", "decision_owner", "parent").only(
        "id", "title", "status", "light", "due_at", "completed_at", "parent__title", "lead_unit__name",
        "lead_unit__short_name", "responsible__name", "decision_owner__name", "taskforce_id"))
    ids = [t.pk for t in tasks]
    coop: dict[int, list[str]] = defaultdict(list)
    for tid, short, name in Task.cooperating_units.through.objects.filter(task_id__in=ids).values_list(
            "task_id", "unit__short_name", "unit__name").order_by("id"):
        coop[tid].append(short or name)
    sender: dict[int, str] = {}
    for tid, fp, fu, fus in Dispatch.objects.filter(task_id__in=ids).exclude(
            status__in=[Dispatch.Status.SUPERSEDED, Dispatch.Status.RETURNED]).order_by("at", "id").values_list(
            "task_id", "from_person__name", "from_unit__name", "from_unit__short_name"):
        sender[tid] = " / ".join(x for x in (fus or fu, fp) if x)  # the latest live hop wins
    sup: dict[int, int] = defaultdict(int)
    for tid in Supervision.tasks.through.objects.filter(task_id__in=ids).values_list("task_id", flat=True):
        sup[tid] += 1
    people = {pid for t in tasks for pid in (t.responsible_id, t.decision_owner_id) if pid}
    units = _unit_map(tf.pk, people)
    rows = []
    for t in tasks:
        lead = (t.lead_unit.short_name or t.lead_unit.name) if t.lead_unit else ""
        rows.append({
            "id": t.pk, "title": t.title, "parent": t.parent.title if t.parent_id else "",
            "status": t.status, "status_label": t.get_status_display(), "light": t.light,
            "light_label": t.get_light_display(), "light_short": LIGHT_SHORT.get(t.light, ""),
            "due_at": t.due_at, "completed_at": t.completed_at,
            "decision_owner_id": t.decision_owner_id,
            "decision_owner": t.decision_owner.name if t.decision_owner_id else "",
            "decision_unit": units.get(t.decision_owner_id, "") if t.decision_owner_id else lead,
            "execution_owner_id": t.responsible_id,
            "execution_owner": t.responsible.name if t.responsible_id else "",
            "execution_unit": units.get(t.responsible_id, "") if t.responsible_id else "",
            "lead_unit": lead, "cooperating_units": coop.get(t.pk, []), "dispatcher": sender.get(t.pk, ""),
            "supervisions": sup.get(t.pk, 0),
        })
    return count, rows


# ---- portrait -----------------------------------------------------------------------------------------


def person_taskforce_ids(person: Person) -> set[int]:
    return set(Membership.objects.filter(person=person).values_list("taskforce_id", flat=True)) | set(
        Task.objects.filter(responsible=person).values_list("taskforce_id", flat=True).distinct())


def portrait_scope(user: Any, person: Person) -> list[int] | None:
    """The task forces whose figures ``user`` may see in ``person``'s portrait (None: all — an
    administrator).  Raises NotFound when the user may not see the portrait at all."""
    if tf_access.is_admin(user):
        return None
    me = tf_access.person_of(user)
    if me is None or not tf_access.visible_people(user).filter(pk=person.pk).exists():
        raise NotFound()
    mine = person_taskforce_ids(person)
    if me.pk == person.pk or (me.is_unit_leader and me.home_unit_id == person.home_unit_id):
        return sorted(mine & set(tf_access.visible_taskforce_ids(user)))
    scope = sorted(mine & set(tf_access.managed_taskforce_ids(user)))
    if not scope:
        raise NotFound()
    return scope


def get_person(user: Any, pk: Any) -> tuple[Person, list[int] | None]:
    try:
        person = Person.objects.select_related("home_unit").get(pk=int(pk))
    except (Person.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    return person, portrait_scope(user, person)


def portrait(user: Any, person: Person, scope: list[int] | None) -> dict[str, Any]:
    """Figures across the scope, the same per task force (tasks and supervision), and the latest
    supervision records.  A fixed number of queries whatever the number of task forces."""
    tf_filter = {} if scope is None else {"taskforce_id__in": scope}
    total = metrics.person_figures([person.pk], taskforce_ids=scope)[person.pk]
    per_tf: dict[int, dict[str, Any]] = {}
    for row in Task.objects.filter(responsible=person, **tf_filter).values("taskforce_id").annotate(
            **metrics.task_counts()).order_by():
        per_tf[row["taskforce_id"]] = {**row, "supervisions": 0}
    sups = Supervision.objects.filter(person=person, **tf_filter)
    for row in sups.values("taskforce_id").order_by().annotate(n=_count()):
        per_tf.setdefault(row["taskforce_id"], {"taskforce_id": row["taskforce_id"], "owned": 0, "done": 0,
                                                "on_time": 0, "overdue": 0})["supervisions"] = row["n"]
    names = dict(TaskForce.objects.filter(pk__in=list(per_tf)).values_list("id", "name"))
    breakdown = sorted(({**v, "name": names.get(k, "")} for k, v in per_tf.items()), key=lambda r: -r["owned"])
    records = list(sups.select_related("taskforce", "person", "unit").prefetch_related("tasks").order_by("-created_at", "-id")[:20])
    kinds = {k: 0 for k in Supervision.Kind.values}
    for k, n in sups.values_list("kind").order_by().annotate(n=_count()):
        kinds[k] = n
    return {"person": person, "figures": total, "collaboration_index": metrics.collaboration_index(total),
            "taskforces": breakdown, "supervisions": records, "supervision_counts": kinds,
            "scope_all": scope is None}


def _count() -> Any:
    from django.db.models import Count

    return Count("id")


# ---- supervision records ------------------------------------------------------------------------------


def visible_supervisions(user: Any) -> QuerySet[Supervision]:
    """Managers see the records of the task forces they manage; a person sees their own; a home-unit
    leader their staff's in the task forces they may see; administrators all."""
    qs = Supervision.objects.select_related("taskforce", "person", "unit")
    if tf_access.is_admin(user):
        return qs
    me = tf_access.person_of(user)
    cond = Q(taskforce_id__in=tf_access.managed_taskforce_ids(user)) if getattr(
        user, "is_authenticated", False) else Q(pk__in=[])
    if me is not None:
        cond |= Q(person=me)
        if me.is_unit_leader:
            cond |= Q(person__home_unit_id=me.home_unit_id, taskforce_id__in=tf_access.visible_taskforce_ids(user))
    return qs.filter(cond)


def get_supervision(user: Any, pk: Any) -> Supervision:
    try:
        return visible_supervisions(user).get(pk=int(pk))
    except (Supervision.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
