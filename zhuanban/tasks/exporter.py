"""Export a task force's task tree with lights to .xlsx; every text cell passes ``safe_cell`` (formulas
neutralised), through ``core.exports.xlsx_bytes``."""

from __future__ import annotations

from django.utils import timezone

from zhuanban.core.exports import xlsx_bytes
from zhuanban.core.labels import export_banner
from zhuanban.taskforces.models import TaskForce

from .models import Task

HEADER = ("序号", "任务", "牵头单位", "配合单位", "责任人", "派出单位", "完成时限", "进展", "状态", "亮灯")


def export_tree(tree: list[Task], tf: TaskForce) -> bytes:
    numbers: dict[int, str] = {}
    counters: dict[int | None, int] = {}
    # The label travels with the data once it leaves the system (the strictest of the task force's and
    # any exported task's label).
    labels = {tf.security_label, *(t.security_label for t in tree)}
    label = next((lab for lab in ("sensitive", "internal", "public") if lab in labels), tf.security_label)
    rows: list[list[object]] = [[export_banner(label, title=f"{tf.name} 任务清单")], list(HEADER)]
    for t in tree:
        parent = t.parent_id if t.parent_id in numbers else None
        counters[parent] = counters.get(parent, 0) + 1
        numbers[t.pk] = f"{numbers[parent]}.{counters[parent]}" if parent else str(counters[parent])
        rows.append([
            numbers[t.pk], "　" * getattr(t, "depth", 0) + t.title, str(t.lead_unit or ""),
            "、".join(str(u) for u in t.cooperating_units.all()), t.responsible.name if t.responsible else "",
            getattr(t, "dispatching_unit_name", "") or "",
            timezone.localtime(t.due_at).date() if t.due_at else "", f"{t.progress}%", t.get_status_display(),
            t.get_light_display(),
        ])
    return xlsx_bytes(rows, title=f"{tf.name[:20]}任务清单")
