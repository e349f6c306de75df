"""Read side of tasks: querysets already scoped to what the actor may see, with what lists need loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from zhuanban.core.dbfunctions import LocalDate
from zhuanban.taskforces.access import visible_memberships_q
from zhuanban.taskforces.models import Membership, TaskForce

from .access import visible_tasks
from .models import Dependency, Dispatch, Milestone, Task

LIGHT_RANK = Case(When(light="red", then=Value(0)), When(light="yellow", then=Value(1)),
                  When(light="green", then=Value(2)), default=Value(3), output_field=IntegerField())


PERSONAL = [f"{who}__{field}" for who in ("responsible", "decision_owner") for field in ("phone", "id_card_no")]


def with_list_data(qs: QuerySet[Task]) -> QuerySet[Task]:
    """What a list row shows, in a fixed number of queries: the people and units, the cooperating
    units, and the responsible person's dispatching unit in the task's task force (problem traced to
    person and unit)."""
    dispatching = Membership.objects.filter(
        taskforce_id=OuterRef("taskforce_id"), person_id=OuterRef("responsible_id")
    ).order_by("end_on", "-start_on").values("dispatching_unit__name")[:1]
    return qs.select_related("taskforce", "lead_unit", "responsible__home_unit", "decision_owner", "group").defer(
        *PERSONAL  # encrypted, never shown in a list: not decrypted row by row
    ).prefetch_related(
        "cooperating_units"
    ).annotate(dispatching_unit_name=Subquery(dispatching), open_children=Coalesce(Subquery(
        # A correlated count, not COUNT over a join: no GROUP BY of every selected column.
        Task.objects.filter(parent_id=OuterRef("pk")).exclude(status__in=Task.CLOSED).order_by()
        .values("parent_id").annotate(n=Count("id")).values("n")[:1]), Value(0)))


def task_list(user: Any, filters: dict[str, Any]) -> QuerySet[Task]:
    qs = visible_tasks(user)
    if filters.get("taskforce"):
        qs = qs.filter(taskforce_id=filters["taskforce"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("light"):
        qs = qs.filter(light=filters["light"])
    if filters.get("unit"):
        unit = filters["unit"]
        qs = qs.filter(Q(lead_unit_id=unit) | Q(pk__in=Task.cooperating_units.through.objects.filter(
            unit_id=unit).values("task_id")))
    if filters.get("person"):
        qs = qs.filter(Q(responsible_id=filters["person"]) | Q(decision_owner_id=filters["person"]))
    if filters.get("group"):
        qs = qs.filter(group_id=filters["group"])
    if filters.get("parent"):
        qs = qs.filter(parent_id=filters["parent"])
    if filters.get("due_after"):
        qs = qs.filter(due_at__date__gte=filters["due_after"])
    if filters.get("due_before"):
        qs = qs.filter(due_at__date__lte=filters["due_before"])
    if filters.get("q"):
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(description__icontains=filters["q"]))
    return with_list_data(qs)


def my_tasks(user: Any, person_id: int, *, lean: bool = False) -> QuerySet[Task]:
    """A person's open tasks across all task forces, most urgent first: red, yellow, green, then by
    deadline and priority.  ``lean``: only what the "my tasks" page shows (title, task force, deadline,
    progress, status, light), without the list annotations the API rows carry."""
    qs = visible_tasks(user).filter(responsible_id=person_id).exclude(status__in=Task.CLOSED)
    if lean:
        qs = qs.select_related("taskforce").only(
            "id", "title", "due_at", "progress", "status", "light", "priority", "taskforce__name")
    else:
        qs = with_list_data(qs)
    return qs.annotate(light_rank=LIGHT_RANK).order_by("light_rank", "due_at", "priority", "id")


def tree_of(tf: TaskForce, user: Any) -> list[Task]:
    """All visible tasks of a task force in tree order (depth-first), each with ``depth`` set."""
    rows = list(with_list_data(visible_tasks(user).filter(taskforce=tf)).prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_on")),
        Prefetch("dependencies", queryset=Dependency.objects.only("task_id", "depends_on_id")),
    ).order_by("id"))
    by_parent: dict[int | None, list[Task]] = {}
    ids = {t.pk for t in rows}
    for t in rows:
        by_parent.setdefault(t.parent_id if t.parent_id in ids else None, []).append(t)
    out: list[Task] = []

    def walk(parent: int | None, depth: int) -> None:
        for t in by_parent.get(parent, []):
            t.depth = depth
            out.append(t)
            walk(t.pk, depth + 1)

    walk(None, 0)
    return out


CHART_FIELDS = ("title", "progress", "version")


def outline(tf: TaskForce, user: Any, *, chart: bool = False) -> list[dict[str, Any]]:
    """Every visible task of a task force in tree order (depth-first) with ``depth`` — only the columns
    that ordering and the wall chart's filters need (with ``chart``, also what the Gantt draws), so a task
    force of thousands of tasks is one light query; pages then load full rows for what they show."""
    fields = ["id", "parent_id", "status", "light", "lead_unit_id", "responsible_id", "group_id"]
    # The chart's days are computed in the database (in the current time zone): no datetime parsing and
    # time-zone conversion in Python for thousands of rows.
    extra = {"responsible_name": F("responsible__name"), "start_day": LocalDate("start_at"),
             "due_day": LocalDate("due_at")} if chart else {}
    rows = list(visible_tasks(user).filter(taskforce=tf).order_by("id").values(
        *fields, *(CHART_FIELDS if chart else ()), **extra))
    ids = {r["id"] for r in rows}
    by_parent: dict[int | None, list[dict[str, Any]]] = {}
    for r in rows:
        by_parent.setdefault(r["parent_id"] if r["parent_id"] in ids else None, []).append(r)
    out: list[dict[str, Any]] = []
    stack: list[tuple[dict[str, Any], int]] = [(r, 0) for r in reversed(by_parent.get(None, []))]
    while stack:  # iterative: a deep tree never hits the recursion limit
        r, depth = stack.pop()
        r["depth"] = depth
        out.append(r)
        stack.extend((c, depth + 1) for c in reversed(by_parent.get(r["id"], [])))
    return out


def with_chart_extras(tf: TaskForce, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Complete ``outline(..., chart=True)`` rows for drawing: ``pk``, the light's label, the responsible
    person, and each task's dependencies and milestones (two flat queries for the whole task force)."""
    light_label = dict(Task.Light.choices)
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        r["pk"] = r["id"]
        r["responsible"] = {"name": r["responsible_name"]} if r["responsible_id"] else None
        r["get_light_display"] = light_label.get(r["light"], "")
        r["depends_on"], r["milestones"] = [], []
    for task_id, depends_on in Dependency.objects.filter(task__taskforce=tf).values_list("task_id", "depends_on_id"):
        if task_id in by_id:
            by_id[task_id]["depends_on"].append(depends_on)
    for m in Milestone.objects.filter(task__taskforce=tf).order_by("due_on").values(
            "task_id", "title", "due_on", "done_on"):
        if m["task_id"] in by_id:
            by_id[m["task_id"]]["milestones"].append(m)
    return rows


