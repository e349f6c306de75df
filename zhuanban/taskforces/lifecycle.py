"""Lifecycle: 筹建 planning → 运行 active ⇄ 暂停 suspended → 解散 dissolved (→ restart), or merged.

The transition table is the single statement of which moves are legal; services ask it before acting.
"""

from __future__ import annotations

from zhuanban.core.errors import Conflict

from .models import TaskForce

S = TaskForce.Status

# action -> (allowed source statuses, target status)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "activate": (frozenset({S.PLANNING}), S.ACTIVE),
    "suspend": (frozenset({S.ACTIVE}), S.SUSPENDED),
    "resume": (frozenset({S.SUSPENDED}), S.ACTIVE),
    "dissolve": (frozenset({S.ACTIVE, S.SUSPENDED}), S.DISSOLVED),
    "restart": (frozenset({S.DISSOLVED}), S.ACTIVE),
    "merge": (frozenset({S.PLANNING, S.ACTIVE, S.SUSPENDED}), S.MERGED),
}

ACTION_LABELS = {
    "activate": "启动运行",
    "suspend": "暂停",
    "resume": "恢复运行",
    "dissolve": "解散",
    "restart": "重启",
    "merge": "并入其他专班",
}


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _) in TRANSITIONS.items() if status in sources]


def check_transition(tf: TaskForce, action: str) -> str:
    """Return the target status, or refuse with the reason."""
    sources, target = TRANSITIONS[action]
    if tf.status not in sources:
        allowed = "、".join(S(s).label for s in sorted(sources))
        raise Conflict(
            "illegal_transition",
            f"专班当前状态为“{tf.get_status_display()}”，不能{ACTION_LABELS[action]}"
            f"（仅“{allowed}”状态可以{ACTION_LABELS[action]}）",
            extra={"status": tf.status, "action": action},
        )
    return target
