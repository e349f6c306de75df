"""The ledger through HTTP: who reads what (payees for managers only), writes by managers, the refusals
with their codes and Chinese messages naming the field, Idempotency-Key, stale versions, and two
concurrent expenses that together exceed a line (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.api.conftest import error
from tests.funds.conftest import expense
from zhuanban.funds.models import Expense

pytestmark = pytest.mark.django_db


def _expense_body(line, amount="100.00", **kw):
    return {"line": line.pk, "spent_on": "2026-03-02", "payee": "某会议服务公司", "purpose": "推进会会场",
            "amount": amount, **kw}


def test_managers_record_a_line_approve_it_and_spend_on_it(cast, fapi):
    office = fapi(cast.olivia)
    r = office.post(f"/taskforces/{cast.tf.pk}/budget-lines",
                    {"name": "会务费", "source": "fiscal", "amount": "10000.00", "document_no": ""})
    assert r.status_code == 201, r.content
    line = r.json()
    assert line["status"] == "pending" and line["budget"] == "10000.00" and line["remaining"] == "10000.00"
    refused = office.post(f"/taskforces/{cast.tf.pk}/expenses", {**_expense_body(type("L", (), {"pk": line["id"]})())})
    body = error(refused, 409, "line_not_approved")
    assert "尚未批准" in body["fields"]["line"]
    no_doc = office.post(f"/budget-lines/{line['id']}/approve", {})
    assert error(no_doc, 422, "document_required")["fields"]["document_no"]
    ok = office.post(f"/budget-lines/{line['id']}/approve", {"document_no": "市财预〔2026〕12号"})
    assert ok.status_code == 200 and ok.json()["status"] == "approved" and ok.json()["approved_by"] == "刘主任"
    spent = office.post(f"/taskforces/{cast.tf.pk}/expenses",
                        {"line": line["id"], "spent_on": "2026-03-02", "payee": "某会议服务公司",
                         "purpose": "推进会会场", "amount": "8765.50"})
    assert spent.status_code == 201 and spent.json()["amount"] == "8765.50" and spent.json()["approved_by"] == "刘主任"
    over = office.post(f"/taskforces/{cast.tf.pk}/expenses",
                       {"line": line["id"], "spent_on": "2026-03-03", "payee": "x", "purpose": "y",
                        "amount": "1234.51"})
    body = error(over, 409, "over_budget")
    assert body["fields"]["amount"] == "超出预算线'会务费'剩余额度 1,234.50 元" and body["remaining"] == "1234.50"
    ledger = office.get(f"/taskforces/{cast.tf.pk}/ledger").json()
    assert ledger["totals"] == {"budget": "10000.00", "pending": "0.00", "spent": "8765.50", "remaining": "1234.50"}
    assert ledger["lines"][0]["spent"] == "8765.50" and ledger["expenses"][0]["payee"] == "某会议服务公司"


def test_a_float_amount_is_refused(cast, fapi, line):
    r = fapi(cast.olivia).post(f"/taskforces/{cast.tf.pk}/expenses", _expense_body(line, amount=12.5))
    assert r.status_code == 422 and "不接受浮点数" in r.json()["fields"]["amount"]
    assert not Expense.objects.exists()


def test_members_read_without_payees_outsiders_get_not_found_and_members_cannot_write(cast, fapi, line):
    expense(cast, line, "100")
    bob = fapi(cast.bob).get(f"/taskforces/{cast.tf.pk}/ledger")
    assert bob.status_code == 200
    assert bob.json()["payees_visible"] is False and bob.json()["expenses"][0]["payee"] is None
    assert bob.json()["expenses"][0]["purpose"] == "推进会会场"
    error(fapi(cast.charlie).get(f"/taskforces/{cast.tf.pk}/ledger"), 404, "not_found")
    error(fapi(cast.charlie).post(f"/budget-lines/{line.pk}/approve", {}), 404, "not_found")
    error(fapi(cast.bob).post(f"/taskforces/{cast.tf.pk}/expenses", _expense_body(line)), 403, "forbidden")
    error(fapi(cast.bob).post(f"/taskforces/{cast.tf.pk}/budget-lines", {"name": "x", "amount": "1"}), 403,
          "forbidden")


def test_an_expense_sent_twice_with_the_same_idempotency_key_is_recorded_once(cast, fapi, line):
    office = fapi(cast.olivia)
    first = office.post_key(f"/taskforces/{cast.tf.pk}/expenses", _expense_body(line), "exp-1")
    again = office.post_key(f"/taskforces/{cast.tf.pk}/expenses", _expense_body(line), "exp-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Expense.objects.count() == 1
    other = office.post_key(f"/taskforces/{cast.tf.pk}/expenses", _expense_body(line, amount="5"), "exp-1")
    error(other, 422, "idempotency_key_reused")


def test_a_stale_edit_is_a_conflict(cast, fapi, line):
    office = fapi(cast.olivia)
    e = expense(cast, line, "100")
    ok = office.patch(f"/expenses/{e.pk}", {"version": e.version, "purpose": "推进会会场（更正）"})
    assert ok.status_code == 200 and ok.json()["version"] == e.version + 1
    body = error(office.patch(f"/expenses/{e.pk}", {"version": e.version, "purpose": "又改"}), 409, "stale_version")
    assert body["current_version"] == e.version + 1
    error(office.patch(f"/budget-lines/{line.pk}", {"version": line.version - 1, "amount": "1"}), 409,
          "stale_version")
    below = office.patch(f"/budget-lines/{line.pk}", {"version": line.version, "amount": "99.99"})
    assert error(below, 409, "below_spent")["fields"]["amount"] == "不能低于已支出 100.00 元"
    void = office.post(f"/expenses/{e.pk}/void", {"reason": "重复报销"})
    assert void.status_code == 200 and void.json()["status"] == "void"


def test_resources_are_recorded_and_returned_and_procurement_is_kept(cast, fapi):
    office = fapi(cast.olivia)
    missing = office.post(f"/taskforces/{cast.tf.pk}/resources", {"name": "笔记本电脑", "quantity": 4})
    assert "单位" in error(missing, 422, "invalid_ledger_entry")["fields"]["lent_by"]
    r = office.post(f"/taskforces/{cast.tf.pk}/resources",
                    {"name": "笔记本电脑", "quantity": 4, "lent_by": cast.units.zjw.pk, "borrowed_on": "2026-02-01",
                     "custodian": cast.people.liam.pk})
    assert r.status_code == 201 and r.json()["returned"] is False and r.json()["lent_by"] == "市住房和城乡建设委员会"
    back = office.post(f"/resources/{r.json()['id']}/return", {"returned_to": "市住建委办公室", "returned_on": "2026-11-30"})
    assert back.status_code == 200 and back.json()["returned_on"] == "2026-11-30"
    p = office.post(f"/taskforces/{cast.tf.pk}/procurements",
                    {"item": "会议平板", "method": "inquiry", "supplier": "某科技公司", "amount": "6800",
                     "purchased_on": "2026-02-10"})
    assert p.status_code == 201 and p.json()["amount"] == "6800.00"
    led = office.get(f"/taskforces/{cast.tf.pk}/ledger").json()
    assert led["resources"][0]["returned_to"] == "市住建委办公室" and led["procurements"][0]["item"] == "会议平板"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_expenses_that_together_exceed_the_line_do_not_both_pass(cast, fapi, line):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers (IMMEDIATE transactions); the row lock is exercised on PostgreSQL")
    results: list[int] = []
    barrier = threading.Barrier(2)

    def go():
        client = fapi(cast.olivia)
        barrier.wait()
        results.append(client.post(f"/taskforces/{cast.tf.pk}/expenses", _expense_body(line, amount="6000")).status_code)
        connection.close()

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201, 409]
    assert Expense.objects.count() == 1


def test_the_ledger_and_its_page_cost_the_same_queries_however_long_they_grow(cast, fapi, line, client):
    from tests.querycount import assert_constant_queries
    from zhuanban.funds import services

    n = {"i": 0}

    def grow():
        for _ in range(5):
            n["i"] += 1
            extra = services.create_line(cast.olivia, cast.tf, {"name": f"预算线{n['i']}", "amount": "100",
                                                                "document_no": "x"})
            services.approve_line(cast.olivia, extra)
            expense(cast, extra, "1")
            services.create_resource(cast.olivia, cast.tf, {"name": f"设备{n['i']}", "origin": "purchased"})

    office = fapi(cast.olivia)
    assert_constant_queries(office.client, f"/api/v1/taskforces/{cast.tf.pk}/ledger", grow,
                            rows=lambda r: len(r.json()["expenses"]) + len(r.json()["lines"]))
    client.force_login(cast.olivia)
    assert_constant_queries(client, f"/tf/{cast.tf.pk}/funds/", grow,
                            rows=lambda r: r.content.decode().count("<tr"))
