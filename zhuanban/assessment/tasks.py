"""Background work of assessment: the results export job (django-tasks; with the database backend
``zhuanban db_worker`` runs it).  Claimed with one conditional UPDATE, so a job enqueued twice runs once."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from .models import ExportJob


def run_export(job_id: int) -> bool:
    from .exporter import export

    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING)
    if not claimed:
        return False
    job = ExportJob.objects.select_related("scheme", "scheme__taskforce", "unit").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(processed=done, total=total)

    try:
        data = export(job, progress)
        job.file.save(f"{job.scheme_id}-{job.unit_id or 'all'}-{job.pk}.{job.fmt}", ContentFile(data), save=False)
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
