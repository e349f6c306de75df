"""The ledger's rules, through the services: approval before spending, never beyond a line, Decimal money,
versioned edits, voiding, resources returned at dissolution (the open-items provider), the summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.funds.conftest import expense
from zhuanban.core.errors import Conflict, Forbidden, Invalid, NotFound
from zhuanban.core.models import AuditEvent
from zhuanban.funds import queries, services
from zhuanban.funds.models import BudgetLine, Expense
from zhuanban.taskforces import services as tfs

pytestmark = pytest.mark.django_db


def test_a_new_line_awaits_approval_and_approval_needs_the_document(cast, pending_line):
    assert pending_line.status == BudgetLine.Status.PENDING and pending_line.amount == Decimal("5000.00")
    with pytest.raises(Invalid) as exc:
        services.approve_line(cast.alice, pending_line)
    assert exc.value.code == "document_required" and "document_no" in exc.value.fields
    approved = services.approve_line(cast.alice, pending_line, document_no="部门党组会议纪要〔2026〕3号")
    assert approved.is_approved and approved.approved_by == cast.alice and approved.approved_at is not None
    assert AuditEvent.objects.filter(action="funds.line_approve", object_id=str(pending_line.pk)).exists()
    with pytest.raises(Conflict) as again:
        services.approve_line(cast.alice, approved)
    assert again.value.code == "already_approved"


def test_spending_on_a_line_not_approved_is_refused_with_the_reason(cast, pending_line):
    with pytest.raises(Conflict) as exc:
        expense(cast, pending_line, "100")
    assert exc.value.code == "line_not_approved" and exc.value.status == 409
    assert "专家咨询费" in exc.value.fields["line"] and "尚未批准" in exc.value.fields["line"]
    assert not Expense.objects.exists()


def test_spending_without_a_line_or_on_another_task_forces_line_is_refused(cast, line):
    with pytest.raises(Invalid) as exc:
        services.record_expense(cast.olivia, cast.tf, {"spent_on": "2026-03-02", "payee": "x", "purpose": "y",
                                                       "amount": "1"})
    assert exc.value.code == "invalid_ledger_entry" and "预算线" in exc.value.fields["line"]
    other_line = services.create_line(cast.admin, cast.other, {"name": "其他", "amount": "99", "document_no": "x"})
    with pytest.raises(Invalid) as exc2:
        expense(cast, other_line, "1")
    assert exc2.value.fields["line"] == "预算线不存在或不属于本专班"


def test_an_expense_beyond_the_remaining_amount_is_refused_naming_the_line_and_what_remains(cast, line):
    expense(cast, line, "8765.50")
    with pytest.raises(Conflict) as exc:
        expense(cast, line, "1234.51")  # 10,000.00 - 8,765.50 = 1,234.50 remain
    assert exc.value.code == "over_budget"
    assert exc.value.fields["amount"] == "超出预算线'会务费'剩余额度 1,234.50 元"
    assert exc.value.extra["remaining"] == "1234.50"
    expense(cast, line, "1234.50")  # exactly what remains is allowed
    summary = queries.ledger_summary(cast.tf)
    assert summary["lines"][0]["spent"] == Decimal("10000.00") and summary["lines"][0]["remaining"] == Decimal("0.00")


@pytest.mark.parametrize(("value", "message"), [
    (12.5, "不接受浮点数"), ("12.345", "两位小数"), ("0", "大于 0"), ("-5", "大于 0"), ("abc", "格式不正确"),
    ("", "请填写金额"), ("NaN", "格式不正确"),
])
def test_amounts_are_yuan_with_fen_never_floats(cast, line, value, message):
    with pytest.raises(Invalid) as exc:
        services.record_expense(cast.olivia, cast.tf, {
            "line": line.pk, "spent_on": "2026-03-02", "payee": "p", "purpose": "q", "amount": value})
    assert message in exc.value.fields["amount"]


def test_money_adds_up_exactly_in_decimal(cast, line):
    for _ in range(3):
        expense(cast, line, "0.10")
    summary = queries.ledger_summary(cast.tf)
    assert summary["lines"][0]["spent"] == Decimal("0.30")  # 0.1 + 0.1 + 0.1 as floats is 0.30000000000000004
    assert summary["totals"] == {"budget": Decimal("10000.00"), "pending": Decimal("0"),
                                 "spent": Decimal("0.30"), "remaining": Decimal("9999.70")}


def test_the_approver_must_be_a_leader_or_office_member_of_the_task_force(cast, line):
    e = expense(cast, line, "10")
    assert e.approved_by == cast.people.olivia  # the actor, an office director, by default
    with pytest.raises(Invalid) as exc:
        expense(cast, line, "10", approved_by=cast.people.bob.pk)
    assert "审批人" in exc.value.fields["approved_by"]
    assert expense(cast, line, "10", approved_by=cast.people.alice.pk).approved_by == cast.people.alice


def test_only_managers_write_and_outsiders_get_not_found(cast, line):
    with pytest.raises(Forbidden):
        expense_data = {"line": line.pk, "spent_on": "2026-03-02", "payee": "p", "purpose": "q", "amount": "1"}
        services.record_expense(cast.bob, cast.tf, expense_data)
    with pytest.raises(NotFound):
        services.create_line(cast.charlie, cast.tf, {"name": "x", "amount": "1"})
    with pytest.raises(NotFound):
        queries.get_line(cast.charlie, line.pk)


def test_a_stale_edit_is_refused_and_the_amount_cannot_drop_below_spent(cast, line):
    expense(cast, line, "4000")
    with pytest.raises(Conflict) as stale:
        services.update_line(cast.olivia, line, {"amount": "20000"}, version=line.version - 1)
    assert stale.value.code == "stale_version"
    with pytest.raises(Conflict) as below:
        services.update_line(cast.olivia, line, {"amount": "3999.99"}, version=line.version)
    assert below.value.code == "below_spent" and "4,000.00" in below.value.fields["amount"]
    updated = services.update_line(cast.olivia, line, {"amount": "12000"}, version=line.version)
    assert updated.amount == Decimal("12000.00") and updated.version == line.version + 1


def test_editing_an_expense_rechecks_the_line_and_voiding_gives_the_money_back(cast, line):
    e = expense(cast, line, "6000")
    expense(cast, line, "3000")
    with pytest.raises(Conflict) as over:
        services.update_expense(cast.olivia, e, {"amount": "7000.01"}, version=e.version)
    # what this expense may come to: 10,000.00 - 3,000.00 (the other expense) = 7,000.00
    assert over.value.code == "over_budget" and "7,000.00" in over.value.fields["amount"]
    e = services.update_expense(cast.olivia, e, {"amount": "7000", "payee": "改正后的收款方"}, version=e.version)
    assert e.amount == Decimal("7000.00") and e.version == 2
    with pytest.raises(Conflict):
        services.update_expense(cast.olivia, e, {"purpose": "x"}, version=1)
    with pytest.raises(Invalid):
        services.void_expense(cast.olivia, e, reason="")
    services.void_expense(cast.olivia, e, reason="重复报销", version=e.version)
    assert queries.ledger_summary(cast.tf)["lines"][0]["remaining"] == Decimal("7000.00")
    with pytest.raises(Conflict) as void:
        services.update_expense(cast.olivia, e, {"purpose": "x"}, version=None)
    assert void.value.code == "expense_void"


def test_an_expense_may_carry_an_attachment_of_the_task_force(cast, line):
    from tests.io.conftest import PDF, upload

    e = services.record_expense(cast.olivia, cast.tf, {"line": line.pk, "spent_on": "2026-03-02", "payee": "p",
                                                       "purpose": "q", "amount": "1"}, upload=upload("发票.pdf", PDF))
    assert e.attachment is not None and e.attachment.taskforce == cast.tf and e.attachment.original_name == "发票.pdf"
    e2 = expense(cast, line, "1", attachment=e.attachment.pk)
    assert e2.attachment == e.attachment
    with pytest.raises(Invalid):
        expense(cast, line, "1", attachment=999999)


def _room(cast, **kw):
    return services.create_resource(cast.olivia, cast.tf, {
        "kind": "meeting_room", "name": "3楼第二会议室", "origin": "borrowed", "lent_by": cast.units.zjw.pk,
        "borrowed_on": "2026-01-10", "custodian": cast.people.olivia.pk, **kw})


def test_a_borrowed_resource_names_its_unit_and_is_returned_with_when_and_to_whom(cast):
    with pytest.raises(Invalid) as exc:
        services.create_resource(cast.olivia, cast.tf, {"name": "笔记本电脑", "origin": "borrowed"})
    assert "单位" in exc.value.fields["lent_by"]
    room = _room(cast)
    assert [r.pk for r in queries.unreturned_resources(cast.tf)] == [room.pk]
    with pytest.raises(Invalid) as early:
        services.return_resource(cast.olivia, room, returned_to="市住建委办公室", returned_on="2026-01-09")
    assert "早于" in early.value.fields["returned_on"]
    services.return_resource(cast.olivia, room, returned_to="市住建委办公室", returned_on="2026-11-30")
    room.refresh_from_db()
    assert room.returned_on == dt.date(2026, 11, 30) and room.returned_to == "市住建委办公室"
    assert queries.unreturned_resources(cast.tf) == []
    with pytest.raises(Conflict):
        services.return_resource(cast.olivia, room, returned_to="x")


def test_dissolution_lists_unreturned_resources_and_waits_for_them(cast):
    room = _room(cast)
    blockers = tfs.dissolution_blockers(cast.tf, summary="总结", lessons="经验")
    assert [b["item"]["kind"] for b in blockers if b["kind"] == "open_item"] == ["resource"]
    assert "3楼第二会议室" in blockers[0]["message"] and "市住房和城乡建设委员会" in blockers[0]["message"]
    with pytest.raises(Conflict):
        tfs.dissolve(cast.admin, cast.tf, summary="总结", lessons="经验")
    services.return_resource(cast.olivia, room, returned_to="市住建委")
    assert not [b for b in tfs.dissolution_blockers(cast.tf, summary="总结", lessons="经验") if b["kind"] == "open_item"]


def test_a_merge_moves_unreturned_resources_to_the_task_force_merged_into(cast):
    room = _room(cast)
    laptops = services.create_resource(cast.olivia, cast.tf, {"name": "笔记本电脑", "quantity": 5, "origin": "purchased"})
    services.return_resource(cast.olivia, laptops, returned_to="市机关事务管理局")
    tfs.merge(cast.admin, cast.tf, into=cast.other, reason="并入")
    room.refresh_from_db()
    laptops.refresh_from_db()
    assert room.taskforce == cast.other and laptops.taskforce == cast.tf


def test_the_ledger_summary_has_lines_totals_and_resources(cast, line, pending_line):
    expense(cast, line, "2500.25")
    expense(cast, line, "100")
    services.void_expense(cast.olivia, Expense.objects.get(amount=Decimal("100")), reason="错录")
    _room(cast)
    s = queries.ledger_summary(cast.tf)
    assert [(ln["name"], ln["budget"], ln["spent"], ln["remaining"], ln["approved"]) for ln in s["lines"]] == [
        ("会务费", Decimal("10000.00"), Decimal("2500.25"), Decimal("7499.75"), True),
        ("专家咨询费", Decimal("5000.00"), Decimal("0"), Decimal("5000.00"), False)]
    assert s["totals"]["budget"] == Decimal("10000.00") and s["totals"]["pending"] == Decimal("5000.00")
    assert s["totals"]["spent"] == Decimal("2500.25") and s["totals"]["remaining"] == Decimal("7499.75")
    assert s["expenses"] == 1 and s["unreturned"] == 1
    assert s["resources"][0]["lent_by"] == "市住房和城乡建设委员会" and s["resources"][0]["returned"] is False
    assert "payee" not in str(s)


def test_the_ledger_reads_in_a_fixed_number_of_queries(cast, line, django_assert_max_num_queries):
    for i in range(30):
        expense(cast, line, "1")
        _room(cast, name=f"设备{i}")
    with django_assert_max_num_queries(12):
        led = queries.ledger(cast.olivia, cast.tf.pk)
        [e.line.name for e in led.expenses]
    with django_assert_max_num_queries(5):
        queries.ledger_summary(cast.tf)


def test_a_closed_task_force_takes_no_new_entries_but_may_still_return(cast, line):
    room = _room(cast)
    cast.tf.status = "dissolved"
    cast.tf.save(update_fields=["status"])
    with pytest.raises(Conflict) as exc:
        expense(cast, line, "1")
    assert exc.value.code == "taskforce_closed"
    services.return_resource(cast.admin, room, returned_to="市住建委")


def test_a_liaisons_handover_passes_the_resources_they_keep_to_the_successor(cast):
    from tests.factories import PersonFactory
    from zhuanban.taskforces.models import Membership

    laptops = services.create_resource(cast.olivia, cast.tf, {
        "name": "笔记本电脑", "quantity": 2, "lent_by": cast.units.zjw.pk, "custodian": cast.people.liam.pk,
        "borrowed_on": "2026-01-10"})
    successor = PersonFactory(name="吴接任", home_unit=cast.units.zjw)
    m = Membership.objects.get(taskforce=cast.tf, person=cast.people.liam, end_on__isnull=True)
    tfs.replace(cast.admin, m, successor=successor, reason="岗位调整")
    laptops.refresh_from_db()
    assert laptops.custodian == successor


def test_the_ledger_is_not_for_external_members(cast):
    with pytest.raises(Forbidden):
        queries.ledger(cast.erin, cast.tf.pk)
