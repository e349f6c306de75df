"""Generator phase "funds" (after "tasks"): a small ledger for most task forces — two or three budget lines
(one pending in a few), a handful of expenses within each approved line, a borrowed room and equipment
(returned for the dissolved and merged ones).  Synthetic data: rows go in through ``fast_insert`` with
explicit ids, no services and no audit events.  Sizes at province scale (1,000 task forces): ~2,500 lines,
~10,000 expenses, ~1,800 resources.

Bench subject: ``funds_tf_id``, the big task force (its office director is the generator's
``office_username``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhuanban.scale.gen_common import Buffer, Context, reset_sequences

from .models import BudgetLine, Expense, Resource

LINES = [("会务费", "fiscal"), ("专家咨询费", "fiscal"), ("调研差旅费", "self"), ("印刷宣传费", "self"),
         ("办公设备购置", "special")]
PAYEES = ["市机关事务管理局", "某某会议服务有限公司", "某某印务有限公司", "某某科技有限公司", "专家个人"]
PURPOSES = {"会务费": "推进会会场及资料", "专家咨询费": "专家论证会咨询费", "调研差旅费": "赴基层调研交通住宿",
            "印刷宣传费": "宣传册印制", "办公设备购置": "办公设备购置"}


def run(ctx: Context) -> None:
    rng = ctx.rng("funds")
    plans = [p for p in ctx.taskforces if p.status != "planning"]
    if not plans:
        return
    budget = []
    for p in plans:
        k = rng.choice((1, 2, 2, 3, 3))
        budget.append((p, rng.sample(LINES, k)))
    n_lines = sum(len(lines) for _, lines in budget)
    line_ids = iter(ctx.ids(BudgetLine, n_lines))
    exp_ids = iter(ctx.ids(Expense, n_lines * 5))
    res_ids = iter(ctx.ids(Resource, len(plans) * 2))
    bar = ctx.bar("经费台账", n_lines)
    buf = Buffer(None)
    units = ctx.units
    used_exp = used_res = 0
    for p, lines in budget:
        start = max(p.established, ctx.today - dt.timedelta(days=700))
        end = min(p.dissolved_on or ctx.today, ctx.today)
        span = max((end - start).days, 1)
        at = ctx.moment(start, rng)
        for j, (name, source) in enumerate(lines):
            lid = next(line_ids)
            amount = Decimal(rng.randrange(20, 500) * 1000)
            approved = not (j == len(lines) - 1 and rng.random() < 0.15)
            buf.add(BudgetLine, id=lid, taskforce_id=p.id, name=name, source=source,
                    document_no=f"财预〔{start.year}〕{rng.randrange(1, 300)}号" if approved else "", amount=amount,
                    status="approved" if approved else "pending", approved_by_id=None,
                    approved_at=at if approved else None, note="", created_by_id=None, version=1,
                    created_at=at, updated_at=at)
            if not approved:
                continue
            left = amount
            for _ in range(rng.randrange(0, 6)):
                spend = (left * Decimal(rng.randrange(5, 30)) / 100).quantize(Decimal("0.01"))
                if spend <= 0:
                    break
                left -= spend
                day = start + dt.timedelta(days=rng.randrange(span))
                buf.add(Expense, id=next(exp_ids), taskforce_id=p.id, line_id=lid, spent_on=day,
                        payee=rng.choice(PAYEES), purpose=PURPOSES[name], amount=spend, attachment_id=None,
                        approved_by_id=None, status="recorded", void_reason="", created_by_id=None, version=1,
                        created_at=ctx.moment(day, rng), updated_at=ctx.moment(day, rng))
                used_exp += 1
        bar.update(len(lines))
        lender = units[p.lead_unit].id if p.lead_unit is not None and units else None
        if lender is None or rng.random() < 0.1:
            continue
        closed = p.status in ("dissolved", "merged")
        for kind, name, qty in (("meeting_room", "专班会议室", 1), ("equipment", "笔记本电脑", rng.randrange(2, 8))):
            if kind == "equipment" and rng.random() < 0.2:
                continue
            buf.add(Resource, id=next(res_ids), taskforce_id=p.id, kind=kind, name=name, quantity=qty,
                    origin="borrowed", lent_by_id=lender, procurement_id=None, custodian_id=None, borrowed_on=start,
                    returned_on=end if closed else None, returned_to=units[p.lead_unit].name if closed else "",
                    note="", created_by_id=None, version=1, created_at=at, updated_at=at)
            used_res += 1
    buf.flush()
    bar.close()
    reset_sequences([BudgetLine, Expense, Resource])
    ctx.counts["funds_lines"] = n_lines
    ctx.counts["funds_expenses"] = used_exp
    ctx.counts["funds_resources"] = used_res
    big = ctx.extra.get("big_tf")
    rich = ctx.taskforces[big] if big is not None else max(budget, key=lambda b: len(b[1]))[0]
    ctx.subjects["funds_tf_id"] = rich.id
