"""The ledger as .xlsx (四张表：预算线、支出、采购、办公用房与设备), also offered with the dissolution.

A task force's ledger is a few hundred rows at most, so it is written in the request (no background job:
the reports' month export needs one, this does not).  Every cell goes through ``safe_cell`` (a payee
named "=HYPERLINK(…)" stays text); amounts are written as numbers with the 0.00 format, so the office
can sum them in Excel.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from zhuanban.core.exports import safe_row
from zhuanban.taskforces.models import TaskForce

from .models import Expense, Procurement
from .queries import ledger_summary

MONEY_FORMAT = "#,##0.00"


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]], money_cols: tuple[int, ...],
           *, first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(safe_row(row))
        for col in money_cols:
            ws.cell(row=ws.max_row, column=col).number_format = MONEY_FORMAT
    ws.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(10, len(name) * 2 + 4)


def export_ledger(tf: TaskForce) -> bytes:
    s = ledger_summary(tf)
    wb = Workbook()
    t = s["totals"]
    lines = [[ln["name"], ln["source_label"], ln["document_no"], ln["status_label"],
              timezone.localtime(ln["approved_at"]).strftime("%Y-%m-%d") if ln["approved_at"] else "",
              ln["budget"], ln["spent"], ln["remaining"]] for ln in s["lines"]]
    lines.append(["合计（已批准）", "", "", "", "", t["budget"], t["spent"], t["remaining"]])
    _sheet(wb, "预算线", ["预算线", "资金来源", "批准文号", "状态", "批准日期", "预算（元）", "已支出（元）", "剩余（元）"],
           lines, (6, 7, 8), first=True)
    expenses = Expense.objects.filter(taskforce=tf).select_related("line", "approved_by", "attachment") \
        .order_by("spent_on", "id")
    _sheet(wb, "支出", ["日期", "预算线", "收款方", "用途", "金额（元）", "审批人", "票据", "状态", "冲销原因"],
           [[e.spent_on, e.line.name, e.payee, e.purpose, e.amount, e.approved_by.name if e.approved_by_id else "",
             e.attachment.original_name if e.attachment_id else "", e.get_status_display(), e.void_reason]
            for e in expenses], (5,))
    _sheet(wb, "采购", ["采购日期", "采购内容", "采购方式", "供应商", "金额（元）", "合同编号"],
           [[p.purchased_on, p.item, p.get_method_display(), p.supplier, p.amount, p.contract_no]
            for p in Procurement.objects.filter(taskforce=tf).order_by("purchased_on", "id")], (5,))
    _sheet(wb, "办公用房与设备", ["类别", "名称", "数量", "来源", "出借/调配单位", "保管人", "启用日期", "归还日期", "归还/移交给"],
           [[r["kind_label"], r["name"], r["quantity"], r["origin_label"], r["lent_by"], r["custodian"],
             r["borrowed_on"], r["returned_on"] or "未归还", r["returned_to"]] for r in s["resources"]], ())
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
