"""Import a task list (重点任务清单) from .xlsx — all or nothing, with a row-level error report.

The usual layout: a header row with 序号, 任务, 牵头单位, 配合单位, 责任人, 完成时限, 进展 (序号 may be dotted,
"1", "1.1", "1.1.2", giving the tree).  Every row is checked first; if any row fails, nothing is written
and the report names each row, column and reason.  Otherwise all tasks are created through
``services.create_task`` in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction

from zhuanban.core import audit
from zhuanban.core.errors import DomainError
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces.access import require_manage
from zhuanban.taskforces.models import TaskForce

from . import services

COLUMNS = ("序号", "任务", "牵头单位", "配合单位", "责任人", "完成时限", "进展")
REQUIRED = ("任务",)
MAX_ROWS = 5000
SPLIT = re.compile(r"[、,，;；/\s]+")
PERCENT = re.compile(r"^(\d{1,3})\s*%$")
CN_DATE = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ImportResult:
    ok: bool
    created: int = 0
    errors: list[RowError] = field(default_factory=list)


@dataclass
class _Row:
    row: int
    number: str
    title: str
    lead_unit: Unit | None
    cooperating: list[Unit]
    responsible: Person | None
    due: dt.date | None
    progress: int
    note: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = CN_DATE.match(_text(value))
    if not m:
        raise ValueError
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


def _units_by_name() -> dict[str, Unit]:
    out: dict[str, Unit] = {}
    for u in Unit.objects.all():
        out[u.name] = u
        if u.short_name:
            out.setdefault(u.short_name, u)
    return out


def read_rows(source: Any) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - whatever the bytes, the answer is a report
        return [], [RowError(0, "", "无法读取文件：请上传 .xlsx 格式的任务清单")]
    ws = wb.worksheets[0]
    header: dict[int, str] | None = None
    rows: list[tuple[int, dict[str, Any]]] = []
    for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [_text(v) for v in values]
        if header is None:
            if "任务" in cells:
                header = {i: c for i, c in enumerate(cells) if c in COLUMNS}
            continue
        if not any(cells):
            continue
        rows.append((n, {header[i]: values[i] for i in header if i < len(values)}))
        if len(rows) > MAX_ROWS:
            return [], [RowError(n, "", f"行数超过上限 {MAX_ROWS}，请分批导入")]
    wb.close()
    if header is None:
        return [], [RowError(0, "任务", "未找到表头（须含“任务”列）")]
    return rows, []


def validate(actor: Any, raw: list[tuple[int, dict[str, Any]]]) -> tuple[list[_Row], list[RowError]]:
    from zhuanban.taskforces.access import visible_people

    units = _units_by_name()
    people: dict[str, list[Person]] = {}
    for p in visible_people(actor).select_related("home_unit"):
        people.setdefault(p.name, []).append(p)
    errors: list[RowError] = []
    out: list[_Row] = []
    numbers: set[str] = set()
    for n, cells in raw:
        title = _text(cells.get("任务"))
        if not title:
            errors.append(RowError(n, "任务", "任务名称不能为空"))
        number = _text(cells.get("序号")).rstrip(".")
        if number:
            if number in numbers:
                errors.append(RowError(n, "序号", f"序号“{number}”重复"))
            parent_no = number.rpartition(".")[0]
            if parent_no and parent_no not in numbers:
                errors.append(RowError(n, "序号", f"上级序号“{parent_no}”不存在或在本行之后"))
            numbers.add(number)
        lead_name = _text(cells.get("牵头单位"))
        lead = units.get(lead_name) if lead_name else None
        if lead_name and lead is None:
            errors.append(RowError(n, "牵头单位", f"单位“{lead_name}”不存在"))
        coop = []
        for name in (s for s in SPLIT.split(_text(cells.get("配合单位"))) if s):
            if name in units:
                coop.append(units[name])
            else:
                errors.append(RowError(n, "配合单位", f"单位“{name}”不存在"))
        person_name = _text(cells.get("责任人"))
        person = None
        if person_name:
            found = people.get(person_name, [])
            if len(found) == 1:
                person = found[0]
            elif not found:
                errors.append(RowError(n, "责任人", f"人员“{person_name}”不存在或无权查看"))
            else:
                errors.append(RowError(n, "责任人", f"有 {len(found)} 位同名人员“{person_name}”，请在系统中单独指定"))
        due = None
        if _text(cells.get("完成时限")):
            try:
                due = _date(cells.get("完成时限"))
            except (ValueError, TypeError):
                errors.append(RowError(n, "完成时限", "日期格式应为 2026-03-31 或 2026年3月31日"))
        progress_text = _text(cells.get("进展"))
        progress, note = 0, progress_text
        m = PERCENT.match(progress_text)
        if m:
            progress, note = int(m[1]), ""
            if progress > 100:
                errors.append(RowError(n, "进展", "进度不能超过 100%"))
        out.append(_Row(n, number, title, lead, coop, person, due, min(progress, 100), note))
    return out, errors


def run_import(actor: Any, tf: TaskForce, source: IO[bytes] | Any) -> ImportResult:
    require_manage(actor, tf)
    raw, errors = read_rows(source)
    if errors:
        return ImportResult(False, errors=errors)
    rows, errors = validate(actor, raw)
    if not rows and not errors:
        errors = [RowError(0, "", "文件中没有任务行")]
    if errors:
        return ImportResult(False, errors=errors)
    try:
        with transaction.atomic():
            by_number: dict[str, Any] = {}
            for r in rows:
                parent = by_number.get(r.number.rpartition(".")[0]) if r.number else None
                task = services.create_task(
                    actor, tf, title=r.title, parent=parent, lead_unit=r.lead_unit, cooperating_units=r.cooperating,
                    responsible=r.responsible, due_at=r.due, progress=r.progress,
                    description=f"进展：{r.note}" if r.note else "")
                if r.number:
                    by_number[r.number] = task
            audit.record(actor, "task.import", tf, after={"tasks": len(rows)}, taskforce_id=tf.pk)
    except DomainError as exc:
        return ImportResult(False, errors=[RowError(0, "", exc.message)])
    return ImportResult(True, created=len(rows))
