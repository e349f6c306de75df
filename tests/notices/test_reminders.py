"""Reminders (定时提醒): working-day windows across a holiday, idempotent sweeps, exactly once under a
killed worker, rules and personal tuning, quiet hours, the digest; escalation; the liaison handover."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.notices.conftest import at
from zhuanban.core.models import AuditEvent
from zhuanban.notices import escalation, hours, reminders, services
from zhuanban.notices.models import EscalationStep, InboxItem, PersonPreference, Priority
from zhuanban.tasks.models import Task


def _task(cast, title: str, due: dt.datetime, person=None, status=Task.Status.SIGNED) -> Task:
    return Task.objects.create(taskforce=cast.tf, title=title, due_at=due, status=status,
                               responsible=person or cast.people.bob)


def _reminders(**kw):
    return list(InboxItem.objects.filter(kind=InboxItem.Kind.REMINDER, **kw).order_by("id"))


def test_due_after_national_day_is_reminded_on_the_last_workday_before_it(cast):
    t = _task(cast, "节后第一天到期", at(2026, 10, 8, 17, 30))
    for day in (dt.date(2026, 9, 29),):
        reminders.run_sweep(at(day.year, day.month, day.day, 9))
    assert not _reminders(subject_id=t.pk)
    reminders.run_sweep(at(2026, 9, 30, 9))  # the last workday before the holiday
    (r,) = _reminders(subject_id=t.pk)
    assert r.title.startswith("【1 个工作日内到期】") and r.key == f"task_due1:task:{t.pk}:{cast.people.bob.pk}:2026-10-08"
    for d in range(1, 8):  # during the holiday: no sweep makes reminders
        assert reminders.run_sweep(at(2026, 10, d, 9))["skipped"] == "not_a_workday"
    reminders.run_sweep(at(2026, 10, 8, 9))
    assert len(_reminders(subject_id=t.pk)) == 1


def test_sweep_twice_and_two_schedulers_send_once(cast):
    _task(cast, "明天到期", at(2026, 3, 4, 12))
    _task(cast, "已逾期", at(2026, 3, 2, 12))
    now = at(2026, 3, 3, 9)
    first = reminders.run_sweep(now)
    assert first["task_due"] == 1 and first["task_overdue"] == 1
    again = reminders.run_sweep(now.replace(hour=9, minute=15))
    assert again["task_due"] == 0 and again["task_overdue"] == 0
    assert len(_reminders()) == 2
    reminders.run_sweep(at(2026, 3, 4, 9))  # next workday: the overdue one again (one per workday)
    assert len(_reminders(title__startswith="【已逾期】")) == 2


def test_killed_worker_mid_batch_then_restart_sends_each_exactly_once(cast):
    tasks = [_task(cast, f"任务{i}", at(2026, 3, 4, 12)) for i in range(10)]
    now = at(2026, 3, 3, 9)
    with pytest.raises(reminders.InjectedFailure):
        reminders.run_sweep(now, chunk=3, fail_after=2)
    partial = {r.subject_id for r in _reminders()}
    assert partial == {t.pk for t in tasks[:3]}  # the first range committed, the second rolled back
    reminders.run_sweep(now.replace(minute=15), chunk=3)
    keys = [r.key for r in _reminders()]
    assert len(keys) == len(set(keys)) == 10
    assert {r.subject_id for r in _reminders()} == {t.pk for t in tasks}


def test_rules_and_personal_tuning(cast):
    t = _task(cast, "三天后到期", at(2026, 3, 6, 12))
    now = at(2026, 3, 3, 9)
    reminders.run_sweep(now)
    assert not _reminders(subject_id=t.pk, title__contains="到期】")
    services.create_rule(cast.olivia, cast.tf, kind="task_due", days_before=3)
    reminders.run_sweep(now.replace(minute=15))
    assert len(_reminders(subject_id=t.pk)) == 1
    # bob tunes to 2 days (allowed), liam's task with the rule's 3 days
    services.save_preference(cast.bob, days_before=2)
    t2 = _task(cast, "两天后到期", at(2026, 3, 6, 12))
    reminders.run_sweep(at(2026, 3, 4, 9))
    assert len(_reminders(subject_id=t2.pk)) == 1
    rule = cast.tf.reminder_rules.get()
    services.update_rule(cast.olivia, rule, enabled=False)
    _task(cast, "停用后", at(2026, 3, 9, 12))
    assert reminders.run_sweep(at(2026, 3, 5, 9))["task_due"] == 0


def test_muted_and_done_tasks_get_nothing(cast):
    _task(cast, "已完成", at(2026, 3, 4, 12), status=Task.Status.DONE)
    _task(cast, "草稿", at(2026, 3, 4, 12), status=Task.Status.DRAFT)
    PersonPreference.objects.create(person=cast.people.liam, task_due=False)
    _task(cast, "liam 的", at(2026, 3, 4, 12), person=cast.people.liam)
    assert reminders.run_sweep(at(2026, 3, 3, 9))["task_due"] == 0


def test_ack_pending_reminder_and_registered_source(cast, send):
    from freezegun import freeze_time

    # A fixed clock: Wednesday 2026-03-04, 10:00 in Beijing — a workday, outside quiet hours, far from midnight
    # (with the real clock the second sweep could fall on the next day and rightly remind again).
    with freeze_time("2026-03-04 02:00:00"):
        now = at(2026, 3, 4, 10)
        n = send(requires_ack=True, ack_deadline=now + dt.timedelta(hours=2))
        calls = []

        def source(now_, today):
            calls.append(today)
            return [reminders.ReminderSpec(person_id=cast.people.liam.pk, title="今日日报未报送", subject_kind="report",
                                           subject_id=7, occurrence=today.isoformat(), taskforce_id=cast.tf.pk)]

        reminders.register_reminder_source("test.report", source)
        try:
            c1 = reminders.run_sweep(now)
            c2 = reminders.run_sweep(now + dt.timedelta(minutes=15))
        finally:
            reminders.SOURCES.pop("test.report")
    assert c1["ack_pending"] == 5 and c2["ack_pending"] == 0
    assert c1["sources"] == 1 and c2["sources"] == 0
    assert calls == [dt.date(2026, 3, 4), dt.date(2026, 3, 4)] and n.pk


def test_quiet_hours_delay_pushes_not_urgent_ones(db):
    night = at(2026, 3, 3, 23, 10)
    assert hours.push_time(night, urgent=True) == night
    assert hours.push_time(night, urgent=False) == at(2026, 3, 4, 7, 30)
    assert hours.push_time(at(2026, 3, 4, 6, 0), urgent=False) == at(2026, 3, 4, 7, 30)
    assert hours.push_time(at(2026, 3, 4, 10, 0), urgent=False) == at(2026, 3, 4, 10, 0)


def test_night_notice_waits_for_morning_push_but_is_in_the_inbox(cast, send, settings, monkeypatch):
    from zhuanban.notices import audience
    from zhuanban.notices.models import Delivery

    services.save_channel(cast.olivia, cast.tf, kind="email", name="m")
    cast.bob.email = "bob@example.org"
    cast.bob.save()
    monkeypatch.setattr(audience.timezone, "now", lambda: at(2026, 3, 3, 23, 30))
    n = send(title="夜间一般通知")
    assert InboxItem.objects.filter(notice=n).count() == 5
    (d,) = Delivery.objects.filter(notice=n)
    assert d.status == Delivery.Status.PENDING and d.next_attempt_at == at(2026, 3, 4, 7, 30)
    u = send(title="夜间紧急通知", priority="urgent")
    assert Delivery.objects.get(notice=u).status == Delivery.Status.SENT


def test_info_notices_fold_into_the_digest(cast, send):
    from zhuanban.notices.models import Delivery

    services.save_channel(cast.olivia, cast.tf, kind="email", name="m")
    cast.bob.email = "bob@example.org"
    cast.bob.save()
    send(title="知悉一", priority="info")
    send(title="知悉二", priority="info")
    assert not Delivery.objects.exists()  # not pushed one by one
    assert services.send_digests() == {"digests": 1}
    assert services.send_digests() == {"digests": 0}
    d = Delivery.objects.get()
    assert d.target == "bob@example.org" and "2" in d.subject


# ---- escalation ---------------------------------------------------------------------------------------


def test_working_hours_skip_nights_and_holidays(db):
    assert hours.subtract_working_hours(at(2026, 3, 3, 11), 2) == at(2026, 3, 3, 9)
    assert hours.subtract_working_hours(at(2026, 3, 3, 10), 2) == at(2026, 3, 2, 16, 30)
    assert hours.subtract_working_hours(at(2026, 10, 8, 10), 2) == at(2026, 9, 30, 16, 30)


def test_escalation_ladder_task_force_leader_then_home_unit_leader(cast):
    t = _task(cast, "逾期任务", at(2026, 3, 2, 17, 30))
    assert escalation.run_sweep(at(2026, 3, 3, 16)) == {"task": 0, "receipt": 0}  # 6.5 working hours
    assert escalation.run_sweep(at(2026, 3, 3, 17)) == {"task": 1, "receipt": 0}  # 8 working hours
    (s1,) = EscalationStep.objects.all()
    assert (s1.level, s1.to_person) == (1, cast.people.alice)
    item = InboxItem.objects.get(person=cast.people.alice, kind=InboxItem.Kind.ESCALATION)
    assert item.priority == Priority.URGENT and "李成员" in item.title
    assert escalation.run_sweep(at(2026, 3, 3, 17, 15)) == {"task": 0, "receipt": 0}
    escalation.run_sweep(at(2026, 3, 4, 17, 30))  # 16 working hours: the home unit's leader (约谈)
    s2 = EscalationStep.objects.get(level=2)
    assert s2.to_person == cast.people.hank and s2.subject_id == t.pk
    assert InboxItem.objects.filter(person=cast.people.hank, kind=InboxItem.Kind.ESCALATION).count() == 1
    assert AuditEvent.objects.filter(action="notice.escalate").count() == 2


def test_escalation_of_a_pending_acknowledgement_and_group_lead_first(cast, send):
    from zhuanban.taskforces.models import Membership, ThemeGroup

    g = ThemeGroup.objects.create(taskforce=cast.tf, name="起草组", lead_person=cast.people.olivia)
    Membership.objects.filter(taskforce=cast.tf, person=cast.people.bob).update(group=g)
    from django.utils import timezone

    n = send(requires_ack=True, ack_deadline=timezone.now() + dt.timedelta(hours=1), audience={"people": [
        cast.people.bob.pk]})
    item = InboxItem.objects.get(notice=n)
    InboxItem.objects.filter(pk=item.pk).update(due_at=at(2026, 3, 2, 17, 30))
    assert escalation.run_sweep(at(2026, 3, 3, 17, 30))["receipt"] == 1
    assert EscalationStep.objects.get().to_person == cast.people.olivia
    services.acknowledge(cast.bob, InboxItem.objects.get(pk=item.pk))
    assert escalation.run_sweep(at(2026, 3, 5, 17, 30))["receipt"] == 0


def test_zero_hours_switches_escalation_off(cast):
    services.create_rule(cast.olivia, cast.tf, kind="task_overdue", escalate_after_hours=0)
    _task(cast, "逾期任务", at(2026, 3, 2, 17, 30))
    assert escalation.run_sweep(at(2026, 3, 6, 17))["task"] == 0


# ---- liaison handover ----------------------------------------------------------------------------------


def test_liaison_handover_tells_counterparts_and_moves_open_items(cast, django_capture_on_commit_callbacks):
    from tests.factories import PersonFactory, UserFactory
    from zhuanban.notices.models import Notice
    from zhuanban.taskforces import services as tf_services
    from zhuanban.taskforces.models import Membership
    from zhuanban.tasks.models import Dispatch

    led = Task.objects.create(taskforce=cast.tf, title="住建委牵头任务", lead_unit=cast.units.zjw,
                              responsible=cast.people.bob, status=Task.Status.SIGNED)
    owned = Task.objects.create(taskforce=cast.tf, title="联络员承办", responsible=cast.people.liam,
                                status=Task.Status.DISPATCHED)
    hop = Dispatch.objects.create(task=owned, from_person=cast.people.alice, to_person=cast.people.liam)
    pending = services.send_notice(cast.olivia, cast.tf, title="请确认", requires_ack=True,
                                   audience={"units": [cast.units.zjw.pk]})
    from zhuanban.notices.audience import expand

    expand(pending.pk)
    new = PersonFactory(name="吴新联络", home_unit=cast.units.zjw, user=UserFactory(username="wu"))
    liam_m = Membership.objects.get(taskforce=cast.tf, person=cast.people.liam)
    with django_capture_on_commit_callbacks(execute=True):
        tf_services.replace(cast.olivia, liam_m, successor=new)
    owned.refresh_from_db()
    hop.refresh_from_db()
    assert owned.responsible == new and hop.to_person == new
    notice = Notice.objects.get(kind="handover")
    assert "吴新联络" in notice.title and "陈联络" in notice.title
    told = set(InboxItem.objects.filter(notice=notice).values_list("person__name", flat=True))
    assert told == {"李成员", "王组长", "刘主任"}  # bob (led task), alice (sent the hop / leader), olivia
    assert InboxItem.objects.filter(notice=pending, person=new, acked_at__isnull=True).exists()
    assert led.pk
