"""经费保障 in a real browser: the office director records a budget line, approves it with its document,
records an expense against it, and an expense beyond what remains is refused with the message beside the
amount (input kept); the chart of budget vs spent is drawn."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from zhuanban.funds.models import Expense

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_record_a_line_and_an_expense_and_see_an_over_budget_one_refused(page, cast, shot):
    login(page, "olivia", cast.password)
    page.goto(f"/tf/{cast.tf.pk}/")
    page.get_by_test_id("tab-funds").click()
    expect(page.get_by_text("尚无预算线")).to_be_visible()

    line_form = page.get_by_test_id("line-form")
    line_form.get_by_label("名称").fill("立法调研及论证会务费")
    line_form.get_by_label("资金来源").select_option("fiscal")
    line_form.get_by_label("金额（元）").fill("20000")
    line_form.get_by_role("button", name="新增").click()
    expect(page.get_by_test_id("lines")).to_contain_text("待批准")
    row = page.locator("tr[data-line='立法调研及论证会务费']")
    approve = row.locator("form[action$='/approve']")
    approve.get_by_label("批准文号").fill("B市财预〔2026〕88号")
    approve.get_by_role("button", name="批准").click()
    expect(page.get_by_test_id("lines")).to_contain_text("已批准")

    form = page.get_by_test_id("expense-form")
    form.get_by_label("预算线").select_option(label="立法调研及论证会务费（剩余 20,000.00）")
    form.get_by_label("日期").fill("2026-11-20")
    form.get_by_label("收款方").fill("B市某会议服务有限公司")
    form.get_by_label("用途").fill("条例草案专家论证会会场")
    form.get_by_label("金额（元）").fill("12800.00")
    page.get_by_test_id("expense-submit").click()
    expect(page.get_by_test_id("expenses")).to_contain_text("12,800.00")
    expect(page.get_by_test_id("total-remaining")).to_have_text("7,200.00")

    form = page.get_by_test_id("expense-form")
    form.get_by_label("预算线").select_option(label="立法调研及论证会务费（剩余 7,200.00）")
    form.get_by_label("日期").fill("2026-11-25")
    form.get_by_label("收款方").fill("B市某印务有限公司")
    form.get_by_label("用途").fill("征求意见稿印制")
    form.get_by_label("金额（元）").fill("7200.01")
    page.get_by_test_id("expense-submit").click()
    error = page.get_by_test_id("error-expense-amount")
    expect(error).to_have_text("超出预算线'立法调研及论证会务费'剩余额度 7,200.00 元")
    expect(page.locator("#expense-amount")).to_have_value("7200.01")
    expect(page.locator("#expense-payee")).to_have_value("B市某印务有限公司")
    expect(page.get_by_test_id("ledger-chart").locator("canvas")).to_have_count(1)
    assert page.get_by_test_id("ledger-chart").bounding_box()["height"] >= 200  # drawn, not collapsed
    page.evaluate("window.scrollTo(0, 0)")  # the navbar is fixed: a full-page shot from the top
    shot(page, "funds-over-budget", full_page=True)
    assert Expense.objects.count() == 1
