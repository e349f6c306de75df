"""The main scenario in a real browser: log in → form a task force in the wizard → add units, a liaison
and members → see its type and why → dissolve it after resolving the checklist."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import PASSWORD, PersonFactory, RegionFactory, UnitFactory, UserFactory
from zhuanban.org.models import Person, Region, Unit
from zhuanban.taskforces.models import TaskForce

pytestmark = pytest.mark.browser


@pytest.fixture
def city(transactional_db):
    """B市's units and people from the health-code case (domain brief)."""
    bj = RegionFactory(code="110000", name="B市", level=Region.Level.CITY)
    jxj = UnitFactory(name="B市经济和信息化局", short_name="市经信局", kind=Unit.Kind.PARTY_GOV, region=bj)
    wjw = UnitFactory(name="B市卫生健康委员会", short_name="市卫健委", kind=Unit.Kind.PARTY_GOV, region=bj)
    dsj = UnitFactory(name="B市大数据管理局", short_name="市大数据局", kind=Unit.Kind.PUBLIC_INSTITUTION, region=bj)
    tencent = UnitFactory(name="腾讯科技有限公司", short_name="腾讯", kind=Unit.Kind.ENTERPRISE)
    leader = PersonFactory(name="张建国", home_unit=jxj, post="局长", is_unit_leader=True,
                           user=UserFactory(username="zhang"))
    people = {
        "li": PersonFactory(name="李明", home_unit=jxj, post="信息化处处长", user=None),
        "wang": PersonFactory(name="王芳", home_unit=wjw, post="办公室主任", user=None),
        "zhou": PersonFactory(name="周强", home_unit=dsj, post="工程师", user=None),
        "zhao": PersonFactory(name="赵工", home_unit=tencent, post="架构师", staffing=Person.Staffing.EXTERNAL,
                              user=None),
    }
    return {"leader": leader, "people": people}


