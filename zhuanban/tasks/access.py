"""Who may see and do what with tasks.  Delegates to ``taskforces.access`` (the one place for task-force
visibility) and adds the task rules:

- a task is visible to whoever can see its task force, except external members, who see only tasks
  whose responsible person they are;
- a task dispatched to a person, to a unit they speak for (its liaison in the task's task force, or
  its leader), or to a task force they can fully see, is visible to them as well — 敏感 ones included
  (the receiver must see what they are asked to sign);
- managing (create, edit, dispatch, reschedule, reopen, reassign, verify, rule) belongs to the task
  force's managers (``taskforces.access``); signing and returning to the receiver of the pending hop;
  progress and completion to the responsible person and the current holder; confirmation to the lead
  unit (its liaison or unit leader, or the decision owner).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from zhuanban.core.context import memoized
from zhuanban.core.errors import Forbidden, NotFound
from zhuanban.core.labels import SecurityLabel
from zhuanban.org.models import Person
from zhuanban.taskforces import access as tf_access
from zhuanban.taskforces.models import Membership, TaskForce

from .models import Dispatch, Task

person_of = tf_access.person_of


@dataclass
class TaskAccess:
    view: bool = False
    manage: bool = False  # manages the task's task force
    receiver: bool = False  # may sign or return the pending hop
    worker: bool = False  # responsible person or current holder: progress, complete
    confirmer: bool = False  # speaks for the lead unit


def _external_only_ids(person: Person) -> QuerySet[Membership]:
    """Task forces where the person is only an external member (they see only their own tasks there)."""
    other = Membership.objects.filter(person=person, end_on__isnull=True).exclude(role=Membership.Role.EXTERNAL)
    return (Membership.objects.filter(person=person, role=Membership.Role.EXTERNAL)
            .exclude(taskforce_id__in=other.values("taskforce_id")).values("taskforce_id"))


def visible_tasks(user: Any) -> QuerySet[Task]:
    qs = Task.objects.all()
    if tf_access.is_admin(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    tf_ids = tf_access.visible_taskforce_ids(user)
    managed = tf_access.managed_taskforce_ids(user)
    person = person_of(user)
    if person is None:
        return qs.filter(taskforce_id__in=tf_ids).filter(
            ~Q(security_label=SecurityLabel.SENSITIVE) | Q(taskforce_id__in=managed))
    full, received = _full_and_received(user, person, tf_ids)
    qs = qs.filter(Q(taskforce_id__in=full) | Q(taskforce_id__in=tf_ids, responsible=person) | Q(id__in=received))
    return qs.filter(~Q(security_label=SecurityLabel.SENSITIVE) | Q(taskforce_id__in=managed)
                     | Q(responsible=person) | Q(decision_owner=person) | Q(id__in=received))


def _full_and_received(user: Any, person: Person, tf_ids: list[int]) -> tuple[list[int], list[int]]:
    """The task forces where the person sees every task (not only an external member there), and the
    tasks sent to them (to them, to a unit they speak for, or to a task force they fully see) — once per
    request."""

    def compute() -> tuple[list[int], list[int]]:
        external_only = set(_external_only_ids(person).values_list("taskforce_id", flat=True))
        full = [i for i in tf_ids if i not in external_only]
        hops = Dispatch.objects.filter(
            Q(to_person=person) | Q(to_taskforce_id__in=full) | _unit_receiver(person)
        ).exclude(status=Dispatch.Status.SUPERSEDED).order_by().values_list(
            "task_id", "task__taskforce_id", "task__security_label").distinct()
        # Only what the task-force rule does not already show: tasks elsewhere, and 敏感 ones (which the
        # task-force rule hides).  Keeps the id list — and every query that carries it — short.
        seen = set(full)
        received = sorted({task_id for task_id, tf_id, label in hops
                           if tf_id not in seen or label == SecurityLabel.SENSITIVE})
        return full, received

    return memoized(("tasks.full_received", user.pk), compute)


def _liaison_posts(person: Person) -> dict[int, list[int]]:
    """unit id → the task forces where the person is that member unit's active liaison."""
    posts: dict[int, list[int]] = {}
    for tf_id, unit_id in Membership.objects.filter(
            person_id=person.pk, end_on__isnull=True, role=Membership.Role.LIAISON,
            member_unit__isnull=False).values_list("taskforce_id", "member_unit__unit_id"):
        posts.setdefault(unit_id, []).append(tf_id)
    return posts


def _unit_receiver(person: Person) -> Q:
    """Dispatches to a unit this person speaks for (``receivers_of``): as the unit's active liaison in
    the task's task force, or as its leader.  The person's few liaison posts are read first, so the
    condition is a short list of (unit, task forces) pairs the indexes answer."""
    q = Q(pk__in=[])
    for unit_id, tf_ids in _liaison_posts(person).items():
        q |= Q(to_unit_id=unit_id, task__taskforce_id__in=tf_ids)
    if person.is_unit_leader and person.home_unit_id:
        q |= Q(to_unit_id=person.home_unit_id)
    return q