def light_counts(qs: QuerySet[Task], by: str) -> list[dict[str, Any]]:
    """Open tasks per ``by`` (``lead_unit`` or ``responsible``) with their red/yellow/green counts."""
    name = f"{by}__name"
    return list(
        qs.exclude(status__in=Task.CLOSED).exclude(**{f"{by}__isnull": True}).values(f"{by}_id", name)
        .annotate(total=Count("id"), red=Count("id", filter=Q(light="red")),
                  yellow=Count("id", filter=Q(light="yellow")), green=Count("id", filter=Q(light="green")))
        .order_by("-red", "-yellow", name)
    )


def unsigned_hops(task: Task) -> list[Dispatch]:
    return list(task.dispatches.filter(status=Dispatch.Status.PENDING).select_related(
        "to_unit", "to_person", "to_taskforce"))


def chain(task: Task) -> list[Dispatch]:
    return list(task.dispatches.select_related("from_unit", "from_person", "to_unit", "to_person",
                                               "to_taskforce", "signed_by").order_by("at", "id"))


@dataclass
class OpenLoad:
    """What the office looks at before moving work to someone (改派): their open tasks and lights, and
    their secondments — across every task force they belong to that the viewer may see."""

    open: int = 0
    red: int = 0
    yellow: int = 0
    taskforces: int = 0
    workload_pct: int = 0

    @property
    def overloaded(self) -> bool:
        return self.workload_pct > 100 or self.red > 0


def people_load(viewer: Any, person_ids: list[int]) -> dict[int, OpenLoad]:
    """Open load per person, in two queries.  Counted over the tasks and secondments ``viewer`` may see
    (``access.visible_tasks``, ``taskforces.access.visible_memberships_q``): the figures never reveal a
    task force the viewer cannot see."""
    out = {pk: OpenLoad() for pk in person_ids}
    rows = (visible_tasks(viewer).filter(responsible_id__in=person_ids).exclude(status__in=Task.CLOSED)
            .values("responsible_id").annotate(n=Count("id"), red=Count("id", filter=Q(light="red")),
                                               yellow=Count("id", filter=Q(light="yellow"))))
    for r in rows:
        load = out[r["responsible_id"]]
        load.open, load.red, load.yellow = r["n"], r["red"], r["yellow"]
    memberships = Membership.objects.filter(person_id__in=person_ids, end_on__isnull=True)
    seen = visible_memberships_q(viewer)
    if seen is not None:
        memberships = memberships.filter(seen)
    for r in memberships.values("person_id").annotate(pct=Sum("workload_pct"),
                                                      tfs=Count("taskforce", distinct=True)):
        out[r["person_id"]].workload_pct, out[r["person_id"]].taskforces = r["pct"] or 0, r["tfs"]
    return out


def units_load(viewer: Any, unit_ids: list[int]) -> dict[int, OpenLoad]:
    """Open tasks led per unit (牵头单位), with their lights, over the tasks ``viewer`` may see."""
    out = {pk: OpenLoad() for pk in unit_ids}
    rows = (visible_tasks(viewer).filter(lead_unit_id__in=unit_ids).exclude(status__in=Task.CLOSED)
            .values("lead_unit_id").annotate(n=Count("id"), red=Count("id", filter=Q(light="red")),
                                             yellow=Count("id", filter=Q(light="yellow"))))
    for r in rows:
        load = out[r["lead_unit_id"]]
        load.open, load.red, load.yellow = r["n"], r["red"], r["yellow"]
    return out


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def pickers(user: Any, tf: TaskForce) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """The people and units a task of ``tf`` can be given or sent to, as ``user`` may see them: the task
    force's active members and member units (not the whole directory, which runs to tens of thousands)."""
    from zhuanban.taskforces import access as tf_access

    people = (tf_access.visible_people(user).filter(memberships__taskforce=tf, memberships__end_on__isnull=True)
              .select_related("home_unit").distinct().order_by("name"))
    units = (tf_access.visible_units(user).filter(memberships__taskforce=tf, memberships__left_on__isnull=True)
             .distinct().order_by("name"))
    return people, units
