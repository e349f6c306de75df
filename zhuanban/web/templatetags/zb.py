"""Small template helpers for the web UI: Bootstrap form widgets, badge colours, navigation state."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.http import HttpRequest

register = template.Library()

STATUS_CLASSES = {
    "planning": "text-bg-secondary",
    "active": "text-bg-success",
    "suspended": "text-bg-warning",
    "dissolved": "text-bg-dark",
    "merged": "text-bg-info",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.filter
def widget_kind(field: BoundField) -> str:
    w = field.field.widget
    if isinstance(w, forms.RadioSelect):
        return "radio"
    if isinstance(w, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def with_state(field: BoundField) -> str:
    """The widget, marked invalid (red border) when the field has errors."""
    attrs: dict[str, Any] = {}
    if field.errors:
        attrs["class"] = (field.field.widget.attrs.get("class", "") + " is-invalid").strip()
    return field.as_widget(attrs=attrs)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def nav_active(context: template.Context, name: str) -> str:
    """``active`` when the current page belongs to navbar section ``name``."""
    section = context.get("section")
    request: HttpRequest | None = context.get("request")
    path = request.path if request is not None else ""
    if section is None:
        if path.startswith("/tf/"):
            section = "tf"
        elif path.startswith(("/directory/", "/people/", "/org/")):
            section = "units"
        elif path.startswith("/me/"):
            section = "me"
    if name == "directory":
        return "active" if section in ("units", "people") else ""
    return "active" if section == name else ""


@register.filter
def elided(page: Any) -> Any:
    """Page numbers around the current page, with ellipses (``Paginator.get_elided_page_range``)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.simple_tag
def typology_grids(typ: Any) -> dict[str, Any]:
    """Both typology tables as 2×2 grids with the task force's cell marked, so users see where it sits."""
    from zhuanban.taskforces import typology
    from zhuanban.taskforces.models import TaskForce

    nature, boundary, purpose = TaskForce.Nature, TaskForce.Boundary, TaskForce.Purpose
    li_rows = [
        (b.label, [(typology.LI_TABLE[(n, b)][1], typology.LI_TABLE[(n, b)][0] == typ.li.code) for n in nature])
        for b in (boundary.CROSS_SECTOR, boundary.CROSS_DEPARTMENT)
    ]
    liu_rows = [
        (label, [(typology.LIU_TABLE[(p, entity)][1], typology.LIU_TABLE[(p, entity)][0] == typ.liu.code)
                 for p in purpose])
        for entity, label in ((True, "实体化运作"), (False, "无实体化运作"))
    ]
    return {
        "li_cols": [n.label for n in nature], "li_rows": li_rows,
        "liu_cols": [p.label for p in purpose], "liu_rows": liu_rows,
    }


@register.filter
def clamp(value: int, upper: int) -> int:
    return min(int(value), int(upper))


@register.filter
def tens(value: int) -> int:
    """A percentage rounded to tens and capped at 100, for the ``zb-w-N`` width classes (no inline
    styles, so a strict Content-Security-Policy can apply)."""
    return max(0, min(100, int(round(int(value or 0) / 10.0)) * 10))
