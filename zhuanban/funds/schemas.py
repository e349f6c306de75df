"""Shapes of the ledger endpoints.  Amounts travel as strings of yuan with two decimals ("1234.50"): a
JSON number would be a binary float on most clients, and money is never a float.  Inputs accept a string
or an integer; a fractional JSON number is refused (422)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from zhuanban.core.schemas import Input

from .models import BudgetLine, Expense, Procurement


def _no_float(value: Any) -> Any:
    if isinstance(value, float):
        raise PydanticCustomError("money_float", "金额须以字符串给出（如 \"1234.50\"），不接受浮点数")
    return value


Money = Annotated[str | int, BeforeValidator(_no_float)]
MONEY_DOC = "金额（元），字符串，最多两位小数，如 \"1234.50\"；不接受带小数的 JSON 数字"


class LedgerTotalsOut(Schema):
    budget: str = Field(description="已批准预算线合计（元）")
    pending: str = Field(description="待批准预算线合计（元）")
    spent: str = Field(description="已支出合计（元，不含已冲销）")
    remaining: str = Field(description="已批准预算剩余（元）")


class BudgetLineOut(Schema):
    id: int
    name: str
    source: str = Field(description="fiscal 财政拨款 / self 部门自筹 / special 上级专项资金 / social 社会资金 / other 其他")
    source_label: str
    document_no: str = Field(description="批准文号")
    status: str = Field(description="pending 待批准 / approved 已批准")
    approved_by: str = Field(description="批准登记人（姓名；无人员信息的账号为登录名）")
    approved_at: dt.datetime | None
    note: str
    version: int
    budget: str
    spent: str
    remaining: str


class LedgerExpenseOut(Schema):
    id: int
    line_id: int
    line: str
    spent_on: dt.date
    payee: str | None = Field(description="收款方；仅专班领导和专班办公室可见，其他成员为 null")
    purpose: str
    amount: str
    status: str = Field(description="recorded 已列支 / void 已冲销")
    void_reason: str
    approved_by: str = Field(description="审批人姓名")
    attachment_id: int | None
    version: int


class ProcurementOut(Schema):
    id: int
    item: str
    method: str
    method_label: str
    supplier: str
    amount: str
    contract_no: str
    purchased_on: dt.date
    expense_id: int | None


class LedgerResourceOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    quantity: int
    origin: str = Field(description="borrowed 借用 / allocated 调配 / purchased 采购")
    origin_label: str
    lent_by: str
    lent_by_id: int | None
    custodian: str
    custodian_id: int | None
    borrowed_on: dt.date
    returned_on: dt.date | None
    returned_to: str
    returned: bool
    note: str
    version: int


class LedgerOut(Schema):
    taskforce_id: int
    can_manage: bool
    payees_visible: bool = Field(description="是否可见收款方（专班领导、专班办公室）")
    totals: LedgerTotalsOut
    lines: list[BudgetLineOut]
    expenses_total: int
    expenses: list[LedgerExpenseOut]
    procurements: list[ProcurementOut]
    resources: list[LedgerResourceOut]


class BudgetLineIn(Input):
    name: str = Field(max_length=100, description="预算线名称，如 会务费、专家咨询费")
    source: str = Field(BudgetLine.Source.FISCAL, description="资金来源：" + " / ".join(
        f"{v} {label}" for v, label in BudgetLine.Source.choices))
    document_no: str = Field("", max_length=100, description="批准文号（批准时必填）")
    amount: Money = Field(description=MONEY_DOC)
    note: str = Field("", max_length=500)


class BudgetLinePatch(Input):
    version: int = Field(description="所依据的版本（过期则 409 stale_version）")
    name: str | None = Field(None, max_length=100)
    source: str | None = None
    document_no: str | None = Field(None, max_length=100)
    amount: Money | None = Field(None, description=MONEY_DOC + "；不能低于已支出")
    note: str | None = Field(None, max_length=500)


class BudgetLineApproveIn(Input):
    version: int | None = None
    document_no: str | None = Field(None, max_length=100, description="批准文号；缺省用预算线上已填的")


class LedgerExpenseIn(Input):
    line: int | None = Field(description="已批准的预算线 id")
    spent_on: dt.date
    payee: str = Field(max_length=200)
    purpose: str = Field(max_length=300)
    amount: Money = Field(description=MONEY_DOC)
    attachment: int | None = Field(None, description="本专班已上传附件的 id（票据）")
    approved_by: int | None = Field(None, description="审批人（本专班在岗领导或办公室成员的人员 id）；缺省为本人")


class LedgerExpensePatch(Input):
    version: int
    spent_on: dt.date | None = None
    payee: str | None = Field(None, max_length=200)
    purpose: str | None = Field(None, max_length=300)
    amount: Money | None = Field(None, description=MONEY_DOC)
    attachment: int | None = None
    approved_by: int | None = None


class LedgerExpenseVoidIn(Input):
    reason: str = Field(max_length=300, description="冲销原因")
    version: int | None = None


class ProcurementIn(Input):
    item: str = Field(max_length=200)
    method: str = Field(Procurement.Method.DIRECT, description=" / ".join(
        f"{v} {label}" for v, label in Procurement.Method.choices))
    supplier: str = Field(max_length=200)
    amount: Money = Field(description=MONEY_DOC)
    contract_no: str = Field("", max_length=100)
    purchased_on: dt.date
    expense: int | None = Field(None, description="对应支出 id")


class LedgerResourceIn(Input):
    kind: str = Field("equipment", description="office 办公用房 / meeting_room 会议室 / equipment 办公设备 / vehicle 车辆 / other")
    name: str = Field(max_length=200)
    quantity: int = Field(1, ge=1, le=100000)
    origin: str = Field("borrowed", description="borrowed 借用 / allocated 调配 / purchased 采购")
    lent_by: int | None = Field(None, description="出借或调配单位 id（借用、调配时必填）")
    custodian: int | None = Field(None, description="保管人（本专班在岗成员的人员 id）")
    borrowed_on: dt.date | None = Field(None, description="启用日期，缺省为今天")
    note: str = Field("", max_length=500)


class LedgerResourcePatch(Input):
    version: int
    kind: str | None = None
    name: str | None = Field(None, max_length=200)
    quantity: int | None = Field(None, ge=1, le=100000)
    origin: str | None = None
    lent_by: int | None = None
    custodian: int | None = None
    borrowed_on: dt.date | None = None
    note: str | None = Field(None, max_length=500)


class LedgerResourceReturnIn(Input):
    returned_to: str = Field(max_length=200, description="归还或移交给谁（单位或人员）")
    returned_on: dt.date | None = Field(None, description="归还日期，缺省为今天")
    version: int | None = None


def money(value: Any) -> str:
    return f"{value:.2f}"


def line_out(d: dict[str, Any]) -> dict[str, Any]:
    return {**d, "budget": money(d["budget"]), "spent": money(d["spent"]), "remaining": money(d["remaining"])}


def expense_out(e: Expense, *, show_payee: bool) -> dict[str, Any]:
    return {"id": e.pk, "line_id": e.line_id, "line": e.line.name, "spent_on": e.spent_on,
            "payee": e.payee if show_payee else None, "purpose": e.purpose, "amount": money(e.amount),
            "status": e.status, "void_reason": e.void_reason,
            "approved_by": e.approved_by.name if e.approved_by_id else "", "attachment_id": e.attachment_id,
            "version": e.version}


def procurement_out(p: Procurement) -> dict[str, Any]:
    return {"id": p.pk, "item": p.item, "method": p.method, "method_label": p.get_method_display(),
            "supplier": p.supplier, "amount": money(p.amount), "contract_no": p.contract_no,
            "purchased_on": p.purchased_on, "expense_id": p.expense_id}


def totals_out(t: dict[str, Any]) -> dict[str, str]:
    return {k: money(v) for k, v in t.items()}
