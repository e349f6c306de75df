"""Org-directory pages: the .xlsx import (upload, background job, progress, error report)."""

from __future__ import annotations

import io
import logging
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from zhuanban.core import uploads
from zhuanban.core.errors import DomainError

from .import_template import write_template
from .models import ImportJob
from .tasks import run_import_job

logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_import(user: Any) -> bool:
    """Directory maintenance is for system administrators (the same rule as org.services)."""
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm("org.add_unit")))


def _require_importer(request: HttpRequest) -> None:
    # Others get a 404, not a 403: the page does not exist for them.
    if not can_import(request.user):
        raise Http404()


class ImportForm(forms.Form):
    file = forms.FileField(label="组织名录文件（.xlsx）")

    def clean_file(self) -> UploadedFile:
        f: UploadedFile = self.cleaned_data["file"]
        if not (f.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件（.xls 请先另存为 .xlsx）")
        # Size and type by content (an .xlsx is a zip with [Content_Types].xml and xl/workbook.xml).
        try:
            uploads.validate_upload(f, allowed=("xlsx",))
        except DomainError as exc:
            if exc.code == "upload_type_not_allowed":
                raise forms.ValidationError("文件内容不是有效的 .xlsx 工作簿") from None
            raise forms.ValidationError(exc.message) from None
        return f


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob(original_name=PurePath(upload.name).name[:200], created_by=request.user,
                        ip=request.META.get("REMOTE_ADDR"), channel="web")
        job.file.save("upload.xlsx", upload, save=False)  # upload_to gives it a random name
        job.save()
        # Enqueue only once the job row is committed, so a worker never looks for a job that isn't there.
        transaction.on_commit(lambda: _enqueue(job.pk))
        return redirect("org_import_job", pk=job.pk)
    recent = ImportJob.objects.select_related("created_by")[:10]
    return render(request, "org/import.html", {"form": form, "recent": recent, "section": "units"})


def _enqueue(job_id: int) -> None:
    try:
        run_import_job.enqueue(job_id)
    except Exception:  # the backend is down: say so on the job page instead of a 500
        logger.exception("could not enqueue import job %s", job_id)
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(), message="无法提交后台任务，请稍后重试"
        )


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    _require_importer(request)
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "org/import_job.html", {"job": job, "section": "units"})


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    _require_importer(request)
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "org/_import_progress.html", {"job": job})


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename=\"org-import-template.xlsx\"; " \
        "filename*=UTF-8''%E7%BB%84%E7%BB%87%E5%90%8D%E5%BD%95%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    buffer = io.BytesIO()
    write_template(buffer)
    response.write(buffer.getvalue())
    return response
