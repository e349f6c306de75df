"""Who files a report, who may file for whom, who reads what, and what "the same office" is.

- Filers (``filers``): for a ``liaisons`` template, every active member unit of the owning task force,
  filed by its active liaison (``Membership`` role 联络员 with ``member_unit``); for a ``people`` template,
  the named people.  Each filer has a key: ``u<unit id>`` or ``p<person id>``.
- Filing for a filer: the unit's active liaison, or the named person (and system administrators).
- Reading a template's submissions (aggregate, trend, export, list): the managers (leaders, office) of the
  owning task force, and the managers of every task force it is shared with — they read, not re-collect.
  A filer reads their own submissions.  Seeing the template at all: anyone who sees one of those task
  forces; otherwise 404.
- Defining, sharing, returning, reminding: the managers of the owning task force.
- Sharing is allowed only between task forces of the same office (``office_key``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from zhuanban.core.errors import Forbidden, NotFound
from zhuanban.taskforces import access as tfa
from zhuanban.taskforces.models import Membership, MemberUnit, TaskForce

from .models import ReportTemplate, Submission


@dataclass(frozen=True)
class Filer:
    key: str
    unit_id: int | None
    person_id: int | None
    label: str
    user_id: int | None = None


def office_key(tf: TaskForce) -> int:
    """The office a task force belongs to: itself if it is an office (一办), else its parent task force, else
    itself.  Two task forces are "of the same office" when their keys are equal: an office and its
    children, and siblings under one parent."""
    if tf.is_office or tf.parent_id is None:
        return tf.pk
    return tf.parent_id


def same_office(a: TaskForce, b: TaskForce) -> bool:
    return office_key(a) == office_key(b)


def liaison_filers_qs(tf_id: int) -> QuerySet[MemberUnit]:
    return MemberUnit.objects.filter(taskforce_id=tf_id, left_on__isnull=True)


def filers(template: ReportTemplate) -> list[Filer]:
    """Everyone who must file ``template``, in a stable order (two narrow queries, no model instances:
    the aggregate of 500 units calls this on every view)."""
    if template.filers == ReportTemplate.Filers.PEOPLE:
        return [Filer(f"p{pk}", unit_id, pk, name, user_id) for pk, unit_id, name, user_id in
                template.filer_people.order_by("id").values_list("id", "home_unit_id", "name", "user_id")]
    units = liaison_filers_qs(template.taskforce_id).order_by("id").values_list(
        "id", "unit_id", "unit__short_name", "unit__name")
    liaisons = {
        mu_id: (pid, name, uid) for mu_id, pid, name, uid in Membership.objects.filter(
            taskforce_id=template.taskforce_id, role=Membership.Role.LIAISON, end_on__isnull=True,
            member_unit__isnull=False).values_list("member_unit_id", "person_id", "person__name", "person__user_id")
    }
    out = []
    for mu_id, unit_id, short, full in units:
        name = short or full
        m = liaisons.get(mu_id)
        out.append(Filer(f"u{unit_id}", unit_id, m[0], f"{name}（{m[1]}）", m[2]) if m
                   else Filer(f"u{unit_id}", unit_id, None, name, None))
    return out


def filer_keys_of(user: Any, template: ReportTemplate) -> list[Filer]:
    """The filers of ``template`` that ``user`` files for (a liaison: their unit; a named person: self)."""
    person = tfa.person_of(user)
    if person is None:
        return []
    if template.filers == ReportTemplate.Filers.PEOPLE:
        if template.filer_people.filter(pk=person.pk).exists():
            return [Filer(f"p{person.pk}", person.home_unit_id, person.pk, person.name, user.pk)]
        return []
    ms = Membership.objects.filter(
        taskforce_id=template.taskforce_id, person=person, role=Membership.Role.LIAISON, end_on__isnull=True,
        member_unit__left_on__isnull=True, member_unit__isnull=False).select_related("member_unit__unit")
    return [Filer(f"u{m.member_unit.unit_id}", m.member_unit.unit_id, person.pk,
                  m.member_unit.unit.short_name or m.member_unit.unit.name, user.pk) for m in ms]


def reader_taskforce_ids(template: ReportTemplate) -> list[int]:
    return [template.taskforce_id, *template.shared_with.values_list("id", flat=True)]


def visible_templates(user: Any) -> QuerySet[ReportTemplate]:
    qs = ReportTemplate.objects.all()
    if tfa.is_admin(user):
        return qs
    ids = tfa.visible_taskforce_ids(user)
    return qs.filter(Q(taskforce_id__in=ids) | Q(shared_with__in=ids)).distinct()


def get_template(user: Any, pk: Any) -> ReportTemplate:
    try:
        return visible_templates(user).select_related("taskforce").get(pk=int(pk))
    except (ReportTemplate.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def get_readable_submission(user: Any, pk: Any) -> Submission:
    """A submission ``user`` may read: all of a template they read in full, or their own filing; else 404."""
    try:
        sub = Submission.objects.select_related("template__taskforce").filter(pk=int(pk)).first()
    except (ValueError, TypeError):
        sub = None
    if sub is None:
        raise NotFound()
    if can_read_all(user, sub.template):
        return sub
    me = tfa.person_of(user)
    if me is not None and (sub.person_id == me.pk
                           or any(f.key == sub.filer_key for f in filer_keys_of(user, sub.template))):
        return sub
    raise NotFound()


def get_read_all_template(user: Any, pk: Any) -> ReportTemplate:
    """A template whose submissions ``user`` reads in full (aggregate, trend, export); 403 if they only see
    it, 404 if not even that.  The managers' common case costs no visibility query."""
    try:
        template = ReportTemplate.objects.select_related("taskforce").filter(pk=int(pk)).first()
    except (ValueError, TypeError):
        template = None
    if template is None:
        raise NotFound()
    if can_read_all(user, template):
        return template
    get_template(user, pk)  # 404 unless they see it
    raise Forbidden("只有专班领导、专班办公室（含共享专班）可以查看汇总")


def can_manage(user: Any, template: ReportTemplate) -> bool:
    return tfa.get_access(user, template.taskforce).manage


def can_read_all(user: Any, template: ReportTemplate) -> bool:
    if tfa.is_admin(user):
        return True
    managed = set(tfa.managed_taskforce_ids(user))
    if template.taskforce_id in managed:  # the owner's managers: no need to read the share list
        return True
    return bool(managed.intersection(template.shared_with.values_list("id", flat=True)))


def require_read_all(user: Any, template: ReportTemplate) -> None:
    if not can_read_all(user, template):
        raise Forbidden("只有专班领导、专班办公室（含共享专班）可以查看汇总")


def require_manage(user: Any, template: ReportTemplate) -> None:
    if not can_manage(user, template):
        raise Forbidden("只有报表所属专班的领导或办公室可以执行此操作")


def filer_for(user: Any, template: ReportTemplate, unit_id: int | None = None,
              person_id: int | None = None) -> Filer:
    """The filer ``user`` files for (the one named, or their only one); 403 if they may not."""
    mine = filer_keys_of(user, template)
    if tfa.is_admin(user) and unit_id is not None and not mine:
        for f in filers(template):
            if f.unit_id == unit_id:
                return f
    for f in mine:
        if (unit_id is None or f.unit_id == unit_id) and (person_id is None or f.person_id == person_id):
            return f
    raise Forbidden("您不是该单位（或该报表）的报送人，不能代为报送")