def test_form_a_task_force_see_its_type_and_dissolve_it(page, city, shot):
    today = dt.date.today()
    login(page, "zhang", PASSWORD)
    expect(page.get_by_text("暂无可查看的专班")).to_be_visible()
    shot(page, "01-list-empty")

    # Step 1: positioning
    page.get_by_role("link", name="组建专班").click()
    page.get_by_label("专班名称").fill("健康码项目专班")
    page.get_by_label("核心事务").fill("建设并上线全市统一的健康码，支撑复工复产")
    page.get_by_label("工作目标").fill("6 天内归集 1000 项以上数据；3 月 1 日前上线")
    page.get_by_label("设立依据").select_option(label="正式发文")
    page.get_by_label("文号").fill("B政办发〔2020〕8号")
    page.get_by_label("设立日期").fill((today - dt.timedelta(days=20)).isoformat())
    # A wrong planned end first: the service's rule comes back next to the field, in Chinese.
    page.get_by_label("计划结束日期").fill((today - dt.timedelta(days=30)).isoformat())
    page.get_by_label("撤销条件").fill("健康码稳定运行一个月，运维移交市大数据局")
    page.get_by_test_id("next").click()
    expect(page.locator('[data-field-error="planned_end"]')).to_have_text("计划结束日期不能早于设立日期")
    shot(page, "02-wizard-step1-error")
    page.get_by_label("计划结束日期").fill((today + dt.timedelta(days=70)).isoformat())
    page.get_by_test_id("next").click()

    # Step 2: typology inputs with the live preview
    page.get_by_label("单一任务").check()
    page.get_by_label("应急性工作").check()
    page.get_by_label("是：设有工作组或集中办公（实体化运作）").check()
    preview = page.get_by_test_id("typology-preview")
    expect(preview.get_by_test_id("preview-li")).to_have_text("人员抽调型")
    expect(preview.get_by_test_id("preview-liu")).to_have_text("强力处置型")
    expect(preview).to_contain_text("项目合作型")  # what outsiders would make it
    shot(page, "03-wizard-step2-preview")
    page.get_by_label("否：无实体化运作").check()
    expect(preview.get_by_test_id("preview-liu")).to_have_text("协调表态型")
    expect(preview).to_contain_text("形式主义预警")
    page.get_by_label("是：设有工作组或集中办公（实体化运作）").check()
    expect(preview.get_by_test_id("preview-liu")).to_have_text("强力处置型")
    page.get_by_test_id("next").click()

    # Step 3: structure
    page.get_by_label("牵头部门决策").check()
    expect(page.get_by_label("领导中枢机构")).to_be_hidden()
    page.get_by_label("牵头部门", exact=True).select_option(label="B市经济和信息化局")
    page.get_by_label("专题推进组").fill("技术开发组\n数据归集组")
    shot(page, "04-wizard-step3")
    page.get_by_test_id("next").click()
    expect(page.get_by_text("已创建（筹建中）")).to_be_visible()

    # Step 4: member units, one liaison each
    page.get_by_label("单位", exact=True).select_option(label="B市经济和信息化局")
    page.get_by_label("单位角色").select_option(label="牵头单位")
    page.get_by_label("联络员", exact=True).select_option(label="李明（市经信局，信息化处处长）")
    page.get_by_test_id("add-unit").click()
    expect(page.get_by_test_id("member-units")).to_contain_text("联络员：李明")
    page.get_by_label("单位", exact=True).select_option(label="腾讯科技有限公司")
    page.get_by_label("单位角色").select_option(label="辅助单位")
    page.get_by_label("联络员", exact=True).select_option(label="赵工（腾讯，架构师）")
    page.get_by_test_id("add-unit").click()
    expect(page.get_by_test_id("member-units")).to_contain_text("腾讯")
    # A second liaison for the same unit is refused next to the field.
    page.get_by_label("单位", exact=True).select_option(label="B市经济和信息化局")
    page.get_by_label("联络员", exact=True).select_option(label="周强（市大数据局，工程师）")
    page.get_by_test_id("add-unit").click()
    expect(page.locator('[data-field-error="unit"]')).to_have_text("已是成员单位")
    shot(page, "05-wizard-step4-units")
    page.get_by_test_id("next").click()

    # Step 5: members
    page.get_by_label("人员", exact=True).select_option(label="张建国（市经信局，局长）")
    page.get_by_label("专班职务").select_option(label="组长")
    page.get_by_label("工作量占比(%)").fill("30")
    page.get_by_test_id("add-member").click()
    expect(page.get_by_test_id("members")).to_contain_text("张建国")
    page.get_by_label("人员", exact=True).select_option(label="周强（市大数据局，工程师）")
    page.get_by_label("专班职务").select_option(label="成员")
    page.get_by_label("所在专题组").select_option(label="技术开发组")
    page.get_by_label("专职（全脱产）").check()
    page.get_by_label("工作量占比(%)").fill("100")
    page.get_by_test_id("add-member").click()
    expect(page.get_by_test_id("members")).to_contain_text("周强")
    shot(page, "06-wizard-step5-members")
    page.get_by_test_id("next").click()

    # Step 6: review — the type and why — then activate
    expect(page.get_by_test_id("li-type")).to_have_text("项目合作型")
    expect(page.get_by_test_id("li-reason")).to_contain_text("腾讯")
    expect(page.get_by_test_id("liu-type")).to_have_text("强力处置型")
    shot(page, "07-wizard-step6-review")
    page.get_by_test_id("activate").click()
    expect(page.get_by_text("专班已启动运行")).to_be_visible()
    expect(page.get_by_test_id("status-badge")).to_have_text("运行")

    # The type tab explains both types
    page.get_by_role("link", name="类型与依据").click()
    expect(page.get_by_test_id("li-reason")).to_contain_text("任务性质为单一任务")
    expect(page.get_by_test_id("li-reason")).to_contain_text("故属项目合作型")
    expect(page.get_by_test_id("liu-reason")).to_contain_text("故属强力处置型")
    expect(page.get_by_test_id("template")).to_contain_text("扁平化")
    shot(page, "08-tf-type")

    # The structure tab draws the org chart
    page.get_by_role("link", name="组织架构").click()
    expect(page.locator("#orgchart canvas")).to_have_count(1)
    page.wait_for_timeout(600)  # let the tree animation settle for the screenshot
    shot(page, "09-tf-structure")

    page.get_by_role("link", name="成员", exact=True).click()
    expect(page.get_by_test_id("members")).to_contain_text("李明")
    expect(page.get_by_test_id("member-units")).to_contain_text("联络员：赵工")
    shot(page, "10-tf-members")

    # An open demand item blocks dissolution until it is closed
    page.get_by_role("link", name="概况").click()
    page.locator("#demands").get_by_role("link", name="新增").click()
    page.get_by_label("需求事项").fill("对接卫健委核酸检测数据")
    page.get_by_role("button", name="新增").click()
    expect(page.locator("#demands")).to_contain_text("对接卫健委核酸检测数据")

    page.locator('[data-action="dissolve"]').click()
    checklist = page.get_by_test_id("checklist")
    expect(checklist).to_contain_text("对接卫健委核酸检测数据")
    page.get_by_test_id("confirm-action").click()  # nothing written yet: refused with the blockers
    expect(page.get_by_test_id("blockers")).to_contain_text("未办结事项：对接卫健委核酸检测数据")
    expect(page.locator('[data-field-error="summary"]')).to_have_text("尚未撰写工作总结")
    shot(page, "11-dissolve-blocked")
    checklist = page.get_by_test_id("checklist")
    checklist.get_by_role("button", name="办结").click()
    expect(page.get_by_test_id("checklist")).not_to_contain_text("对接卫健委核酸检测数据")
    page.get_by_label("工作总结").fill("健康码按期上线，累计归集数据 1000 余项")
    page.get_by_label("经验做法").fill("政企协同、集中办公、每日调度")
    page.get_by_test_id("confirm-action").click()
    expect(page.get_by_text(re.compile(r"专班已解散，\d+名成员回归原单位"))).to_be_visible()
    expect(page.get_by_test_id("status-badge")).to_have_text("解散")
    shot(page, "12-dissolved")

    page.get_by_role("link", name="历史记录").click()
    expect(page.get_by_test_id("history")).to_contain_text("解散")
    tf = TaskForce.objects.get(name="健康码项目专班")
    assert tf.status == "dissolved" and not tf.memberships.filter(end_on__isnull=True).exists()
