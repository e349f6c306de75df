"""Org-directory endpoints of /api/v1: units and people, scoped by ``taskforces.access``.

Internal users browse the whole directory; external members see only their own unit, the units of
their task forces and their contacts.  Adding units and people is for system administrators
(``org.services`` checks it).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Status

from zhuanban.core.errors import NotFound
from zhuanban.core.masking import mask_id_card, mask_phone
from zhuanban.core.schemas import READ_ERRORS, WRITE_ERRORS, PageParams, page, raise_if, ref, resolve
from zhuanban.taskforces import access, queries
from zhuanban.taskforces.schemas import MEMBERSHIP_RELATED, membership_out

from . import services
from .models import Region
from .schemas import (
    PersonDetail,
    PersonFilters,
    PersonIn,
    PersonOut,
    PersonPage,
    PersonUnmaskedOut,
    UnitDetail,
    UnitFilters,
    UnitIn,
    UnitOut,
    UnitPage,
    person_out,
    unit_out,
)

router = Router(tags=["org"])


@router.get("/units", response={200: UnitPage, **READ_ERRORS}, summary="单位名录")
def list_units(request: HttpRequest, filters: Query[UnitFilters], paging: Query[PageParams]):
    qs = access.visible_units(request.auth).select_related("parent", "region")
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(short_name__icontains=filters.q))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.region is not None:
        qs = qs.filter(Q(region_id=filters.region) | Q(region__parent_id=filters.region))
    count, rows = page(qs.order_by("name"), paging)
    return {"count": count, "limit": paging.limit, "offset": paging.offset,
            "items": [unit_out(u) for u in rows]}


@router.get("/units/{unit_id}", response={200: UnitDetail, **READ_ERRORS}, summary="单位详情")
def get_unit(request: HttpRequest, unit_id: int):
    visible = access.visible_units(request.auth)
    unit = visible.select_related("parent", "region").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    out = unit_out(unit)
    out["children"] = [ref(c) for c in visible.filter(parent=unit).order_by("name")]
    return out


@router.post("/units", response={201: UnitOut, **WRITE_ERRORS}, summary="新增单位（系统管理员）")
def create_unit(request: HttpRequest, payload: UnitIn):
    services._require_directory_admin(request.auth)  # 403 before looking at the ids in the body
    errors: dict[str, str] = {}
    parent = resolve(access.visible_units(request.auth), payload.parent, "parent", errors)
    region = resolve(Region.objects.all(), payload.region, "region", errors)
    raise_if(errors)
    unit = services.create_unit(request.auth, name=payload.name, kind=payload.kind,
                                short_name=payload.short_name, parent=parent, region=region)
    return Status(201, unit_out(unit))


@router.get("/people", response={200: PersonPage, **READ_ERRORS}, summary="人员名录")
def list_people(request: HttpRequest, filters: Query[PersonFilters], paging: Query[PageParams]):
    qs = access.visible_people(request.auth).select_related("home_unit")
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(post__icontains=filters.q))
    if filters.unit is not None:
        qs = qs.filter(home_unit_id=filters.unit)
    count, rows = page(qs.order_by("home_unit__name", "name", "id"), paging)
    return {"count": count, "limit": paging.limit, "offset": paging.offset,
            "items": [person_out(p) for p in rows]}


@router.get("/people/{person_id}", response={200: PersonDetail, **READ_ERRORS},
            summary="人员详情：可见的抽调经历与工作量（超过 100% 或专班过多时预警）")
def get_person(request: HttpRequest, person_id: int):
    person = access.visible_people(request.auth).select_related("home_unit").filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    load = queries.person_load(person, request.auth)
    secondments = queries.secondments_of(request.auth, person).select_related(*MEMBERSHIP_RELATED)
    out = person_out(person)
    out.update(
        phone=mask_phone(person.phone), id_card_no=mask_id_card(person.id_card_no),
        load={"total_pct": load.total_pct, "active_count": load.active_count,
              "limit": settings.ZHUANBAN["MAX_ACTIVE_TASKFORCES"], "warnings": load.warnings},
        secondments=[membership_out(m) for m in secondments],
    )
    return out


@router.post("/people", response={201: PersonOut, **WRITE_ERRORS}, summary="新增人员（系统管理员）")
def create_person(request: HttpRequest, payload: PersonIn):
    services._require_directory_admin(request.auth)  # 403 before looking at the ids in the body
    errors: dict[str, str] = {}
    home_unit = resolve(access.visible_units(request.auth), payload.home_unit, "home_unit", errors)
    raise_if(errors)
    person = services.create_person(
        request.auth, name=payload.name, home_unit=home_unit, staffing=payload.staffing, post=payload.post,
        phone=payload.phone, id_card_no=payload.id_card_no, is_unit_leader=payload.is_unit_leader,
        username=payload.username,
    )
    return Status(201, person_out(person))


@router.get("/people/{person_id}/unmasked", response={200: PersonUnmaskedOut, **READ_ERRORS},
            summary="查看完整个人信息（本人、所在单位负责人、系统管理员；每次查看均记入审计）")
def get_person_unmasked(request: HttpRequest, person_id: int):
    person = access.visible_people(request.auth).filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    return services.reveal_personal_data(request.auth, person)
