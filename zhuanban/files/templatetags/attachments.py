"""``{% attachments_card tf access %}``: the task force's attachments, with the upload form for managers."""

from __future__ import annotations

from typing import Any

from django import template

from zhuanban.taskforces.access import CLOSED

from .. import queries
from ..views import AttachmentForm

register = template.Library()


@register.inclusion_tag("files/_card.html", takes_context=True)
def attachments_card(context: template.Context, tf: Any, acc: Any) -> dict[str, Any]:
    return {
        "tf": tf,
        "attachments": list(queries.attachments_of(context["request"].user, tf, acc)),
        "can_upload": bool(acc.manage) and tf.status not in CLOSED,
        "form": AttachmentForm(),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
