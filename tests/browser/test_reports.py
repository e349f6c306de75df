"""信息报送 in a real browser: a liaison files the daily report on a phone (390×844); the office director
opens the aggregate, sees the unit's values and who is missing, clicks 一键催报; the missing liaison sees
the reminder on "my reports"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.reports.conftest import FIELDS
from zhuanban.reports import services
from zhuanban.reports.models import ReportReminder, Submission
from zhuanban.taskforces import services as tf_services
from zhuanban.taskforces.models import Membership

pytestmark = pytest.mark.browser


def test_liaison_files_on_a_phone_office_aggregates_and_reminds(browser, live_server, phone, page, cast, shot):
    template = services.create_template(cast.olivia, cast.tf, {
        "name": "每日信息报送", "cadence": "daily", "every_day": True, "fields": [dict(f) for f in FIELDS]})
    tf_services.join(cast.admin, cast.tf, person=cast.people.hank, role=Membership.Role.LIAISON,
                     member_unit=cast.mu.gov, start_on=dt.date(2026, 1, 5))

    login(phone, "liam", cast.password)
    phone.goto("/my-reports/")
    phone.get_by_test_id(f"my-report-{template.pk}").click()
    expect(phone.get_by_test_id("prefilled-done")).to_have_text("系统预填")
    phone.get_by_label("受理件数").fill("abc")
    phone.get_by_label("投入人次").fill("4")
    phone.get_by_label("情况说明").fill("辖区巡查正常")
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("error-cases")).to_have_text("请输入数字")
    expect(phone.get_by_label("情况说明")).to_have_value("辖区巡查正常")
    phone.get_by_label("受理件数").fill("12")
    phone.get_by_label("风险等级").select_option("中")
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("fill-status")).to_have_text(re.compile("按时|迟报"))
    shot(phone, "reports-phone-filed")
    assert Submission.objects.get().values["cases"] == "12"

    login(page, "olivia", cast.password)
    page.goto(f"/tf/{cast.tf.pk}/reports/")
    page.get_by_test_id(f"report-open-{template.pk}").click()
    expect(page.get_by_test_id("agg-summary")).to_contain_text("已报 1 / 应报 2")
    table = page.get_by_test_id("agg-table")
    expect(table.locator(f"tr[data-filer='u{cast.units.zjw.pk}']")).to_contain_text("12")
    expect(page.get_by_test_id("missing-list")).to_contain_text("市政府办公厅")
    page.get_by_test_id("remind").click()
    expect(page.get_by_test_id("missing-list")).to_contain_text("已催 1 次")
    shot(page, "reports-aggregate")
    assert ReportReminder.objects.get().unit_id == cast.units.gov.pk

    page.context.clear_cookies()
    login(page, "hank", cast.password)
    page.goto("/my-reports/")
    expect(page.get_by_test_id("reminder-banner")).to_contain_text("催报")
    expect(page.get_by_test_id("reminder-banner")).to_contain_text("每日信息报送")
