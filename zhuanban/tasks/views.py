"""Task pages: the 任务/挂图作战 tab of a task force (tree with lights, Gantt, kanban), the task detail
with its dispatch chain and actions, "我的任务", and the .xlsx import and export.

Views load objects through ``access`` (404 when invisible) and change state only through ``services``;
a refusal is shown as a message, with the service's status code.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from zhuanban.core.errors import DomainError, NotFound
from zhuanban.core.replica import reading_replica
from zhuanban.org.models import Person, Unit
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


def gantt_data(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chart's rows (``queries.outline(..., chart=True)`` rows completed by ``with_chart_extras``) as frappe-gantt reads them."""
    rows = []
    url = reverse("task_detail", args=[987654321]).replace("987654321", "{}")
    for t in tasks:
        due = t["due_day"] or t["start_day"]
        start = t["start_day"] or due
        if start is None:
            continue
        rows.append({
            "id": f"t{t['pk']}", "pk": t["pk"], "name": t["title"], "start": start.isoformat(),
            "end": due.isoformat(), "progress": t["progress"],
            "dependencies": ",".join(f"t{d}" for d in t["depends_on"]),
            "custom_class": f"zb-light-{t['light']}", "version": t["version"], "light": t["light"],
            "depth": t.get("depth", 0), "url": url.format(t["pk"]),
            "who": t["responsible"]["name"] if t["responsible"] else "",
            "unit": t["lead_unit_id"], "person": t["responsible_id"], "group": t["group_id"],
            "milestones": [{"title": m["title"], "date": m["due_on"].isoformat()} for m in t["milestones"]],
        })
    return rows


# What the page sends of each Gantt row (wallchart.js rebuilds the rest: id "t<pk>", url, custom_class).
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}  # as json_script
GANTT_COLUMNS = ("pk", "name", "start", "end", "progress", "dependencies", "version", "light", "depth", "who",
                 "unit", "person", "group")


def gantt_json(gantt: dict[str, Any]) -> str:
    """The chart's data for ``<script type="application/json">``: rows as arrays under one header (not
    thousands of repeated keys) and Chinese as UTF-8 (not six-byte escapes) — a 2,000-task chart is about
    a third of the bytes to build, send and parse.  Escaped like ``json_script`` (< > & cannot end the
    script element)."""
    from django.core.serializers.json import DjangoJSONEncoder

    payload = {k: v for k, v in gantt.items() if k != "tasks"}
    payload["cols"] = GANTT_COLUMNS
    payload["rows"] = [[t[c] for c in GANTT_COLUMNS] for t in gantt["tasks"]]
    payload["url"] = reverse("task_detail", args=[987654321]).replace("987654321", "{}")
    text = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return text.translate(JSON_SCRIPT_ESCAPES)


def rest_days(rows: list[dict[str, Any]], pad_before: int = 62, pad_after: int = 93,
              max_span: int = 1500) -> list[str]:
    """The days off (statutory holidays, weekends that are not make-up workdays, local days off) around
    the chart's tasks, for its shading: the library pads the chart by about a month on each side.

    Same rule as ``core.workdays.Calendar.is_workday``, read straight from chinese-calendar's tables:
    its ``is_workday`` re-derives the years it covers on every call (about 50 µs), too slow for a
    few years of days on every page view."""
    from chinese_calendar import constants

    from zhuanban.core.workdays import Calendar

    if not rows:
        return []
    first = dt.date.fromisoformat(min(r["start"] for r in rows)) - dt.timedelta(days=pad_before)
    last = dt.date.fromisoformat(max(r["end"] for r in rows)) + dt.timedelta(days=pad_after)
    last = min(last, first + dt.timedelta(days=max_span))
    local = Calendar(first, last).local
    holidays, workdays = constants.holidays, constants.workdays
    covered = range(min(holidays).year, max(holidays).year + 1)

    def works(day: dt.date) -> bool:
        if day in local:
            return local[day]
        if day.year in covered:
            return day in workdays or (day.weekday() < 5 and day not in holidays)
        return day.weekday() < 5  # outside the published years (as core.workdays)

    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return [d.isoformat() for d in days if not works(d)]


