"""Task pages: the 任务/挂图作战 tab of a task force (tree with lights, Gantt, kanban), the task detail
with its dispatch chain and actions, "我的任务", and the .xlsx import and export.

Views load objects through ``access`` (404 when invisible) and change state only through ``services``;
a refusal is shown as a message, with the service's status code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from zhuanban.core.errors import DomainError, NotFound
from zhuanban.taskforces import access as tf_access
from zhuanban.taskforces.models import TaskForce
from zhuanban.web.views.common import load_taskforce, tf_context

from . import access, exporter, importer, queries, services, states
from .api import allowed_actions
from .models import Dispute, Task

KANBAN = [Task.Status.DRAFT, Task.Status.DISPATCHED, Task.Status.SIGNED, Task.Status.IN_PROGRESS,
          Task.Status.PENDING_CONFIRMATION, Task.Status.PENDING_VERIFICATION, Task.Status.DONE,
          Task.Status.RETURNED, Task.Status.DISPUTED]


def _date(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).date().isoformat() if value else None


def gantt_data(tasks: list[Task]) -> list[dict[str, Any]]:
    rows = []
    for t in tasks:
        due = t.due_at or t.start_at
        start = t.start_at or due
        if start is None:
            continue
        rows.append({
            "id": f"t{t.pk}", "pk": t.pk, "name": t.title, "start": _date(start), "end": _date(due),
            "progress": t.progress, "dependencies": ",".join(f"t{d.depends_on_id}" for d in t.dependencies.all()),
            "custom_class": f"zb-light-{t.light}", "version": t.version, "light": t.light,
            "unit": t.lead_unit_id, "person": t.responsible_id, "group": t.group_id,
            "milestones": [{"title": m.title, "date": m.due_on.isoformat()} for m in t.milestones.all()],
        })
    return rows


@login_required
def tf_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk)
    tree = queries.tree_of(tf, request.user)
    filters = {k: request.GET.get(k, "") for k in ("light", "unit", "person", "group")}
    shown = [t for t in tree if _matches(t, filters)]
    visible = access.visible_tasks(request.user).filter(taskforce=tf)
    context = tf_context(tf, acc, "tasks") | {
        "tree": shown, "filters": filters,
        "kanban": [(s, Task.Status(s).label, [t for t in shown if t.status == s]) for s in KANBAN],
        "unit_counts": queries.light_counts(visible, "lead_unit"),
        "person_counts": queries.light_counts(visible, "responsible"),
        "gantt": {"tasks": gantt_data(shown), "can_reschedule": acc.manage and tf.status not in tf_access.CLOSED,
                  "api": "/api/v1/tasks/"},
        "groups": tf.groups.all(), "units": {t.lead_unit for t in tree if t.lead_unit},
        "people": {t.responsible for t in tree if t.responsible},
        "lights": Task.Light.choices,
    }
    return render(request, "tasks/tab.html", context)


def _matches(t: Task, f: dict[str, str]) -> bool:
    return ((not f["light"] or t.light == f["light"]) and (not f["unit"] or str(t.lead_unit_id) == f["unit"])
            and (not f["person"] or str(t.responsible_id) == f["person"])
            and (not f["group"] or str(t.group_id) == f["group"]))


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    parent_id = request.GET.get("parent") or request.POST.get("parent") or ""
    if request.method == "POST":
        p = request.POST
        try:
            data = _form_refs(request, tf, p)
            task = services.create_task(request.user, tf, title=p.get("title", ""), **data)
        except DomainError as exc:
            messages.error(request, exc.message)
            return render(request, "tasks/form.html", tf_context(tf, acc, "tasks") | {
                "values": p, "error": exc, "people": tf_access.visible_people(request.user)[:500],
                "units": tf_access.visible_units(request.user)[:500], "parent_id": parent_id}, status=exc.status)
        messages.success(request, f"已新建任务“{task.title}”")
        return redirect("task_detail", task.pk)
    return render(request, "tasks/form.html", tf_context(tf, acc, "tasks") | {
        "values": {}, "people": tf_access.visible_people(request.user)[:500],
        "units": tf_access.visible_units(request.user)[:500], "parent_id": parent_id})


def _form_refs(request: HttpRequest, tf: TaskForce, p: Any) -> dict[str, Any]:
    from zhuanban.core.errors import Invalid

    out: dict[str, Any] = {}
    user = request.user

    def pick(qs: Any, name: str) -> Any:
        raw = p.get(name) or ""
        if not raw:
            return None
        obj = qs.filter(pk=raw).first() if raw.isdigit() else None
        if obj is None:
            raise Invalid("invalid_reference", "引用的对象不存在或无权查看", {name: "不存在或无权查看"})
        return obj

    out["parent"] = pick(access.visible_tasks(user).filter(taskforce=tf), "parent")
    out["lead_unit"] = pick(tf_access.visible_units(user), "lead_unit")
    out["responsible"] = pick(tf_access.visible_people(user), "responsible")
    for name, conv in (("start_at", dt.date.fromisoformat), ("due_at", dt.date.fromisoformat)):
        if p.get(name):
            try:
                out[name] = conv(p[name])
            except ValueError:
                raise Invalid("invalid_date", "日期格式应为 YYYY-MM-DD", {name: "日期格式无效"}) from None
    if p.get("due_in_workdays"):
        if not p["due_in_workdays"].isdigit():
            raise Invalid("invalid_due", "工作日天数须为非负整数", {"due_in_workdays": "须为非负整数"})
        out["due_in_workdays"] = int(p["due_in_workdays"])
    out["description"] = p.get("description", "")
    out["plan"] = p.get("plan", "")
    return out


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    try:
        task, acc = access.get_visible_task(request.user, task_id)
    except NotFound:
        raise Http404 from None
    tf_acc = tf_access.get_access(request.user, task.taskforce)
    row = queries.with_list_data(Task.objects.filter(pk=task.pk)).get()
    children = queries.with_list_data(access.visible_tasks(request.user).filter(parent=task)).order_by("id")
    from zhuanban.core.models import AuditEvent

    context = tf_context(task.taskforce, tf_acc, "tasks") | {
        "task": row, "task_access": acc, "children": children, "chain": queries.chain(task),
        "updates": row.updates.all()[:50], "milestones": row.milestones.all(),
        "disputes": task.disputes.select_related("owner_unit", "owner_person", "owner_taskforce"),
        "history": AuditEvent.objects.for_object(task).order_by("-at", "-id")[:100],
        "actions": [(a, states.ACTION_LABELS[a]) for a in allowed_actions(row, acc) if a != "reassign"],
        "people": tf_access.visible_people(request.user)[:500] if acc.manage or acc.worker else [],
        "units": tf_access.visible_units(request.user)[:500] if acc.manage or acc.worker else [],
        "taskforces": tf_access.visible_taskforces(request.user)[:200] if acc.manage else [],
        "open_dispute": task.disputes.filter(status=Dispute.Status.OPEN).first(),
    }
    return render(request, "tasks/detail.html", context)


@login_required
@require_POST
def task_action(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    try:
        task, acc = access.get_visible_task(request.user, task_id)
    except NotFound:
        raise Http404 from None
    p, user = request.POST, request.user
    version = int(p["version"]) if p.get("version", "").isdigit() else None
    try:
        if action == "dispatch":
            refs = _hop_refs(request, p, "to_")
            services.dispatch(user, task, to_unit=refs["unit"], to_person=refs["person"],
                              to_taskforce=refs["taskforce"], note=p.get("note", ""), version=version)
        elif action == "sign":
            services.sign(user, task, version=version)
        elif action == "return":
            services.return_task(user, task, reason=p.get("reason", ""), version=version)
        elif action == "progress":
            raw = p.get("progress", "")
            from zhuanban.core.errors import Invalid

            if not raw.isdigit():
                raise Invalid("invalid_progress", "进度须在 0–100 之间", {"progress": "须在 0–100 之间"})
            services.report_progress(user, task, progress=int(raw), note=p.get("note", ""), version=version)
        elif action == "complete":
            services.complete(user, task, note=p.get("note", ""), version=version)
        elif action == "confirm":
            services.confirm(user, task, version=version)
        elif action == "verify":
            services.verify(user, task, version=version)
        elif action == "reopen":
            services.reopen(user, task, reason=p.get("reason", ""), version=version)
        elif action == "rule":
            dispute = task.disputes.filter(status=Dispute.Status.OPEN).first()
            if dispute is None:
                raise Http404
            refs = _hop_refs(request, p, "owner_")
            services.rule_dispute(user, dispute, ruling=p.get("ruling", ""), owner_unit=refs["unit"],
                                  owner_person=refs["person"], owner_taskforce=refs["taskforce"])
        else:
            raise Http404
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        detail = ""
        if exc.extra.get("children"):
            detail = "：" + "、".join(c["title"] for c in exc.extra["children"])
        messages.error(request, exc.message + detail)
        response = task_detail(request, task_id)
        response.status_code = exc.status
        return response
    messages.success(request, f"{states.ACTION_LABELS.get(action, action)}成功")
    return redirect("task_detail", task_id)


def _hop_refs(request: HttpRequest, p: Any, prefix: str) -> dict[str, Any]:
    from zhuanban.core.errors import Invalid

    user = request.user
    out: dict[str, Any] = {}
    for key, qs in (("unit", tf_access.visible_units(user)), ("person", tf_access.visible_people(user)),
                    ("taskforce", tf_access.visible_taskforces(user))):
        raw = p.get(prefix + key, "")
        out[key] = None
        if raw:
            out[key] = qs.filter(pk=raw).first() if raw.isdigit() else None
            if out[key] is None:
                raise Invalid("invalid_reference", "引用的对象不存在或无权查看", {prefix + key: "不存在或无权查看"})
    return out


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    me = access.person_of(request.user)
    rows = list(queries.my_tasks(request.user, me.pk)[:500]) if me else []
    return render(request, "tasks/my.html", {"tasks": rows, "section": "my_tasks"})


@login_required
@require_http_methods(["GET", "POST"])
def task_import(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    context = tf_context(tf, acc, "tasks")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择 .xlsx 文件")
            return render(request, "tasks/import.html", context, status=422)
        result = importer.run_import(request.user, tf, upload)
        if not result.ok:
            return render(request, "tasks/import.html", context | {"errors": result.errors}, status=422)
        messages.success(request, f"已导入 {result.created} 项任务")
        return redirect(reverse("tf_tasks", args=[tf.pk]))
    return render(request, "tasks/import.html", context)


@login_required
def task_export(request: HttpRequest, pk: int) -> HttpResponse:
    tf, _ = load_taskforce(request, pk)
    tree = queries.tree_of(tf, request.user)
    body = exporter.export_tree(tree, tf)
    services.record_export(request.user, tf, len(tree))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=\"tasks-{tf.pk}.xlsx\""
    return response
