"""Who a scheme assesses: its task force (and the task forces under it), its member units, or its people —
for people, all of them, the full-time (专职) or the part-time (兼职) secondees (``Membership.full_time``).

A subject is named by a key: ``t<id>`` a task force, ``u<id>`` a unit, ``p<id>`` a person.  A person's home
unit for the export is the membership's dispatching unit (派出单位): the unit that assesses them each year.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhuanban.taskforces.models import Membership, MemberUnit, TaskForce

from .models import Scheme


@dataclass(frozen=True)
class Subject:
    key: str
    kind: str            # taskforce / unit / person
    id: int
    label: str
    home_unit_id: int | None = None
    home_unit: str = ""
    detail: str = ""     # the role, 专职/兼职


def subjects_of(scheme: Scheme) -> list[Subject]:
    tf_id = scheme.taskforce_id
    if scheme.subject_kind == Scheme.SubjectKind.PERSON:
        qs = Membership.objects.filter(taskforce_id=tf_id, end_on__isnull=True).exclude(
            role=Membership.Role.EXTERNAL)
        if scheme.track == Scheme.Track.FULL_TIME:
            qs = qs.filter(full_time=True)
        elif scheme.track == Scheme.Track.PART_TIME:
            qs = qs.filter(full_time=False)
        roles = dict(Membership.Role.choices)
        out: dict[int, Subject] = {}
        for pid, name, unit_id, unit_name, short, role, full in qs.order_by("id").values_list(
                "person_id", "person__name", "dispatching_unit_id", "dispatching_unit__name",
                "dispatching_unit__short_name", "role", "full_time"):
            out.setdefault(pid, Subject(f"p{pid}", "person", pid, name, unit_id, short or unit_name,
                                        f"{roles.get(role, role)} · {'专职' if full else '兼职'}"))
        return list(out.values())
    if scheme.subject_kind == Scheme.SubjectKind.UNIT:
        units = MemberUnit.objects.filter(taskforce_id=tf_id, left_on__isnull=True).order_by("id").values_list(
            "unit_id", "unit__name", "unit__short_name", "role")
        roles = dict(MemberUnit.Role.choices)
        return [Subject(f"u{uid}", "unit", uid, short or name, uid, short or name, roles.get(role, role))
                for uid, name, short, role in units]
    rows = TaskForce.objects.filter(pk=tf_id) | TaskForce.objects.filter(parent_id=tf_id)
    return [Subject(f"t{pk}", "taskforce", pk, name, unit_id, unit_name or "")
            for pk, name, unit_id, unit_name in rows.order_by("id").values_list(
                "id", "name", "lead_unit_id", "lead_unit__name")]


def subject_of(scheme: Scheme, key: str) -> Subject | None:
    return next((s for s in subjects_of(scheme) if s.key == key), None)
