"""Read side: querysets scoped to what the actor may see, with what lists need loaded up front."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from zhuanban.core.models import AuditEvent
from zhuanban.org.models import Person, Unit

from . import typology
from .access import visible_memberships_of, visible_memberships_q, visible_taskforces
from .models import Membership, MemberUnit, TaskForce

LIST_FILTERS = ("q", "status", "li_type", "liu_type", "basis", "region", "unit", "overdue")


def taskforce_list(user: Any, filters: dict[str, str] | None = None) -> QuerySet[TaskForce]:
    """The task forces ``user`` may see, filtered.  Type filters translate the typology tables back into
    the input fields they depend on, so filtering stays in the database."""
    f = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = visible_taskforces(user).select_related("lead_unit", "region").annotate(
        active_members=Count("memberships", filter=Q(memberships__end_on__isnull=True), distinct=True),
        has_outsiders=Exists(outsider_units().filter(taskforce_id=OuterRef("pk")))
        | Exists(outsider_memberships().filter(taskforce_id=OuterRef("pk"))),
    )
    if q := f.get("q"):
        qs = qs.filter(Q(name__icontains=q) | Q(core_matter__icontains=q))
    if status := f.get("status"):
        qs = qs.filter(status=status)
    if basis := f.get("basis"):
        qs = qs.filter(basis=basis)
    if region := f.get("region"):
        qs = qs.filter(Q(region_id=region) | Q(region__parent_id=region))
    if unit := f.get("unit"):
        qs = qs.filter(Q(lead_unit_id=unit) | Q(member_units__unit_id=unit, member_units__left_on__isnull=True))
    if f.get("overdue") in ("1", "true", "on"):
        qs = qs.filter(status__in=[TaskForce.Status.ACTIVE, TaskForce.Status.SUSPENDED],
                       planned_end__lt=timezone.localdate())
    if li := f.get("li_type"):
        for (nature, boundary), (code, _, _) in typology.LI_TABLE.items():
            if code == li:
                qs = qs.filter(task_nature=nature).filter(_boundary_q(boundary))
                break
        else:
            qs = qs.none()
    if liu := f.get("liu_type"):
        for (purpose, entity), (code, _, _) in typology.LIU_TABLE.items():
            if code == liu:
                qs = qs.filter(purpose=purpose, entity_operation=entity)
                break
        else:
            qs = qs.none()
    return qs.distinct().order_by("-established_on", "name")


# The members that define a task force's boundary: the current ones, or, once it is dissolved or merged,
# those it had on its last day (dissolution ends every membership, but a dissolved 项目合作型 stays one).
_CLOSED = [TaskForce.Status.DISSOLVED, TaskForce.Status.MERGED]
_UNIT_AT_CLOSE = Q(taskforce__status__in=_CLOSED, left_on=F("taskforce__dissolved_on"))
_MEMBER_AT_CLOSE = Q(taskforce__status__in=_CLOSED, end_on=F("taskforce__dissolved_on"))


def outsider_units() -> QuerySet[MemberUnit]:
    """Member units from outside government (what makes a task force cross-sector)."""
    return MemberUnit.objects.filter(Q(left_on__isnull=True) | _UNIT_AT_CLOSE).exclude(
        unit__kind__in=list(Unit.GOVERNMENT_KINDS)
    )


def outsider_memberships() -> QuerySet[Membership]:
    """Members from outside government: external staff, or people whose home unit is not a government
    unit."""
    return Membership.objects.filter(Q(end_on__isnull=True) | _MEMBER_AT_CLOSE).filter(
        Q(person__staffing=Person.Staffing.EXTERNAL) | ~Q(person__home_unit__kind__in=list(Unit.GOVERNMENT_KINDS))
    )


def _boundary_q(boundary: str) -> Q:
    has_outsiders = Q(id__in=outsider_units().values("taskforce_id")) | Q(
        id__in=outsider_memberships().values("taskforce_id")
    )
    if boundary == TaskForce.Boundary.CROSS_SECTOR:
        return Q(boundary_override=boundary) | (Q(boundary_override="") & has_outsiders)
    return Q(boundary_override=boundary) | (Q(boundary_override="") & ~has_outsiders)


def boundary_outsiders(tf: TaskForce) -> list[str]:
    """Names of the non-government member units and people (what makes it cross-sector)."""
    units = [str(mu.unit) for mu in outsider_units().filter(taskforce=tf).select_related("unit")]
    people = [
        f"{m.person.name}（{m.person.home_unit}）"
        for m in outsider_memberships().filter(taskforce=tf).select_related("person__home_unit")
    ]
    return units + people


def classify(tf: TaskForce) -> typology.Typology:
    return typology.classify(tf, boundary_outsiders(tf))


def classify_listed(tf: TaskForce) -> typology.Typology:
    """Typology for a list row using the annotated outsider count (no extra query per row)."""
    outsiders = ["外部成员"] if getattr(tf, "has_outsiders", False) else []
    return typology.classify(tf, outsiders)


def members_of(tf: TaskForce, *, active_only: bool = True) -> QuerySet[Membership]:
    qs = tf.memberships.select_related("person__home_unit", "dispatching_unit", "group", "member_unit__unit")
    if active_only:
        qs = qs.filter(end_on__isnull=True)
    return qs.order_by("role", "start_on", "id")


def member_units_of(tf: TaskForce) -> QuerySet[MemberUnit]:
    return tf.member_units.filter(left_on__isnull=True).select_related("unit").prefetch_related(
        Prefetch("liaisons", queryset=Membership.objects.filter(end_on__isnull=True, role=Membership.Role.LIAISON)
                 .select_related("person__home_unit"), to_attr="active_liaisons")
    )


# Apps whose objects can be hidden inside a visible task force (敏感 tasks, attachments) register here a
# function (tf, user) -> {object_type: ids the user may not see}, so the history never names them.
HIDDEN_IN_HISTORY: list[Callable[[TaskForce, Any], dict[str, list[int]]]] = []


def history(tf: TaskForce, user: Any, limit: int = 200) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.filter(taskforce_id=tf.pk)
    for hidden in HIDDEN_IN_HISTORY:
        for object_type, ids in hidden(tf, user).items():
            if ids:
                qs = qs.exclude(object_type=object_type, object_id__in=[str(i) for i in ids])
    return qs.order_by("-at", "-id")[:limit]


def org_chart(tf: TaskForce, user: Any) -> dict[str, Any]:
    """The task force's structure as a tree for ECharts: decision layer → groups → members, plus units."""
    members = list(members_of(tf))
    leaders = [m for m in members if m.is_leader]
    office = [m for m in members if m.is_office]
    root_name = tf.name
    decision_label = tf.leading_body if tf.decision_mode == TaskForce.DecisionMode.LEADING_CORE else (
        f"牵头部门：{tf.lead_unit}" if tf.lead_unit_id else "牵头部门"
    )

    def person_node(m: Membership) -> dict[str, Any]:
        return {"name": f"{m.get_role_display()} {m.person.name}", "value": str(m.person.home_unit)}

    decision = {"name": decision_label, "children": [person_node(m) for m in leaders]}
    children: list[dict[str, Any]] = [decision]
    if office:
        children.append({"name": "专班办公室", "children": [person_node(m) for m in office]})
    grouped: dict[int, list[Membership]] = {}
    for m in members:
        if m.group_id and not m.is_leader and not m.is_office:
            grouped.setdefault(m.group_id, []).append(m)
    for g in tf.groups.select_related("lead_unit"):
        node = {"name": g.name + (f"（{g.lead_unit}牵头）" if g.lead_unit_id else ""),
                "children": [person_node(m) for m in grouped.get(g.pk, [])]}
        children.append(node)
    units = [{"name": f"{mu.get_role_display()}：{mu.unit}",
              "children": [{"name": f"联络员 {lia.person.name}"} for lia in mu.active_liaisons]}
             for mu in member_units_of(tf)]
    if units:
        children.append({"name": "成员单位", "children": units})
    sub = [{"name": f"{c.name}（{c.get_parent_relation_display()}）"} for c in visible_taskforces(user).filter(parent=tf)]
    if sub:
        children.append({"name": "下级专班", "children": sub})
    return {"name": root_name, "children": children}


