"""会商 in a real browser: the office director opens the task force's 会商与值守 tab, creates a meeting,
records attendance, writes minutes with a decision, turns it into a task and sees it in the new task
list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login
from zhuanban.meetings.models import Attendance, Meeting
from zhuanban.tasks.models import Task

pytestmark = pytest.mark.browser


def test_office_director_holds_a_meeting_and_turns_a_decision_into_a_task(page, cast, shot):
    day = timezone.localdate() + dt.timedelta(days=3)
    login(page, "olivia", cast.password)
    page.goto(f"/tf/{cast.tf.pk}/")
    page.get_by_test_id("tab-meetings").click()
    page.get_by_test_id("meeting-new-toggle").click()
    form = page.get_by_test_id("meeting-form")
    form.get_by_label("会议名称").fill("第一次周例会")
    form.get_by_label("类型").select_option(label="周例会")
    form.get_by_label("开始时间").fill(f"{day.isoformat()}T09:30")
    form.get_by_label("地点").fill("三楼会议室")
    page.get_by_test_id("meeting-create").click()
    expect(page.get_by_test_id("meeting-title")).to_have_text("第一次周例会")
    expect(page.get_by_test_id("agenda")).to_contain_text("市住建委")

    liam = page.locator(f"[data-testid=attendance-row][data-person='{cast.people.liam.pk}']")
    liam.get_by_label("出席情况").select_option("absent")
    liam.get_by_label("缺席理由").fill("外出调研")
    liam.get_by_label("代为参会").select_option(label="李成员")
    bob = page.locator(f"[data-testid=attendance-row][data-person='{cast.people.bob.pk}']")
    bob.get_by_label("出席情况").select_option("present")
    page.get_by_test_id("attendance-save").click()
    expect(page.locator(".alert")).to_contain_text("出席情况已保存")

    page.get_by_test_id("minutes-text").fill("一、听取各单位汇报。\n二、研究条例草案进度。")
    page.get_by_test_id("minutes-save").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("已召开")

    page.get_by_test_id("decision-text").fill("市住建委两周内完成草案第三章")
    page.get_by_test_id("decision-unit").select_option(label="市住建委")
    page.get_by_test_id("decision-person").select_option(label="陈联络")
    page.get_by_test_id("decision-due").fill((day + dt.timedelta(days=14)).isoformat())
    page.get_by_test_id("decision-add").click()
    expect(page.get_by_test_id("decisions")).to_contain_text("完成草案第三章")
    page.get_by_test_id("to-task").click()
    expect(page.get_by_test_id("new-tasks")).to_contain_text("市住建委两周内完成草案第三章")
    shot(page, "meeting-new-task-list")

    m = Meeting.objects.get(title="第一次周例会")
    assert m.status == Meeting.Status.HELD and "研究条例草案" in m.minutes
    a = Attendance.objects.get(meeting=m, person=cast.people.liam)
    assert (a.status, a.reason, a.substitute) == ("absent", "外出调研", cast.people.bob)
    task = Task.objects.get(title="市住建委两周内完成草案第三章")
    assert task.source == Task.Source.MEETING and task.responsible == cast.people.liam

    page.get_by_test_id("dispatch-all").click()
    expect(page.get_by_test_id("new-tasks")).to_contain_text("已派发待签收")
