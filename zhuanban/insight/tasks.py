"""Background work of insight: the daily snapshot of the province-wide dashboard (``zhuanban scheduler``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def snapshot_sweep() -> dict[str, Any]:
    from . import services

    snap = services.refresh_snapshot()
    return {"computed_at": snap.computed_at.isoformat(), "elapsed_ms": snap.elapsed_ms}


def register_sweeps() -> None:
    from zhuanban.core.scheduler import register

    # Before the working day: the office opens yesterday's complete figures at 08:30.
    register("insight.snapshot", "10 5 * * *", snapshot_sweep)
