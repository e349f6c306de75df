"""确认接收 in a real browser: the office sends a notice requiring acknowledgement from the task force's
通知 tab; a recipient acknowledges it in their inbox on a phone; the sender's receipt table (htmx polling
every 3 s) shows the acknowledgement without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_send_ack_and_watch_the_receipt_table(page, phone, cast, shot):
    login(page, "olivia", cast.password)
    page.goto(f"/tf/{cast.tf.pk}/notices/")
    form = page.get_by_test_id("notice-form")
    form.get_by_label("标题").fill("关于报送条例草案意见的通知")
    form.get_by_label("正文").fill("请于本周五前反馈意见。")
    form.get_by_label("优先级").select_option("urgent")
    form.get_by_label("须确认接收").check()
    form.get_by_label("全体成员").check()
    page.get_by_test_id("notice-send").click()
    receipts = page.get_by_test_id("receipts")
    expect(receipts).to_contain_text("李成员")
    expect(page.get_by_test_id("total")).to_have_text("5")
    expect(page.get_by_test_id("acked-count")).to_have_text("0")
    shot(page, "notices-receipts-before")

    login(phone, "bob", cast.password)
    phone.goto("/inbox/")
    item = phone.get_by_test_id("inbox-item").filter(has_text="关于报送条例草案意见的通知")
    expect(item).to_contain_text("紧急")
    item.get_by_test_id("ack").click()
    expect(phone.get_by_test_id("inbox-item").filter(has_text="关于报送条例草案意见的通知")
           .get_by_test_id("acked")).to_be_visible()
    shot(phone, "notices-inbox-acked")

    # The sender's page was not reloaded: the polled table shows it.
    expect(page.get_by_test_id("acked-count")).to_have_text("1", timeout=10_000)
    expect(receipts.locator("tr[data-person='李成员'] [data-testid=ack-cell]")).not_to_contain_text("未确认")
    page.get_by_test_id("remind").click()
    expect(page.locator(".alert, .toast, [role=alert]").first).to_contain_text("已提醒 4 人")
    shot(page, "notices-receipts-after")
