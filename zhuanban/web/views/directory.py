"""The org directory (units as a tree, people) and the person page, scoped by what the viewer may see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhuanban.core.errors import DomainError
from zhuanban.core.masking import mask_id_card, mask_phone
from zhuanban.org import services as org_services
from zhuanban.org.models import Person, Region, Unit
from zhuanban.taskforces import access, queries
from zhuanban.taskforces.models import MembershipChange, MemberUnit

UNIT_PAGE = 50
PEOPLE_PAGE = 50


def _digits(value: str | None) -> str:
    return value if value and value.isdigit() else ""


def _tree(units: list[Unit]) -> list[tuple[Unit, int]]:
    """Units in tree order with their depth; a unit whose parent is not in the list starts a tree."""
    ids = {u.pk for u in units}
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent_id if u.parent_id in ids else None, []).append(u)
    out: list[tuple[Unit, int]] = []
    stack: list[tuple[Unit, int]] = [(u, 0) for u in reversed(children.get(None, []))]
    seen: set[int] = set()
    while stack:
        unit, depth = stack.pop()
        if unit.pk in seen:  # a cycle in bad data must not loop forever
            continue
        seen.add(unit.pk)
        out.append((unit, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(unit.pk, [])))
    return out


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    f = {"q": (g.get("q") or "").strip(), "kind": g.get("kind") or "", "region": _digits(g.get("region"))}
    internal = access.is_internal(request.user)
    qs = access.visible_units(request.user).select_related("region")
    if f["q"]:
        qs = qs.filter(Q(name__icontains=f["q"]) | Q(short_name__icontains=f["q"]))
    if f["kind"]:
        qs = qs.filter(kind=f["kind"])
    if f["region"]:
        qs = qs.filter(Q(region_id=f["region"]) | Q(region__parent_id=f["region"]))
    if internal:
        qs = qs.annotate(people_count=Count("people"))
    rows = _tree(list(qs.order_by("name")))
    page = Paginator(rows, UNIT_PAGE).get_page(g.get("page"))
    return render(request, "web/directory/units.html", {
        "page": page, "filters": f, "internal": internal, "kinds": Unit.Kind.choices,
        "regions": Region.objects.filter(Q(units__isnull=False) | Q(children__units__isnull=False)).distinct()
        .order_by("code").only("id", "name", "code"),
        "section": "units",
        "can_import": request.user.is_superuser or request.user.has_perm("org.add_unit"),
    })


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.visible_units(request.user).select_related("region", "parent").filter(pk=pk).first()
    if unit is None:
        raise Http404
    visible_tfs = access.visible_taskforces(request.user)
    memberships = (
        MemberUnit.objects.filter(unit=unit, left_on__isnull=True, taskforce__in=visible_tfs)
        .select_related("taskforce").order_by("taskforce__name")
    )
    return render(request, "web/directory/unit.html", {
        "unit": unit,
        "children": access.visible_units(request.user).filter(parent=unit).order_by("name"),
        "people": access.visible_people(request.user).filter(home_unit=unit).order_by("name")[:200],
        "memberships": memberships,
        "parent_visible": unit.parent_id is not None
        and access.visible_units(request.user).filter(pk=unit.parent_id).exists(),
        "section": "units",
    })


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    f = {"q": (g.get("q") or "").strip(), "unit": _digits(g.get("unit")), "staffing": g.get("staffing") or ""}
    qs = access.visible_people(request.user).select_related("home_unit")
    if f["q"]:
        qs = qs.filter(Q(name__icontains=f["q"]) | Q(post__icontains=f["q"]))
    if f["unit"]:
        qs = qs.filter(home_unit_id=f["unit"])
    if f["staffing"]:
        qs = qs.filter(staffing=f["staffing"])
    page = Paginator(qs.order_by("home_unit__name", "name", "id"), PEOPLE_PAGE).get_page(g.get("page"))
    return render(request, "web/directory/people.html", {
        "page": page, "filters": f, "staffings": Person.Staffing.choices,
        "units": access.visible_units(request.user).order_by("name").only("id", "name"), "section": "people",
    })


# ---- the person page --------------------------------------------------------------------------------


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.visible_people(request.user).select_related("home_unit__region").filter(pk=pk).first()
    if person is None:
        raise Http404
    secondments = list(queries.secondments_of(request.user, person))
    ids = [m.pk for m in secondments]
    linkable = set(
        access.visible_taskforces(request.user).filter(id__in={m.taskforce_id for m in secondments})
        .values_list("id", flat=True)
    )
    changes = (
        MembershipChange.objects.filter(Q(membership_id__in=ids) | Q(successor_id__in=ids))
        .select_related("taskforce", "membership__person", "successor__person")
        .order_by("-decided_on", "-id")
    )
    me = access.person_of(request.user)
    # Personal data is masked; "查看完整信息" (?full=1) shows it to those allowed, and is audited.
    full = None
    if request.GET.get("full") == "1":
        try:
            full = org_services.reveal_personal_data(request.user, person)
        except DomainError as exc:
            raise PermissionDenied(exc.message) from None
    ctx: dict[str, Any] = {
        "person": person,
        "pii": full or {"phone": mask_phone(person.phone), "id_card_no": mask_id_card(person.id_card_no)},
        "pii_full": full is not None,
        "can_unmask": access.can_view_personal_data(request.user, person),
        "is_me": me is not None and me.pk == person.pk,
        "current": [m for m in secondments if m.end_on is None],
        "past": [m for m in secondments if m.end_on is not None],
        "linkable": linkable,
        "load": queries.person_load(person, request.user),
        "changes": changes,
        "section": "me" if me is not None and me.pk == person.pk else "people",
    }
    return render(request, "web/people/detail.html", ctx)


@login_required
def me(request: HttpRequest) -> HttpResponse:
    person = access.person_of(request.user)
    if person is None:
        return render(request, "web/people/no_person.html", {"section": "me"})
    return redirect("person_detail", pk=person.pk)
