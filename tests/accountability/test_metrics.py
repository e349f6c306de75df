"""metrics.py against a fixture whose every figure was counted by hand (the comments show the counting)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PersonFactory, UserFactory
from zhuanban.accountability import metrics
from zhuanban.accountability.metrics import Figures, collaboration_index
from zhuanban.meetings.models import Attendance, Meeting
from zhuanban.notices.models import InboxItem
from zhuanban.reports.models import ReportTemplate, Submission
from zhuanban.tasks.models import Dispatch, Dispute, ProgressUpdate, Task


def at(y: int, m: int, d: int, hh: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, hh, 0))


S = Task.Status


@pytest.fixture
def world(cast):
    p, u, tf = cast.people, cast.units, cast.tf
    future = timezone.now() + dt.timedelta(days=30)

    def task(title, status, *, responsible=None, lead=None, coop=(), due=None, completed=None):
        t = Task.objects.create(taskforce=tf, title=title, status=status, responsible=responsible, lead_unit=lead,
                                due_at=due, completed_at=completed)
        t.cooperating_units.set(coop)
        return t

    t = {}
    # bob's own tasks
    t[1] = task("T1", S.DONE, responsible=p.bob, lead=u.gov, coop=[u.zjw], due=at(2026, 2, 10), completed=at(2026, 2, 8))
    t[2] = task("T2", S.DONE, responsible=p.bob, lead=u.zjw, due=at(2026, 2, 10), completed=at(2026, 2, 12))
    t[3] = task("T3", S.IN_PROGRESS, responsible=p.bob, lead=u.gov, due=at(2026, 3, 1))
    t[4] = task("T4", S.IN_PROGRESS, responsible=p.bob, lead=u.gov, due=future)
    t[5] = task("T5", S.DONE, responsible=p.bob, lead=u.zjw, coop=[u.zjw], completed=at(2026, 3, 5))
    # alice's tasks bob helped with
    t[6] = task("T6", S.DONE, responsible=p.alice, lead=u.gov, coop=[u.sfj], due=at(2026, 4, 1),
                completed=at(2026, 3, 30))
    t[7] = task("T7", S.DONE, responsible=p.alice, lead=u.sfj, coop=[u.zjw, u.gov], completed=at(2026, 4, 3))
    t[8] = task("T8", S.IN_PROGRESS, responsible=p.alice, lead=u.gov)
    t[9] = task("T9", S.DISPUTED)
    ProgressUpdate.objects.create(task=t[6], author=cast.bob, progress=60)
    ProgressUpdate.objects.create(task=t[8], author=cast.bob, progress=30)  # not done: no help counted
    ProgressUpdate.objects.create(task=t[1], author=cast.bob, progress=50)  # his own: not help
    Dispatch.objects.create(task=t[7], to_unit=u.zjw, status=Dispatch.Status.SIGNED, signed_by=p.bob,
                            signed_at=at(2026, 3, 20))
    # returns and disputes
    Dispatch.objects.create(task=t[4], to_person=p.bob, status=Dispatch.Status.RETURNED, returned_at=at(2026, 2, 1))
    Dispatch.objects.create(task=t[9], to_person=p.bob, status=Dispatch.Status.RETURNED, returned_at=at(2026, 5, 1))
    Dispatch.objects.create(task=t[9], to_unit=u.sfj, status=Dispatch.Status.RETURNED, returned_at=at(2026, 5, 2))
    d1 = Dispute.objects.create(task=t[9], taskforce=tf)
    d2 = Dispute.objects.create(task=t[3], taskforce=tf, status=Dispute.Status.RULED, owner_person=p.bob,
                                owner_unit=u.zjw, ruled_at=at(2026, 2, 21))
    Dispute.objects.filter(pk=d1.pk).update(opened_at=at(2026, 5, 3))
    Dispute.objects.filter(pk=d2.pk).update(opened_at=at(2026, 2, 20))
    return t


def test_person_figures_counted_by_hand(cast, world):
    f = metrics.person_figures([cast.people.bob.pk])[cast.people.bob.pk]
    # owned T1..T5; done T1 T2 T5; on time T1 (02-08 ≤ 02-10) and T5 (no deadline); overdue T2 (late) + T3 (open, past)
    assert (f.tasks_owned, f.tasks_done, f.done_on_time, f.overdue) == (5, 3, 2, 2)
    # returned hops on T4 and T9; the T9 return preceded dispute d1 → caused 1; d2 ruled to bob → resolved 1
    assert (f.returned, f.disputes_caused, f.disputes_resolved) == (2, 1, 1)
    # help: progress on T6 (alice's, done), signed the hop of T7 (alice's, done); T8 not done
    assert f.assisted == 2
    # joint (≥2 distinct units): T1 (gov+zjw), T6 (gov+sfj), T7 (sfj+zjw+gov); T2 single; T5 zjw twice = 1
    assert f.joint_done == 3
    assert f.on_time_rate == pytest.approx(2 / 3)
    # J = 3/(3+2) = .6, A = 2/5 = .4, D = 1/(1+1) = .5 → 100 × (.24 + .16 + .10) = 50.0
    assert collaboration_index(f) == 50.0


def test_unit_figures_counted_by_hand(cast, world):
    u = cast.units
    got = metrics.unit_figures([u.zjw.pk, u.sfj.pk, u.gov.pk])
    zjw, sfj, gov = got[u.zjw.pk], got[u.sfj.pk], got[u.gov.pk]
    # zjw leads T2 (late) and T5 (on time)
    assert (zjw.tasks_owned, zjw.tasks_done, zjw.done_on_time, zjw.overdue) == (2, 2, 1, 1)
    # zjw cooperates on T1 (lead gov) and T7 (lead sfj), both done; T5's coop is itself (not help)
    assert zjw.assisted == 2
    assert zjw.joint_done == 2  # T1, T7
    assert zjw.disputes_resolved == 1  # d2's owner unit
    # sfj returned the T9 hop before d1 opened
    assert (sfj.returned, sfj.disputes_caused) == (1, 1)
    # gov leads T1 T3 T4 T6 T8; done T1 T6, both on time; overdue T3
    assert (gov.tasks_owned, gov.tasks_done, gov.done_on_time, gov.overdue) == (5, 2, 2, 1)
    assert gov.assisted == 1 and gov.joint_done == 3  # helps on T7; joint T1 T6 T7


def test_taskforce_figures_counted_by_hand(cast, world):
    f = metrics.taskforce_figures([cast.tf.pk, cast.other.pk])
    tf = f[cast.tf.pk]
    assert (tf.tasks_owned, tf.tasks_done, tf.done_on_time, tf.overdue) == (9, 5, 4, 2)
    assert (tf.returned, tf.disputes_caused, tf.disputes_resolved, tf.joint_done) == (3, 2, 1, 3)
    assert f[cast.other.pk] == Figures()


def test_taskforce_filter_and_period(cast, world):
    bob = cast.people.bob.pk
    assert metrics.person_figures([bob], taskforce_ids=[cast.other.pk])[bob] == Figures()
    # February only: T1, T2 by deadline; the T4 return of 02-01; d2 opened 02-20
    f = metrics.person_figures([bob], start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28))[bob]
    assert (f.tasks_owned, f.tasks_done, f.done_on_time, f.overdue, f.returned, f.disputes_resolved) == (
        2, 2, 1, 1, 1, 1)


def test_reports_meetings_acks_counted_by_hand(cast):
    p, tf, zjw = cast.people, cast.tf, cast.units.zjw
    monthly = ReportTemplate.objects.create(taskforce=tf, name="月报", cadence=ReportTemplate.Cadence.MONTHLY)
    weekly = ReportTemplate.objects.create(taskforce=tf, name="周报", cadence=ReportTemplate.Cadence.WEEKLY,
                                           filers=ReportTemplate.Filers.PEOPLE)
    weekly.filer_people.set([p.bob])
    ReportTemplate.objects.create(taskforce=tf, name="停用", is_active=False)

    def sub(t, period, key, late=False, status=Submission.Status.SUBMITTED):
        Submission.objects.create(template=t, period=period, filer_key=key, status=status, is_late=late,
                                  submitted_at=at(period.year, period.month, period.day))

    u = f"u{zjw.pk}"
    sub(monthly, dt.date(2026, 3, 1), u)
    sub(monthly, dt.date(2026, 4, 1), u, late=True)  # May: missing
    sub(weekly, dt.date(2026, 3, 2), f"p{p.bob.pk}")
    sub(weekly, dt.date(2026, 3, 9), f"p{p.bob.pk}")
    sub(weekly, dt.date(2026, 3, 16), f"p{p.bob.pk}", late=True)
    sub(weekly, dt.date(2026, 3, 23), f"p{p.bob.pk}", status=Submission.Status.DRAFT)

    def meeting(day, status):
        return Meeting.objects.create(taskforce=tf, title="周例会", starts_at=at(2026, 3, day),
                                      ends_at=at(2026, 3, day, 12), status=status)

    m1, m2 = meeting(10, Meeting.Status.HELD), meeting(17, Meeting.Status.HELD)
    m3, m4 = meeting(24, Meeting.Status.SCHEDULED), meeting(25, Meeting.Status.CANCELLED)
    A = Attendance.Status
    Attendance.objects.create(meeting=m1, person=p.bob, unit=zjw, status=A.PRESENT)
    Attendance.objects.create(meeting=m1, person=p.liam, unit=zjw, status=A.ABSENT, reason="出差", substitute=p.hank)
    Attendance.objects.create(meeting=m2, person=p.bob, unit=zjw, status=A.ABSENT, reason="病假")
    Attendance.objects.create(meeting=m3, person=p.bob, unit=zjw)
    Attendance.objects.create(meeting=m4, person=p.bob, unit=zjw, status=A.PRESENT)

    def item(created, acked=None, ack=True, person=p.bob):
        InboxItem.objects.create(person=person, kind="notice", title="通知", taskforce=tf, requires_ack=ack,
                                 created_at=created, acked_at=acked)

    item(at(2026, 3, 2, 10), at(2026, 3, 2, 12))  # 2 h
    item(at(2026, 3, 3, 10), at(2026, 3, 4, 10))  # 24 h
    item(at(2026, 3, 5, 10), at(2026, 3, 5, 16))  # 6 h
    item(at(2026, 3, 6, 10))                      # not acknowledged
    item(at(2026, 3, 6, 11), ack=False)           # no acknowledgement asked
    item(at(2026, 3, 7, 9), at(2026, 3, 7, 10), person=p.liam)  # 1 h

    span = {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 5, 31)}
    got = metrics.person_figures([p.bob.pk, p.liam.pk], **span)
    bob, liam = got[p.bob.pk], got[p.liam.pk]
    # bob files the weekly report: Mondays 03-02 … 05-25 = 13 periods; on time 03-02 and 03-09
    assert (bob.reports_due, bob.reports_on_time) == (13, 2)
    # liam files the monthly for 市住建委: March, April, May; on time March only
    assert (liam.reports_due, liam.reports_on_time) == (3, 1)
    # held meetings only: m1 present, m2 absent
    assert (bob.meetings_expected, bob.meetings_attended, bob.attendance_rate) == (2, 1, 0.5)
    assert (liam.meetings_expected, liam.meetings_attended) == (1, 0)
    # acks: 4 required, 3 done, latencies 2, 24, 6 → median 6
    assert (bob.acks_required, bob.acks_done, bob.ack_latency_hours_median) == (4, 3, 6.0)
    assert bob.ack_rate == 0.75
    assert liam.ack_latency_hours_median == 1.0

    unit = metrics.unit_figures([zjw.pk], **span)[zjw.pk]
    assert (unit.reports_due, unit.reports_on_time) == (3, 1)
    # m1: bob present + liam's substitute went; m2 bob absent
    assert (unit.meetings_expected, unit.meetings_attended) == (3, 2)
    # home staff of 市住建委: bob's 4 + liam's 1; latencies 2, 24, 6, 1 → median (2+6)/2 = 4
    assert (unit.acks_required, unit.acks_done, unit.ack_latency_hours_median) == (5, 4, 4.0)

    tff = metrics.taskforce_figures([tf.pk], **span)[tf.pk]
    # monthly × 2 member units (gov, zjw) × 3 months + weekly × bob × 13 = 19 due; on time 1 + 2
    assert (tff.reports_due, tff.reports_on_time) == (19, 3)
    assert (tff.meetings_expected, tff.meetings_attended) == (3, 1)


def test_collaboration_index_formula():
    assert collaboration_index(Figures()) == 20.0  # nothing finished, no disputes
    assert collaboration_index(Figures(tasks_done=4, assisted=0, joint_done=0, disputes_caused=2)) == 0.0
    # finished = 2 + 2 = 4; J = 4/4 = 1, A = 2/4 = .5, D = 1 (no disputes) → 40 + 20 + 20 = 80
    assert collaboration_index(Figures(tasks_done=2, assisted=2, joint_done=4)) == 80.0
    assert collaboration_index(Figures(assisted=3, joint_done=3, disputes_resolved=1)) == 100.0


def test_fixed_number_of_queries(cast, world):
    def count(fn, ids):
        with CaptureQueriesContext(connection) as ctx:
            fn(ids)
        return len(ctx)

    few = count(metrics.person_figures, [cast.people.bob.pk])
    more_people = [PersonFactory(home_unit=cast.units.zjw, user=UserFactory()).pk for _ in range(5)]
    for pk in more_people:
        Task.objects.create(taskforce=cast.tf, title="x", responsible_id=pk, status=S.DONE, lead_unit=cast.units.sfj)
    assert count(metrics.person_figures, [cast.people.bob.pk, cast.people.alice.pk, *more_people]) == few
    u = cast.units
    assert count(metrics.unit_figures, [u.zjw.pk]) == count(metrics.unit_figures, [u.zjw.pk, u.gov.pk, u.sfj.pk])
    assert count(metrics.taskforce_figures, [cast.tf.pk]) == count(metrics.taskforce_figures,
                                                                    [cast.tf.pk, cast.other.pk])
