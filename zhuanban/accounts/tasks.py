"""Background work: the account sweep (idle and expired accounts), for the scheduler."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def accounts_sweep() -> dict[str, list[str]]:
    return services.sweep()