@dataclass
class Load:
    total_pct: int
    active_count: int
    warnings: list[str]


def person_load(person: Person, viewer: Any = None) -> Load:
    """A person's load across their active task forces (domain brief, problems 1 and 6).

    With a ``viewer``, only the secondments the viewer may see count (``access.visible_memberships_of``):
    the figures and warnings never reveal a task force the viewer cannot see, such as how many 敏感 task
    forces someone sits in.  The person, their home-unit leader (except for 敏感 task forces) and
    administrators see it all; ``viewer=None`` is the whole load, for internal use."""
    limit = settings.ZHUANBAN["MAX_ACTIVE_TASKFORCES"]
    memberships = (Membership.objects.filter(person=person) if viewer is None
                   else visible_memberships_of(viewer, person))
    agg = memberships.filter(end_on__isnull=True).aggregate(
        total=Sum("workload_pct"), count=Count("taskforce", distinct=True)
    )
    total, count = agg["total"] or 0, agg["count"] or 0
    warnings = []
    if total > 100:
        warnings.append(f"在各专班的工作量合计 {total}%，超过 100%")
    if count > limit:
        warnings.append(f"同时在 {count} 个运行中的专班任职，超过上限 {limit} 个")
    return Load(total, count, warnings)


def secondments_of(user: Any, person: Person) -> QuerySet[Membership]:
    return visible_memberships_of(user, person).select_related(
        "taskforce", "dispatching_unit", "group"
    ).order_by("-start_on")


def overloaded_people(person_ids: list[int], viewer: Any = None) -> set[int]:
    """Which of these people carry a load warning, in one query (for member lists).  With a ``viewer``,
    counted over the secondments the viewer may see, as :func:`person_load`."""
    limit = settings.ZHUANBAN["MAX_ACTIVE_TASKFORCES"]
    qs = Membership.objects.all()
    if viewer is not None:
        seen = visible_memberships_q(viewer)
        qs = qs if seen is None else qs.filter(seen)
    rows = (
        qs.filter(person_id__in=person_ids, end_on__isnull=True)
        .values("person_id")
        .annotate(total=Sum("workload_pct"), count=Count("taskforce", distinct=True))
    )
    return {r["person_id"] for r in rows if r["total"] > 100 or r["count"] > limit}
