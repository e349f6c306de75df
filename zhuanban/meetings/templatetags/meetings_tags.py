"""Template tags of the meetings app: the card on the task force's overview (two queries) and the site
verifications of a task on its detail page (one query; who may see them: ``meetings.access``)."""

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


@register.simple_tag
def task_verifications(task: Any, tf_access: Any) -> list[dict[str, Any]]:
    """The site verifications linked to ``task``, newest first, each with its photos — one query (a LEFT
    JOIN on the photos, grouped here).  Nothing for an external-only member (verifications are seen by
    whoever fully sees the task force, ``meetings.access``); the photo links are checked again on download."""
    from ..models import Verification

    if task is None or tf_access is None or not getattr(tf_access, "view", False) or getattr(
            tf_access, "external_only", False):
        return []
    rows = (Verification.objects.filter(tasks=task.pk)
            .values("id", "at", "place", "findings", "verifier__name", "photos__id", "photos__original_name")
            .order_by("-at", "-id", "photos__id")[:500])
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        v = out.setdefault(r["id"], {"id": r["id"], "at": r["at"], "place": r["place"], "findings": r["findings"],
                                     "verifier": r["verifier__name"], "photos": []})
        if r["photos__id"]:
            v["photos"].append({"id": r["photos__id"], "name": r["photos__original_name"]})
    return list(out.values())
