"""Template tags of the meetings app: the card on the task force's overview (two queries)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from .. import queries

register = template.Library()


@register.simple_tag
def meetings_overview(tf: Any) -> dict[str, Any]:
    """Today's on-duty people (contact masked) and the next meeting of ``tf``."""
    return {"on_duty": [queries.shift_row(s) for s in queries.on_duty_today([tf.pk], timezone.localdate())],
            "next": queries.next_meeting(tf)}
