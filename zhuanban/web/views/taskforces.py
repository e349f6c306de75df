"""Task-force pages: the list, the page with its tabs, the edit form and the typology preview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhuanban.core.audit import ACTION_LABELS
from zhuanban.core.errors import DomainError
from zhuanban.org.models import Region, Unit
from zhuanban.taskforces import access, queries, services, typology
from zhuanban.taskforces.models import DemandItem, Membership, TaskForce

from ..forms import TaskForceEditForm
from .common import form_page, load_taskforce, tf_context, tf_url

PAGE_SIZE = 20
LI_TYPES = [(code, label) for code, label, _template in typology.LI_TABLE.values()]
LIU_TYPES = [(code, label) for code, label, _warning in typology.LIU_TABLE.values()]
# Members are listed leaders first, then office, experts, liaisons, members, externals (not by code).
ROLE_RANK = {role: i for i, role in enumerate([
    "head", "responsible_deputy", "deputy", "office_director", "office_staff", "chief_expert", "liaison", "member",
    "external",
])}


def _clean_filters(get: Any) -> dict[str, str]:
    f = {k: (get.get(k) or "").strip() for k in queries.LIST_FILTERS}
    # Ids that are not numbers, or codes that are not choices, mean "no such filter value": nothing matches.
    for key in ("region", "unit"):
        if f[key] and not f[key].isdigit():
            f[key] = "0"
    if f["status"] and f["status"] not in TaskForce.Status.values:
        f["status"] = "none"
    if f["basis"] and f["basis"] not in TaskForce.Basis.values:
        f["basis"] = "none"
    return f


@login_required
def taskforce_list(request: HttpRequest) -> HttpResponse:
    filters = _clean_filters(request.GET)
    qs = queries.taskforce_list(request.user, filters)
    # Filter choices come from the task forces the user can see, not the whole directory (thousands of
    # streets and units would make the selects useless).
    visible = access.visible_taskforces(request.user)
    region_ids = visible.exclude(region=None).values("region_id")
    regions = Region.objects.filter(Q(pk__in=region_ids) | Q(children__pk__in=region_ids)).distinct()
    units = Unit.objects.filter(
        Q(led_taskforces__in=visible) | Q(memberships__taskforce__in=visible, memberships__left_on__isnull=True)
    ).distinct()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(tf, queries.classify_listed(tf)) for tf in page.object_list]
    return render(request, "web/tf/list.html", {
        "page": page,
        "rows": rows,
        "filters": filters,
        "filtered": any(filters.values()),
        "li_types": LI_TYPES,
        "liu_types": LIU_TYPES,
        "statuses": TaskForce.Status.choices,
        "bases": TaskForce.Basis.choices,
        "regions": regions.order_by("code").only("id", "name", "code"),
        "units": units.order_by("name").only("id", "name"),
        "can_create": access.can_create_taskforce(request.user),
    })


# ---- the task-force page, one tab per view ---------------------------------------------------------


@login_required
def taskforce_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk)
    ctx = tf_context(tf, acc, "")
    demands = tf.demands.select_related("owner")
    if acc.external_only:  # external members see only the items assigned to them (as in the API)
        demands = demands.filter(owner=access.person_of(request.user))
    demands = list(demands)
    children = access.visible_taskforces(request.user).filter(parent=tf).order_by("name")
    ctx.update({
        "targets": tf.targets.all(),
        "demands": demands,
        "open_demands": sum(1 for d in demands if d.status == DemandItem.Status.OPEN),
        "periods": tf.periods.all(),
        "children": children,
        "member_count": tf.memberships.filter(end_on__isnull=True).count(),
        "unit_count": tf.member_units.filter(left_on__isnull=True).count(),
    })
    return render(request, "web/tf/overview.html", ctx)


@login_required
def taskforce_type(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, full_view=True)
    ctx = tf_context(tf, acc, "type")
    ctx["typ"] = queries.classify(tf)
    return render(request, "web/tf/type.html", ctx)


@login_required
def taskforce_structure(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, full_view=True)
    ctx = tf_context(tf, acc, "structure")
    ctx.update({
        "chart": queries.org_chart(tf, request.user),
        "groups": tf.groups.select_related("lead_unit", "lead_person").annotate(
            active=Count("members", filter=Q(members__end_on__isnull=True))
        ),
        "children": access.visible_taskforces(request.user).filter(parent=tf).order_by("name"),
    })
    return render(request, "web/tf/structure.html", ctx)


@login_required
def taskforce_members(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk)
    ctx = tf_context(tf, acc, "members")
    active = sorted(queries.members_of(tf), key=lambda m: ROLE_RANK.get(m.role, 99))
    past = list(queries.members_of(tf, active_only=False).filter(end_on__isnull=False).order_by("-end_on", "id"))
    if acc.external_only:
        me = access.person_of(request.user)
        active = [m for m in active if me is not None and m.person_id == me.pk]
        past = [m for m in past if me is not None and m.person_id == me.pk]
    ctx.update({
        "active": active,
        "past": past,
        "overloaded": queries.overloaded_people([m.person_id for m in active], request.user),
        "member_units": [] if acc.external_only else list(queries.member_units_of(tf)),
        "handovers": [] if acc.external_only else list(
            tf.handovers.select_related("predecessor__person", "successor__person",
                                        "predecessor__member_unit__unit").order_by("-at")
        ),
        "liaison_role": Membership.Role.LIAISON,
        "total_pct": sum(m.workload_pct for m in active),
        "full_time": sum(1 for m in active if m.full_time),
    })
    return render(request, "web/tf/members.html", ctx)


def _field_label(name: str) -> str:
    try:
        return str(TaskForce._meta.get_field(name).verbose_name)
    except Exception:
        return name


@login_required
def taskforce_history(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, full_view=True)
    ctx = tf_context(tf, acc, "history")
    events = []
    for ev in queries.history(tf, request.user):
        changes = []
        if ev.action == "taskforce.update" and ev.before and ev.after:
            changes = [(_field_label(k), ev.before.get(k), ev.after.get(k)) for k in ev.after]
        events.append({"ev": ev, "label": ACTION_LABELS.get(ev.action, ev.action), "changes": changes})
    ctx["events"] = events
    return render(request, "web/tf/history.html", ctx)


# ---- editing ------------------------------------------------------------------------------------


@login_required
def taskforce_edit(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    ctx = tf_context(tf, acc, "")
    if request.method != "POST":
        form = TaskForceEditForm(initial=TaskForceEditForm.initial_for(tf), user=request.user, exclude=tf)
        return render(request, "web/tf/edit.html", {"form": form, **ctx})
    form = TaskForceEditForm(request.POST, user=request.user, exclude=tf)
    if not form.is_valid():
        return render(request, "web/tf/edit.html", {"form": form, **ctx})
    changes = form.changes(tf)
    if not changes:
        messages.info(request, _("未做任何修改"))
        return redirect(tf_url(tf))
    try:
        services.update_taskforce(request.user, tf, version=form.cleaned_data["version"], **changes)
    except DomainError as exc:
        tf.refresh_from_db()  # the service set the new values on the object; the header shows the saved ones
        return form_page(request, "web/tf/edit.html", form, exc=exc, stale=exc.code == "stale_version", **ctx)
    messages.success(request, _("专班信息已保存"))
    return redirect(tf_url(tf))


# ---- the typology preview (htmx fragment) -------------------------------------------------------


@login_required
@require_GET
def typology_preview(request: HttpRequest) -> HttpResponse:
    """The derived types for the inputs on screen, with the reason in words (wizard step 2, edit form)."""
    g = request.GET
    nature, purpose = g.get("task_nature", ""), g.get("purpose", "")
    entity_raw = g.get("entity_operation", "")
    override = g.get("boundary_override", "")
    ctx: dict[str, Any] = {"missing": []}
    if nature not in TaskForce.Nature.values:
        ctx["missing"].append(_("任务性质"))
    if purpose not in TaskForce.Purpose.values:
        ctx["missing"].append(_("工作目的"))
    if entity_raw not in ("0", "1"):
        ctx["missing"].append(_("是否实体化运作"))
    if override and override not in TaskForce.Boundary.values:
        override = ""
    outsiders: list[str] = []
    existing = None
    if (tf_id := g.get("tf", "")).isdigit():
        try:
            existing = access.get_visible_taskforce(request.user, tf_id)[0]
        except DomainError:
            existing = None
        if existing is not None:
            outsiders = queries.boundary_outsiders(existing)
    if nature in TaskForce.Nature.values:
        draft = TaskForce(task_nature=nature, boundary_override=override,
                          boundary_override_reason=g.get("boundary_override_reason", "").strip() or _("（未填写）"))
        boundary = typology.member_boundary(draft, outsiders)
        ctx["li"] = typology.li_type(nature, boundary)
        if not override and existing is None:
            # No members yet: say what the boundary will become once outsiders join.
            other = typology.member_boundary(draft, [_("政府系统以外成员")])
            ctx["li_if_outsiders"] = typology.li_type(nature, other)
    if purpose in TaskForce.Purpose.values and entity_raw in ("0", "1"):
        ctx["liu"] = typology.liu_type(purpose, entity_raw == "1")
    return render(request, "web/tf/_typology_preview.html", ctx)
