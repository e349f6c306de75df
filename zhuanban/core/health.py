"""``GET /healthz``: is this process able to serve?  For load balancers, nginx and the prod scripts.

Three checks, each one round trip: the database (``SELECT 1``), the cache (a set and a get of one key) and
the task queue (database backend: its table answers; RQ: Redis answers PING, and the queue's length).
200 with ``"status": "ok"`` when all pass, else 503 with ``"status": "fail"``.  No login, no session, no
personal data, no error text (a failing check names the exception class only; the log has the rest).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

# Queue lengths above this are reported as "more than" (the database count stays bounded).
QUEUE_COUNT_CAP = 10_000


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def check_cache() -> dict[str, Any]:
    key = "zb:healthz"
    cache.set(key, "1", timeout=30)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value just written")
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def check_queue() -> dict[str, Any]:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_rq.RQBackend":
        import django_rq

        queue = django_rq.get_queue("default")
        queue.connection.ping()
        return {"backend": "rq", "queued": queue.count}
    if backend == "django_tasks_db.DatabaseBackend":
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY).values("pk")[:QUEUE_COUNT_CAP].count()
        return {"backend": "database", "queued": ready}
    # The immediate or dummy backend (tests, scripts): nothing to reach.
    return {"backend": backend.rsplit(".", 1)[-1]}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": check_database,
    "cache": check_cache,
    "queue": check_queue,
}


def run_checks() -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            result = {"status": "ok", **check()}
        except Exception as exc:  # a check failing is the answer, not an error of the view
            log.warning("healthz: %s check failed", name, exc_info=True)
            result = {"status": "fail", "error": type(exc).__name__}
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        results[name] = result
    return results


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    ok = all(c["status"] == "ok" for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503)
