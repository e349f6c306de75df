"""Who may see and do what — the one place for visibility and permission rules.

A user sees a task force only through a role in it, an office or leader role in a task force above it,
being the home-unit leader of one of its members, or having set it up; anything else is a 404, never a
hint that it exists.  Managing (editing, membership, lifecycle) belongs to the task force's leaders and
office, the office/leaders above it, its creator, and system administrators.

Security labels (``core.labels``) narrow this: a 敏感 (sensitive) task force is seen only by its active
internal members, the office/leaders above it, its creator and system administrators — not by external
members, not by home-unit leaders who are not otherwise in it, and not through a past membership.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from zhuanban.core.context import memoized
from zhuanban.core.errors import Forbidden, NotFound
from zhuanban.core.labels import SecurityLabel
from zhuanban.org.models import Person, Unit

from .models import Membership, TaskForce

MANAGER_ROLES = Membership.LEADER_ROLES | Membership.OFFICE_ROLES
CLOSED = (TaskForce.Status.DISSOLVED, TaskForce.Status.MERGED)
# How far up an office's or leader's oversight reaches (一办N专班, 大专班 + 小专班: two or three levels).
OVERSIGHT_DEPTH = 3


@dataclass
class Access:
    view: bool = False
    manage: bool = False
    external_only: bool = False
    roles: set[str] = field(default_factory=set)


def person_of(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def _role_filter(person_id: int) -> Q:
    """Memberships that grant a view: active ones, and any in a closed task force (its history)."""
    return Q(person_id=person_id) & (Q(end_on__isnull=True) | Q(taskforce__status__in=CLOSED))


def _managed_ids(person_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(
        person_id=person_id, end_on__isnull=True, role__in=MANAGER_ROLES
    ).values("taskforce_id")


def _visible_query(user: Any) -> QuerySet[TaskForce]:
    qs = TaskForce.objects.all()
    cond = Q(created_by=user)
    # Who may see a sensitive task force: its creator, the managers above it, its active internal members.
    sensitive_cond = Q(created_by=user)
    person = person_of(user)
    if person is not None:
        cond |= Q(id__in=Membership.objects.filter(_role_filter(person.pk)).values("taskforce_id"))
        managed = _managed_ids(person.pk)
        lookup = "parent"
        for _ in range(OVERSIGHT_DEPTH):
            cond |= Q(**{f"{lookup}__in": managed})
            sensitive_cond |= Q(**{f"{lookup}__in": managed})
            lookup += "__parent"
        if not person.is_external:
            sensitive_cond |= Q(id__in=Membership.objects.filter(
                person_id=person.pk, end_on__isnull=True).exclude(role=Membership.Role.EXTERNAL)
                .values("taskforce_id"))
        if person.is_unit_leader:
            cond |= Q(
                id__in=Membership.objects.filter(person__home_unit_id=person.home_unit_id).values("taskforce_id")
            )
    sensitive = Q(security_label=SecurityLabel.SENSITIVE)
    return qs.filter((~sensitive & cond) | (sensitive & sensitive_cond))


def _managed_query(user: Any) -> QuerySet[TaskForce]:
    qs = TaskForce.objects.all()
    cond = Q(created_by=user)
    person = person_of(user)
    if person is not None:
        managed = _managed_ids(person.pk)
        cond |= Q(id__in=managed)
        lookup = "parent"
        for _ in range(OVERSIGHT_DEPTH):
            cond |= Q(**{f"{lookup}__in": managed})
            lookup += "__parent"
    return qs.filter(cond)


def visible_taskforce_ids(user: Any) -> list[int]:
    """Ids of the task forces a (non-administrator, signed-in) user may see, computed once per request.

    The rule is one query with a dozen sub-selects; evaluating it once and filtering lists by the ids
    keeps every page's queries short and cheap to plan, however many lists a page shows."""
    return memoized(("tf.visible", user.pk), lambda: list(_visible_query(user).values_list("id", flat=True)))


def managed_taskforce_ids(user: Any) -> list[int]:
    return memoized(("tf.managed", user.pk), lambda: list(_managed_query(user).values_list("id", flat=True)))


