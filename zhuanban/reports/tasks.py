"""Background work of reporting: the .xlsx export job (Django's Tasks API via django-tasks; with the
database backend ``zhuanban db_worker`` runs it).  Claimed with one conditional UPDATE, so a job enqueued
twice runs once."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from .exporter import export_xlsx
from .models import ExportJob


def run_export(job_id: int) -> bool:
    """Run one export job now (the worker calls it; the API's ``?sync=1`` and the bench too)."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING)
    if not claimed:
        return False
    job = ExportJob.objects.select_related("template").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(processed=done, total=total)

    try:
        data = export_xlsx(job.template, job.date_from, job.date_to, progress)
        job.refresh_from_db()
        job.file.save(f"{job.template_id}-{job.date_from:%Y%m%d}-{job.date_to:%Y%m%d}.xlsx", ContentFile(data),
                      save=False)
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.DONE, file=job.file.name,
                                                   finished_at=timezone.now())
    except Exception:
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, finished_at=timezone.now(),
                                                   message="导出过程中发生系统错误")
        raise
    return True


@task()
def run_export_job(job_id: int) -> dict[str, Any]:
    return {"job": job_id, "ran": run_export(job_id)}


def enqueue_export(job_id: int) -> None:
    try:
        run_export_job.enqueue(job_id)
    except Exception:  # the backend is down: say so on the job instead of a 500
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.FAILED, finished_at=timezone.now(), message="无法提交后台任务，请稍后重试")
