"""Task pages: the tab with tree/Gantt/kanban, detail actions, my tasks, .xlsx import and export."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from tests.web.conftest import text
from zhuanban.tasks import services
from zhuanban.tasks.models import Task


def xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "任务", "牵头单位", "配合单位", "责任人", "完成时限", "进展"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "tasks.xlsx"
    return buf


def test_tab_shows_tree_with_lights_and_gantt_data(cast, as_user):
    t = services.create_task(cast.olivia, cast.tf, title="=总任务", responsible=cast.people.bob,
                             start_at=__import__("datetime").date(2026, 1, 5),
                             due_at=__import__("datetime").date(2026, 2, 5))
    services.create_task(cast.olivia, cast.tf, title="子任务", parent=t)
    r = as_user(cast.alice).get(f"/tf/{cast.tf.pk}/tasks/")
    assert r.status_code == 200
    page = text(r)
    assert "子任务" in page and "李成员" in page and 'id="gantt-data"' not in page  # the tree view
    r = as_user(cast.alice).get(f"/tf/{cast.tf.pk}/tasks/?view=gantt")
    page = text(r)
    assert 'id="gantt-data"' in page and [t["name"] for t in r.context["gantt"]["tasks"]] == ["=总任务"]
    assert "<script>" not in page.replace('<script src=', '').replace('<script id="gantt-data" type="application/json">', '')


def test_outsider_gets_404(cast, as_user):
    assert as_user(cast.charlie).get(f"/tf/{cast.tf.pk}/tasks/").status_code == 404


def test_sign_and_return_through_the_detail_page(cast, client):
    t = services.create_task(cast.olivia, cast.tf, title="派发")
    services.dispatch(cast.olivia, t, to_person=cast.people.bob)
    client.force_login(cast.bob)
    r = client.post(f"/tasks/{t.pk}/action/return/", {"reason": ""})
    assert r.status_code == 422 and "退回须说明理由" in text(r)
    r = client.post(f"/tasks/{t.pk}/action/sign/")
    assert r.status_code == 302
    assert Task.objects.get(pk=t.pk).status == "signed"


def test_my_tasks_page(cast, as_user):
    services.create_task(cast.olivia, cast.tf, title="我的一项", responsible=cast.people.bob)
    r = as_user(cast.bob).get("/my-tasks/")
    assert r.status_code == 200 and "我的一项" in text(r)


def test_import_with_unknown_unit_imports_nothing_then_good_file(cast, as_user):
    c = as_user(cast.olivia)
    bad = xlsx([[1, "立法调研", "市住建委", "", "李成员", "2026-03-31", "10%"],
                [2, "起草", "不存在的局", "", "", "2026年4月30日", ""]])
    r = c.post(f"/tf/{cast.tf.pk}/tasks/import/", {"file": bad})
    assert r.status_code == 422
    assert "第 3 行" in text(r) and "不存在的局" in text(r)
    assert Task.objects.count() == 0
    good = xlsx([[1, "立法调研", "市住建委", "市司法局", "李成员", "2026-03-31", "10%"],
                 ["1.1", "赴沪深调研", "市住建委", "", "陈联络", "2026年3月15日", "已联系"]])
    r = c.post(f"/tf/{cast.tf.pk}/tasks/import/", {"file": good})
    assert r.status_code == 302
    child = Task.objects.get(title="赴沪深调研")
    assert child.parent.title == "立法调研" and child.responsible == cast.people.liam


def test_export_neutralises_formulas(cast, as_user):
    services.create_task(cast.olivia, cast.tf, title="=HYPERLINK(\"x\")")
    r = as_user(cast.alice).get(f"/tf/{cast.tf.pk}/tasks/export.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(row=1, column=1).value.startswith("【内部】")  # the label travels with the data
    assert ws.cell(row=3, column=2).value.startswith("'=")


def test_export_survives_a_name_excel_refuses_as_a_sheet_title_and_is_audited(cast, as_user):
    from zhuanban.core.models import AuditEvent
    from zhuanban.taskforces import services as tf_services

    tf = tf_services.update_taskforce(cast.admin, cast.tf, version=cast.tf.version, name="物业/条例[2026]: 专班?")
    r = as_user(cast.alice).get(f"/tf/{tf.pk}/tasks/export.xlsx")
    assert r.status_code == 200
    assert load_workbook(io.BytesIO(r.content)).active.title.startswith("物业_条例_2026__")
    assert AuditEvent.objects.filter(action="task.export", actor=cast.alice).exists()


def test_the_task_page_header_keeps_the_task_force_lifecycle_buttons(cast, as_user):
    """The task's own actions (派发, 报送进展 …) are forms beside the task, never links in the task force's
    header pointing at lifecycle actions that do not exist (/tf/<id>/action/dispatch/)."""
    t = services.create_task(cast.olivia, cast.tf, title="派发")
    page = text(as_user(cast.olivia).get(f"/tasks/{t.pk}/"))
    assert f"/tf/{cast.tf.pk}/action/dispatch/" not in page
    assert f"/tf/{cast.tf.pk}/action/activate/" in page and 'data-action="dispatch"' in page


def test_my_tasks_lists_what_waits_for_my_signature(cast, as_user):
    t = services.create_task(cast.olivia, cast.tf, title="派往住建委")
    services.dispatch(cast.olivia, t, to_unit=cast.units.zjw)
    assert "派往住建委" in text(as_user(cast.liam).get("/my-tasks/"))  # the unit's liaison
    assert "派往住建委" in text(as_user(cast.hank).get("/my-tasks/"))  # the unit's leader
    assert "待我签收" not in text(as_user(cast.bob).get("/my-tasks/"))


def test_the_gantt_data_carries_the_chinese_rest_days(cast, as_user):
    import datetime as dt

    services.create_task(cast.olivia, cast.tf, title="国庆前后", start_at=dt.date(2026, 9, 28),
                         due_at=dt.date(2026, 10, 12))
    r = as_user(cast.alice).get(f"/tf/{cast.tf.pk}/tasks/?view=gantt")
    data = r.context["gantt"]
    assert "2026-10-05" in data["rest_days"]  # National Day holiday (a Monday)
    assert "2026-10-10" not in data["rest_days"]  # the make-up Saturday is a workday
    assert "2026-09-29" not in data["rest_days"]


def test_the_tree_is_paged_in_tree_order_and_each_view_loads_only_what_it_draws(cast, as_user, monkeypatch):
    from zhuanban.tasks import views

    monkeypatch.setattr(views, "TREE_PAGE", 3)
    root = services.create_task(cast.olivia, cast.tf, title="根任务")
    kids = [services.create_task(cast.olivia, cast.tf, title=f"子任务{i}", parent=root) for i in range(3)]
    services.create_task(cast.olivia, cast.tf, title="孙任务", parent=kids[0])
    c = as_user(cast.alice)
    first = c.get(f"/tf/{cast.tf.pk}/tasks/")
    assert [t.title for t in first.context["tree"]] == ["根任务", "子任务0", "孙任务"]
    assert [t.depth for t in first.context["tree"]] == [0, 1, 2]
    second = c.get(f"/tf/{cast.tf.pk}/tasks/?view=tree&page=2")
    assert [t.title for t in second.context["tree"]] == ["子任务1", "子任务2"]
    assert "第 2 / 2 页" in text(second)
    kanban = c.get(f"/tf/{cast.tf.pk}/tasks/?view=kanban")
    assert "tree" not in kanban.context and "gantt" not in kanban.context
    assert sum(total for _, _, total, _ in kanban.context["kanban"]) == 5
    counts = c.get(f"/tf/{cast.tf.pk}/tasks/?view=counts")
    assert "unit_counts" in counts.context and "kanban" not in counts.context
    filtered = c.get(f"/tf/{cast.tf.pk}/tasks/?view=tree&light=red")
    assert filtered.context["tree"] == [] and 'name="view" value="tree"' in text(filtered)


def test_my_tasks_are_paged_most_urgent_first(cast, as_user, monkeypatch):
    import datetime as dt

    from zhuanban.tasks import views

    monkeypatch.setattr(views, "MY_PAGE", 2)
    for i, day in enumerate((20, 10, 15)):
        services.create_task(cast.olivia, cast.tf, title=f"第{i}项", responsible=cast.people.bob,
                             start_at=dt.date(2027, 1, 1), due_at=dt.date(2027, 1, day))
    c = as_user(cast.bob)
    first = c.get("/my-tasks/")
    assert [t.title for t in first.context["tasks"]] == ["第1项", "第2项"]
    assert "第 1 / 2 页，共 3 项任务" in text(first)
    assert [t.title for t in c.get("/my-tasks/?page=2").context["tasks"]] == ["第0项"]
