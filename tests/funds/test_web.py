"""The 经费保障 tab: managers record through its forms, refusals come back with the message beside the
field and the input kept, members read without payees, external members and outsiders get 404; the .xlsx
export reads back with openpyxl, formula-looking text inert."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests.funds.conftest import expense
from zhuanban.funds import services
from zhuanban.funds.models import BudgetLine, Expense, Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, cast):
    client.force_login(cast.olivia)
    return client


def test_the_tab_shows_lines_totals_and_the_chart(office, cast, line):
    expense(cast, line, "2500.25")
    page = office.get(reverse("tf_funds", args=[cast.tf.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "会务费" in html and "7,499.75" in html and "市财预〔2026〕12号" in html
    assert 'id="ledger-data"' in html and "vendor/echarts/echarts.min.js" in html and "某会议服务公司" in html
    assert 'data-testid="tab-funds"' in html


def test_an_over_budget_expense_comes_back_with_the_message_beside_the_amount(office, cast, line):
    expense(cast, line, "9000")
    r = office.post(reverse("tf_funds_expense", args=[cast.tf.pk]), {
        "line": line.pk, "spent_on": "2026-03-05", "payee": "某印务公司", "purpose": "宣传册", "amount": "1000.01",
        "approved_by": cast.people.olivia.pk})
    assert r.status_code == 409
    html = r.content.decode()
    assert 'data-testid="error-expense-amount">超出预算线&#x27;会务费&#x27;剩余额度 1,000.00 元' in html
    assert 'value="某印务公司"' in html and 'value="1000.01"' in html  # the input is kept
    assert Expense.objects.count() == 1


def test_managers_record_a_line_approve_it_spend_and_return_a_resource(office, cast):
    r = office.post(reverse("tf_funds_line", args=[cast.tf.pk]), {"name": "专家咨询费", "source": "fiscal",
                                                                   "amount": "3000", "document_no": ""})
    assert r.status_code == 302
    line = BudgetLine.objects.get(name="专家咨询费")
    bad = office.post(reverse("tf_funds_line_approve", args=[cast.tf.pk, line.pk]), {"document_no": ""})
    assert bad.status_code == 422 and "请填写批准文号" in bad.content.decode()
    office.post(reverse("tf_funds_line_approve", args=[cast.tf.pk, line.pk]), {"document_no": "市财预〔2026〕30号"})
    line.refresh_from_db()
    assert line.is_approved
    ok = office.post(reverse("tf_funds_expense", args=[cast.tf.pk]), {
        "line": line.pk, "spent_on": "2026-03-05", "payee": "张教授", "purpose": "论证会咨询", "amount": "1,500.00",
        "approved_by": cast.people.alice.pk})
    assert ok.status_code == 302 and Expense.objects.get().amount == Decimal("1500.00")
    office.post(reverse("tf_funds_resource", args=[cast.tf.pk]), {
        "name": "笔记本电脑", "kind": "equipment", "quantity": "3", "origin": "borrowed", "lent_by": cast.units.zjw.pk,
        "borrowed_on": "2026-02-01"})
    res = Resource.objects.get()
    empty = office.post(reverse("tf_funds_resource_return", args=[cast.tf.pk, res.pk]), {"returned_to": ""})
    assert empty.status_code == 422 and "请填写归还或移交给谁" in empty.content.decode()
    office.post(reverse("tf_funds_resource_return", args=[cast.tf.pk, res.pk]),
                {"returned_to": "市住建委办公室", "returned_on": "2026-11-30"})
    res.refresh_from_db()
    assert res.returned_to == "市住建委办公室"


def test_members_read_without_payees_and_cannot_post(client, cast, line):
    expense(cast, line, "10")
    client.force_login(cast.bob)
    html = client.get(reverse("tf_funds", args=[cast.tf.pk])).content.decode()
    assert "推进会会场" in html and "某会议服务公司" not in html and "收款方仅专班领导和专班办公室可见" in html
    assert 'data-testid="expense-form"' not in html
    assert client.post(reverse("tf_funds_expense", args=[cast.tf.pk]), {}).status_code == 403
    assert client.get(reverse("tf_funds_export", args=[cast.tf.pk])).status_code == 403
    client.force_login(cast.erin)
    assert client.get(reverse("tf_funds", args=[cast.tf.pk])).status_code == 404
    client.force_login(cast.charlie)
    assert client.get(reverse("tf_funds", args=[cast.tf.pk])).status_code == 404


def test_the_ledger_export_reads_back_and_formulas_stay_text(office, cast, line):
    expense(cast, line, "1234.56", payee="=HYPERLINK(\"http://x\")")
    services.create_resource(cast.olivia, cast.tf, {"name": "第二会议室", "kind": "meeting_room",
                                                    "lent_by": cast.units.gov.pk, "borrowed_on": "2026-01-10"})
    r = office.get(reverse("tf_funds_export", args=[cast.tf.pk]))
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["预算线", "支出", "采购", "办公用房与设备"]
    lines = list(wb["预算线"].iter_rows(values_only=True))
    assert lines[1][0] == "会务费" and lines[1][5] == 10000 and lines[1][6] == pytest.approx(1234.56)
    assert lines[-1][0] == "合计（已批准）" and lines[-1][7] == pytest.approx(8765.44)
    row = list(wb["支出"].iter_rows(values_only=True))[1]
    assert row[2] == "'=HYPERLINK(\"http://x\")" and row[4] == pytest.approx(1234.56)
    res = list(wb["办公用房与设备"].iter_rows(values_only=True))[1]
    assert res[1] == "第二会议室" and res[7] == "未归还"


def test_the_dissolution_panel_offers_the_export_and_lists_what_is_not_returned(rf, cast, line):
    from django.template import Context, Template

    from zhuanban.taskforces.access import get_access

    services.create_resource(cast.olivia, cast.tf, {"name": "笔记本电脑", "quantity": 6, "lent_by": cast.units.zjw.pk,
                                                    "borrowed_on": "2026-01-10"})
    html = Template("{% load funds %}{% funds_dissolution tf %}").render(Context({
        "tf": cast.tf, "access": get_access(cast.olivia, cast.tf)}))
    assert reverse("tf_funds_export", args=[cast.tf.pk]) in html
    assert "1 项办公用房或设备尚未归还" in html and "笔记本电脑 ×6" in html and "借自市住房和城乡建设委员会" in html
    html_bob = Template("{% load funds %}{% funds_dissolution tf %}").render(Context({
        "tf": cast.tf, "access": get_access(cast.bob, cast.tf)}))
    assert reverse("tf_funds_export", args=[cast.tf.pk]) not in html_bob


def test_a_line_edited_from_a_stale_page_is_refused_and_a_fresh_edit_saves(office, cast, line):
    drawn = line.version
    services.update_line(cast.alice, line, {"note": "组长补充说明"}, version=drawn)  # someone saves in between
    url = reverse("tf_funds_line_edit", args=[cast.tf.pk, line.pk])
    stale = office.post(url, {"version": drawn, "name": "会务费", "amount": "15000", "document_no": line.document_no})
    assert stale.status_code == 409 and "该记录已被他人修改" in stale.content.decode()
    line.refresh_from_db()
    assert line.amount == Decimal("10000.00")
    ok = office.post(url, {"version": line.version, "name": "会务费", "amount": "15000", "document_no": line.document_no})
    assert ok.status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal("15000.00")


def test_the_dissolution_page_itself_shows_the_ledger_panel(client, cast, line):
    from zhuanban.taskforces import services as tf_services

    tf_services.activate(cast.admin, cast.tf)
    client.force_login(cast.alice)
    page = client.get(reverse("tf_action", args=[cast.tf.pk, "dissolve"])).content.decode()
    assert 'data-testid="checklist"' in page and reverse("tf_funds_export", args=[cast.tf.pk]) in page
