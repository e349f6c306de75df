"""Import units and people from an .xlsx workbook — all or nothing.

The workbook has a sheet 单位 (单位名称, 简称, 单位类别, 上级单位, 区划代码) and a sheet 人员 (姓名, 所在单位, 职务,
编制类型, 联系电话, 单位负责人, 登录名); either may be left out.  Every row is validated first against the
directory and against the other rows of the file (a person may name a unit from the same file, a unit a
parent further down); if any row fails, nothing is written and the caller gets the whole error report as
(sheet, row, column, reason) in Chinese.  Otherwise everything is created through ``org.services`` in one
transaction with one summary audit event ``org.import``.

Offices live in Excel; the report has to point at the cell that is wrong, so reading and validation never
raise: whatever the cells hold, the answer is a clean report.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from zhuanban.core import audit
from zhuanban.core.errors import DomainError

from . import services
from .models import ImportJob, Person, Region, Unit, User

UNIT_SHEET = "单位"
PERSON_SHEET = "人员"
UNIT_COLUMNS = ("单位名称", "简称", "单位类别", "上级单位", "区划代码")
PERSON_COLUMNS = ("姓名", "所在单位", "职务", "编制类型", "联系电话", "单位负责人", "登录名")
REQUIRED_COLUMNS = {UNIT_SHEET: ("单位名称", "单位类别"), PERSON_SHEET: ("姓名", "所在单位", "编制类型")}
MAX_ROWS = 20_000  # per sheet; a bigger directory is imported in parts
MAX_REPORTED_ERRORS = 1_000

KIND_BY_LABEL = {str(label): value for value, label in Unit.Kind.choices} | {v: v for v in Unit.Kind.values}
STAFFING_BY_LABEL = {str(label): value for value, label in Person.Staffing.choices} | {
    v: v for v in Person.Staffing.values
}
YES = frozenset({"是", "y", "yes", "true", "1", "√"})
NO = frozenset({"否", "n", "no", "false", "0", ""})
REGION_CODE = re.compile(r"^\d{6}(?:\d{3}){0,2}$")
PHONE = re.compile(r"^[0-9+\-()（） 转]{3,30}$")
USERNAME = re.compile(r"^[\w.@+-]+\Z")
MAX_LEN = {"单位名称": 120, "简称": 60, "上级单位": 120, "姓名": 50, "所在单位": 120, "职务": 80, "联系电话": 30,
           "登录名": 150}

Progress = Callable[[str, int, int], None]
RawRow = tuple[int, Mapping[str, Any]]  # (row number in the sheet, {column header: cell value})


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = "，".join(p for p in (self.sheet and f"工作表“{self.sheet}”",
                                      self.row and f"第 {self.row} 行", self.column and f"“{self.column}”列") if p)
        return f"{where}：{self.reason}" if where else self.reason


@dataclass(frozen=True)
class UnitRow:
    row: int
    name: str
    short_name: str
    kind: str
    parent: str  # canonical full name after validation, "" for none
    region_code: str


@dataclass(frozen=True)
class PersonRow:
    row: int
    name: str
    unit: str  # canonical full name of the home unit
    post: str
    staffing: str
    phone: str
    is_unit_leader: bool
    username: str


@dataclass
class Directory:
    """What the directory already holds, as far as validating this file needs it (loaded up front, so
    validating a row is pure Python)."""

    unit_names: set[str] = field(default_factory=set)
    short_names: dict[str, set[str]] = field(default_factory=dict)  # short name -> full names
    region_codes: set[str] = field(default_factory=set)
    usernames: set[str] = field(default_factory=set)  # lower case
    people: set[tuple[str, str]] = field(default_factory=set)  # (person name, unit full name)

    @classmethod
    def load(cls, people_rows: Sequence[RawRow] = ()) -> Directory:
        d = cls()
        for name, short in Unit.objects.values_list("name", "short_name"):
            d.unit_names.add(name)
            if short:
                d.short_names.setdefault(short, set()).add(name)
        d.region_codes = set(Region.objects.values_list("code", flat=True))
        logins = sorted({cell_text(r.get("登录名")).lower() for _, r in people_rows} - {""})
        names = sorted({cell_text(r.get("姓名")) for _, r in people_rows} - {""})
        for chunk in _chunks(logins):
            d.usernames.update(
                User.objects.annotate(lower=Lower("username")).filter(lower__in=chunk).values_list("lower", flat=True)
            )
        for chunk in _chunks(names):
            d.people.update(Person.objects.filter(name__in=chunk).values_list("name", "home_unit__name"))
        return d


@dataclass
class Validation:
    units: list[UnitRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportResult:
    ok: bool
    errors: list[RowError]
    total: int = 0
    units_created: int = 0
    people_created: int = 0
    job: ImportJob | None = None


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


# ---- reading ---------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: Excel stores 110000 and 13800138000 as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def read_workbook(source: str | os.PathLike[str] | IO[bytes]) -> tuple[dict[str, list[RawRow]], list[RowError]]:
    """The data rows of the two sheets, or a report on why the file cannot be read."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception:  # any parser failure of a damaged or foreign file is a report, not a crash
        return {}, [RowError("", 0, "", "无法读取文件：不是有效的 .xlsx 工作簿（请用 Excel 或 WPS 另存为 .xlsx 后重试）")]
    sheets: dict[str, list[RawRow]] = {UNIT_SHEET: [], PERSON_SHEET: []}
    errors: list[RowError] = []
    try:
        present = [name for name in (UNIT_SHEET, PERSON_SHEET) if name in wb.sheetnames]
        if not present:
            return {}, [RowError("", 0, "", f"工作簿中没有“{UNIT_SHEET}”或“{PERSON_SHEET}”工作表")]
        for name in present:
            rows, sheet_errors = _read_sheet(wb[name], name)
            sheets[name] = rows
            errors.extend(sheet_errors)
    except Exception:  # a damaged sheet part shows up only while iterating
        return {}, [RowError("", 0, "", "无法读取文件：工作簿内容已损坏")]
    finally:
        wb.close()
    return sheets, errors


