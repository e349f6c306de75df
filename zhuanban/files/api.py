"""Attachment endpoints of /api/v1: list and upload a task force's attachments, download one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zhuanban.core import uploads
from zhuanban.core.errors import NotFound
from zhuanban.core.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, Ref, ref
from zhuanban.taskforces import access

from . import queries, services
from .models import Attachment

router = Router(tags=["attachments"])


class AttachmentOut(Schema):
    id: int
    taskforce: int
    kind: str
    kind_label: str
    name: str
    content_type: str
    size: int
    sha256: str
    security_label: str
    uploaded_by: Ref | None = None
    uploaded_at: dt.datetime
    download_url: str


def attachment_out(a: Attachment) -> dict[str, Any]:
    return {
        "id": a.pk, "taskforce": a.taskforce_id, "kind": a.kind, "kind_label": a.get_kind_display(),
        "name": a.original_name, "content_type": a.content_type, "size": a.size, "sha256": a.sha256,
        "security_label": a.security_label, "uploaded_by": ref(a.uploaded_by), "uploaded_at": a.uploaded_at,
        "download_url": f"/api/v1/attachments/{a.pk}/download",
    }


@router.get("/taskforces/{tf_id}/attachments", response={200: list[AttachmentOut], **READ_ERRORS},
            summary="专班附件列表")
def list_attachments(request: HttpRequest, tf_id: int):
    tf, acc = access.get_visible_taskforce(request.auth, tf_id)
    return [attachment_out(a) for a in queries.attachments_of(request.auth, tf, acc)]


@router.post("/taskforces/{tf_id}/attachments", response={201: AttachmentOut, **WRITE_ERRORS},
             summary="上传附件（multipart；PDF、docx、xlsx、PNG、JPEG，按内容识别；大小上限见部署配置）")
def upload_attachment(request: HttpRequest, tf_id: int, file: File[UploadedFile],
                      kind: Form[str] = Attachment.Kind.OTHER, security_label: Form[str] = "internal"):
    tf, _ = access.get_visible_taskforce(request.auth, tf_id)
    att = services.upload_attachment(request.auth, tf, file, kind=kind, security_label=security_label)
    return Status(201, attachment_out(att))


DOWNLOAD_CONTENT = {k.content_type: {"schema": {"type": "string", "format": "binary"}}
                    for k in uploads.KINDS.values()}


@router.get("/attachments/{attachment_id}/download", response={**READ_ERRORS, 403: ErrorOut},
            summary="下载附件（Content-Disposition: attachment）",
            openapi_extra={"responses": {200: {"description": "文件内容", "content": DOWNLOAD_CONTENT}}})
def download_attachment(request: HttpRequest, attachment_id: int):
    att = queries.get_visible_attachment(request.auth, attachment_id)
    try:
        response = uploads.download_response(att.stored_name, att.original_name, att.content_type)
    except Http404:  # the row is there but its file is gone: the same 404 shape as everywhere else
        raise NotFound() from None
    services.record_download(request.auth, att)
    return response
