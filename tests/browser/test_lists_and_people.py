"""The list, directory and person pages in a desktop browser, with the warning badges."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import make_taskforce
from zhuanban.taskforces import services

pytestmark = pytest.mark.browser


def test_list_filters_directory_and_person_page(page, cast, shot):
    services.activate(cast.admin, cast.tf)
    oral = make_taskforce(cast.alice, name="城市副中心建设协调专班", basis="oral", basis_document_no="",
                          task_nature="composite", purpose="emergency", entity_operation=False,
                          established_on=dt.date(2024, 2, 1), planned_end=dt.date(2025, 2, 1))
    services.join(cast.alice, oral, person=cast.people.olivia, role="office_director", workload_pct=40,
                  start_on=dt.date(2024, 2, 1))
    services.activate(cast.alice, oral)
    login(page, "alice", cast.password)
    rows = page.get_by_test_id("tf-list")
    expect(rows).to_contain_text("口头设立")
    expect(rows).to_contain_text("超期未撤销")
    expect(rows).to_contain_text("形式主义预警")
    shot(page, "30-list")

    page.get_by_label("类型（工作目的×实体化）").select_option(label="协调表态型")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("tf-list").locator("a")).to_have_count(1)
    expect(page.get_by_test_id("tf-list")).to_contain_text("城市副中心建设协调专班")

    page.get_by_role("link", name="组织名录").click()
    expect(page.get_by_test_id("units")).to_contain_text("市住房和城乡建设委员会")
    shot(page, "31-directory-units")
    page.get_by_role("link", name="人员").click()
    page.get_by_placeholder("姓名或职务").fill("刘主任")
    page.get_by_role("button", name="筛选").click()
    page.get_by_test_id("people").get_by_role("link").first.click()
    expect(page.get_by_test_id("person-name")).to_have_text("刘主任")
    expect(page.get_by_test_id("load")).to_contain_text("140%")
    expect(page.get_by_test_id("load-warning")).to_contain_text("超过 100%")
    shot(page, "32-person-overloaded")

    page.get_by_test_id("nav-me").click()
    expect(page.get_by_test_id("person-name")).to_have_text("王组长")


def test_edit_form_previews_types_and_refuses_a_stale_save(page, cast, shot):
    login(page, "alice", cast.password)
    page.goto(f"/tf/{cast.tf.pk}/edit/")
    preview = page.get_by_test_id("typology-preview")
    expect(preview.get_by_test_id("preview-li")).to_have_text("项目合作型")
    page.get_by_label("否：无实体化运作").check()
    expect(preview.get_by_test_id("preview-liu")).to_have_text("弥补空白型")
    page.get_by_label("工作目标").fill("两周内形成条例草案")
    # Someone else saves in between.
    services.update_taskforce(cast.admin, cast.tf, version=cast.tf.version, goals="管理员改过的目标")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("stale")).to_contain_text("您的修改没有保存")
    expect(page.get_by_label("工作目标")).to_have_value("两周内形成条例草案")
    shot(page, "33-edit-stale")
    cast.tf.refresh_from_db()
    assert cast.tf.goals == "管理员改过的目标" and cast.tf.entity_operation is True
