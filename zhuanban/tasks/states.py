"""The task status machine, in one place: which action is legal from which status, and where it leads.

    draft ──dispatch──▶ dispatched ──sign──▶ signed ──progress──▶ in_progress ──complete──▶ pending_confirmation
      │                    │  ▲                                                                │ confirm
      │                    │  └──dispatch── returned ◀──return──┘ (bounce)                     ▼
      │                    └──return (N-th bounce)──▶ disputed ──rule──▶ signed     pending_verification ─verify─▶ done
      └──progress──▶ in_progress                                                  (only if verification is required)
    done / pending_* ──reopen──▶ in_progress (history kept)
    any open status but disputed ──reassign (改派)──▶ the same status (a pending hop is re-sent to the new receiver)
"""

from __future__ import annotations

from zhuanban.core.errors import Conflict

from .models import Task

S = Task.Status
WORKING = frozenset({S.DRAFT, S.SIGNED, S.IN_PROGRESS})

# action -> allowed source statuses.  The target can depend on the task (return → returned or disputed,
# confirm → done or pending_verification), so services set it; this table is what may start.
TRANSITIONS: dict[str, frozenset[str]] = {
    "dispatch": frozenset({S.DRAFT, S.SIGNED, S.IN_PROGRESS, S.RETURNED}),
    "sign": frozenset({S.DISPATCHED}),
    "return": frozenset({S.DISPATCHED}),
    "progress": WORKING,
    "complete": WORKING,
    "confirm": frozenset({S.PENDING_CONFIRMATION}),
    "verify": frozenset({S.PENDING_VERIFICATION}),
    "reopen": frozenset({S.PENDING_CONFIRMATION, S.PENDING_VERIFICATION, S.DONE}),
    "rule": frozenset({S.DISPUTED}),
    # A disputed task is ruled, not reassigned; a done one is reopened first.
    "reassign": frozenset(set(S.values) - {S.DONE, S.DISPUTED}),
}

ACTION_LABELS = {
    "dispatch": "派发",
    "sign": "签收",
    "return": "退回",
    "progress": "报送进展",
    "complete": "申请办结",
    "confirm": "牵头单位确认办结",
    "verify": "办公室核验",
    "reopen": "重新打开",
    "rule": "裁定责任归属",
    "reassign": "改派",
}


def allowed(status: str) -> list[str]:
    return [a for a, sources in TRANSITIONS.items() if status in sources]


def check(task: Task, action: str) -> None:
    if task.status not in TRANSITIONS[action]:
        allowed_from = "、".join(S(s).label for s in sorted(TRANSITIONS[action]))
        raise Conflict(
            "illegal_transition",
            f"任务当前状态为“{task.get_status_display()}”，不能{ACTION_LABELS[action]}（仅“{allowed_from}”状态可以）",
            extra={"status": task.status, "action": action},
        )
