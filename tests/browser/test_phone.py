"""The task-force page on a phone (390×844): the navbar collapses, nothing overflows sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import make_taskforce
from zhuanban.taskforces import services

pytestmark = pytest.mark.browser


def test_the_task_force_page_on_a_phone(phone, cast, shot):
    services.add_group(cast.admin, cast.tf, name="条例起草组", lead_unit=cast.units.sfj)
    services.add_demand(cast.admin, cast.tf, title="梳理 15 个方面 100 余项问题", source="联合调研")
    services.activate(cast.admin, cast.tf)
    make_taskforce(cast.admin, name="物业条例宣传小专班", parent=cast.tf, parent_relation="big_small")
    login(phone, "alice", cast.password)
    toggler = phone.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(phone.get_by_role("link", name="组织名录")).to_be_hidden()
    toggler.click()
    expect(phone.locator("#zb-nav")).to_have_class(re.compile(r"\bshow\b"))  # the collapse has finished
    expect(phone.get_by_test_id("nav-me")).to_be_visible()
    expect(phone.get_by_role("button", name="退出登录")).to_be_visible()
    shot(phone, "20-phone-list-nav-open", full_page=False)

    phone.goto(f"/tf/{cast.tf.pk}/")
    expect(phone.get_by_test_id("tf-name")).to_have_text("物业管理条例立法专班")
    shot(phone, "21-phone-tf-overview")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.goto(f"/tf/{cast.tf.pk}/members/")
    expect(phone.get_by_test_id("members")).to_contain_text("王组长")
    shot(phone, "22-phone-tf-members")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.goto(f"/tf/{cast.tf.pk}/structure/")
    expect(phone.locator("#orgchart canvas")).to_have_count(1)
    phone.wait_for_timeout(600)
    shot(phone, "23-phone-tf-structure")

    phone.goto(f"/tf/{cast.tf.pk}/type/")
    shot(phone, "24-phone-tf-type")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
