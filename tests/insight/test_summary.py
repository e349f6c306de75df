"""The dissolution summary: generated at dissolution (through the API), archived once per period, shared
into the home units' inboxes, shown again after a restart, exported as .docx."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from zhuanban.insight.models import DissolutionSummary
from zhuanban.notices.models import InboxItem
from zhuanban.taskforces import services as tf_services
from zhuanban.taskforces.models import Target
from zhuanban.tasks.models import Task

J = "application/json"


@pytest.fixture
def dissolved(client, running):
    cast = running
    now = timezone.now()
    Target.objects.create(taskforce=cast.tf, description="条例草案提交审议", target_value=1, unit_of_measure="部")
    Task.objects.create(taskforce=cast.tf, title="起草", status=Task.Status.DONE, light=Task.Light.NONE,
                        due_at=now + dt.timedelta(days=1), completed_at=now)
    Task.objects.create(taskforce=cast.tf, title="调研", status=Task.Status.DONE, light=Task.Light.NONE,
                        due_at=now - dt.timedelta(days=2), completed_at=now)
    client.force_login(cast.olivia)
    r = client.post(f"/api/v1/taskforces/{cast.tf.pk}/dissolve",
                    {"summary": "完成条例草案，提交常委会审议。", "lessons": "闭门起草两周，先调研后成稿。"}, content_type=J)
    assert r.status_code == 200, r.content
    cast.tf.refresh_from_db()
    return cast


def test_dissolving_archives_the_summary_with_goals_results_and_figures(dissolved):
    s = DissolutionSummary.objects.get(taskforce=dissolved.tf)
    d = s.data
    assert s.period_number == 1 and d["period"] == 1
    assert d["tasks"] == {"planned": 2, "done": 2, "done_on_time": 1, "overdue": 1}
    assert d["targets"][0]["description"] == "条例草案提交审议"
    assert d["figures"]["tasks_done"] == 2 and d["figures"]["on_time_rate"] == 0.5
    assert d["lessons"].startswith("<p>闭门起草两周") or "闭门起草两周" in d["lessons"]
    assert d["ledger"]["totals"]["spent"] in ("0", "0.00", 0)
    assert {x["unit"] for x in d["seconded"]} >= {"市住房和城乡建设委员会", "市政府办公厅"}


def test_the_home_units_liaisons_and_leaders_get_it_in_their_inbox(dissolved):
    s = DissolutionSummary.objects.get(taskforce=dissolved.tf)
    people = dissolved.people
    expected = {people.liam.pk, people.alice.pk, people.hank.pk}  # liaison, leaders of 办公厅 and 住建委
    assert set(s.shared_with) == expected
    items = InboxItem.objects.filter(subject_kind="summary", subject_id=s.pk)
    assert set(items.values_list("person_id", flat=True)) == expected
    assert all(i.link == f"/insight/summaries/{s.pk}/" for i in items)


def test_the_summary_page_and_docx_for_whom_it_was_shared_with(client, dissolved):
    s = DissolutionSummary.objects.get(taskforce=dissolved.tf)
    client.force_login(dissolved.hank)
    page = client.get(f"/insight/summaries/{s.pk}/").content.decode()
    assert "物业管理条例立法专班 第1期工作总结" in page and "闭门起草两周" in page
    r = client.get(f"/insight/summaries/{s.pk}/docx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    xml = zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml").decode()
    assert "第1期工作总结" in xml and "闭门起草两周" in xml and "计划任务" in xml
    client.force_login(dissolved.charlie)
    assert client.get(f"/insight/summaries/{s.pk}/").status_code == 404
    assert client.get(f"/insight/summaries/{s.pk}/docx").status_code == 404


def test_restarting_shows_the_previous_summary_and_a_second_dissolution_archives_period_two(client, dissolved):
    cast = dissolved
    tf_services.restart(cast.admin, cast.tf, reason="条例修订再启动")
    client.force_login(cast.admin)
    page = client.get(f"/tf/{cast.tf.pk}/summaries/").content.decode()
    assert 'data-testid="previous-summary"' in page and "第1期工作总结" in page
    api = client.get(f"/api/v1/dissolution-summaries?taskforce={cast.tf.pk}").json()
    assert [x["period_number"] for x in api] == [1]
    tf_services.join(cast.admin, cast.tf, person=cast.people.bob, role="member")
    tf_services.dissolve(cast.admin, cast.tf, summary="第二期完成", lessons="第二期经验")
    assert list(DissolutionSummary.objects.filter(taskforce=cast.tf).values_list("period_number", flat=True)
                .order_by("period_number")) == [1, 2]


def test_a_task_force_never_dissolved_has_no_summary_yet(client, running):
    client.force_login(running.olivia)
    page = client.get(f"/tf/{running.tf.pk}/summaries/").content.decode()
    assert 'data-testid="no-summary"' in page
    assert client.get(f"/api/v1/dissolution-summaries?taskforce={running.other.pk}").status_code == 404
