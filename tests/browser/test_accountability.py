"""责任与督办 in a real browser: the office director opens the task force's 责任与督办 tab, sees the
responsibility list, opens the person's responsibility portrait (ECharts chart drawn), records a 督办 on
the overdue task, and the record shows in the portrait."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login
from zhuanban.tasks.models import Task

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def tasks(cast):
    p, u = cast.people, cast.units
    now = timezone.now()
    done = Task.objects.create(taskforce=cast.tf, title="起草条例总则", responsible=p.bob, decision_owner=p.alice,
                               lead_unit=u.gov, status=Task.Status.DONE, due_at=now - dt.timedelta(days=20),
                               completed_at=now - dt.timedelta(days=22), light=Task.Light.NONE)
    done.cooperating_units.set([u.zjw])
    late = Task.objects.create(taskforce=cast.tf, title="征求物业企业意见", responsible=p.bob, decision_owner=p.alice,
                               lead_unit=u.zjw, status=Task.Status.IN_PROGRESS, progress=30,
                               due_at=now - dt.timedelta(days=4), light=Task.Light.RED)
    Task.objects.create(taskforce=cast.tf, title="赴上海、深圳调研", responsible=p.liam, lead_unit=u.zjw,
                        status=Task.Status.SIGNED, due_at=now + dt.timedelta(days=10))
    return done, late


def test_manager_opens_the_list_and_the_portrait_and_records_a_supervision(page, cast, tasks, shot):
    _, late = tasks
    login(page, "olivia", cast.password)
    page.goto(f"/tf/{cast.tf.pk}/")
    page.get_by_test_id("tab-accountability").click()
    table = page.get_by_test_id("responsibility-list")
    row = table.locator(f"tr[data-task='{late.pk}']")
    expect(row).to_contain_text("王组长")
    expect(row).to_contain_text("李成员")
    expect(row).to_contain_text("市住建委")
    shot(page, "accountability-list")

    row.get_by_test_id(f"portrait-{cast.people.bob.pk}").click()
    expect(page.get_by_test_id("portrait-name")).to_contain_text("李成员")
    expect(page.locator("[data-figure=tasks_owned]")).to_have_text("2")
    expect(page.locator("[data-figure=overdue]")).to_have_text("1")
    expect(page.locator("#portrait-chart canvas")).to_have_count(1)
    assert page.locator("#portrait-chart").bounding_box()["height"] > 200  # the chart is drawn, not collapsed
    shot(page, "accountability-portrait-before")

    page.goto(f"/tf/{cast.tf.pk}/accountability/")
    row = page.get_by_test_id("responsibility-list").locator(f"tr[data-task='{late.pk}']")
    row.get_by_role("link", name="督办").click()
    form = page.get_by_test_id("supervise-form")
    form.get_by_label("督办方式").select_option("notice")
    form.get_by_label("标题").fill("关于征求意见逾期的督办")
    form.get_by_label("督办事由").fill("该任务已逾期四天，请说明原因并于三日内完成。")
    page.get_by_test_id("supervise-submit").click()
    expect(page.get_by_test_id("supervision-title")).to_have_text("关于征求意见逾期的督办")
    expect(page.get_by_test_id("supervision-status")).to_have_text("待整改反馈")
    shot(page, "accountability-supervision")

    page.goto(f"/people/{cast.people.bob.pk}/portrait/")
    expect(page.get_by_test_id("supervision-counts")).to_have_text("1 · 0 · 0")
    expect(page.get_by_test_id("supervision-list")).to_contain_text("关于征求意见逾期的督办")
    shot(page, "accountability-portrait")
