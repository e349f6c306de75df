"""``{% portrait_link person %}``: the link to a person's responsibility portrait, shown only to those
who may open it (queries.portrait_scope), so the person page needs no change to its view."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html

from zhuanban.core.errors import NotFound

from .. import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def portrait_link(context: dict[str, Any], person: Any) -> str:
    request = context.get("request")
    if request is None:
        return ""
    try:
        queries.portrait_scope(request.user, person)
    except NotFound:
        return ""
    return format_html('<a class="btn btn-sm btn-outline-primary" href="{}" data-testid="portrait-link">'
                       '<i class="bi bi-person-badge"></i> 个体责任画像</a>',
                       reverse("person_portrait", args=[person.pk]))
