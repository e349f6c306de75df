"""Demo data of the ledger, loaded by ``zhuanban.demo.loader`` after the other apps' demos.  Through the
services, as the task force's office director (or a leader).

- ``fzx`` (B市城市副中心建设工作专班): a 财政拨款 line for 调度会会务 approved under a 市财政局 document,
  expenses against it (one with its receipt as a PDF attachment), a 部门自筹 line for 专家咨询 awaiting
  approval; the T区政府's 第三会议室 and six laptops from 市发改委 borrowed and not yet returned — so its
  dissolution checklist would list them — and a meeting tablet bought by 询价采购.
- ``ya_office`` (临平区亚运办): a 部门自筹 line for the daily 亚运筹办工作日报 printing, nearly spent, and a
  borrowed office room already returned to its unit.

Idempotent: lines are found by (task force, name), expenses by (line, purpose), resources by (task force,
name), procurement by (task force, item).  Closed (dissolved) demo task forces are left alone: their
ledgers are closed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from zhuanban.taskforces.access import CLOSED
from zhuanban.taskforces.models import Membership, TaskForce

from . import services
from .models import BudgetLine, Expense, Procurement, Resource

# A one-page PDF: the receipt of the first expense (content-sniffed by core.uploads like any upload).
RECEIPT_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _manager(tf: TaskForce, admin: Any) -> tuple[Any, int | None]:
    """The acting account and the approver (审批人): the office director, else a leader, else admin."""
    m = (Membership.objects.filter(taskforce=tf, end_on__isnull=True,
                                   role__in=[Membership.Role.OFFICE_DIRECTOR, *sorted(Membership.LEADER_ROLES)])
         .select_related("person__user").order_by("role", "id"))
    approver = m.first()
    with_account = m.filter(person__user__isnull=False).first()
    actor = with_account.person.user if with_account else admin
    return actor, approver.person_id if approver else None


def _line(actor: Any, tf: TaskForce, name: str, **data: Any) -> BudgetLine:
    line = BudgetLine.objects.filter(taskforce=tf, name=name).first()
    if line is None:
        approve = data.pop("approve", True)
        line = services.create_line(actor, tf, {"name": name, **data})
        if approve:
            line = services.approve_line(actor, line)
    return line


def _expense(actor: Any, tf: TaskForce, line: BudgetLine, purpose: str, approver: int | None, *,
             upload: Any = None, **data: Any) -> Expense:
    found = Expense.objects.filter(line=line, purpose=purpose).first()
    if found is None:
        found = services.record_expense(actor, tf, {"line": line.pk, "purpose": purpose, "approved_by": approver,
                                                    **data}, upload=upload)
    return found


def _unit(tf: TaskForce, name: str) -> Any:
    mu = tf.member_units.filter(unit__name=name).select_related("unit").first() or \
        tf.member_units.select_related("unit").order_by("id").first()
    return mu.unit if mu else tf.lead_unit


def _resource(actor: Any, tf: TaskForce, name: str, **data: Any) -> Resource:
    found = Resource.objects.filter(taskforce=tf, name=name).first()
    return found or services.create_resource(actor, tf, {"name": name, **data})


def _fzx(admin: Any, tf: TaskForce) -> None:
    actor, approver = _manager(tf, admin)
    line = _line(actor, tf, "调度会会务费", source="fiscal", document_no="B市财预〔2026〕47号", amount="180000.00",
                 note="每月调度会及季度现场推进会的会场、资料、交通")
    _expense(actor, tf, line, "1月调度会会场及资料印制", approver, spent_on="2026-01-20", payee="B市某会议服务有限公司",
             amount="12680.00", upload=SimpleUploadedFile("1月调度会发票.pdf", RECEIPT_PDF, "application/pdf"))
    _expense(actor, tf, line, "一季度现场推进会（T区）会务", approver, spent_on="2026-03-26",
             payee="T区某酒店管理有限公司", amount="36450.50")
    _expense(actor, tf, line, "6月调度会会场", approver, spent_on="2026-06-18", payee="B市某会议服务有限公司",
             amount="9820.00")
    _line(actor, tf, "专家咨询费", source="self", amount="60000.00", approve=False,
          note="副中心规划评估专家论证（待市发改委党组会审议）")
    _resource(actor, tf, "T区政府第三会议室", kind="meeting_room", origin="borrowed",
              lent_by=_unit(tf, "T区政府").pk, borrowed_on="2017-03-01",
              note="每月调度会固定会场，解散时归还T区政府办公室")
    _resource(actor, tf, "笔记本电脑", kind="equipment", quantity=6, origin="borrowed",
              lent_by=_unit(tf, "市发改委").pk, borrowed_on="2025-09-01", note="进驻人员临时办公使用")
    if not Procurement.objects.filter(taskforce=tf, item="会议平板（86英寸）").exists():
        services.record_procurement(actor, tf, {"item": "会议平板（86英寸）", "method": "inquiry",
                                                "supplier": "B市某科技有限公司", "amount": "23800.00",
                                                "contract_no": "FZX-CG-2026-003", "purchased_on": "2026-02-15"})


def _ya_office(admin: Any, tf: TaskForce) -> None:
    actor, approver = _manager(tf, admin)
    line = _line(actor, tf, "工作日报印制及信息报送保障", source="self", document_no="临亚运办〔2026〕5号",
                 amount="20000.00")
    _expense(actor, tf, line, "《亚运筹办工作日报》印制（上半年）", approver, spent_on="2026-06-30",
             payee="临平区某印务有限公司", amount="11760.00")
    _expense(actor, tf, line, "《亚运筹办工作日报》印制（三季度）", approver, spent_on="2026-09-30",
             payee="临平区某印务有限公司", amount="7350.00")
    room = _resource(actor, tf, "区行政中心 5 楼 512 办公室", kind="office", origin="allocated",
                     lent_by=(tf.lead_unit or _unit(tf, "")).pk, borrowed_on="2021-04-15")
    if room.returned_on is None:
        services.return_resource(actor, room, returned_to="临平区机关事务服务中心", returned_on=dt.date(2026, 10, 31))


def load(admin: Any, taskforces: dict[str, TaskForce]) -> None:
    for key, fill in (("fzx", _fzx), ("ya_office", _ya_office)):
        tf = taskforces.get(key)
        if tf is not None:
            tf.refresh_from_db()
            if tf.status not in CLOSED:
                fill(admin, tf)
