"""Task endpoints of /api/v1: the task list and tree, create and edit, the dispatch chain and the other
actions, disputes and "my tasks".

Every task is looked up through ``access`` (unknown and invisible ids are the same 404) and every write
goes through ``services``.  Ids in a body are resolved among what the caller may see (a miss is a 422
naming the field).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from zhuanban.core.errors import NotFound
from zhuanban.core.models import AuditEvent
from zhuanban.core.schemas import READ_ERRORS, WRITE_ERRORS, PageParams, page, raise_if, resolve
from zhuanban.taskforces import access as tf_access

from . import access, queries, services, states
from .models import Dispute, Task
from .schemas import (
    CompleteIn,
    DispatchIn,
    DisputeOut,
    ProgressIn,
    ReassignIn,
    ReopenIn,
    ReturnIn,
    RuleIn,
    TaskDetail,
    TaskFilters,
    TaskIn,
    TaskPage,
    TaskPatch,
    TaskRow,
    VersionIn,
    dispute_out,
    hop_out,
    progress_out,
    task_row,
)

router = Router(tags=["tasks"])


def allowed_actions(task: Task, acc: access.TaskAccess) -> list[str]:
    who = {"dispatch": acc.manage or acc.worker, "sign": acc.receiver, "return": acc.receiver,
           "progress": acc.worker, "complete": acc.worker, "confirm": acc.confirmer, "verify": acc.manage,
           "reopen": acc.manage, "rule": acc.manage, "reassign": acc.manage}
    return [a for a in states.allowed(task.status) if who.get(a)]


def detail(user: Any, task: Task, acc: access.TaskAccess) -> dict[str, Any]:
    row = queries.with_list_data(Task.objects.filter(pk=task.pk)).get()
    children = queries.with_list_data(access.visible_tasks(user).filter(parent=task)).order_by("id")
    hops = queries.chain(task)
    events = AuditEvent.objects.for_object(task).order_by("-at", "-id")[:200]
    disputes = task.disputes.select_related("task", "taskforce", "owner_unit", "owner_person", "owner_taskforce")
    return {
        **task_row(row), "description": row.description, "plan": row.plan, "source_note": row.source_note,
        "requires_verification": row.requires_verification, "bounces": row.bounces,
        "milestones": [{"title": m.title, "due_on": m.due_on, "done_on": m.done_on} for m in row.milestones.all()],
        "depends_on": list(row.dependencies.values_list("depends_on_id", flat=True)),
        "children": [task_row(c) for c in children],
        "dispatches": [hop_out(h) for h in hops],
        "unsigned": [hop_out(h) for h in hops if h.status == "pending"],
        "progress_updates": [progress_out(p) for p in row.updates.all()[:100]],
        "disputes": [dispute_out(d) for d in disputes],
        "history": [{"at": e.at, "actor": e.actor_name, "action": e.action, "before": e.before, "after": e.after,
                     "note": e.note} for e in events],
        "allowed_actions": allowed_actions(row, acc),
    }


def _detail_of(request: HttpRequest, task_id: int) -> dict[str, Any]:
    task, acc = access.get_visible_task(request.auth, task_id)
    return detail(request.auth, task, acc)


def _refs(user: Any, data: dict[str, Any], tf_id: int | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    units, people = tf_access.visible_units(user), tf_access.visible_people(user)
    tasks = access.visible_tasks(user)
    for name in ("lead_unit",):
        if name in data:
            data[name] = resolve(units, data[name], name, errors)
    for name in ("responsible", "decision_owner"):
        if name in data:
            data[name] = resolve(people, data[name], name, errors)
    if "parent" in data:
        data["parent"] = resolve(tasks, data["parent"], "parent", errors)
    if "group" in data and data["group"] is not None:
        from zhuanban.taskforces.models import ThemeGroup

        data["group"] = resolve(ThemeGroup.objects.filter(taskforce_id=tf_id), data["group"], "group", errors)
    if data.get("cooperating_units") is not None:
        ids = data["cooperating_units"]
        found = list(units.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            errors["cooperating_units"] = "不存在或无权查看"
        data["cooperating_units"] = found
    if data.get("depends_on") is not None:
        ids = data["depends_on"]
        found = list(tasks.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            errors["depends_on"] = "不存在或无权查看"
        data["depends_on"] = found
    if data.get("milestones") is not None:
        data["milestones"] = [dict(m) for m in data["milestones"]]
    raise_if(errors)
    return data


# ---- list, create, detail, edit --------------------------------------------------------------------


@router.get("/tasks", response={200: TaskPage, **READ_ERRORS}, summary="任务列表（按可见范围，可筛选）")
def list_tasks(request: HttpRequest, filters: Query[TaskFilters], paging: Query[PageParams]):
    qs = queries.task_list(request.auth, filters.dict(exclude_none=True)).order_by("due_at", "id")
    count, rows = page(qs, paging)
    return {"count": count, "limit": paging.limit, "offset": paging.offset, "items": [task_row(t) for t in rows]}


@router.get("/my-tasks", response={200: TaskPage, **READ_ERRORS}, summary="我的任务（跨专班，按紧急程度）")
def my_tasks(request: HttpRequest, paging: Query[PageParams]):
    me = access.person_of(request.auth)
    if me is None:
        return {"count": 0, "limit": paging.limit, "offset": paging.offset, "items": []}
    count, rows = page(queries.my_tasks(request.auth, me.pk), paging)
    return {"count": count, "limit": paging.limit, "offset": paging.offset, "items": [task_row(t) for t in rows]}


@router.get("/tasks/light-counts", response={200: dict[str, list[dict[str, Any]]], **READ_ERRORS},
            summary="各单位、各责任人的亮灯数")
def light_counts(request: HttpRequest, taskforce: int | None = None):
    qs = access.visible_tasks(request.auth)
    if taskforce is not None:
        qs = qs.filter(taskforce_id=taskforce)
    return {"units": queries.light_counts(qs, "lead_unit"), "people": queries.light_counts(qs, "responsible")}


@router.post("/tasks", response={201: TaskDetail, **WRITE_ERRORS}, summary="新建任务")
def create_task(request: HttpRequest, payload: TaskIn):
    user = request.auth
    tf, _ = tf_access.get_visible_taskforce(user, payload.taskforce)
    tf_access.require_manage(user, tf)
    data = payload.dict()
    data.pop("taskforce")
    data = _refs(user, data, tf.pk)
    task = services.create_task(user, tf, **data)
    return Status(201, _detail_of(request, task.pk))


@router.get("/tasks/{task_id}", response={200: TaskDetail, **READ_ERRORS},
            summary="任务详情（下级任务、派发链、进展、争议、历史）")
def get_task(request: HttpRequest, task_id: int):
    return _detail_of(request, task_id)


@router.patch("/tasks/{task_id}", response={200: TaskDetail, **WRITE_ERRORS},
              summary="修改任务（须带 version；他人已保存时 409，您的修改未保存）")
def update_task(request: HttpRequest, task_id: int, payload: TaskPatch):
    task, acc = access.get_visible_task(request.auth, task_id)
    access.require(acc, "manage")
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    changes = _refs(request.auth, changes, task.taskforce_id)
    services.update_task(request.auth, task, version=version, **changes)
    return _detail_of(request, task_id)


# ---- actions -------------------------------------------------------------------------------------

ACTION = {200: TaskDetail, **WRITE_ERRORS}
Refs = Callable[[Any, Task, access.TaskAccess], dict[str, Any]]


def act(request: HttpRequest, task_id: int, service: Callable[..., Any], payload: Any = None,
        refs: Refs | None = None, manage: bool = False, **fields: Any) -> dict[str, Any]:
    """Every task action: look the task up among what the caller may see (404 otherwise), optionally
    require the management right before reading ids from the body, resolve those ids among what the
    caller may see (``refs``: a miss is a 422 naming the field), call the service with the payload's
    ``version`` and answer with the task's detail."""
    user = request.auth
    task, acc = access.get_visible_task(user, task_id)
    if manage:
        access.require(acc, "manage")
    if refs is not None:
        fields.update(refs(user, task, acc))
    service(user, task, version=getattr(payload, "version", None), **fields)
    return _detail_of(request, task_id)


