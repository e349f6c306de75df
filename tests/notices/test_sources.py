"""The other apps' reminders in the one inbox (``zhuanban.notices.sources``): report due today and not filed,
the 催报 of the reports app, meeting tomorrow, today's duty — each exactly once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhuanban.core import workdays
from zhuanban.meetings import services as meetings
from zhuanban.meetings.models import Meeting
from zhuanban.notices import queries, reminders, sources
from zhuanban.notices.models import InboxItem, Priority, ReminderRule
from zhuanban.reports import services as reports
from zhuanban.reports.models import ReportReminder

from .conftest import at

FIELDS = [{"key": "n", "label": "处置事件数", "kind": "integer", "min_value": 0}]


def _template(cast, **kw):
    data = {"name": "每日信息报送", "cadence": "daily", "every_day": True, "due_time": "17:00",
            "fields": [dict(f) for f in FIELDS], **kw}
    return reports.create_template(cast.olivia, cast.tf, data)


def _items(**kw):
    return list(InboxItem.objects.filter(kind=InboxItem.Kind.REMINDER, **kw).order_by("id"))


def test_report_due_today_not_filed_once_per_template_and_period(cast):
    t = _template(cast)
    now = at(2026, 9, 29, 10)
    reminders.run_sweep(now)
    reminders.run_sweep(now + dt.timedelta(minutes=15))  # the next sweep, and a second scheduler
    reminders.run_sweep(now + dt.timedelta(minutes=15))
    (r,) = _items(subject_kind="report")
    assert r.person_id == cast.people.liam.pk and r.subject_id == t.pk and r.taskforce_id == cast.tf.pk
    assert r.key == f"src:reports.due:report:{t.pk}:{cast.people.liam.pk}:2026-09-29"
    assert r.title.startswith("【今日报送】每日信息报送") and "17:00" in r.title and r.link == f"/reports/{t.pk}/fill"
    assert timezone.localtime(r.due_at) == at(2026, 9, 29, 17)
    # The next day is another period: one more; filed that day: none.
    zjw = cast.people.liam.home_unit_id
    reports.file_report(cast.liam, t, dt.date(2026, 9, 30), {"n": 3}, submit=True, unit_id=zjw,
                        now=at(2026, 9, 30, 9))
    reminders.run_sweep(at(2026, 9, 30, 10))
    assert len(_items(subject_kind="report")) == 1
    reminders.run_sweep(at(2026, 10, 8, 10))
    assert [i.key.rsplit(":", 1)[1] for i in _items(subject_kind="report")] == ["2026-09-29", "2026-10-08"]


def test_weekly_report_is_reminded_on_its_due_day_only(cast):
    t = _template(cast, name="周报", cadence="weekly", every_day=False)
    reminders.run_sweep(at(2026, 9, 28, 10))  # Monday: the week's report is due on its last workday
    assert not _items(subject_kind="report")
    reminders.run_sweep(at(2026, 9, 30, 10))  # Wednesday 30 Sep: last workday before National Day
    (r,) = _items(subject_kind="report")
    assert r.subject_id == t.pk and r.key.endswith(":2026-09-28")


def test_a_disabled_source_sends_nothing_for_that_task_force(cast):
    _template(cast)
    ReminderRule.objects.create(taskforce=cast.tf, kind=ReminderRule.Kind.SOURCE, source=sources.REPORTS_DUE,
                                enabled=False)
    reminders.run_sweep(at(2026, 9, 29, 10))
    assert not _items(subject_kind="report")


def test_report_reminder_reaches_the_liaisons_inbox_exactly_once(cast, django_capture_on_commit_callbacks):
    t = _template(cast)
    day = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        rows = reports.remind_missing(cast.olivia, t, day)  # 市政府办公厅 has no liaison: no inbox for it
    (rr,) = [r for r in rows if r.person_id]
    (item,) = InboxItem.objects.filter(subject_kind="report_reminder")
    assert item.person_id == cast.people.liam.pk and item.subject_id == rr.pk
    assert item.priority == Priority.URGENT and item.title.startswith("【催报】每日信息报送")
    assert [i.pk for i in queries.inbox(cast.liam)] == [item.pk]
    # The receiver again, the catch-up source, and a sweep: still one.
    assert sources.deliver_report_reminders(t.pk, day) == 0
    reminders.run_sweep(timezone.now())
    assert InboxItem.objects.filter(subject_kind="report_reminder").count() == 1
    # A second 催报 is a second row: a second item.
    with django_capture_on_commit_callbacks(execute=True):
        reports.remind_missing(cast.olivia, t, day)
    assert InboxItem.objects.filter(subject_kind="report_reminder").count() == 2


def test_a_report_reminder_saved_alone_is_delivered_too(cast, django_capture_on_commit_callbacks):
    t = _template(cast)
    with django_capture_on_commit_callbacks(execute=True):
        rr = ReportReminder.objects.create(template=t, period=timezone.localdate(), filer_key="u1",
                                           person=cast.people.liam)
    assert InboxItem.objects.get(subject_kind="report_reminder").subject_id == rr.pk


def test_a_lost_receiver_is_caught_up_by_the_sweep(cast):
    t = _template(cast)
    reports.remind_missing(cast.olivia, t, timezone.localdate())  # on-commit callbacks never run
    assert not InboxItem.objects.filter(subject_kind="report_reminder").exists()
    reminders._sources(timezone.localdate(), timezone.now())
    assert InboxItem.objects.filter(subject_kind="report_reminder", person=cast.people.liam).count() == 1


def test_meeting_tomorrow_reminds_the_invitees_once(cast):
    today = timezone.localdate()
    day = workdays.add_workday_dates(today, 1)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
    m = meetings.create_meeting(cast.olivia, cast.tf, title="专班周例会", starts_at=start, location="三楼会商室")
    far = meetings.create_meeting(cast.olivia, cast.tf, title="下周专题会", starts_at=start + dt.timedelta(days=8))
    now = timezone.now()
    for _ in range(2):
        reminders.insert_specs(sources.MEETING_TOMORROW, sources.meeting_tomorrow(now, today), now)
    items = _items(subject_kind="meeting")
    invited = set(m.attendances.values_list("person_id", flat=True))
    assert {i.person_id for i in items} == invited and len(items) == len(invited) >= 4
    assert all(i.subject_id == m.pk and "专班周例会" in i.title and "三楼会商室" in i.title for i in items)
    assert far.pk not in {i.subject_id for i in items}
    # Cancelled: nobody is reminded of it.
    Meeting.objects.filter(pk=m.pk).update(status=Meeting.Status.CANCELLED)
    InboxItem.objects.filter(subject_kind="meeting").delete()
    assert list(sources.meeting_tomorrow(now, today)) == []


def test_meeting_window_on_friday_covers_the_weekend_and_monday(db):
    lo, hi = sources.meeting_window(dt.date(2026, 9, 25))  # Friday
    assert timezone.localtime(lo).date() == dt.date(2026, 9, 26)
    assert timezone.localtime(hi).date() == dt.date(2026, 9, 29)  # end of Monday 28th


def test_todays_duty_is_one_info_item_per_member_in_the_digest(cast):
    today = timezone.localdate()
    meetings.add_shift(cast.olivia, cast.tf, date=today, person=cast.people.bob)
    now = timezone.now()
    for _ in range(2):
        reminders.insert_specs(sources.DUTY_TODAY, sources.duty_today(now, today), now)
    items = _items(subject_kind="duty")
    assert {i.person_id for i in items} >= {cast.people.alice.pk, cast.people.olivia.pk, cast.people.bob.pk}
    assert len(items) == len({i.person_id for i in items})
    assert all(i.priority == Priority.INFO and "李成员 08:30–17:30" in i.title for i in items)
    assert [i.title for i in queries.digest(cast.alice)] == [items[0].title]
    assert not [i for i in queries.inbox(cast.alice) if i.subject_kind == "duty"]  # not in the main list


def test_duty_is_announced_on_a_rest_day_too(cast):
    day = dt.date(2026, 10, 3)  # National Day holiday
    meetings.add_shift(cast.olivia, cast.tf, date=day, person=cast.people.bob)
    out = reminders.run_sweep(at(2026, 10, 3, 8))
    assert out["skipped"] == "not_a_workday" and out["sources"] >= 3
    assert _items(subject_kind="duty")