WALL_VIEWS = ("tree", "gantt", "kanban", "counts")
MY_PAGE = 50  # rows of "my tasks" per page, most urgent first
MILESTONES_LISTED = 30  # open time nodes listed under the Gantt
TO_SIGN_LISTED = 20  # tasks waiting for my signature listed on "my tasks", earliest deadline first
TREE_PAGE = 200  # rows of the task tree per page
KANBAN_CARDS = 100  # cards shown per kanban column (the column header gives the full count)


@login_required
def tf_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    """The wall chart: one of four views of the task force's tasks (tree, Gantt, kanban, light counts),
    each loading only what it draws."""
    tf, acc = load_taskforce(request, pk)
    view = request.GET.get("view") if request.GET.get("view") in WALL_VIEWS else "tree"
    filters = {k: request.GET.get(k, "") for k in ("light", "unit", "person", "group")}
    # The Gantt draws every shown task: its outline carries the chart's columns too (one query).
    outline = queries.outline(tf, request.user, chart=view in ("gantt", "kanban"))
    shown = [r for r in outline if _matches(r, filters)]
    context = tf_context(tf, acc, "tasks") | {
        "view": view, "filters": filters, "shown_count": len(shown), "lights": Task.Light.choices,
        "filter_query": urlencode({k: v for k, v in filters.items() if v}),
        "groups": tf.groups.all(),
        "units": Unit.objects.filter(pk__in={r["lead_unit_id"] for r in outline if r["lead_unit_id"]})
        .only("id", "name", "short_name").order_by("name"),
        "people": Person.objects.filter(pk__in={r["responsible_id"] for r in outline if r["responsible_id"]})
        .only("id", "name").order_by("name"),
    }
    if view == "tree":
        page = Paginator(shown, TREE_PAGE).get_page(request.GET.get("page"))
        depth = {r["id"]: r["depth"] for r in page.object_list}
        rows = {t.pk: t for t in queries.with_list_data(Task.objects.filter(pk__in=list(depth)))}
        tree = [rows[i] for i in depth if i in rows]
        for t in tree:
            t.depth = depth[t.pk]
        context |= {"tree": tree, "page": page}
    elif view == "gantt":
        chart = queries.with_chart_extras(tf, shown)
        rows = gantt_data(chart)
        context["gantt"] = {"tasks": rows, "rest_days": rest_days(rows),
                            "can_reschedule": acc.manage and tf.status not in tf_access.CLOSED,
                            "api": "/api/v1/tasks/"}
        context["gantt_json"] = gantt_json(context["gantt"])
        # Under the chart: the time nodes still open, nearest first (the chart itself shows them all).
        upcoming = sorted(((t, m) for t in chart for m in t["milestones"] if not m["done_on"]),
                          key=lambda tm: tm[1]["due_on"])
        context["milestones"] = upcoming[:MILESTONES_LISTED]
        context["milestones_open"] = len(upcoming)
    elif view == "kanban":
        columns: dict[str, list[dict[str, Any]]] = {s: [] for s in KANBAN}
        for r in shown:
            if r["status"] in columns:
                columns[r["status"]].append(r)
        queries.with_chart_extras(tf, [r for rows in columns.values() for r in rows[:KANBAN_CARDS]])
        context["kanban"] = [(s, Task.Status(s).label, len(rows), rows[:KANBAN_CARDS]) for s, rows in columns.items()]
    else:
        visible = access.visible_tasks(request.user).filter(taskforce=tf)
        context |= {"unit_counts": queries.light_counts(visible, "lead_unit"),
                    "person_counts": queries.light_counts(visible, "responsible")}
    return render(request, "tasks/tab.html", context)