def _resolved(pairs: list[tuple[Any, Any, str]]) -> dict[str, Any]:
    """``(queryset, id, field)`` → ``{field: object}`` (the body's field names are the service's
    argument names), or a 422 naming every id that is unknown or invisible."""
    errors: dict[str, str] = {}
    out = {name: resolve(qs, raw, name, errors) for qs, raw, name in pairs}
    raise_if(errors)
    return out


@router.post("/tasks/{task_id}/dispatch", response=ACTION, summary="派发（逐级：办公室 → 专班 → 牵头单位联络员 → 成员单位）")
def dispatch(request: HttpRequest, task_id: int, payload: DispatchIn):
    def refs(user: Any, task: Task, acc: access.TaskAccess) -> dict[str, Any]:
        if not acc.worker:  # the office, or the holder passing it one hop further down
            access.require(acc, "manage")
        return _resolved([
            (tf_access.visible_units(user), payload.to_unit, "to_unit"),
            (tf_access.visible_people(user), payload.to_person, "to_person"),
            (tf_access.visible_taskforces(user), payload.to_taskforce, "to_taskforce")])

    return act(request, task_id, services.dispatch, payload, refs, note=payload.note)


@router.post("/tasks/{task_id}/sign", response=ACTION, summary="签收")
def sign(request: HttpRequest, task_id: int, payload: VersionIn | None = None):
    return act(request, task_id, services.sign, payload)


