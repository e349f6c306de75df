"""Ledger use cases: the only code that changes budget lines, expenses, procurement and resource records.

Rules (the domain brief names "no rules for funds, procurement and office use" as an abuse):
- only the task force's managers (leaders, office, the office above it, administrators) write; others who
  can see it get 403, those who cannot 404 (``taskforces.access.require_manage``); a dissolved or merged
  task force's ledger is closed, except that a resource may still be returned;
- a budget line names its source and amount; it is approved (with its 批准文号, by whom, when) before
  anything can be spent on it;
- an expense names an approved line of the same task force; spending beyond the line's remaining amount is
  refused (409 ``over_budget``, the message names the line and what remains).  The check runs with the
  line's row locked (``SELECT … FOR UPDATE``), so two concurrent expenses that together exceed the line
  cannot both pass; on SQLite the project's IMMEDIATE write transactions serialise them;
- edits carry the version they were based on (409 ``stale_version`` otherwise); an expense is never
  deleted: it is voided (冲销) with a reason, and a voided expense no longer counts as spent;
- a resource borrowed or allocated names the unit it came from; returning it records when and to whom.
  An unreturned resource is an open item of the dissolution checklist (``funds.openitems``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from zhuanban.core import audit
from zhuanban.core.concurrency import save_versioned
from zhuanban.core.errors import Conflict, Invalid
from zhuanban.files.models import Attachment
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces.access import CLOSED, person_of, require_manage
from zhuanban.taskforces.models import Membership, TaskForce, today

from .models import ZERO, BudgetLine, Expense, Procurement, Resource

audit.ACTION_LABELS.update({
    "funds.line_create": "新增预算线", "funds.line_update": "修改预算线", "funds.line_approve": "批准预算线",
    "funds.expense_record": "登记支出", "funds.expense_update": "修改支出", "funds.expense_void": "冲销支出",
    "funds.procurement_create": "登记采购", "funds.resource_create": "登记办公用房/设备",
    "funds.resource_update": "修改办公用房/设备", "funds.resource_return": "归还办公用房/设备",
    "funds.export": "导出经费台账",
})

MAX_AMOUNT = Decimal("999999999999.99")
LINE_FIELDS = ("name", "source", "document_no", "amount", "note", "status", "approved_by", "approved_at")
EXPENSE_FIELDS = ("line", "spent_on", "payee", "purpose", "amount", "attachment", "approved_by", "status",
                  "void_reason")
RESOURCE_FIELDS = ("kind", "name", "quantity", "origin", "lent_by", "custodian", "borrowed_on", "returned_on",
                   "returned_to", "note")


def yuan(value: Decimal) -> str:
    """``Decimal("1234.5")`` → ``"1,234.50"`` (how amounts are written in messages and the page)."""
    return f"{value:,.2f}"


def parse_money(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    """An amount in yuan with at most two decimals (fen), positive; floats are refused (binary fractions
    are not money).  Adds a message to ``errors`` and returns None when it is not one."""
    if value is None or value == "":
        errors[field] = "请填写金额"
        return None
    if isinstance(value, float):
        errors[field] = "金额须以字符串或整数给出（如 \"1234.50\"），不接受浮点数"
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except (InvalidOperation, ValueError):
        errors[field] = "金额格式不正确（如 1234.50）"
        return None
    if not amount.is_finite():
        errors[field] = "金额格式不正确（如 1234.50）"
        return None
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        errors[field] = "金额最多精确到分（两位小数）"
        return None
    if amount <= 0:
        errors[field] = "金额必须大于 0"
        return None
    if amount > MAX_AMOUNT:
        errors[field] = "金额过大"
        return None
    return amount.quantize(Decimal("0.01"))


def _parse_date(value: Any, field: str, errors: dict[str, str], *, label: str) -> dt.date | None:
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            errors[field] = f"请填写{label}（YYYY-MM-DD）"
            return None
    if day > today():
        errors[field] = f"{label}不能晚于今天"
        return None
    return day


def _text(data: dict[str, Any], key: str, errors: dict[str, str], message: str, *, max_len: int) -> str:
    value = str(data.get(key) or "").strip()
    if not value:
        errors[key] = message
    elif len(value) > max_len:
        errors[key] = f"不能超过 {max_len} 个字"
    return value


def _open(tf: TaskForce) -> None:
    if tf.status in CLOSED:
        raise Conflict("taskforce_closed", "专班已解散或并入，经费台账已关闭，不能再登记")


def _raise(errors: dict[str, str], message: str = "填写有误，请按提示修改") -> None:
    if errors:
        raise Invalid("invalid_ledger_entry", message, errors)


# ---- budget lines --------------------------------------------------------------------------------------


def _check_line(data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in data:
        out["name"] = _text(data, "name", errors, "请填写预算线名称（如 会务费、专家咨询费）", max_len=100)
    if "source" in data:
        if data["source"] not in BudgetLine.Source.values:
            errors["source"] = "请选择资金来源（财政拨款、部门自筹……）"
        out["source"] = data["source"]
    if "document_no" in data:
        out["document_no"] = str(data["document_no"] or "").strip()[:100]
    if "amount" in data:
        out["amount"] = parse_money(data["amount"], "amount", errors)
    if "note" in data:
        out["note"] = str(data["note"] or "").strip()[:500]
    return out


@transaction.atomic
def create_line(actor: Any, tf: TaskForce, data: dict[str, Any]) -> BudgetLine:
    """A new budget line, awaiting approval (``approve_line``) before money can be spent on it."""
    require_manage(actor, tf)
    _open(tf)
    errors: dict[str, str] = {}
    values = _check_line({"source": BudgetLine.Source.FISCAL, "document_no": "", "note": "", **data,
                          "name": data.get("name"), "amount": data.get("amount")}, errors)
    _raise(errors)
    line = BudgetLine.objects.create(taskforce=tf, created_by=actor if getattr(actor, "pk", None) else None,
                                     **values)
    audit.record(actor, "funds.line_create", line, taskforce_id=tf.pk, after=audit.snapshot(line, LINE_FIELDS))
    return line


def _lock_line(line_id: int) -> BudgetLine:
    """The line's row, locked until the transaction ends: every write that changes what a line has spent
    takes this lock first, so the remaining amount it checks cannot change under it."""
    return BudgetLine.objects.select_for_update().select_related("taskforce").get(pk=line_id)


def _spent(line: BudgetLine, *, excluding: int | None = None) -> Decimal:
    qs = Expense.objects.filter(line=line, status=Expense.Status.RECORDED)
    if excluding is not None:
        qs = qs.exclude(pk=excluding)
    return qs.aggregate(s=Sum("amount"))["s"] or ZERO


@transaction.atomic
def update_line(actor: Any, line: BudgetLine, data: dict[str, Any], *, version: int | None) -> BudgetLine:
    """Edit a line (name, source, 文号, amount, note).  The amount may not drop below what is spent."""
    require_manage(actor, line.taskforce)
    _open(line.taskforce)
    errors: dict[str, str] = {}
    values = _check_line({k: v for k, v in data.items() if k in ("name", "source", "document_no", "amount", "note")},
                         errors)
    _raise(errors)
    locked = _lock_line(line.pk)
    if version is not None and locked.version != version:
        save_versioned(locked, version, [])  # raises the standard 409 stale_version
    before = audit.snapshot(locked, LINE_FIELDS)
    if "amount" in values:
        spent = _spent(locked)
        if values["amount"] < spent:
            raise Conflict("below_spent", f"预算线'{locked.name}'已支出 {yuan(spent)} 元，金额不能低于已支出",
                           {"amount": f"不能低于已支出 {yuan(spent)} 元"})
    if locked.is_approved and not values.get("document_no", locked.document_no):
        raise Invalid("document_required", "已批准的预算线须保留批准文号", {"document_no": "请填写批准文号"})
    for key, value in values.items():
        setattr(locked, key, value)
    save_versioned(locked, locked.version, list(values))
    audit.record(actor, "funds.line_update", locked, taskforce_id=locked.taskforce_id, before=before,
                 after=audit.snapshot(locked, LINE_FIELDS))
    return locked


@transaction.atomic
def approve_line(actor: Any, line: BudgetLine, *, version: int | None = None, document_no: str | None = None) -> BudgetLine:
    """Record the approval of a line: the approving document (批准文号) is required; who and when are kept."""
    require_manage(actor, line.taskforce)
    _open(line.taskforce)
    locked = _lock_line(line.pk)
    if version is not None and locked.version != version:
        save_versioned(locked, version, [])
    if locked.is_approved:
        raise Conflict("already_approved", f"预算线'{locked.name}'已于 {timezone.localtime(locked.approved_at):%Y-%m-%d} 批准")
    doc = (document_no if document_no is not None else locked.document_no).strip()[:100]
    if not doc:
        raise Invalid("document_required", "批准预算线须填写批准文号（如 ×财预〔2026〕12号）",
                      {"document_no": "请填写批准文号"})
    before = audit.snapshot(locked, LINE_FIELDS)
    locked.document_no = doc
    locked.status = BudgetLine.Status.APPROVED
    locked.approved_by = actor if getattr(actor, "pk", None) else None
    locked.approved_at = timezone.now()
    save_versioned(locked, locked.version, ["document_no", "status", "approved_by", "approved_at"])
    audit.record(actor, "funds.line_approve", locked, taskforce_id=locked.taskforce_id, before=before,
                 after=audit.snapshot(locked, LINE_FIELDS))
    return locked


# ---- expenses ------------------------------------------------------------------------------------------


def _approver(actor: Any, tf: TaskForce, person_id: Any, errors: dict[str, str]) -> Person | None:
    """审批人: an active leader or office member of the task force; by default the actor if they are one."""
    managers = Membership.objects.filter(taskforce=tf, end_on__isnull=True,
                                         role__in=Membership.LEADER_ROLES | Membership.OFFICE_ROLES)
    if person_id in (None, ""):
        me = person_of(actor)
        if me is not None and managers.filter(person=me).exists():
            return me
        errors["approved_by"] = "请选择审批人（专班领导或专班办公室成员）"
        return None
    try:
        pid = int(person_id)
    except (TypeError, ValueError):
        pid = 0
    person = Person.objects.filter(pk=pid, id__in=managers.values("person_id")).first()
    if person is None:
        errors["approved_by"] = "审批人须为本专班在岗的领导或办公室成员"
    return person


def _attachment(actor: Any, tf: TaskForce, attachment_id: Any, upload: Any, errors: dict[str, str]) -> Any:
    """An attachment already stored with this task force (id), or None; an upload is stored later."""
    if attachment_id in (None, ""):
        return None
    try:
        att = Attachment.objects.filter(pk=int(attachment_id), taskforce=tf).first()
    except (TypeError, ValueError):
        att = None
    if att is None:
        errors["attachment"] = "附件不存在或不属于本专班"
    return att


def _check_spend(line: BudgetLine, amount: Decimal, *, excluding: int | None = None) -> None:
    if not line.is_approved:
        raise Conflict("line_not_approved", f"预算线'{line.name}'尚未批准，不能列支",
                       {"line": f"预算线'{line.name}'尚未批准，不能列支"})
    remaining = line.amount - _spent(line, excluding=excluding)
    if amount > remaining:
        msg = f"超出预算线'{line.name}'剩余额度 {yuan(remaining)} 元"
        raise Conflict("over_budget", msg, {"amount": msg},
                       extra={"remaining": str(remaining), "line_id": line.pk})


def _check_expense(data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "spent_on" in data:
        out["spent_on"] = _parse_date(data["spent_on"], "spent_on", errors, label="支出日期")
    if "payee" in data:
        out["payee"] = _text(data, "payee", errors, "请填写收款方", max_len=200)
    if "purpose" in data:
        out["purpose"] = _text(data, "purpose", errors, "请填写用途", max_len=300)
    if "amount" in data:
        out["amount"] = parse_money(data["amount"], "amount", errors)
    return out


@transaction.atomic
def record_expense(actor: Any, tf: TaskForce, data: dict[str, Any], *, upload: Any = None) -> Expense:
    """Spend against an approved line of ``tf``: refused without one, or beyond what remains on it."""
    require_manage(actor, tf)
    _open(tf)
    errors: dict[str, str] = {}
    values = _check_expense({k: data.get(k) for k in ("spent_on", "payee", "purpose", "amount")}, errors)
    line_id = data.get("line")
    line = None
    if line_id in (None, ""):
        errors["line"] = "请选择已批准的预算线（无预算线不能列支）"
    else:
        try:
            line = BudgetLine.objects.filter(pk=int(line_id), taskforce=tf).first()
        except (TypeError, ValueError):
            line = None
        if line is None:
            errors["line"] = "预算线不存在或不属于本专班"
    approver = _approver(actor, tf, data.get("approved_by"), errors)
    att = _attachment(actor, tf, data.get("attachment"), upload, errors)
    _raise(errors)
    assert line is not None
    locked = _lock_line(line.pk)
    _check_spend(locked, values["amount"])
    if upload is not None:
        from zhuanban.files import services as files

        att = files.store_attachment(actor, tf, upload)
    expense = Expense.objects.create(taskforce=tf, line=locked, attachment=att, approved_by=approver,
                                     created_by=actor if getattr(actor, "pk", None) else None, **values)
    audit.record(actor, "funds.expense_record", expense, taskforce_id=tf.pk,
                 after=audit.snapshot(expense, EXPENSE_FIELDS))
    return expense


@transaction.atomic
def update_expense(actor: Any, expense: Expense, data: dict[str, Any], *, version: int | None) -> Expense:
    """Correct an expense (date, payee, purpose, amount, approver, attachment); its line stays (void and
    record again to move money to another line).  A larger amount must still fit in the line."""
    tf = expense.taskforce
    require_manage(actor, tf)
    _open(tf)
    errors: dict[str, str] = {}
    values = _check_expense({k: v for k, v in data.items() if k in ("spent_on", "payee", "purpose", "amount")},
                            errors)
    if "approved_by" in data:
        values["approved_by"] = _approver(actor, tf, data["approved_by"], errors)
    if "attachment" in data:
        values["attachment"] = _attachment(actor, tf, data["attachment"], None, errors)
    _raise(errors)
    line = _lock_line(expense.line_id)
    current = Expense.objects.get(pk=expense.pk)
    if version is not None and current.version != version:
        save_versioned(current, version, [])
    if current.status == Expense.Status.VOID:
        raise Conflict("expense_void", "该支出已冲销，不能修改")
    before = audit.snapshot(current, EXPENSE_FIELDS)
    if "amount" in values and values["amount"] > current.amount:
        _check_spend(line, values["amount"], excluding=current.pk)
    for key, value in values.items():
        setattr(current, key, value)
    save_versioned(current, current.version, list(values))
    audit.record(actor, "funds.expense_update", current, taskforce_id=tf.pk, before=before,
                 after=audit.snapshot(current, EXPENSE_FIELDS))
    return current


@transaction.atomic
def void_expense(actor: Any, expense: Expense, *, reason: str, version: int | None = None) -> Expense:
    """冲销: the expense stays in the ledger, marked void with the reason; its amount returns to the line."""
    tf = expense.taskforce
    require_manage(actor, tf)
    _open(tf)
    reason = (reason or "").strip()[:300]
    if not reason:
        raise Invalid("reason_required", "冲销须说明原因", {"reason": "请填写冲销原因"})
    _lock_line(expense.line_id)
    current = Expense.objects.get(pk=expense.pk)
    if version is not None and current.version != version:
        save_versioned(current, version, [])
    if current.status == Expense.Status.VOID:
        raise Conflict("expense_void", "该支出已冲销")
    before = audit.snapshot(current, EXPENSE_FIELDS)
    current.status, current.void_reason = Expense.Status.VOID, reason
    save_versioned(current, current.version, ["status", "void_reason"])
    audit.record(actor, "funds.expense_void", current, taskforce_id=tf.pk, before=before,
                 after=audit.snapshot(current, EXPENSE_FIELDS))
    return current


# ---- procurement and resources --------------------------------------------------------------------------


@transaction.atomic
def record_procurement(actor: Any, tf: TaskForce, data: dict[str, Any]) -> Procurement:
    require_manage(actor, tf)
    _open(tf)
    errors: dict[str, str] = {}
    item = _text(data, "item", errors, "请填写采购内容", max_len=200)
    supplier = _text(data, "supplier", errors, "请填写供应商", max_len=200)
    method = data.get("method") or Procurement.Method.DIRECT
    if method not in Procurement.Method.values:
        errors["method"] = "请选择采购方式"
    amount = parse_money(data.get("amount"), "amount", errors)
    purchased_on = _parse_date(data.get("purchased_on"), "purchased_on", errors, label="采购日期")
    expense = None
    if data.get("expense") not in (None, ""):
        try:
            expense = Expense.objects.filter(pk=int(data["expense"]), taskforce=tf).first()
        except (TypeError, ValueError):
            expense = None
        if expense is None:
            errors["expense"] = "对应支出不存在或不属于本专班"
    _raise(errors)
    proc = Procurement.objects.create(
        taskforce=tf, item=item, supplier=supplier, method=method, amount=amount, purchased_on=purchased_on,
        contract_no=str(data.get("contract_no") or "").strip()[:100], expense=expense,
        created_by=actor if getattr(actor, "pk", None) else None)
    audit.record(actor, "funds.procurement_create", proc, taskforce_id=tf.pk, after=audit.snapshot(
        proc, ("item", "method", "supplier", "amount", "contract_no", "purchased_on", "expense")))
    return proc


def _check_resource(tf: TaskForce, data: dict[str, Any], errors: dict[str, str], *,
                    current: Resource | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in data:
        out["name"] = _text(data, "name", errors, "请填写名称（如 3楼会议室、笔记本电脑）", max_len=200)
    if "kind" in data:
        if data["kind"] not in Resource.Kind.values:
            errors["kind"] = "请选择类别"
        out["kind"] = data["kind"]
    if "origin" in data:
        if data["origin"] not in Resource.Origin.values:
            errors["origin"] = "请选择来源（借用、调配、采购）"
        out["origin"] = data["origin"]
    if "quantity" in data:
        try:
            out["quantity"] = int(data["quantity"])
            if not 1 <= out["quantity"] <= 100000:
                raise ValueError
        except (TypeError, ValueError):
            errors["quantity"] = "数量应为 1 以上的整数"
    if "borrowed_on" in data:
        out["borrowed_on"] = _parse_date(data["borrowed_on"], "borrowed_on", errors, label="启用日期")
    if "note" in data:
        out["note"] = str(data["note"] or "").strip()[:500]
    if "lent_by" in data:
        out["lent_by"] = None
        if data["lent_by"] not in (None, ""):
            try:
                out["lent_by"] = Unit.objects.filter(pk=int(data["lent_by"])).first()
            except (TypeError, ValueError):
                pass
            if out["lent_by"] is None:
                errors["lent_by"] = "单位不存在"
    if "custodian" in data:
        out["custodian"] = None
        if data["custodian"] not in (None, ""):
            try:
                out["custodian"] = Person.objects.filter(
                    pk=int(data["custodian"]),
                    id__in=Membership.objects.filter(taskforce=tf, end_on__isnull=True).values("person_id")).first()
            except (TypeError, ValueError):
                pass
            if out["custodian"] is None:
                errors["custodian"] = "保管人须为本专班在岗成员"
    origin = out.get("origin", current.origin if current else None)
    lent_by = out["lent_by"] if "lent_by" in out else (current.lent_by if current else None)
    if origin in (Resource.Origin.BORROWED, Resource.Origin.ALLOCATED) and lent_by is None \
            and "lent_by" not in errors:
        errors["lent_by"] = "借用或调配的须注明来自哪个单位"
    return out


@transaction.atomic
def create_resource(actor: Any, tf: TaskForce, data: dict[str, Any]) -> Resource:
    """Office space or equipment now used by the task force (to be returned at dissolution)."""
    require_manage(actor, tf)
    _open(tf)
    errors: dict[str, str] = {}
    values = _check_resource(tf, {"kind": Resource.Kind.EQUIPMENT, "origin": Resource.Origin.BORROWED,
                                  "quantity": 1, "lent_by": None, "custodian": None, "note": "", **data,
                                  "name": data.get("name"), "borrowed_on": data.get("borrowed_on") or today()},
                             errors)
    _raise(errors)
    r = Resource.objects.create(taskforce=tf, created_by=actor if getattr(actor, "pk", None) else None, **values)
    audit.record(actor, "funds.resource_create", r, taskforce_id=tf.pk, after=audit.snapshot(r, RESOURCE_FIELDS))
    return r


@transaction.atomic
def update_resource(actor: Any, r: Resource, data: dict[str, Any], *, version: int | None) -> Resource:
    require_manage(actor, r.taskforce)
    _open(r.taskforce)
    errors: dict[str, str] = {}
    allowed = ("kind", "name", "quantity", "origin", "lent_by", "custodian", "borrowed_on", "note")
    values = _check_resource(r.taskforce, {k: v for k, v in data.items() if k in allowed}, errors, current=r)
    _raise(errors)
    before = audit.snapshot(r, RESOURCE_FIELDS)
    for key, value in values.items():
        setattr(r, key, value)
    save_versioned(r, version, list(values))
    audit.record(actor, "funds.resource_update", r, taskforce_id=r.taskforce_id, before=before,
                 after=audit.snapshot(r, RESOURCE_FIELDS))
    return r


@transaction.atomic
def return_resource(actor: Any, r: Resource, *, returned_to: str, returned_on: Any = None,
                    version: int | None = None) -> Resource:
    """Record that a resource went back (or was handed over): when and to whom.  Allowed after dissolution
    too, so that a ledger closed in a hurry can still be put right."""
    require_manage(actor, r.taskforce)
    if r.returned_on is not None:
        raise Conflict("already_returned", f"“{r}”已于 {r.returned_on:%Y-%m-%d} 归还")
    errors: dict[str, str] = {}
    to = _text({"returned_to": returned_to}, "returned_to", errors, "请填写归还或移交给谁（单位或人员）", max_len=200)
    on = _parse_date(returned_on or today(), "returned_on", errors, label="归还日期")
    if on is not None and on < r.borrowed_on:
        errors["returned_on"] = f"归还日期不能早于启用日期 {r.borrowed_on:%Y-%m-%d}"
    _raise(errors)
    before = audit.snapshot(r, RESOURCE_FIELDS)
    r.returned_on, r.returned_to = on, to
    save_versioned(r, version, ["returned_on", "returned_to"])
    audit.record(actor, "funds.resource_return", r, taskforce_id=r.taskforce_id, before=before,
                 after=audit.snapshot(r, RESOURCE_FIELDS))
    return r


@transaction.atomic
def record_export(actor: Any, tf: TaskForce) -> None:
    """Who took the ledger (payees and amounts) out of the system, and when."""
    audit.record(actor, "funds.export", tf, taskforce_id=tf.pk, note="经费台账 .xlsx")
