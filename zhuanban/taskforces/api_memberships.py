"""Membership endpoints of /api/v1: who sits in which task force, and the recorded procedures of
joining, exiting and replacement (with a liaison's handover)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from zhuanban.core.errors import Invalid, NotFound
from zhuanban.core.schemas import READ_ERRORS, WRITE_ERRORS, PageParams, page, raise_if, resolve

from . import access, queries, services
from .models import Membership
from .schemas import (
    MEMBERSHIP_RELATED,
    ExitIn,
    JoinIn,
    MembershipFilters,
    MembershipOut,
    MembershipPage,
    ReplaceIn,
    membership_out,
)

router = Router(tags=["memberships"])


def _visible_membership(user: Any, pk: int) -> tuple[Membership, access.Access]:
    """The membership if the caller sees its task force — and, for an external member, only the
    memberships of the people they may see (themselves and their contacts)."""
    m = Membership.objects.select_related(*MEMBERSHIP_RELATED).filter(pk=pk).first()
    if m is None:
        raise NotFound()
    acc = access.get_access(user, m.taskforce)
    if not acc.view:
        raise NotFound()
    if acc.external_only and not access.visible_people(user).filter(pk=m.person_id).exists():
        raise NotFound()
    return m, acc


def _reload(m: Membership) -> dict[str, Any]:
    return membership_out(Membership.objects.select_related(*MEMBERSHIP_RELATED).get(pk=m.pk))


@router.get("/memberships", response={200: MembershipPage, **READ_ERRORS},
            summary="成员名单（?taskforce=）或某人的抽调经历（?person=）")
def list_memberships(request: HttpRequest, filters: Query[MembershipFilters], paging: Query[PageParams]):
    user = request.auth
    if filters.taskforce is not None:
        tf, acc = access.get_visible_taskforce(user, filters.taskforce)
        qs = queries.members_of(tf, active_only=filters.active is not False)
        if filters.active is False:
            qs = qs.filter(end_on__isnull=False)
        if acc.external_only:
            qs = qs.filter(person__in=access.visible_people(user))
        if filters.person is not None:
            qs = qs.filter(person_id=filters.person)
    elif filters.person is not None:
        person = access.visible_people(user).filter(pk=filters.person).first()
        if person is None:
            raise NotFound()
        qs = queries.secondments_of(user, person).select_related(*MEMBERSHIP_RELATED)
        if filters.active is not None:
            qs = qs.filter(end_on__isnull=filters.active)
    else:
        raise Invalid("filter_required", "请指定 taskforce 或 person",
                      {"taskforce": "请指定专班或人员", "person": "请指定专班或人员"})
    count, rows = page(qs, paging)
    return {"count": count, "limit": paging.limit, "offset": paging.offset,
            "items": [membership_out(m) for m in rows]}


@router.post("/memberships", response={201: MembershipOut, **WRITE_ERRORS},
             summary="人员加入专班（记录决定人和理由；一个成员单位只能有一名在岗联络员）")
def join(request: HttpRequest, payload: JoinIn):
    user = request.auth
    tf, _ = access.get_visible_taskforce(user, payload.taskforce)
    access.require_manage(user, tf)
    errors: dict[str, str] = {}
    person = resolve(access.visible_people(user), payload.person, "person", errors)
    dispatching = resolve(access.visible_units(user), payload.dispatching_unit, "dispatching_unit", errors)
    member_unit = resolve(tf.member_units.select_related("unit"), payload.member_unit, "member_unit", errors)
    group = resolve(tf.groups.all(), payload.group, "group", errors)
    raise_if(errors)
    m = services.join(
        user, tf, person=person, role=payload.role, dispatching_unit=dispatching, member_unit=member_unit,
        group=group, full_time=payload.full_time, workload_pct=payload.workload_pct,
        start_on=payload.start_on, decided_by=payload.decided_by, reason=payload.reason,
    )
    return Status(201, _reload(m))


@router.get("/memberships/{membership_id}", response={200: MembershipOut, **READ_ERRORS}, summary="一条任职记录")
def get_membership(request: HttpRequest, membership_id: int):
    m, _ = _visible_membership(request.auth, membership_id)
    return membership_out(m)


@router.post("/memberships/{membership_id}/exit", response={200: MembershipOut, **WRITE_ERRORS},
             summary="人员退出（联络员名下有未办结事项时 409，请改用替换）")
def exit_membership(request: HttpRequest, membership_id: int, payload: ExitIn):
    m, _ = _visible_membership(request.auth, membership_id)
    services.leave(request.auth, m, on=payload.on, decided_by=payload.decided_by, reason=payload.reason)
    return _reload(m)


@router.post("/memberships/{membership_id}/replace", response={201: MembershipOut, **WRITE_ERRORS},
             summary="替换人员（联络员的未办结事项移交接任人并记录交接）；返回接任人的任职记录")
def replace_membership(request: HttpRequest, membership_id: int, payload: ReplaceIn):
    user = request.auth
    m, _ = _visible_membership(user, membership_id)
    access.require_manage(user, m.taskforce)
    errors: dict[str, str] = {}
    successor = resolve(access.visible_people(user), payload.successor, "successor", errors)
    raise_if(errors)
    new = services.replace(user, m, successor=successor, on=payload.on, decided_by=payload.decided_by,
                           reason=payload.reason, note=payload.note)
    return Status(201, _reload(new))
