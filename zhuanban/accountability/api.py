"""责任与督办 endpoints of /api/v1: a person's responsibility portrait, a task force's responsibility list,
supervision records and their follow-up.  Reads through ``queries`` (invisible == unknown == 404), writes
through ``services``."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from zhuanban.core.errors import NotFound
from zhuanban.core.schemas import READ_ERRORS, WRITE_ERRORS, PageParams, page
from zhuanban.taskforces import access as tf_access

from . import queries, services
from .schemas import (
    PortraitOut,
    ResponsibilityPage,
    SupervisionFilters,
    SupervisionFollowUpIn,
    SupervisionIn,
    SupervisionOut,
    SupervisionPage,
    supervision_out,
)

router = Router(tags=["责任与督办"])


@router.get("/people/{person_id}/portrait", response={200: PortraitOut, **READ_ERRORS},
            summary="个体责任画像（本人、其专班的领导与办公室、所在单位负责人可见，只含查看人可见专班的数据）")
def portrait(request: HttpRequest, person_id: int):
    person, scope = queries.get_person(request.auth, person_id)
    data = queries.portrait(request.auth, person, scope)
    return {
        "person": person.pk, "name": person.name, "home_unit": str(person.home_unit), "scope": scope,
        "figures": data["figures"].as_dict(),
        "taskforces": [{"taskforce": r["taskforce_id"], "name": r["name"], "owned": r["owned"], "done": r["done"],
                        "on_time": r["on_time"], "overdue": r["overdue"], "supervisions": r["supervisions"]}
                       for r in data["taskforces"]],
        "supervision_counts": data["supervision_counts"],
        "supervisions": [supervision_out(s) for s in data["supervisions"]],
    }


# Not /taskforces/{id}/responsibilities: the task-force router's POST /taskforces/{tf_id}/{action} is
# matched first and would answer a GET there with 405.
@router.get("/responsibilities", response={200: ResponsibilityPage, **READ_ERRORS},
            summary="专班责任清单：每项任务的决策责任人、执行责任人及其单位（?taskforce=专班 id）")
def responsibilities(request: HttpRequest, taskforce: int, paging: Query[PageParams]):
    tf, acc = tf_access.get_visible_taskforce(request.auth, taskforce)
    if acc.external_only:
        raise NotFound()
    count, rows = queries.responsibility_rows(request.auth, tf, manage=acc.manage, offset=paging.offset,
                                             limit=paging.limit)
    return {"count": count, "limit": paging.limit, "offset": paging.offset, "items": rows}


@router.get("/supervision", response={200: SupervisionPage, **READ_ERRORS}, summary="督办记录")
def list_supervision(request: HttpRequest, paging: Query[PageParams], filters: Query[SupervisionFilters]):
    qs = queries.visible_supervisions(request.auth).prefetch_related("tasks")
    for name in ("taskforce", "person"):
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{f"{name}_id": value})
    for name in ("status", "kind"):
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{name: value})
    count, rows = page(qs.order_by("-created_at", "-id"), paging)
    return {"count": count, "limit": paging.limit, "offset": paging.offset,
            "items": [supervision_out(s) for s in rows]}


@router.post("/supervision", response={201: SupervisionOut, **WRITE_ERRORS},
             summary="督办：督办通知、约谈（本人及派出单位）或通报，关联引起督办的任务，送达收件箱须确认接收")
def create_supervision(request: HttpRequest, payload: SupervisionIn):
    person = None
    if payload.person is not None:
        person = tf_access.visible_people(request.auth).filter(pk=payload.person).first()
        if person is None:
            raise NotFound()
    rec = services.create(request.auth, kind=payload.kind, task_ids=payload.tasks, title=payload.title,
                          reason=payload.reason, follow_up_due=payload.follow_up_due, person=person,
                          talk_at=payload.talk_at, location=payload.location)
    return Status(201, supervision_out(queries.get_supervision(request.auth, rec.pk)))


@router.get("/supervision/{supervision_id}", response={200: SupervisionOut, **READ_ERRORS}, summary="督办记录详情")
def get_supervision(request: HttpRequest, supervision_id: int):
    return supervision_out(queries.get_supervision(request.auth, supervision_id))


@router.post("/supervision/{supervision_id}/follow-up", response={200: SupervisionOut, **WRITE_ERRORS},
             summary="督办跟进：被督办人反馈整改情况（respond），专班领导或办公室办结（close）")
def follow_up(request: HttpRequest, supervision_id: int, payload: SupervisionFollowUpIn):
    rec = queries.get_supervision(request.auth, supervision_id)
    if payload.action == "respond":
        services.respond(request.auth, rec, response=payload.text, version=payload.version)
    else:
        services.close(request.auth, rec, note=payload.text, version=payload.version)
    return supervision_out(queries.get_supervision(request.auth, supervision_id))
