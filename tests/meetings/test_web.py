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
