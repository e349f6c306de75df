"""Background work of notices (Django's Tasks API via django-tasks; the database backend's worker is
``zhuanban db_worker``) and the sweeps registered with ``zhuanban scheduler``:

- ``expand_notice(notice_id)``: the audience → receipts in bulk (enqueued on commit of a send).
- ``deliver_one(id)`` / ``deliver_due()``: push attempts; retries are re-enqueued with ``run_after`` when the
  backend can defer, and the ``notices.deliveries`` sweep (every minute) picks up anything due regardless.
- ``reminders_sweep`` (every 15 minutes), ``escalation_sweep`` (every 30 minutes), ``digest_sweep`` (daily at
  17:30): see reminders.py, escalation.py, services.send_digests.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django_tasks import task

log = logging.getLogger(__name__)


@task()
def expand_notice(notice_id: int) -> dict[str, Any]:
    from .audience import expand

    return {"notice": notice_id, "recipients": expand(notice_id)}


@task()
def deliver_one(delivery_id: int) -> dict[str, Any]:
    from .channels import attempt

    return {"delivery": delivery_id, "status": attempt(delivery_id)}


@task()
def deliver_due() -> dict[str, int]:
    from .channels import process_due

    return process_due()


def schedule_retry(delivery: Any) -> None:
    """Enqueue the next attempt at its back-off time (if the backend defers; the sweep covers the rest)."""
    try:
        backend = deliver_one.get_backend()
        if getattr(backend, "supports_defer", False):
            deliver_one.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    except Exception:  # never lose the attempt's bookkeeping to a queue problem: the sweep retries
        log.exception("notices: could not enqueue the retry of delivery %s", delivery.pk)


def enqueue_deliveries() -> None:
    try:
        deliver_due.enqueue()
    except Exception:
        log.exception("notices: could not enqueue deliveries; the sweep will send them")


@task()
def reminders_sweep() -> dict[str, int]:
    from .reminders import run_sweep

    return run_sweep()


@task()
def escalation_sweep() -> dict[str, int]:
    from .escalation import run_sweep

    return run_sweep()


@task()
def digest_sweep() -> dict[str, int]:
    from .services import send_digests

    return send_digests()


def register_sweeps() -> None:
    from zhuanban.core.scheduler import register

    register("notices.reminders", dt.timedelta(minutes=15), reminders_sweep)
    register("notices.escalation", dt.timedelta(minutes=30), escalation_sweep)
    register("notices.deliveries", dt.timedelta(minutes=1), deliver_due)
    register("notices.digest", "30 17 * * *", digest_sweep)