@router.post("/tasks/{task_id}/return", response=ACTION, summary="退回（须说明理由；达到次数转为推诿争议）")
def return_task(request: HttpRequest, task_id: int, payload: ReturnIn):
    return act(request, task_id, services.return_task, payload, reason=payload.reason)


@router.post("/tasks/{task_id}/progress", response=ACTION, summary="报送进展")
def progress(request: HttpRequest, task_id: int, payload: ProgressIn):
    def refs(user: Any, task: Task, acc: access.TaskAccess) -> dict[str, Any]:
        if payload.attachment is None:
            return {"attachment": None}
        from zhuanban.files import queries as file_queries

        # Only a file the reporter may see can be attached (a 敏感 file stays out of reach).
        files = file_queries.attachments_of(user, task.taskforce, tf_access.get_access(user, task.taskforce))
        return _resolved([(files, payload.attachment, "attachment")])

    return act(request, task_id, services.report_progress, payload, refs, progress=payload.progress,
               note=payload.note)


@router.post("/tasks/{task_id}/complete", response=ACTION, summary="申请办结（下级任务未完成时 409 并列出）")
def complete(request: HttpRequest, task_id: int, payload: CompleteIn | None = None):
    return act(request, task_id, services.complete, payload, note=payload.note if payload else "")


@router.post("/tasks/{task_id}/confirm", response=ACTION, summary="牵头单位确认办结")
def confirm(request: HttpRequest, task_id: int, payload: VersionIn | None = None):
    return act(request, task_id, services.confirm, payload)


@router.post("/tasks/{task_id}/verify", response=ACTION, summary="办公室核验办结")
def verify(request: HttpRequest, task_id: int, payload: VersionIn | None = None):
    return act(request, task_id, services.verify, payload)


@router.post("/tasks/{task_id}/reopen", response=ACTION, summary="重新打开（保留历史）")
def reopen(request: HttpRequest, task_id: int, payload: ReopenIn):
    return act(request, task_id, services.reopen, payload, reason=payload.reason)


@router.post("/tasks/{task_id}/reassign", response=ACTION, summary="调整责任人或牵头单位（办公室）")
def reassign(request: HttpRequest, task_id: int, payload: ReassignIn):
    def refs(user: Any, task: Task, acc: access.TaskAccess) -> dict[str, Any]:
        return _resolved([
            (tf_access.visible_people(user), payload.responsible, "responsible"),
            (tf_access.visible_units(user), payload.lead_unit, "lead_unit")])

    return act(request, task_id, services.reassign, payload, refs, manage=True, reason=payload.reason)


# ---- disputes ------------------------------------------------------------------------------------


def _disputes(user: Any):
    return Dispute.objects.filter(task__in=access.visible_tasks(user)).select_related(
        "task", "taskforce", "owner_unit", "owner_person", "owner_taskforce")


@router.get("/disputes", response={200: list[DisputeOut], **READ_ERRORS}, summary="推诿争议（待裁定在前）")
def list_disputes(request: HttpRequest, status: str | None = None, taskforce: int | None = None):
    qs = _disputes(request.auth)
    if status:
        qs = qs.filter(status=status)
    if taskforce:
        qs = qs.filter(taskforce_id=taskforce)
    return [dispute_out(d) for d in qs.order_by("-status", "-opened_at", "-id")[:500]]


@router.post("/disputes/{dispute_id}/rule", response={200: DisputeOut, **WRITE_ERRORS},
             summary="裁定任务归属（最终裁定，记录并显示在任务上）")
def rule(request: HttpRequest, dispute_id: int, payload: RuleIn):
    user = request.auth
    dispute = _disputes(user).filter(pk=dispute_id).first()
    if dispute is None:
        raise NotFound()
    task, acc = access.get_visible_task(user, dispute.task_id)
    access.require(acc, "manage")
    errors: dict[str, str] = {}
    unit = resolve(tf_access.visible_units(user), payload.owner_unit, "owner_unit", errors)
    person = resolve(tf_access.visible_people(user), payload.owner_person, "owner_person", errors)
    tf = resolve(tf_access.visible_taskforces(user), payload.owner_taskforce, "owner_taskforce", errors)
    raise_if(errors)
    services.rule_dispute(user, dispute, ruling=payload.ruling, owner_unit=unit, owner_person=person,
                          owner_taskforce=tf)
    return dispute_out(_disputes(user).get(pk=dispute_id))


__all__ = ["router", "TaskRow"]