def _matches(r: dict[str, Any], f: dict[str, str]) -> bool:
    return ((not f["light"] or r["light"] == f["light"]) and (not f["unit"] or str(r["lead_unit_id"]) == f["unit"])
            and (not f["person"] or str(r["responsible_id"]) == f["person"])
            and (not f["group"] or str(r["group_id"]) == f["group"]))


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    parent_id = request.GET.get("parent") or request.POST.get("parent") or ""
    people, units = queries.pickers(request.user, tf)
    if request.method == "POST":
        p = request.POST
        try:
            data = _form_refs(request, tf, p)
            task = services.create_task(request.user, tf, title=p.get("title", ""), **data)
        except DomainError as exc:
            messages.error(request, exc.message)
            return render(request, "tasks/form.html", tf_context(tf, acc, "tasks") | {
                "values": p, "error": exc, "people": people, "units": units, "parent_id": parent_id}, status=exc.status)
        messages.success(request, _("已新建任务“%(title)s”") % {"title": task.title})
        return redirect("task_detail", task.pk)
    return render(request, "tasks/form.html", tf_context(tf, acc, "tasks") | {
        "values": {}, "people": people, "units": units, "parent_id": parent_id})


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
    people, units = queries.pickers(request.user, task.taskforce)
    from zhuanban.core.audit import ACTION_LABELS
    from zhuanban.core.models import AuditEvent

    context = tf_context(task.taskforce, tf_acc, "tasks") | {
        "task": row, "task_access": acc, "children": children, "chain": queries.chain(task),
        "updates": row.updates.all()[:50], "milestones": row.milestones.all(),
        "disputes": task.disputes.select_related("owner_unit", "owner_person", "owner_taskforce"),
        "history": [(e, ACTION_LABELS.get(e.action, e.action))
                    for e in AuditEvent.objects.for_object(task).order_by("-at", "-id")[:100]],
        # Not "actions": that name is the task force's lifecycle buttons in the page header (tf_context).
        "task_actions": [(a, states.ACTION_LABELS[a]) for a in allowed_actions(row, acc) if a != "reassign"],
        "people": people if acc.manage or acc.worker else [],
        "units": units if acc.manage or acc.worker else [],
        "taskforces": tf_access.visible_taskforces(request.user)[:200] if acc.manage else [],
        "open_dispute": task.disputes.filter(status=Dispute.Status.OPEN).first(),
        "can_reassign": "reassign" in allowed_actions(row, acc) and task.taskforce.status not in tf_access.CLOSED,
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
    messages.success(request, _("%(action)s成功") % {"action": states.ACTION_LABELS.get(action, action)})
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
    page = Paginator(queries.my_tasks(request.user, me.pk, lean=True) if me else Task.objects.none(), MY_PAGE).get_page(
        request.GET.get("page"))
    awaiting = access.awaiting_signature(request.user)
    to_sign = list(awaiting.select_related("taskforce").only(
        "id", "title", "due_at", "light", "taskforce__name").order_by("due_at", "id")[:TO_SIGN_LISTED])
    return render(request, "tasks/my.html", {
        "tasks": page.object_list, "page": page, "to_sign": to_sign, "section": "my_tasks",
        "to_sign_total": awaiting.count() if len(to_sign) == TO_SIGN_LISTED else len(to_sign)})


@login_required
@require_http_methods(["GET", "POST"])
def task_import(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    context = tf_context(tf, acc, "tasks")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择 .xlsx 文件"))
            return render(request, "tasks/import.html", context, status=422)
        result = importer.run_import(request.user, tf, upload)
        if not result.ok:
            return render(request, "tasks/import.html", context | {"errors": result.errors}, status=422)
        messages.success(request, ngettext("已导入 %(n)d 项任务", "已导入 %(n)d 项任务", result.created)
                         % {"n": result.created})
        return redirect(reverse("tf_tasks", args=[tf.pk]))
    return render(request, "tasks/import.html", context)


@login_required
def task_export(request: HttpRequest, pk: int) -> HttpResponse:
    tf, _ = load_taskforce(request, pk)
    with reading_replica():  # the heavy read (ZHUANBAN_REPLICA_URL); access was checked on the primary above
        tree = queries.tree_of(tf, request.user)
        body = exporter.export_tree(tree, tf)
    services.record_export(request.user, tf, len(tree))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=\"tasks-{tf.pk}.xlsx\""
    return response


# ---- 改派: the office moves tasks between people or units, seeing their open load first --------------


@login_required
@require_http_methods(["GET", "POST"])
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    user = request.user
    members = list(tf.memberships.filter(end_on__isnull=True).select_related(
        "person__home_unit", "dispatching_unit").order_by("person__name", "id"))
    people = {m.person_id: m.person for m in members}
    roles: dict[int, list[str]] = {}
    for m in members:
        roles.setdefault(m.person_id, []).append(m.get_role_display())
    units = {mu.unit_id: mu.unit for mu in tf.member_units.filter(left_on__isnull=True).select_related("unit")}
    open_tasks = (access.visible_tasks(user).filter(taskforce=tf).exclude(status__in=Task.CLOSED)
                  .exclude(status=Task.Status.DISPUTED))
    # Whoever holds one of these tasks is a candidate too (a former member, someone from another unit).
    for p in tf_access.visible_people(user).filter(pk__in=open_tasks.exclude(responsible__isnull=True)
                                                   .values("responsible_id")).select_related("home_unit"):
        people.setdefault(p.pk, p)
    load = queries.people_load(user, list(people))
    unit_load = queries.units_load(user, list(units))
    source = request.GET.get("from", "")
    shown = open_tasks.filter(responsible_id=source) if source.isdigit() else open_tasks
    error: DomainError | None = None
    selected = {int(x) for x in request.POST.getlist("task") + request.GET.getlist("task") if x.isdigit()}
    if request.method == "POST":
        try:
            count = _reassign_posted(request, tf, open_tasks, people, units, selected)
        except DomainError as exc:
            error = exc
            messages.error(request, exc.message)
        else:
            messages.success(request, ngettext("已改派 %(n)d 项任务", "已改派 %(n)d 项任务", count) % {"n": count})
            return redirect(reverse("task_reassign", args=[tf.pk]) + (f"?from={source}" if source.isdigit() else ""))
    rows = [{"person": p, "roles": "、".join(roles.get(p.pk, [])) or _("非本专班在岗成员"), "load": load[p.pk]}
            for p in people.values()]
    rows.sort(key=lambda r: (-r["load"].red, -r["load"].open, r["person"].name))
    context = tf_context(tf, acc, "tasks") | {
        "rows": rows, "by_free": sorted(rows, key=lambda r: (r["load"].open, r["load"].workload_pct,
                                                            r["person"].name)),
        "units": [{"unit": u, "load": unit_load[u.pk]} for u in sorted(units.values(), key=lambda u: u.name)],
        "tasks": list(queries.with_list_data(shown).annotate(light_rank=queries.LIGHT_RANK)
                      .order_by("light_rank", "due_at", "id")[:500]),
        "source": source, "selected": selected, "error": error, "values": request.POST,
    }
    return render(request, "tasks/reassign.html", context, status=error.status if error else 200)


def _reassign_posted(request: HttpRequest, tf: TaskForce, open_tasks: Any, people: dict[int, Any],
                     units: dict[int, Any], selected: set[int]) -> int:
    """Move every selected task, all or none: one refusal (a stale version, a rule) rolls back the rest."""
    from django.db import transaction

    from zhuanban.core.errors import Invalid

    p = request.POST
    if not selected:
        raise Invalid("no_task_selected", _("请勾选要改派的任务"), {"task": _("请勾选要改派的任务")})
    person = people.get(int(p["responsible"])) if p.get("responsible", "").isdigit() else None
    unit = units.get(int(p["lead_unit"])) if p.get("lead_unit", "").isdigit() else None
    if (p.get("responsible") and person is None) or (p.get("lead_unit") and unit is None):
        raise Invalid("invalid_reference", _("引用的对象不存在或无权查看"),
                      {"responsible": _("须为本专班在岗成员或现有责任人")})
    tasks = list(open_tasks.filter(pk__in=selected).select_related("taskforce"))
    if len(tasks) != len(selected):
        raise Invalid("invalid_reference", _("所选任务不存在、已办结或无权改派"), {"task": _("请刷新后重新选择")})
    with transaction.atomic():
        for task in tasks:
            raw = p.get(f"version_{task.pk}", "")
            services.reassign(request.user, task, responsible=person, lead_unit=unit,
                              reason=p.get("reason", "").strip(), version=int(raw) if raw.isdigit() else None)
    return len(tasks)
