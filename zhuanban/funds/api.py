"""经费与办公保障 endpoints of /api/v1: the ledger of a task force, and its writes.

Reading: whoever can see the task force (``taskforces.access``; others 404); payees only for those who
manage it.  Writing: its managers (403 for other viewers).  Every write goes through ``services``.
``POST`` endpoints honour ``Idempotency-Key`` (``core.idempotency``): a retried expense is recorded once.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from zhuanban.core.schemas import READ_ERRORS, WRITE_ERRORS, PageParams
from zhuanban.taskforces import access as tfa

from . import queries, services
from .schemas import (
    BudgetLineApproveIn,
    BudgetLineIn,
    BudgetLineOut,
    BudgetLinePatch,
    LedgerExpenseIn,
    LedgerExpenseOut,
    LedgerExpensePatch,
    LedgerExpenseVoidIn,
    LedgerOut,
    LedgerResourceIn,
    LedgerResourceOut,
    LedgerResourcePatch,
    LedgerResourceReturnIn,
    ProcurementIn,
    ProcurementOut,
    expense_out,
    line_out,
    procurement_out,
    totals_out,
)

router = Router(tags=["经费与办公保障"])


def _line(line_id: int, tf) -> dict:
    return line_out(queries.lines_with_figures(tf, only=line_id)[0])


@router.get("/taskforces/{tf_id}/ledger", response={200: LedgerOut, **READ_ERRORS},
            summary="经费台账：预算线（预算、已支出、剩余）、支出、采购、办公用房与设备、合计")
def get_ledger(request: HttpRequest, tf_id: int, params: Query[PageParams], line: int | None = None):
    led = queries.ledger(request.auth, tf_id, expense_offset=params.offset, expense_limit=params.limit,
                         line_id=line)
    return {"taskforce_id": led.tf.pk, "can_manage": led.can_manage, "payees_visible": led.show_payees,
            "totals": totals_out(led.totals), "lines": [line_out(d) for d in led.lines],
            "expenses_total": led.expenses_total,
            "expenses": [expense_out(e, show_payee=led.show_payees) for e in led.expenses],
            "procurements": [procurement_out(p) for p in led.procurements], "resources": led.resources}


@router.post("/taskforces/{tf_id}/budget-lines", response={201: BudgetLineOut, **WRITE_ERRORS},
             summary="新增预算线（待批准）")
def create_line(request: HttpRequest, tf_id: int, payload: BudgetLineIn):
    tf, _ = tfa.get_visible_taskforce(request.auth, tf_id)
    line = services.create_line(request.auth, tf, payload.dict())
    return Status(201, _line(line.pk, tf))


@router.patch("/budget-lines/{line_id}", response={200: BudgetLineOut, **WRITE_ERRORS},
              summary="修改预算线（带 version；金额不能低于已支出）")
def update_line(request: HttpRequest, line_id: int, payload: BudgetLinePatch):
    line = queries.get_line(request.auth, line_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    line = services.update_line(request.auth, line, data, version=version)
    return _line(line.pk, line.taskforce)


@router.post("/budget-lines/{line_id}/approve", response={200: BudgetLineOut, **WRITE_ERRORS},
             summary="批准预算线（须有批准文号；记录批准人和时间）")
def approve_line(request: HttpRequest, line_id: int, payload: BudgetLineApproveIn):
    line = queries.get_line(request.auth, line_id)
    line = services.approve_line(request.auth, line, version=payload.version, document_no=payload.document_no)
    return _line(line.pk, line.taskforce)


def _expense(e, user) -> dict:
    return expense_out(e, show_payee=tfa.get_access(user, e.taskforce).manage)


@router.post("/taskforces/{tf_id}/expenses", response={201: LedgerExpenseOut, **WRITE_ERRORS},
             summary="登记支出（须有已批准的预算线，不得超出剩余额度；支持 Idempotency-Key）")
def record_expense(request: HttpRequest, tf_id: int, payload: LedgerExpenseIn):
    tf, _ = tfa.get_visible_taskforce(request.auth, tf_id)
    e = services.record_expense(request.auth, tf, payload.dict())
    return Status(201, _expense(e, request.auth))


@router.patch("/expenses/{expense_id}", response={200: LedgerExpenseOut, **WRITE_ERRORS},
              summary="修改支出（带 version；增加金额须在预算线剩余额度内）")
def update_expense(request: HttpRequest, expense_id: int, payload: LedgerExpensePatch):
    e = queries.get_expense(request.auth, expense_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    e = services.update_expense(request.auth, e, data, version=version)
    return _expense(e, request.auth)


@router.post("/expenses/{expense_id}/void", response={200: LedgerExpenseOut, **WRITE_ERRORS},
             summary="冲销支出（保留记录，说明原因；金额退回预算线）")
def void_expense(request: HttpRequest, expense_id: int, payload: LedgerExpenseVoidIn):
    e = queries.get_expense(request.auth, expense_id)
    e = services.void_expense(request.auth, e, reason=payload.reason, version=payload.version)
    return _expense(e, request.auth)


@router.post("/taskforces/{tf_id}/procurements", response={201: ProcurementOut, **WRITE_ERRORS},
             summary="登记采购")
def record_procurement(request: HttpRequest, tf_id: int, payload: ProcurementIn):
    tf, _ = tfa.get_visible_taskforce(request.auth, tf_id)
    return Status(201, procurement_out(services.record_procurement(request.auth, tf, payload.dict())))


@router.post("/taskforces/{tf_id}/resources", response={201: LedgerResourceOut, **WRITE_ERRORS},
             summary="登记办公用房或设备（借用、调配或采购；解散前须归还）")
def create_resource(request: HttpRequest, tf_id: int, payload: LedgerResourceIn):
    tf, _ = tfa.get_visible_taskforce(request.auth, tf_id)
    r = services.create_resource(request.auth, tf, payload.dict())
    return Status(201, queries.resource_dict(queries.get_resource(request.auth, r.pk)))


@router.patch("/resources/{resource_id}", response={200: LedgerResourceOut, **WRITE_ERRORS},
              summary="修改办公用房或设备记录（带 version）")
def update_resource(request: HttpRequest, resource_id: int, payload: LedgerResourcePatch):
    r = queries.get_resource(request.auth, resource_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    r = services.update_resource(request.auth, r, data, version=version)
    return queries.resource_dict(queries.get_resource(request.auth, r.pk))


@router.post("/resources/{resource_id}/return", response={200: LedgerResourceOut, **WRITE_ERRORS},
             summary="归还办公用房或设备（何时、交给谁）")
def return_resource(request: HttpRequest, resource_id: int, payload: LedgerResourceReturnIn):
    r = queries.get_resource(request.auth, resource_id)
    r = services.return_resource(request.auth, r, returned_to=payload.returned_to, returned_on=payload.returned_on,
                                 version=payload.version)
    return queries.resource_dict(queries.get_resource(request.auth, r.pk))
