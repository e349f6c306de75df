"""Demo data of this app, loaded by ``zhuanban.demo.loader`` once every demo task force and its tasks exist."""

from __future__ import annotations

from typing import Any

from zhuanban.taskforces.models import TaskForce


def load(admin: Any, taskforces: dict[str, TaskForce]) -> None:
    """Idempotent: a second run finds what the first made and adds nothing."""
