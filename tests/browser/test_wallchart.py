"""挂图作战 in a real browser: create sub-tasks; dispatch a task and sign it as the receiving liaison;
return it with a reason until it becomes a dispute and rule it as the office; reschedule on the Gantt by
dragging a bar; import an .xlsx with an error, then a good one; 改派 after seeing the people's load."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.tasks.test_web import xlsx
from zhuanban.tasks import services
from zhuanban.tasks.models import Dispatch, Dispute, Task

pytestmark = pytest.mark.browser


def switch_user(page, username: str, password: str) -> None:
    page.context.clear_cookies()
    login(page, username, password)


def local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def test_create_sub_tasks_dispatch_to_a_unit_and_sign_as_its_liaison(page, cast, shot):
    today = timezone.localdate()
    login(page, "olivia", cast.password)
    page.goto(f"/tf/{cast.tf.pk}/")
    page.get_by_test_id("tab-tasks").click()
    expect(page.get_by_test_id("task-tree")).to_contain_text("尚无任务")
    page.get_by_test_id("task-new").click()
    page.get_by_label("任务名称").fill("形成条例草案")
    page.get_by_label("牵头单位").select_option(label="市住房和城乡建设委员会")
    page.get_by_label("责任人").select_option(label="刘主任（市政府办公厅）")
    page.get_by_label("计划开始").fill((today - dt.timedelta(days=10)).isoformat())
    page.get_by_label("完成时限", exact=True).fill((today + dt.timedelta(days=40)).isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("task-title")).to_have_text("形成条例草案")

    for title, days in (("赴上海、深圳专题调研", 12), ("梳理15个方面问题清单", 20)):
        page.get_by_test_id("add-subtask").click()
        page.get_by_label("任务名称").fill(title)
        page.get_by_label("牵头单位").select_option(label="市住房和城乡建设委员会")
        page.get_by_label("计划开始").fill((today - dt.timedelta(days=5)).isoformat())
        page.get_by_label("完成时限", exact=True).fill((today + dt.timedelta(days=days)).isoformat())
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_test_id("task-title")).to_have_text(title)
        expect(page.get_by_role("navigation").filter(has_text="上级任务")).to_contain_text("形成条例草案")
        page.get_by_role("link", name="形成条例草案").click()
    expect(page.get_by_test_id("children")).to_contain_text("赴上海、深圳专题调研")
    expect(page.get_by_test_id("children")).to_contain_text("梳理15个方面问题清单")
    parent = Task.objects.get(title="形成条例草案")
    assert set(parent.children.values_list("title", flat=True)) == {"赴上海、深圳专题调研", "梳理15个方面问题清单"}

    page.get_by_test_id("tab-tasks").click()
    rows = page.get_by_test_id("task-tree").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("└")
    shot(page, "40-tasks-tree")

    # Dispatch the first sub-task to 市住建委: its liaison has to sign.
    page.get_by_role("link", name="赴上海、深圳专题调研").click()
    dispatch = page.locator('form[data-action="dispatch"]')
    dispatch.get_by_label("接收单位").select_option(label="市住房和城乡建设委员会")
    dispatch.get_by_role("button", name="派发").click()
    expect(page.get_by_test_id("task-status")).to_have_text("已派发待签收")
    expect(page.get_by_test_id("dispatch-chain")).to_contain_text("→ 市住建委")
    expect(page.get_by_test_id("unsigned")).to_have_text("未签收")
    shot(page, "41-task-dispatched")

    switch_user(page, "liam", cast.password)
    page.get_by_test_id("nav-my-tasks").click()
    to_sign = page.get_by_test_id("to-sign")
    expect(to_sign).to_contain_text("赴上海、深圳专题调研")
    shot(page, "42-my-tasks-to-sign")
    to_sign.get_by_role("link", name="赴上海、深圳专题调研").click()
    page.locator('form[data-action="sign"]').get_by_role("button", name="签收").click()
    expect(page.get_by_text("签收成功")).to_be_visible()
    expect(page.get_by_test_id("task-status")).to_have_text("已签收")
    expect(page.get_by_test_id("dispatch-chain")).to_contain_text("已签收")
    expect(page.get_by_test_id("dispatch-chain")).to_contain_text("陈联络")
    shot(page, "43-task-signed")
    hop = Dispatch.objects.get(task__title="赴上海、深圳专题调研")
    assert hop.status == Dispatch.Status.SIGNED and hop.signed_by == cast.people.liam


def test_return_with_a_reason_bounce_into_a_dispute_and_rule_it(page, cast, shot):
    task = services.create_task(cast.olivia, cast.tf, title="物业条例网络解读话题策划")
    login(page, "olivia", cast.password)
    page.goto(f"/tasks/{task.pk}/")

    def dispatch_to(label: str) -> None:
        form = page.locator('form[data-action="dispatch"]')
        form.get_by_label("接收人").select_option(label=label)
        form.get_by_role("button", name="派发").click()
        expect(page.get_by_test_id("task-status")).to_have_text("已派发待签收")

    def return_as(username: str, reason: str) -> None:
        switch_user(page, username, cast.password)
        page.goto(f"/tasks/{task.pk}/")
        form = page.locator('form[data-action="return"]')
        form.get_by_role("button", name="退回").click()  # no reason first: refused, in Chinese
        expect(page.get_by_text("退回须说明理由")).to_be_visible()
        form = page.locator('form[data-action="return"]')
        form.get_by_label("退回理由").fill(reason)
        form.get_by_role("button", name="退回").click()
        expect(page.get_by_text("退回成功")).to_be_visible()

    dispatch_to("李成员（市住建委）")
    return_as("bob", "属网络宣传范畴，应由网信部门牵头")
    expect(page.get_by_test_id("task-status")).to_have_text("已退回")
    shot(page, "44-task-returned")

    switch_user(page, "olivia", cast.password)
    page.goto(f"/tasks/{task.pk}/")
    dispatch_to("陈联络（市住建委）")
    return_as("liam", "本单位已承担条例解读，话题策划不在职责内")
    expect(page.get_by_test_id("task-status")).to_have_text("推诿争议待裁定")
    expect(page.get_by_test_id("dispute")).to_contain_text("推诿争议：待办公室裁定")
    # A member cannot rule.
    expect(page.locator('form[data-action="rule"]')).to_have_count(0)

    switch_user(page, "olivia", cast.password)
    page.goto(f"/tasks/{task.pk}/")
    dispute = page.get_by_test_id("dispute")
    expect(dispute).to_contain_text("属网络宣传范畴，应由网信部门牵头")
    expect(dispute).to_contain_text("本单位已承担条例解读，话题策划不在职责内")
    shot(page, "45-dispute-open")
    rule = page.locator('form[data-action="rule"]')
    rule.get_by_label("责任单位").select_option(label="市住房和城乡建设委员会")
    rule.get_by_label("责任人").select_option(label="李成员（市住建委）")
    rule.get_by_label("裁定意见").fill("条例解读与话题策划一体推进，由市住建委牵头、李成员负责")
    rule.get_by_role("button", name="裁定责任归属").click()
    expect(page.get_by_text("裁定责任归属成功")).to_be_visible()
    expect(page.get_by_test_id("ruling")).to_contain_text("由市住建委牵头、李成员负责")
    expect(page.get_by_test_id("task-status")).to_have_text("已签收")
    expect(page.get_by_test_id("task-responsible")).to_contain_text("李成员")
    shot(page, "46-dispute-ruled")
    d = Dispute.objects.get(task=task)
    assert d.status == Dispute.Status.RULED and d.owner_person == cast.people.bob

    # The ruling is final: the owner cannot return it.
    switch_user(page, "bob", cast.password)
    page.goto(f"/tasks/{task.pk}/")
    expect(page.locator('form[data-action="return"]')).to_have_count(0)
    expect(page.get_by_test_id("ruling")).to_be_visible()


def _bar(page, title: str):
    return page.locator(".bar-wrapper").filter(has=page.locator(".bar-label", has_text=title)).locator(".bar")


def _drag(page, bar, dx: int) -> None:
    expect(bar).to_be_visible()
    page.wait_for_timeout(600)  # the bars grow in (0.5 s); grab one once it has its size
    box = bar.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + dx * step / 10, y)
    page.mouse.up()


def test_reschedule_on_the_gantt_by_dragging_a_bar(page, cast, shot):
    today = timezone.localdate()
    root = services.create_task(cast.olivia, cast.tf, title="条例草案起草", start_at=today - dt.timedelta(days=14),
                                due_at=today + dt.timedelta(days=28), responsible=cast.people.bob)
    task = services.create_task(cast.olivia, cast.tf, title="赴沪深调研", parent=root,
                                start_at=today + dt.timedelta(days=3), due_at=today + dt.timedelta(days=10),
                                milestones=[{"title": "形成调研报告", "due_on": today + dt.timedelta(days=10)}])
    services.create_task(cast.olivia, cast.tf, title="征求意见", parent=root, depends_on=[task],
                         start_at=today + dt.timedelta(days=11), due_at=today + dt.timedelta(days=20))
    csp: list[str] = []
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    login(page, "olivia", cast.password)
    page.goto(f"/tf/{cast.tf.pk}/tasks/")
    page.get_by_test_id("gantt-tab").click()
    bar = _bar(page, "赴沪深调研")
    expect(bar).to_be_visible()
    names = page.get_by_test_id("gantt-names")
    expect(names.get_by_role("link")).to_have_text(["条例草案起草", "赴沪深调研", "征求意见"])
    expect(page.get_by_test_id("gantt-milestones")).to_contain_text("形成调研报告")
    page.wait_for_timeout(700)  # the tab's fade and the bars' growth
    shot(page, "47-gantt")
    page.get_by_role("button", name="月", exact=True).click()
    expect(names.get_by_role("link")).to_have_count(3)
    page.get_by_role("button", name="周", exact=True).click()
    assert csp == []  # the chart's inline styles go through the CSSOM, not style attributes

    _drag(page, bar, 160)
    status = page.get_by_test_id("gantt-status")
    expect(status).to_contain_text("已调整“赴沪深调研”")
    task.refresh_from_db()
    start, due = local_date(task.start_at), local_date(task.due_at)
    shift = (start - (today + dt.timedelta(days=3))).days
    assert shift > 0 and (due - (today + dt.timedelta(days=10))).days == shift  # moved, same length
    assert f"{start.isoformat()} 至 {due.isoformat()}" in status.text_content()
    assert task.version == 2
    shot(page, "48-gantt-rescheduled")

    # Someone else saves the task meanwhile: the next drag is refused with a Chinese message and the
    # bar goes back; nothing is overwritten.
    services.update_task(cast.alice, task, version=task.version, title="赴沪深调研")
    _drag(page, _bar(page, "赴沪深调研"), 160)
    expect(status).to_contain_text("该记录已被他人修改")
    task.refresh_from_db()
    assert (local_date(task.start_at), local_date(task.due_at), task.version) == (start, due, 3)
    shot(page, "49-gantt-stale")
    page.get_by_test_id("gantt-reload").click()
    page.get_by_test_id("gantt-tab").click()
    expect(_bar(page, "赴沪深调研")).to_be_visible()
    _drag(page, _bar(page, "赴沪深调研"), -160)
    expect(page.get_by_test_id("gantt-status")).to_contain_text("已调整“赴沪深调研”")
    task.refresh_from_db()
    assert local_date(task.start_at) < start and task.version == 4


def test_a_member_sees_the_gantt_but_cannot_drag(page, cast):
    today = timezone.localdate()
    task = services.create_task(cast.olivia, cast.tf, title="只读任务", start_at=today,
                                due_at=today + dt.timedelta(days=7))
    login(page, "bob", cast.password)
    page.goto(f"/tf/{cast.tf.pk}/tasks/")
    page.get_by_test_id("gantt-tab").click()
    bar = _bar(page, "只读任务")
    expect(bar).to_be_visible()
    _drag(page, bar, 160)
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("gantt-status")).to_have_text("")
    task.refresh_from_db()
    assert task.version == 1


def test_import_an_xlsx_with_an_error_then_a_good_one(page, cast, shot, tmp_path):
    bad, good = tmp_path / "重点任务清单-有误.xlsx", tmp_path / "重点任务清单.xlsx"
    bad.write_bytes(xlsx([[1, "立法调研", "市住建委", "", "李成员", "2026-12-31", "10%"],
                          ["1.1", "赴沪深调研", "市住房城乡建设局", "", "陈联络", "2026年12月15日", ""]]).getvalue())
    good.write_bytes(xlsx([[1, "立法调研", "市住建委", "市司法局", "李成员", "2026-12-31", "10%"],
                           ["1.1", "赴沪深调研", "市住建委", "", "陈联络", "2026年12月15日", "已联系上海市人大"]]).getvalue())
    login(page, "olivia", cast.password)
    page.goto(f"/tf/{cast.tf.pk}/tasks/")
    page.get_by_test_id("task-import").click()
    page.get_by_label("文件").set_input_files(str(bad))
    page.get_by_role("button", name="导入").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("未导入任何任务")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors).to_contain_text("第 3 行")
    expect(errors).to_contain_text("单位“市住房城乡建设局”不存在")
    assert not Task.objects.exists()
    shot(page, "50-import-error")

    page.get_by_label("文件").set_input_files(str(good))
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_text("已导入 2 项任务")).to_be_visible()
    tree = page.get_by_test_id("task-tree")
    expect(tree.locator("tbody tr")).to_have_count(2)
    expect(tree).to_contain_text("赴沪深调研")
    expect(tree).to_contain_text("10%")
    shot(page, "51-import-done")
    assert Task.objects.get(title="赴沪深调研").parent.title == "立法调研"


def test_reassign_after_seeing_the_load(page, cast, shot):
    today = timezone.localdate()
    late = services.create_task(cast.olivia, cast.tf, title="逾期的问题清单梳理", responsible=cast.people.bob,
                                start_at=today - dt.timedelta(days=20), due_at=today - dt.timedelta(days=1))
    services.create_task(cast.olivia, cast.tf, title="条例释义初稿", responsible=cast.people.bob,
                         due_at=today + dt.timedelta(days=5))
    services.create_task(cast.olivia, cast.tf, title="联络员周报汇总", responsible=cast.people.liam,
                         due_at=today + dt.timedelta(days=5))
    login(page, "olivia", cast.password)
    page.goto(f"/tf/{cast.tf.pk}/tasks/")
    page.get_by_test_id("task-reassign").click()
    first = page.get_by_test_id("people-load").locator("tbody tr").first
    expect(first).to_contain_text("李成员")
    expect(first.get_by_test_id("load-open")).to_have_text("2")
    expect(first.get_by_test_id("load-red")).to_have_text("1")
    shot(page, "52-reassign-load")
    page.get_by_label("逾期的问题清单梳理").check()
    person = page.get_by_label("改派给（责任人）")
    option = person.locator("option", has_text="陈联络（在办 1 项").get_attribute("value")
    person.select_option(value=option)
    page.get_by_label("改派理由").fill("李成员任务逾期，调整给联络员")
    page.get_by_test_id("reassign-submit").click()
    expect(page.get_by_text("已改派 1 项任务")).to_be_visible()
    row = page.get_by_test_id("people-load").locator("tr", has_text="陈联络")
    expect(row.get_by_test_id("load-open")).to_have_text("2")
    shot(page, "53-reassign-done")
    late.refresh_from_db()
    assert late.responsible == cast.people.liam
