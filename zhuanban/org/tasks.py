"""Background work of the org directory: the web import of an .xlsx workbook.

Runs under Django's Tasks API (the django-tasks backport); with the database backend a worker process
(`zhuanban db_worker`) picks it up.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from zhuanban.core.context import current_channel, current_ip

from . import importer
from .models import ImportJob


@task()
def run_import_job(job_id: int) -> dict[str, Any]:
    # Claim the job with one conditional UPDATE: a job enqueued twice, or picked up by two workers,
    # still runs once.
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return {"job": job_id, "skipped": True}
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    channel_token, ip_token = current_channel.set("web"), current_ip.set(job.ip)
    try:
        with default_storage.open(job.file.name, "rb") as fh:
            result = importer.run_import(job.created_by, fh, job=job)
    except Exception:
        # Report, don't leave the page polling forever; the worker logs the traceback.
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(), message="导入过程中发生系统错误，未导入任何数据"
        )
        raise
    finally:
        current_channel.reset(channel_token)
        current_ip.reset(ip_token)
        _discard_upload(job)
    return {"job": job_id, "ok": result.ok, "units": result.units_created, "people": result.people_created}


def _discard_upload(job: ImportJob) -> None:
    """The upload holds personal data (names, phone numbers); once imported or refused it is not kept."""
    if job.file and default_storage.exists(job.file.name):
        default_storage.delete(job.file.name)
