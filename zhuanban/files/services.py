"""Attachment use cases: the only code that stores or removes a task force's files."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhuanban.core import audit, uploads
from zhuanban.core.errors import Conflict, Invalid
from zhuanban.core.labels import DEFAULT_LABEL, SecurityLabel
from zhuanban.taskforces.access import CLOSED, require_manage
from zhuanban.taskforces.models import TaskForce

from .models import Attachment

AREA = "attachments"


def upload_attachment(actor: Any, tf: TaskForce, upload: Any, *, kind: str = Attachment.Kind.OTHER,
                      security_label: str = DEFAULT_LABEL) -> Attachment:
    """Store ``upload`` with task force ``tf``: managers only, open task forces only, type by content."""
    require_manage(actor, tf)
    return store_attachment(actor, tf, upload, kind=kind, security_label=security_label)


def store_attachment(actor: Any, tf: TaskForce, upload: Any, *, kind: str = Attachment.Kind.OTHER,
                     security_label: str = DEFAULT_LABEL) -> Attachment:
    """``upload_attachment`` without its managers-only check, for a service that has decided itself who
    may attach a file (e.g. the filer of a report: ``reports.services.upload_field_attachment``)."""
    if tf.status in CLOSED:
        raise Conflict("taskforce_closed", "专班已解散或并入，不能再上传附件")
    if kind not in Attachment.Kind.values:
        raise Invalid("invalid_kind", "附件类别无效", {"kind": "请选择附件类别"})
    if security_label not in SecurityLabel.values:
        raise Invalid("invalid_label", "安全标签无效", {"security_label": "请选择公开、内部或敏感"})
    file_kind = uploads.validate_upload(upload)
    stored, digest = uploads.store(upload, area=AREA, kind=file_kind)
    try:
        with transaction.atomic():
            att = Attachment.objects.create(
                taskforce=tf, kind=kind, original_name=uploads.clean_original_name(upload.name, file_kind),
                stored_name=stored, content_type=file_kind.content_type, security_label=security_label, size=upload.size, sha256=digest,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
            )
            audit.record(actor, "attachment.upload", att, taskforce_id=tf.pk, after={
                "name": att.original_name, "kind": kind, "label": security_label, "size": att.size, "sha256": digest,
            })
    except BaseException:
        uploads.discard(stored)  # the row (or its audit event) failed: no orphan file stays behind
        raise
    return att


@transaction.atomic
def record_download(actor: Any, att: Attachment) -> None:
    """Every download of a file leaves an audit event (who took which file, from where)."""
    audit.record(actor, "attachment.download", att, taskforce_id=att.taskforce_id,
                 after={"name": att.original_name, "sha256": att.sha256, "label": att.security_label})