def _read_sheet(ws: Any, sheet: str) -> tuple[list[RawRow], list[RowError]]:
    expected = UNIT_COLUMNS if sheet == UNIT_SHEET else PERSON_COLUMNS
    rows_iter = ws.iter_rows(values_only=True)
    header = next(rows_iter, None) or ()
    columns: dict[str, int] = {}
    for index, value in enumerate(header):
        text = cell_text(value)
        if text in expected and text not in columns:
            columns[text] = index
    missing = [c for c in REQUIRED_COLUMNS[sheet] if c not in columns]
    if missing:
        return [], [RowError(sheet, 1, c, "表头缺少此必填列") for c in missing]
    rows: list[RawRow] = []
    for number, values in enumerate(rows_iter, start=2):
        if values is None or all(cell_text(v) == "" for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            return rows, [RowError(sheet, number, "", f"行数超过上限 {MAX_ROWS} 行，请分批导入")]
        rows.append((number, {c: (values[i] if i < len(values) else None) for c, i in columns.items()}))
    return rows, []


# ---- validation ------------------------------------------------------------------------------------


class _Checker:
    """Collects the errors of one row, column by column; ``ok`` turns false at the first one."""

    def __init__(self, sheet: str, row: int, raw: Mapping[str, Any], errors: list[RowError]) -> None:
        self.sheet, self.row, self.raw, self.errors = sheet, row, raw, errors
        self.ok = True

    def fail(self, column: str, reason: str) -> None:
        self.ok = False
        self.errors.append(RowError(self.sheet, self.row, column, reason))

    def text(self, column: str, *, required: bool = False) -> str:
        """The cell's text; "" (with an error recorded) if it is missing and required, or unusable."""
        value = cell_text(self.raw.get(column))
        if not value:
            if required:
                self.fail(column, "必填项，不能为空")
            return ""
        if any(unicodedata.category(c) in ("Cc", "Cs") for c in value):
            self.fail(column, "含有不可见的控制字符，请删除后重试")
            return ""
        limit = MAX_LEN.get(column)
        if limit and len(value) > limit:
            self.fail(column, f"不能超过 {limit} 个字符（当前 {len(value)} 个）")
            return ""
        return value


class _UnitIndex:
    """Resolves a unit reference (full name, or a short name that names exactly one unit) against the
    directory and the units of the file."""

    def __init__(self, directory: Directory, file_units: Iterable[tuple[str, str]]) -> None:
        self.names = set(directory.unit_names)
        self.short = {k: set(v) for k, v in directory.short_names.items()}
        for name, short in file_units:
            self.names.add(name)
            if short:
                self.short.setdefault(short, set()).add(name)

    def resolve(self, ref: str) -> tuple[str | None, str]:
        if ref in self.names:
            return ref, ""
        matches = self.short.get(ref, set())
        if len(matches) == 1:
            return next(iter(matches)), ""
        if len(matches) > 1:
            return None, f"简称“{ref}”对应多个单位（{'、'.join(sorted(matches))}），请填写单位全称"
        return None, f"找不到单位“{ref}”：它既不在本文件“{UNIT_SHEET}”表中，也不在系统组织名录中"


def validate(units_raw: Sequence[RawRow], people_raw: Sequence[RawRow], directory: Directory,
             progress: Progress | None = None) -> Validation:
    """Check every row; never raises for bad cell values, returns the rows ready to write or the errors."""
    errors: list[RowError] = []
    total = len(units_raw) + len(people_raw)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress("validate", done, total)

    units, index = _validate_units(units_raw, directory, errors, tick)
    people = _validate_people(people_raw, directory, index, errors, tick)
    errors.sort(key=_report_order)
    return Validation(units, people, errors)


def _validate_units(units_raw: Sequence[RawRow], directory: Directory, errors: list[RowError],
                    tick: Callable[[], None]) -> tuple[list[UnitRow], _UnitIndex]:
    # Pass 1: each row's own cells.  Every name the file declares goes into the index, valid row or not,
    # so references may point further down, and a person in a unit whose row has an error is not
    # reported a second time as "unknown unit".
    parsed: list[tuple[int, dict[str, str]]] = []
    first_row_of: dict[str, int] = {}
    declared: list[tuple[str, str]] = []
    for number, raw in units_raw:
        c = _Checker(UNIT_SHEET, number, raw, errors)
        name, short = c.text("单位名称", required=True), c.text("简称")
        kind_label, parent, region = c.text("单位类别", required=True), c.text("上级单位"), c.text("区划代码")
        if name:
            declared.append((name, short))
            if name in first_row_of:
                c.fail("单位名称", f"与本表第 {first_row_of[name]} 行的单位名称重复")
            else:
                first_row_of[name] = number
                if name in directory.unit_names:
                    c.fail("单位名称", "系统组织名录中已有同名单位")
        kind = KIND_BY_LABEL.get(kind_label, "")
        if kind_label and not kind:
            c.fail("单位类别", f"未知的单位类别“{kind_label}”，可选：{'、'.join(str(x) for x in Unit.Kind.labels)}")
        if region and not REGION_CODE.match(region):
            c.fail("区划代码", "区划代码须为 6、9 或 12 位数字（GB/T 2260）")
        elif region and region not in directory.region_codes:
            c.fail("区划代码", f"系统中没有区划代码 {region}，请先维护行政区划")
        if c.ok:
            parsed.append((number, {"name": name, "short": short, "kind": kind, "parent": parent, "region": region}))
        tick()
    index = _UnitIndex(directory, declared)

    # Pass 2: parent references, then cycles among the file's own units.
    units: list[UnitRow] = []
    for number, u in parsed:
        parent = ""
        if u["parent"]:
            resolved, reason = index.resolve(u["parent"])
            if resolved is None:
                errors.append(RowError(UNIT_SHEET, number, "上级单位", reason.replace("找不到单位", "找不到上级单位")))
                continue
            if resolved == u["name"]:
                errors.append(RowError(UNIT_SHEET, number, "上级单位", "上级单位不能是本单位"))
                continue
            parent = resolved
        units.append(UnitRow(number, u["name"], u["short"], u["kind"], parent, u["region"]))
    cyclic = _cyclic(units)
    for unit in units:
        if unit.name in cyclic:
            errors.append(RowError(UNIT_SHEET, unit.row, "上级单位", "上级单位关系形成循环（A 的上级是 B，B 的上级又是 A）"))
    return [u for u in units if u.name not in cyclic], index


def _validate_people(people_raw: Sequence[RawRow], directory: Directory, index: _UnitIndex,
                     errors: list[RowError], tick: Callable[[], None]) -> list[PersonRow]:
    people: list[PersonRow] = []
    seen_login: dict[str, int] = {}
    seen_person: dict[tuple[str, str], int] = {}
    for number, raw in people_raw:
        c = _Checker(PERSON_SHEET, number, raw, errors)
        name, unit_ref, post = c.text("姓名", required=True), c.text("所在单位", required=True), c.text("职务")
        staffing_label, phone = c.text("编制类型", required=True), c.text("联系电话")
        leader_text, username = c.text("单位负责人"), c.text("登录名")
        unit: str | None = None
        if unit_ref:
            unit, reason = index.resolve(unit_ref)
            if unit is None:
                c.fail("所在单位", reason)
        staffing = STAFFING_BY_LABEL.get(staffing_label, "")
        if staffing_label and not staffing:
            c.fail("编制类型", f"未知的编制类型“{staffing_label}”，可选：{'、'.join(str(x) for x in Person.Staffing.labels)}")
        if phone and not PHONE.match(phone):
            c.fail("联系电话", "联系电话只能包含数字、空格、+、-、括号和“转”")
        leader = leader_text.lower()
        if leader not in YES | NO:
            c.fail("单位负责人", f"请填写“是”或“否”（当前为“{leader_text}”）")
        if username:
            key = username.lower()
            if not USERNAME.match(username):
                c.fail("登录名", "登录名只能包含字母、数字和 @ . + - _")
            elif key in seen_login:
                c.fail("登录名", f"与本表第 {seen_login[key]} 行的登录名重复（登录名不区分大小写）")
            else:
                seen_login[key] = number
                if key in directory.usernames:
                    c.fail("登录名", "登录名已被系统中的账号使用（登录名不区分大小写）")
        if name and unit:
            if (name, unit) in seen_person:
                c.fail("姓名", f"与本表第 {seen_person[(name, unit)]} 行重复：同一单位下已有同名人员（如确为两人，请在姓名后加以区分）")
            else:
                seen_person[(name, unit)] = number
                if (name, unit) in directory.people:
                    c.fail("姓名", f"系统中“{unit}”已有同名人员（如确为两人，请在姓名后加以区分）")
        if c.ok and unit:
            people.append(PersonRow(number, name, unit, post, staffing, phone, leader in YES, username))
        tick()
    return people


def _report_order(e: RowError) -> tuple[int, int, int]:
    columns = UNIT_COLUMNS if e.sheet == UNIT_SHEET else PERSON_COLUMNS
    return (e.sheet != UNIT_SHEET, e.row, columns.index(e.column) if e.column in columns else -1)


def _cyclic(units: Sequence[UnitRow]) -> set[str]:
    parent_of = {u.name: u.parent for u in units}
    cyclic: set[str] = set()
    for start in parent_of:
        path: list[str] = []
        current: str | None = start
        while current in parent_of and current not in path:
            path.append(current)
            current = parent_of[current] or None
        if current is not None and current in path:
            cyclic.update(path[path.index(current):])
    return cyclic


# ---- writing ---------------------------------------------------------------------------------------


class _Rollback(Exception):
    def __init__(self, error: RowError) -> None:
        self.error = error


def _write(actor: Any, plan: Validation, job: ImportJob, progress: Progress | None) -> tuple[int, int]:
    """Create everything in one transaction; a service refusing any row (someone added the same unit a
    moment ago) rolls the whole import back and is reported on that row."""
    total = len(plan.units) + len(plan.people)
    done = 0
    with transaction.atomic():
        regions = {r.code: r for r in Region.objects.filter(code__in={u.region_code for u in plan.units} - {""})}
        created: dict[str, Unit] = {}
        existing: dict[str, Unit] = {}

        def unit_named(name: str) -> Unit:
            if name in created:
                return created[name]
            if name not in existing:
                existing[name] = Unit.objects.get(name=name)
            return existing[name]

        pending = list(plan.units)
        file_names = {u.name for u in pending}
        while pending:  # parents first; validation has ruled out cycles
            ready = [u for u in pending if u.parent not in file_names or u.parent in created]
            if not ready:  # unreachable after validation; never loop forever
                raise _Rollback(RowError(UNIT_SHEET, pending[0].row, "上级单位", "上级单位关系形成循环"))
            for u in ready:
                try:
                    created[u.name] = services.create_unit(
                        actor, name=u.name, kind=u.kind, short_name=u.short_name,
                        parent=unit_named(u.parent) if u.parent else None, region=regions.get(u.region_code),
                    )
                except DomainError as exc:
                    raise _Rollback(RowError(UNIT_SHEET, u.row, "单位名称", exc.message)) from None
                done += 1
                if progress:
                    progress("write", done, total)
            pending = [u for u in pending if u.name not in created]
        for p in plan.people:
            try:
                services.create_person(
                    actor, name=p.name, home_unit=unit_named(p.unit), staffing=p.staffing, post=p.post,
                    phone=p.phone, is_unit_leader=p.is_unit_leader, username=p.username,
                )
            except DomainError as exc:
                column = "登录名" if exc.code == "duplicate_username" else "姓名"
                raise _Rollback(RowError(PERSON_SHEET, p.row, column, exc.message)) from None
            done += 1
            if progress:
                progress("write", done, total)
        audit.record(actor, "org.import", job, after={
            "file": job.original_name, "units": len(created), "people": len(plan.people),
        })
    return len(created), len(plan.people)


def run_import(actor: Any, source: str | os.PathLike[str] | IO[bytes], *, job: ImportJob | None = None,
               original_name: str = "", progress: Progress | None = None) -> ImportResult:
    """Read, validate and (if every row is valid) write one workbook; the job row records the outcome.

    ``progress(stage, done, total)`` is called per row.  The job's own progress is saved while validating;
    the writing stage runs in one transaction, so others see its result only when it commits.
    """
    if job is None:
        job = ImportJob.objects.create(
            channel="cli", original_name=original_name, status=ImportJob.Status.RUNNING,
            started_at=timezone.now(), created_by=actor if getattr(actor, "pk", None) else None,
        )
    sheets, errors = read_workbook(source)
    units_raw, people_raw = sheets.get(UNIT_SHEET, []), sheets.get(PERSON_SHEET, [])
    total = len(units_raw) + len(people_raw)
    job.total, job.stage, job.processed = total, ImportJob.Stage.VALIDATE, 0
    job.save(update_fields=["total", "stage", "processed"])
    if errors:
        return _finish_failed(job, errors, total)
    if total == 0:
        return _finish_failed(job, [RowError("", 0, "", "工作簿中没有可导入的数据行")], total)

    saver = _JobProgress(job)

    def on_validate(stage: str, done: int, of: int) -> None:
        saver(done)
        if progress:
            progress(stage, done, of)

    validation = validate(units_raw, people_raw, Directory.load(people_raw), on_validate)
    saver(total, force=True)
    if not validation.ok:
        return _finish_failed(job, validation.errors, total)
    job.stage = ImportJob.Stage.WRITE
    job.save(update_fields=["stage"])
    try:
        units, people = _write(actor, validation, job, progress)
    except _Rollback as rb:
        return _finish_failed(job, [rb.error], total)
    job.status, job.units_created, job.people_created = ImportJob.Status.DONE, units, people
    job.message = f"导入成功：新增单位 {units} 个、人员 {people} 名"
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "units_created", "people_created", "message", "finished_at"])
    return ImportResult(True, [], total, units, people, job)


def _finish_failed(job: ImportJob, errors: list[RowError], total: int) -> ImportResult:
    shown = errors[:MAX_REPORTED_ERRORS]
    report = [e.as_dict() for e in shown]
    if len(errors) > len(shown):
        report.append(RowError("", 0, "", f"另有 {len(errors) - len(shown)} 处错误未列出").as_dict())
    job.status, job.errors, job.finished_at = ImportJob.Status.FAILED, report, timezone.now()
    job.message = f"未导入任何数据：发现 {len(errors)} 处错误，请修改后重新上传"
    job.save(update_fields=["status", "errors", "finished_at", "message"])
    return ImportResult(False, errors, total, 0, 0, job)


class _JobProgress:
    """Saves ``processed`` at most every half second, so a page polling the job sees it move."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.last = 0.0

    def __call__(self, done: int, *, force: bool = False) -> None:
        now = timezone.now().timestamp()
        if force or now - self.last >= 0.5:
            self.last = now
            self.job.processed = done
            ImportJob.objects.filter(pk=self.job.pk).update(processed=done)
