"""Which attachments a user may see: those of task forces they can see, narrowed by the security label
(a 敏感 attachment is seen only by the task force's managers and its uploader)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhuanban.core.errors import NotFound
from zhuanban.core.labels import SecurityLabel
from zhuanban.taskforces import access
from zhuanban.taskforces import queries as tf_queries
from zhuanban.taskforces.models import TaskForce

from .models import Attachment


def attachments_of(user: Any, tf: TaskForce, acc: access.Access) -> QuerySet[Attachment]:
    qs = Attachment.objects.filter(taskforce=tf).select_related("uploaded_by")
    if acc.manage:
        return qs
    own = Q(uploaded_by_id=getattr(user, "pk", None))
    if acc.external_only:
        # External members see what is published to them (公开) and their own uploads.
        return qs.filter(Q(security_label=SecurityLabel.PUBLIC) | own)
    return qs.filter(~Q(security_label=SecurityLabel.SENSITIVE) | own)


def _hidden_attachments(tf: TaskForce, user: Any) -> dict[str, list[int]]:
    acc = access.get_access(user, tf)
    visible = attachments_of(user, tf, acc).values("pk")
    return {"files.attachment": list(Attachment.objects.filter(taskforce=tf).exclude(pk__in=visible)
                                     .values_list("pk", flat=True))}


tf_queries.HIDDEN_IN_HISTORY.append(_hidden_attachments)


def get_visible_attachment(user: Any, attachment_id: Any) -> Attachment:
    """The attachment if ``user`` may see it; otherwise 404, exactly as for an unknown id."""
    att = Attachment.objects.filter(pk=attachment_id).select_related("taskforce").first()
    if att is None:
        raise NotFound()
    tf, acc = access.get_visible_taskforce(user, att.taskforce_id)
    if not attachments_of(user, tf, acc).filter(pk=att.pk).exists():
        raise NotFound()
    return att