def receivers_of(hop: Dispatch) -> set[int]:
    """Person ids who may sign for (or return) ``hop``."""
    ids: set[int] = set()
    if hop.to_person_id:
        ids.add(hop.to_person_id)
    tf_id = hop.task.taskforce_id
    if hop.to_unit_id:
        ids |= set(Membership.objects.filter(
            taskforce_id=tf_id, end_on__isnull=True, role=Membership.Role.LIAISON,
            member_unit__unit_id=hop.to_unit_id).values_list("person_id", flat=True))
        ids |= set(Person.objects.filter(home_unit_id=hop.to_unit_id, is_unit_leader=True)
                   .values_list("pk", flat=True))
    if hop.to_taskforce_id:
        ids |= set(Membership.objects.filter(
            taskforce_id=hop.to_taskforce_id, end_on__isnull=True, role__in=tf_access.MANAGER_ROLES)
            .values_list("person_id", flat=True))
    return ids


def awaiting_signature(user: Any) -> QuerySet[Task]:
    """Tasks waiting for ``user`` to sign (待我签收): the pending hop is to them, to a unit they speak
    for, or to a task force they manage — the same people as :func:`receivers_of`."""
    person = person_of(user)
    if person is None:
        return Task.objects.none()
    managed = Membership.objects.filter(person_id=person.pk, end_on__isnull=True,
                                        role__in=tf_access.MANAGER_ROLES).values("taskforce_id")
    # Three narrow lookups instead of one OR across a join (which PostgreSQL answers with a scan).
    pending = Dispatch.objects.filter(status=Dispatch.Status.PENDING).order_by()
    hops = set(pending.filter(to_person_id=person.pk).values_list("task_id", flat=True))
    hops |= set(pending.filter(to_taskforce__in=managed).values_list("task_id", flat=True))
    posts = _liaison_posts(person)
    leader_of = person.home_unit_id if person.is_unit_leader else None
    units = set(posts) | ({leader_of} if leader_of else set())
    for task_id, unit_id, tf_id in pending.filter(to_unit_id__in=units).values_list(
            "task_id", "to_unit_id", "task__taskforce_id"):
        if unit_id == leader_of or tf_id in posts.get(unit_id, ()):
            hops.add(task_id)
    return visible_tasks(user).filter(status=Task.Status.DISPATCHED, id__in=sorted(hops))


def pending_hop(task: Task) -> Dispatch | None:
    return (task.dispatches.filter(status=Dispatch.Status.PENDING)
            .select_related("task", "to_person", "to_unit", "to_taskforce").order_by("-id").first())


def current_holder_id(task: Task) -> int | None:
    """The person who signed the latest hop (the one the task now sits with), if any."""
    hop = task.dispatches.filter(status=Dispatch.Status.SIGNED).order_by("-id").only("signed_by_id").first()
    return hop.signed_by_id if hop else None


def get_task_access(user: Any, task: Task) -> TaskAccess:
    acc = TaskAccess()
    tfa = tf_access.get_access(user, task.taskforce)
    person = person_of(user)
    pid = person.pk if person else None
    acc.manage = tfa.manage
    if tfa.view and (not tfa.external_only or (pid and task.responsible_id == pid)):
        acc.view = True
    hop = pending_hop(task) if task.status == Task.Status.DISPATCHED else None
    if hop is not None and pid is not None:
        if pid in receivers_of(hop) or tf_access.is_admin(user):
            acc.receiver = acc.view = True
    elif hop is not None and tf_access.is_admin(user):
        acc.receiver = True
    if not acc.view and pid and visible_tasks(user).filter(pk=task.pk).exists():
        acc.view = True
    if acc.view and task.security_label == SecurityLabel.SENSITIVE and not tf_access.is_admin(user):
        acc.view = visible_tasks(user).filter(pk=task.pk).exists()
    if not acc.view:
        return TaskAccess()
    if pid is not None:
        acc.worker = task.responsible_id == pid or current_holder_id(task) == pid
        acc.confirmer = task.decision_owner_id == pid or (
            task.lead_unit_id is not None and pid in _lead_unit_speakers(task))
    if acc.manage:
        acc.worker = True
        if task.lead_unit_id is None and task.decision_owner_id is None:
            acc.confirmer = True
    if tf_access.is_admin(user):
        acc.confirmer = acc.worker = True
    return acc


def _lead_unit_speakers(task: Task) -> set[int]:
    liaisons = Membership.objects.filter(
        taskforce_id=task.taskforce_id, end_on__isnull=True, role=Membership.Role.LIAISON,
        member_unit__unit_id=task.lead_unit_id).values_list("person_id", flat=True)
    leaders = Person.objects.filter(home_unit_id=task.lead_unit_id, is_unit_leader=True).values_list("pk", flat=True)
    return set(liaisons) | set(leaders)


def get_visible_task(user: Any, pk: Any) -> tuple[Task, TaskAccess]:
    try:
        task = Task.objects.select_related(
            "taskforce", "parent", "lead_unit", "responsible__home_unit", "decision_owner__home_unit", "group",
        ).get(pk=int(pk))
    except (Task.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    acc = get_task_access(user, task)
    if not acc.view:
        raise NotFound()
    return task, acc


def require(acc: TaskAccess, what: str) -> None:
    if not getattr(acc, what):
        messages = {
            "manage": "只有专班领导、专班办公室或系统管理员可以执行此操作",
            "receiver": "该任务未派发给您或您的单位，不能签收或退回",
            "worker": "只有责任人或承办人可以报送进展、申请办结",
            "confirmer": "只有牵头单位（联络员、单位负责人）或决策责任人可以确认办结",
        }
        raise Forbidden(messages[what])


def can_create_in(user: Any, tf: TaskForce) -> bool:
    return tf_access.get_access(user, tf).manage
