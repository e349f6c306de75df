"""监测 in a real browser: the office opens the province dashboard from the navbar (ECharts drawn from the
app's own vendor copy), the unit dashboard of a home unit, the health page with its failing task forces,
and tunes a rule; screenshots of the dashboards and the health page in test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import START
from zhuanban.taskforces import services
from zhuanban.taskforces.models import Membership
from zhuanban.tasks.models import Task

pytestmark = pytest.mark.browser


@pytest.fixture
def world(cast):
    services.activate(cast.admin, cast.tf, on=START)
    services.activate(cast.admin, cast.other, on=START)
    services.join(cast.admin, cast.other, person=cast.people.bob, role=Membership.Role.MEMBER, workload_pct=70,
                  start_on=START)
    now = timezone.now()
    for i, (light, unit) in enumerate([(Task.Light.RED, cast.units.zjw), (Task.Light.YELLOW, cast.units.zjw),
                                       (Task.Light.GREEN, cast.units.gov), (Task.Light.RED, cast.units.gov)]):
        Task.objects.create(taskforce=cast.tf, title=f"任务{i}", status=Task.Status.IN_PROGRESS, light=light,
                            lead_unit=unit, due_at=now + dt.timedelta(days=i - 1))
    for w in range(6):
        Task.objects.create(taskforce=cast.tf, title=f"已完成{w}", status=Task.Status.DONE, light=Task.Light.NONE,
                            lead_unit=cast.units.gov, due_at=now - dt.timedelta(weeks=w) + dt.timedelta(days=1),
                            completed_at=now - dt.timedelta(weeks=w))
    return cast


def _charts_drawn(page, ids):
    for chart in ids:
        expect(page.locator(f"#{chart} canvas").first).to_be_visible()


def test_the_office_opens_the_dashboards_and_the_health_page(page, world, shot):
    login(page, "admin", world.password)
    page.get_by_test_id("nav-insight").click()
    expect(page.get_by_test_id("board-title")).to_contain_text("全省专班监测")
    expect(page.get_by_test_id("kpi-open")).to_contain_text("4")
    expect(page.get_by_test_id("kpi-overloaded")).to_contain_text("1")
    _charts_drawn(page, ["chart-li", "chart-liu", "chart-lights", "chart-trend", "chart-load"])
    expect(page.get_by_test_id("chart-ack")).to_contain_text("暂无须确认接收的通知")
    shot(page, "insight-office-dashboard")

    page.get_by_test_id("board-unit").click()
    page.get_by_label("单位").select_option(label="市住房和城乡建设委员会")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_test_id("board-title")).to_contain_text("市住建委")
    _charts_drawn(page, ["chart-lights", "chart-load"])
    shot(page, "insight-unit-dashboard")

    page.get_by_test_id("nav-health").click()
    expect(page.get_by_test_id("check-over_load")).to_contain_text("李成员工作量合计 120%")
    expect(page.get_by_test_id("check-oral")).to_contain_text("其他专班")
    expect(page.get_by_test_id("count-all_done")).to_contain_text("全部通过")
    shot(page, "insight-health")

    page.get_by_test_id("nav-rules").click()
    rule = page.get_by_test_id("rule-over_load")
    rule.get_by_label("工作量上限（%）").fill("150")
    rule.get_by_role("button", name="保存").click()
    expect(page.locator(".alert").first).to_contain_text("已保存体检规则")
    page.goto("/insight/health/")
    expect(page.get_by_test_id("count-over_load")).to_contain_text("全部通过")


def test_a_leader_sees_only_the_task_forces_they_lead(page, world, shot):
    login(page, "alice", world.password)
    page.get_by_test_id("nav-insight").click()
    expect(page.get_by_test_id("board-title")).to_contain_text("我牵头的专班")
    expect(page.get_by_test_id("board-title")).to_contain_text("共 1 个专班")
    expect(page.get_by_test_id("board-office")).to_have_count(0)
    _charts_drawn(page, ["chart-lights", "chart-trend"])
    shot(page, "insight-leader-dashboard")