def visible_taskforces(user: Any) -> QuerySet[TaskForce]:
    qs = TaskForce.objects.all()
    if is_admin(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(id__in=visible_taskforce_ids(user))


def managed_taskforces(user: Any) -> QuerySet[TaskForce]:
    """The task forces ``user`` manages (the set form of ``get_access(...).manage`` for running ones)."""
    qs = TaskForce.objects.all()
    if is_admin(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(id__in=managed_taskforce_ids(user))


def get_access(user: Any, tf: TaskForce) -> Access:
    if is_admin(user):
        return Access(view=True, manage=True)
    if not getattr(user, "is_authenticated", False):
        return Access()
    access = Access()
    if tf.created_by_id == user.pk:
        access.view = access.manage = True
    person = person_of(user)
    if person is None:
        return access
    roles = set(
        Membership.objects.filter(_role_filter(person.pk), taskforce=tf).values_list("role", flat=True)
    )
    active_roles = set(
        Membership.objects.filter(person=person, taskforce=tf, end_on__isnull=True).values_list("role", flat=True)
    )
    access.roles = roles
    if roles:
        access.view = True
    if active_roles & MANAGER_ROLES:
        access.manage = True
    elif tf.status in CLOSED and tf.dissolved_on and Membership.objects.filter(
        person=person, taskforce=tf, end_on=tf.dissolved_on, role__in=MANAGER_ROLES
    ).exists():
        # The leaders and office it had on its last day may restart a dissolved task force.
        access.manage = True
    ancestor_ids = []
    parent_id = tf.parent_id
    for _ in range(OVERSIGHT_DEPTH):
        if parent_id is None:
            break
        ancestor_ids.append(parent_id)
        parent_id = TaskForce.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    oversight = bool(ancestor_ids) and _managed_ids(person.pk).filter(taskforce_id__in=ancestor_ids).exists()
    if oversight:
        access.view = access.manage = True
    if (
        not access.view
        and person.is_unit_leader
        and Membership.objects.filter(taskforce=tf, person__home_unit_id=person.home_unit_id).exists()
    ):
        access.view = True
    access.external_only = access.view and not access.manage and roles == {Membership.Role.EXTERNAL}
    if tf.security_label == SecurityLabel.SENSITIVE and access.view:
        internal_member = not person.is_external and bool(active_roles - {Membership.Role.EXTERNAL})
        if not (tf.created_by_id == user.pk or internal_member or oversight):
            return Access()
    return access


def get_visible_taskforce(user: Any, pk: Any) -> tuple[TaskForce, Access]:
    """The task force if the user may see it, else 404 (unknown and invisible look the same)."""
    try:
        tf = TaskForce.objects.select_related("lead_unit", "region", "parent", "merged_into").get(pk=int(pk))
    except (TaskForce.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    access = get_access(user, tf)
    if not access.view:
        raise NotFound()
    return tf, access


def require_manage(user: Any, tf: TaskForce) -> Access:
    access = get_access(user, tf)
    if not access.view:
        raise NotFound()
    if not access.manage:
        raise Forbidden("只有专班领导、专班办公室或系统管理员可以执行此操作")
    return access


def can_create_taskforce(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.has_perm("taskforces.add_taskforce"):
        return True
    person = person_of(user)
    if person is None:
        return False
    return person.is_unit_leader or Membership.objects.filter(
        person=person, end_on__isnull=True, role__in=MANAGER_ROLES
    ).exists()


def is_internal(user: Any) -> bool:
    """Internal users (government staff and administrators) may browse the org directory."""
    if is_admin(user):
        return True
    person = person_of(user)
    if person is None:
        return bool(getattr(user, "is_authenticated", False) and user.is_staff)
    return not person.is_external


def visible_units(user: Any) -> QuerySet[Unit]:
    if is_internal(user):
        return Unit.objects.all()
    person = person_of(user)
    if person is None:
        return Unit.objects.none()
    tf_ids = visible_taskforces(user).values("id")
    return Unit.objects.filter(
        Q(pk=person.home_unit_id) | Q(memberships__taskforce_id__in=tf_ids, memberships__left_on__isnull=True)
    ).distinct()


def visible_people(user: Any) -> QuerySet[Person]:
    if is_internal(user):
        return Person.objects.all()
    person = person_of(user)
    if person is None:
        return Person.objects.none()
    # External members see themselves and the leaders, office and liaisons of their task forces.
    tf_ids = Membership.objects.filter(person=person, end_on__isnull=True).values("taskforce_id")
    contacts = Membership.objects.filter(
        taskforce_id__in=tf_ids, end_on__isnull=True, role__in=MANAGER_ROLES | {Membership.Role.LIAISON}
    ).values("person_id")
    return Person.objects.filter(Q(pk=person.pk) | Q(pk__in=contacts))


def visible_memberships_q(user: Any) -> Q | None:
    """The memberships (secondments) ``user`` may see, as a filter on ``Membership`` (``None``: all of
    them, for administrators): their own everywhere; their home unit's staff everywhere for a unit
    leader (事毕人归) except in a sensitive task force they cannot see; everyone's in the task forces
    they can see."""
    if is_admin(user):
        return None
    q = Q(taskforce__in=visible_taskforces(user))
    me = person_of(user)
    if me is not None:
        q |= Q(person_id=me.pk)
        if me.is_unit_leader and me.home_unit_id:
            q |= Q(person__home_unit_id=me.home_unit_id) & ~Q(taskforce__security_label=SecurityLabel.SENSITIVE)
    return q


def visible_memberships_of(user: Any, person: Person) -> QuerySet[Membership]:
    """A person's secondments as ``user`` may see them: all of them for the person, their home-unit
    leader and administrators; otherwise only those in task forces the user can see."""
    qs = Membership.objects.filter(person=person)
    seen = visible_memberships_q(user)
    return qs if seen is None else qs.filter(seen)


def can_view_personal_data(user: Any, person: Person) -> bool:
    """Who may see a person's unmasked phone and ID-card number (each view is audited): the person
    themselves, the leader of their home unit, and system administrators."""
    if is_admin(user):
        return True
    me = person_of(user)
    if me is None:
        return False
    return me.pk == person.pk or (me.is_unit_leader and me.home_unit_id == person.home_unit_id)
