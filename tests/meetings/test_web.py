"""The pages through the Django test client: forms call the services; a stale minutes save shows 409 with
the user's text kept; a member's swap request; pages of another task force are 404."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhuanban.meetings import services
from zhuanban.meetings.models import DutySwap, Meeting


def test_minutes_conflict_keeps_the_text_typed(cast, client, meeting):
    v = meeting.version
    services.save_minutes(cast.alice, meeting, version=v, minutes="王组长先写的")
    client.force_login(cast.olivia)
    r = client.post(f"/meetings/{meeting.pk}/minutes/", {"version": v, "minutes": "刘主任后写的"})
    assert r.status_code == 409
    body = r.content.decode()
    assert "刘主任后写的" in body and "王组长先写的" in body
    assert Meeting.objects.get(pk=meeting.pk).minutes == "王组长先写的"


def test_member_requests_a_swap_and_the_office_approves_on_the_tab(cast, client):
    shift = services.add_shift(cast.olivia, cast.tf, date=timezone.localdate() + dt.timedelta(days=1),
                               person=cast.people.bob)
    client.force_login(cast.bob)
    page = client.get(f"/tf/{cast.tf.pk}/meetings/")
    assert page.status_code == 200 and "申请换班" in page.content.decode()
    r = client.post("/duty-swaps/new/", {"shift": shift.pk, "to_person": cast.people.liam.pk, "reason": "出差"})
    assert r.status_code == 302
    swap = DutySwap.objects.get()
    assert client.post(f"/duty-swaps/{swap.pk}/approve/").status_code == 403
    client.force_login(cast.olivia)
    client.post(f"/duty-swaps/{swap.pk}/approve/")
    shift.refresh_from_db()
    assert shift.person == cast.people.liam


def test_pages_of_an_invisible_task_force_are_404(cast, client, meeting):
    client.force_login(cast.charlie)
    assert client.get(f"/tf/{cast.tf.pk}/meetings/").status_code == 404
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/meetings/{meeting.pk}/minutes.docx").status_code == 404


def test_overview_card_shows_today_on_duty_and_the_next_meeting(cast, client, meeting):
    services.add_shift(cast.olivia, cast.tf, date=timezone.localdate(), person=cast.people.bob)
    client.force_login(cast.bob)
    body = client.get(f"/tf/{cast.tf.pk}/").content.decode()
    assert 'data-testid="on-duty-today"' in body and "李成员" in body and "周例会" in body


def test_task_detail_lists_its_site_verifications_in_one_query(cast, client, settings, tmp_path):
    """The include on the task page (meetings/_task_verifications.html): who, when, where, findings and
    photo links; one query however many verifications and photos; nothing for an external member."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.io.conftest import PDF
    from zhuanban.meetings.templatetags.meetings_tags import task_verifications
    from zhuanban.taskforces.access import get_access
    from zhuanban.tasks import services as tasks

    settings.MEDIA_ROOT = tmp_path / "media"
    task = tasks.create_task(cast.olivia, cast.tf, title="河道清淤")
    other = tasks.create_task(cast.olivia, cast.tf, title="别的任务")
    services.record_verification(cast.olivia, cast.tf, verifier=cast.people.liam, at=timezone.now(),
                                 place="东湖段", findings="清淤已完成七成", tasks=[task, other],
                                 uploads=[SimpleUploadedFile("现场.pdf", PDF, content_type="application/pdf")])
    services.record_verification(cast.olivia, cast.tf, verifier=cast.people.bob, at=timezone.now(),
                                 place="西湖段", findings="尚未开工", tasks=[task])
    services.record_verification(cast.olivia, cast.tf, verifier=cast.people.bob, at=timezone.now(),
                                 place="无关的地点", findings="只核验了别的任务", tasks=[other])
    client.force_login(cast.alice)
    body = client.get(f"/tasks/{task.pk}/").content.decode()
    assert 'data-testid="task-verifications"' in body
    assert "东湖段" in body and "清淤已完成七成" in body and "陈联络" in body and "现场.pdf" in body
    assert "西湖段" in body and "无关的地点" not in body
    acc = get_access(cast.alice, cast.tf)
    with CaptureQueriesContext(connection) as q:
        rows = task_verifications(task, acc)
    assert len(q.captured_queries) == 1
    assert [r["place"] for r in rows] == ["西湖段", "东湖段"] and len(rows[1]["photos"]) == 1
    assert task_verifications(task, get_access(cast.erin, cast.tf)) == []
    client.force_login(cast.olivia)
    assert "无关的地点" not in client.get(f"/tasks/{tasks.create_task(cast.olivia, cast.tf, title='空').pk}/"
                                         ).content.decode()


def test_agenda_lists_the_most_urgent_flagged_tasks_with_a_link_to_all(cast, client, meeting, monkeypatch):
    """The meeting page lists PAGE_LISTED flagged tasks and says how many there are; ?agenda=all lists
    them all.  A manager's agenda (no per-user visibility computed) shows what visible_tasks shows."""
    from zhuanban.meetings import agenda
    from zhuanban.taskforces.access import get_access
    from zhuanban.tasks import services as tasks
    from zhuanban.tasks.access import visible_tasks

    monkeypatch.setattr(agenda, "PAGE_LISTED", 2)
    past = timezone.now() - dt.timedelta(days=3)
    for i in range(4):
        tasks.create_task(cast.olivia, cast.tf, title=f"逾期任务{i}", due_at=past + dt.timedelta(hours=i),
                          lead_unit=cast.units.zjw)
    client.force_login(cast.olivia)
    body = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="agenda-truncated"' in body and "共 4 项" in body and "逾期任务0" in body
    assert "逾期任务3" not in body
    full = client.get(f"/meetings/{meeting.pk}/?agenda=all").content.decode()
    assert "逾期任务3" in full and 'data-testid="agenda-truncated"' not in full
    assert 'href="/tasks/' in full
    acc = get_access(cast.olivia, cast.tf)
    assert set(agenda.tasks_seen(cast.olivia, cast.tf, acc)) == set(visible_tasks(cast.olivia).filter(
        taskforce=cast.tf))


def test_past_meeting_without_a_record_says_so(cast, client):
    """The tab's "已召开的会议" list: a past meeting whose attendance and minutes nobody recorded is 未记录,
    not 待召开."""
    from tests.meetings.conftest import at

    services.create_meeting(cast.olivia, cast.tf, title="上周的会", starts_at=at(timezone.localdate()
                                                                             - dt.timedelta(days=7)))
    held = services.create_meeting(cast.olivia, cast.tf, title="前天的会", starts_at=at(timezone.localdate()
                                                                              - dt.timedelta(days=2)))
    services.save_minutes(cast.olivia, held, version=held.version, minutes="已议")
    client.force_login(cast.alice)
    body = client.get(f"/tf/{cast.tf.pk}/meetings/").content.decode()
    past = body[body.index('data-testid="past-meetings"'):]
    assert "未记录" in past and "已召开" in past and "待召开" not in past[:past.index("</ul>")]
