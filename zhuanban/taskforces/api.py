"""Task-force endpoints of /api/v1: list, create, detail, edit, lifecycle actions, history, structure.

Every object is looked up through ``access`` (unknown and invisible ids are the same 404) and every
write goes through ``services``.  Writes check the caller may manage the task force *before* resolving
the ids in the body, so a view-only caller gets 403, never a hint about other objects.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from zhuanban.core.errors import DomainError, Forbidden, Invalid, NotFound
from zhuanban.core.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageParams,
    page,
    raise_if,
    ref,
    resolve,
)
from zhuanban.org.models import Region

from . import access, queries, services
from .api_memberships import router as memberships_router
from .models import TaskForce
from .schemas import (
    ActivateIn,
    DemandIn,
    DemandOut,
    DemandStatusIn,
    DissolveIn,
    EventOut,
    GroupIn,
    GroupOut,
    MemberUnitIn,
    MemberUnitOut,
    MergeIn,
    ReasonIn,
    RestartIn,
    TargetIn,
    TargetOut,
    TaskForceDetail,
    TaskForceFilters,
    TaskForceIn,
    TaskForcePage,
    TaskForcePatch,
    action_choices,
    demand_out,
    event_out,
    group_out,
    member_unit_out,
    target_out,
    taskforce_row,
    typology_out,
)

router = Router(tags=["taskforces"])

NOT_NULL = ("name", "core_matter", "basis", "established_on", "task_nature", "purpose", "entity_operation",
            "decision_mode", "is_office", "security_label")


def _taskforce_refs(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if "region" in data:
        data["region"] = resolve(Region.objects.all(), data["region"], "region", errors)
    if "lead_unit" in data:
        data["lead_unit"] = resolve(access.visible_units(user), data["lead_unit"], "lead_unit", errors)
    if "parent" in data:
        data["parent"] = resolve(access.visible_taskforces(user), data["parent"], "parent", errors)
    raise_if(errors)
    return data


def detail(user: Any, tf: TaskForce, acc: access.Access) -> dict[str, Any]:
    visible = access.visible_taskforces(user)
    linked = set(visible.filter(pk__in=[i for i in (tf.parent_id, tf.merged_into_id) if i])
                 .values_list("pk", flat=True))
    children = [
        {"id": c.pk, "name": c.name, "relation": c.parent_relation,
         "relation_label": c.get_parent_relation_display(), "status": c.status}
        for c in visible.filter(parent=tf).order_by("established_on", "id")
    ]
    groups = tf.groups.select_related("lead_unit", "lead_person__home_unit")
    return {
        "id": tf.pk, "name": tf.name, "core_matter": tf.core_matter, "goals": tf.goals,
        "security_label": tf.security_label, "security_label_text": tf.get_security_label_display(),
        "region": ref(tf.region),
        "basis": tf.basis, "basis_label": tf.get_basis_display(), "basis_document_no": tf.basis_document_no,
        "basis_note": tf.basis_note, "is_oral": tf.is_oral, "established_on": tf.established_on,
        "planned_end": tf.planned_end, "is_past_planned_end": tf.is_past_planned_end,
        "dissolution_conditions": tf.dissolution_conditions,
        "task_nature": tf.task_nature, "task_nature_label": tf.get_task_nature_display(),
        "purpose": tf.purpose, "purpose_label": tf.get_purpose_display(),
        "entity_operation": tf.entity_operation,
        "boundary_override": tf.boundary_override, "boundary_override_reason": tf.boundary_override_reason,
        "status": tf.status, "status_label": tf.get_status_display(), "dissolved_on": tf.dissolved_on,
        "merged_into": ref(tf.merged_into) if tf.merged_into_id in linked else None,
        "summary": tf.summary, "lessons": tf.lessons,
        "targets": [target_out(t) for t in tf.targets.all()],
        "typology": typology_out(queries.classify(tf)),
        "structure": {
            "decision_mode": tf.decision_mode, "decision_mode_label": tf.get_decision_mode_display(),
            "leading_body": tf.leading_body, "lead_unit": ref(tf.lead_unit), "is_office": tf.is_office,
            "parent": ref(tf.parent) if tf.parent_id in linked else None,
            "parent_relation": tf.parent_relation, "parent_relation_label": tf.get_parent_relation_display(),
            "children": children, "groups": [group_out(g) for g in groups],
        },
        "member_units": [member_unit_out(mu) for mu in queries.member_units_of(tf)],
        "periods": [
            {"number": p.number, "started_on": p.started_on, "ended_on": p.ended_on, "reason": p.reason}
            for p in tf.periods.all()
        ],
        "access": {"can_manage": acc.manage, "external_only": acc.external_only, "roles": sorted(acc.roles)},
        "allowed_actions": action_choices(tf.status, acc),
        # External members see only what is assigned to them, not the task force's open items.
        "dissolution_blockers": [] if acc.external_only else services.dissolution_blockers(tf),
        "created_at": tf.created_at, "updated_at": tf.updated_at, "version": tf.version,
    }


def managed(request: HttpRequest, tf_id: int) -> TaskForce:
    """The task force, if the caller may see it (else 404) and manage it (else 403)."""
    tf, _ = access.get_visible_taskforce(request.auth, tf_id)
    access.require_manage(request.auth, tf)
    return tf


def _detail_of(request: HttpRequest, tf_id: int) -> dict[str, Any]:
    tf, acc = access.get_visible_taskforce(request.auth, tf_id)
    return detail(request.auth, tf, acc)


# ---- task forces ---------------------------------------------------------------------------------


@router.get("/taskforces", response={200: TaskForcePage, **READ_ERRORS}, summary="专班列表（按可见范围）")
def list_taskforces(request: HttpRequest, filters: Query[TaskForceFilters], paging: Query[PageParams]):
    # id breaks ties, so pages neither repeat nor skip task forces set up the same day under one name
    qs = queries.taskforce_list(request.auth, filters.as_filters()).order_by("-established_on", "name", "id")
    count, rows = page(qs, paging)
    items = [taskforce_row(tf, queries.classify_listed(tf)) for tf in rows]
    return {"count": count, "limit": paging.limit, "offset": paging.offset, "items": items}


@router.post("/taskforces", response={201: TaskForceDetail, **WRITE_ERRORS}, summary="组建专班")
def create_taskforce(request: HttpRequest, payload: TaskForceIn):
    user = request.auth
    if not access.can_create_taskforce(user):
        raise Forbidden("只有单位负责人、专班办公室或系统管理员可以组建专班")
    data = _taskforce_refs(user, payload.dict())
    tf = services.create_taskforce(user, **data)
    return Status(201, _detail_of(request, tf.pk))


@router.get("/taskforces/{tf_id}", response={200: TaskForceDetail, **READ_ERRORS}, summary="专班详情")
def get_taskforce(request: HttpRequest, tf_id: int):
    return _detail_of(request, tf_id)


@router.patch("/taskforces/{tf_id}", response={200: TaskForceDetail, **WRITE_ERRORS},
              summary="修改专班（须带 version；他人已保存时 409）")
def update_taskforce(request: HttpRequest, tf_id: int, payload: TaskForcePatch):
    tf = managed(request, tf_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    nulls = {name: "不能为空" for name in NOT_NULL if name in changes and changes[name] is None}
    if nulls:
        raise Invalid("invalid_positioning", "必填字段不能为空", nulls)
    services.update_taskforce(request.auth, tf, version=version, **_taskforce_refs(request.auth, changes))
    return _detail_of(request, tf_id)


# ---- lifecycle -----------------------------------------------------------------------------------

ACTION = {200: TaskForceDetail, **WRITE_ERRORS}


@router.post("/taskforces/{tf_id}/activate", response=ACTION, summary="启动运行（筹建 → 运行）")
def activate(request: HttpRequest, tf_id: int, payload: ActivateIn | None = None):
    services.activate(request.auth, managed(request, tf_id), on=payload.on if payload else None)
    return _detail_of(request, tf_id)


@router.post("/taskforces/{tf_id}/suspend", response=ACTION, summary="暂停（须说明理由）")
def suspend(request: HttpRequest, tf_id: int, payload: ReasonIn):
    services.suspend(request.auth, managed(request, tf_id), reason=payload.reason)
    return _detail_of(request, tf_id)


@router.post("/taskforces/{tf_id}/resume", response=ACTION, summary="恢复运行")
def resume(request: HttpRequest, tf_id: int):
    services.resume(request.auth, managed(request, tf_id))
    return _detail_of(request, tf_id)


@router.post("/taskforces/{tf_id}/dissolve", response=ACTION,
             summary="解散（清单未满足时 409 dissolution_blocked 并列出 blockers）")
def dissolve(request: HttpRequest, tf_id: int, payload: DissolveIn):
    services.dissolve(request.auth, managed(request, tf_id), summary=payload.summary, lessons=payload.lessons,
                      on=payload.on)
    return _detail_of(request, tf_id)


@router.post("/taskforces/{tf_id}/restart", response=ACTION, summary="重启已解散的专班（新一期）")
def restart(request: HttpRequest, tf_id: int, payload: RestartIn):
    services.restart(request.auth, managed(request, tf_id), reason=payload.reason, on=payload.on)
    return _detail_of(request, tf_id)


@router.post("/taskforces/{tf_id}/merge", response=ACTION, summary="并入其他专班（成员和未办结事项随之转移）")
def merge(request: HttpRequest, tf_id: int, payload: MergeIn):
    tf = managed(request, tf_id)
    errors: dict[str, str] = {}
    into = resolve(access.visible_taskforces(request.auth), payload.into, "into", errors)
    raise_if(errors)
    services.merge(request.auth, tf, into=into, reason=payload.reason, on=payload.on)
    return _detail_of(request, tf_id)


# ---- history and structure -----------------------------------------------------------------------


@router.get("/taskforces/{tf_id}/history", response={200: list[EventOut], 403: ErrorOut, **READ_ERRORS},
            summary="专班的审计历史（新在前；外部成员不可查看）")
def history(request: HttpRequest, tf_id: int, limit: int = Query(100, ge=1, le=500)):
    tf, acc = access.get_visible_taskforce(request.auth, tf_id)
    if acc.external_only:
        raise Forbidden("外部成员只能查看分配给自己的内容")
    return [event_out(e) for e in queries.history(tf, request.auth, limit)]


@router.get("/taskforces/{tf_id}/member-units", response={200: list[MemberUnitOut], **READ_ERRORS},
            summary="在册成员单位及其联络员")
def list_member_units(request: HttpRequest, tf_id: int):
    tf, _ = access.get_visible_taskforce(request.auth, tf_id)
    return [member_unit_out(mu) for mu in queries.member_units_of(tf)]


@router.post("/taskforces/{tf_id}/member-units", response={201: MemberUnitOut, **WRITE_ERRORS},
             summary="加入成员单位")
def add_member_unit(request: HttpRequest, tf_id: int, payload: MemberUnitIn):
    tf = managed(request, tf_id)
    errors: dict[str, str] = {}
    unit = resolve(access.visible_units(request.auth), payload.unit, "unit", errors)
    raise_if(errors)
    mu = services.add_member_unit(request.auth, tf, unit=unit, role=payload.role, joined_on=payload.joined_on)
    return Status(201, member_unit_out(mu))


@router.get("/taskforces/{tf_id}/groups", response={200: list[GroupOut], **READ_ERRORS}, summary="专题推进组")
def list_groups(request: HttpRequest, tf_id: int):
    tf, _ = access.get_visible_taskforce(request.auth, tf_id)
    return [group_out(g) for g in tf.groups.select_related("lead_unit", "lead_person__home_unit")]


@router.post("/taskforces/{tf_id}/groups", response={201: GroupOut, **WRITE_ERRORS}, summary="新增专题推进组")
def add_group(request: HttpRequest, tf_id: int, payload: GroupIn):
    tf = managed(request, tf_id)
    errors: dict[str, str] = {}
    lead_unit = resolve(access.visible_units(request.auth), payload.lead_unit, "lead_unit", errors)
    lead_person = resolve(access.visible_people(request.auth), payload.lead_person, "lead_person", errors)
    raise_if(errors)
    group = services.add_group(request.auth, tf, name=payload.name, lead_unit=lead_unit,
                               lead_person=lead_person)
    return Status(201, group_out(group))


@router.get("/taskforces/{tf_id}/demands", response={200: list[DemandOut], **READ_ERRORS},
            summary="需求清单（外部成员只看分配给自己的）")
def list_demands(request: HttpRequest, tf_id: int):
    tf, acc = access.get_visible_taskforce(request.auth, tf_id)
    qs = tf.demands.select_related("owner__home_unit")
    if acc.external_only:
        me = access.person_of(request.auth)
        qs = qs.filter(owner=me)
    return [demand_out(d) for d in qs]


@router.post("/taskforces/{tf_id}/demands", response={201: DemandOut, **WRITE_ERRORS}, summary="新增需求清单项")
def add_demand(request: HttpRequest, tf_id: int, payload: DemandIn):
    tf = managed(request, tf_id)
    errors: dict[str, str] = {}
    owner = resolve(access.visible_people(request.auth), payload.owner, "owner", errors)
    raise_if(errors)
    item = services.add_demand(request.auth, tf, title=payload.title, source=payload.source, owner=owner)
    return Status(201, demand_out(item))


@router.patch("/taskforces/{tf_id}/demands/{demand_id}", response={200: DemandOut, **WRITE_ERRORS},
              summary="办结或移交需求清单项")
def set_demand_status(request: HttpRequest, tf_id: int, demand_id: int, payload: DemandStatusIn):
    tf = managed(request, tf_id)
    item = tf.demands.select_related("owner__home_unit", "taskforce").filter(pk=demand_id).first()
    if item is None:
        raise NotFound()
    item = services.set_demand_status(request.auth, item, status=payload.status,
                                      handed_over_to=payload.handed_over_to)
    return demand_out(item)


@router.get("/taskforces/{tf_id}/targets", response={200: list[TargetOut], **READ_ERRORS}, summary="量化目标")
def list_targets(request: HttpRequest, tf_id: int):
    tf, _ = access.get_visible_taskforce(request.auth, tf_id)
    return [target_out(t) for t in tf.targets.all()]


@router.post("/taskforces/{tf_id}/targets", response={201: TargetOut, **WRITE_ERRORS}, summary="新增量化目标")
def add_target(request: HttpRequest, tf_id: int, payload: TargetIn):
    target = services.add_target(request.auth, managed(request, tf_id), **payload.dict())
    return Status(201, target_out(target))


# Registered last: the specific sub-paths above win; any other action name is a 404.
@router.post("/taskforces/{tf_id}/{action}", response=ACTION, include_in_schema=False)
def unknown_action(request: HttpRequest, tf_id: int, action: str):
    access.get_visible_taskforce(request.auth, tf_id)
    raise DomainError("unknown_action", f"未知的专班操作“{action}”", status=404)


router.add_router("", memberships_router)
