"""Demo data of notices, loaded by ``zhuanban.demo.loader`` once every demo task force, its tasks, meetings
and reports exist (the loader calls this last).  Through the services; receipts are expanded synchronously
(``audience.expand``) so no background worker is needed at load time.

- ``ya_office`` (杭州亚运 L区, the 一办): an urgent notice requiring acknowledgement to every member unit's
  liaison with a deadline tomorrow, half of them acknowledged; an earlier urgent notice whose deadline has
  passed, with the escalation already taken (level 1, and level 2 — 约谈 — for one laggard); reminder rules
  (due in 2 workdays, acknowledgement escalation after 4 working hours); a DingTalk group robot on the
  allowed host and one dead-lettered delivery (failed after its attempts; no network call is made).
- ``brain`` (城市大脑): a normal notice to all members and a "for information" one (the digest).
- An office-wide notice from the administrator to the office directors (``director``, ``office``).
- One reminder sweep (task due/overdue, acknowledgement pending, reports due today, meetings tomorrow,
  today's duty), so every demo login opens a meaningful inbox.

Idempotent: each notice is found by its task force and title; rules, channels, the dead letter and the
escalation steps by their unique keys; the sweep by the inbox keys.  The only direct writes are the
back-dating of the overdue notice (a notice cannot be sent with a deadline in the past) and the dead
letter's history (what a failed push leaves behind).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zhuanban.core import workdays
from zhuanban.taskforces.access import CLOSED
from zhuanban.taskforces.models import Membership, MemberUnit, TaskForce

from . import audience, escalation, reminders, services
from .models import Channel, Delivery, InboxItem, Notice, ReminderRule

URGENT_TITLE = "关于做好亚运会L区赛前安全大检查的紧急通知"
OVERDUE_TITLE = "关于报送亚运场馆周边交通保障联络人的通知"
ROBOT_URL = "https://oapi.dingtalk.com/robot/send?access_token=demo-ya-office-robot-token"


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, workdays.workday_end()))


def _open(tf: TaskForce | None) -> bool:
    return tf is not None and tf.status not in CLOSED


def _manager(tf: TaskForce, admin: Any) -> Any:
    """The office director (or a leader) of ``tf`` with an account: who sends its notices."""
    m = (Membership.objects.filter(taskforce=tf, end_on__isnull=True, person__user__isnull=False,
                                   role__in=[Membership.Role.OFFICE_DIRECTOR, *sorted(Membership.LEADER_ROLES)])
         .select_related("person__user").order_by("role", "id").first())
    return m.person.user if m else admin


def _send(actor: Any, tf: TaskForce | None, title: str, **kw: Any) -> Notice:
    found = Notice.objects.filter(taskforce=tf, title=title).first()
    if found is None:
        found = services.send_notice(actor, tf, title=title, **kw)
    if found.status == Notice.Status.QUEUED:
        audience.expand(found.pk)  # synchronously: no worker at load time
        found.refresh_from_db()
    return found


class _Recipient:
    """The recipient as the actor of ``services.acknowledge`` (most generated liaisons have no account;
    the audit trail names the system)."""

    is_authenticated = True
    pk = None

    def __init__(self, person: Any) -> None:
        self.person = person

    def get_username(self) -> str:
        return "system"


def _ack_some(notice: Notice, share: float) -> None:
    """The first ``share`` of the recipients (in a stable order) acknowledge; the demo logins ``liaison``
    and ``director`` keep theirs to do."""
    items = [i for i in InboxItem.objects.filter(notice=notice).select_related("person__user").order_by("person_id")
             if not (i.person.user_id and i.person.user.username in {"liaison", "director"})]
    for item in items[: int(len(items) * share)]:
        if item.acked_at is None:
            services.acknowledge(item.person.user if item.person.user_id else _Recipient(item.person), item)


def load(admin: Any, taskforces: dict[str, TaskForce]) -> None:
    """Idempotent: a second run finds what the first made and adds nothing."""
    now = timezone.now()
    office, brain = taskforces.get("ya_office"), taskforces.get("brain")
    if _open(office):
        _office(admin, office, now)
    if _open(brain):
        sender = _manager(brain, admin)
        _send(sender, brain, "关于报送城市大脑二期项目本周进展的通知", priority="normal",
              body="请各成员单位于周五下班前在“报表”中报送本周进展，并在周一例会上汇报。", audience={"all": True})
        _send(sender, brain, "城市大脑运行周报（第 18 期）已发布", priority="info",
              body="本周平台接入数据源 3 个，新增应用场景 2 个，详见附件。", audience={"all": True})
    logins = {u.username: u.person.pk for u in get_user_model().objects.filter(
        username__in=["director", "office", "liaison"]).select_related("person") if hasattr(u, "person")}
    directors = [logins[k] for k in ("director", "office") if k in logins]
    if directors:
        _send(admin, None, "关于亚运会期间实行24小时值班和重要情况即时报告制度的紧急通知", priority="urgent",
              requires_ack=True, ack_deadline=_end_of(workdays.add_workday_dates(timezone.localdate(), 1)),
              body="赛事期间各专班实行24小时值班，重要情况须在30分钟内电话报告、2小时内书面报告。",
              audience={"people": sorted(logins.values())})
        _send(admin, None, "关于报送各专班第三季度运行情况统计的通知", priority="normal", requires_ack=True,
              ack_deadline=_end_of(workdays.add_workday_dates(timezone.localdate(), 3)),
              body="请各专班办公室于三个工作日内报送本季度任务完成、会议召开和人员调整情况。",
              audience={"people": directors})
    for pk in Notice.objects.filter(status=Notice.Status.QUEUED).values_list("pk", flat=True):
        audience.expand(pk)  # e.g. the liaison handover notices of the task-force demo
    reminders.run_sweep(now)


def _office(admin: Any, tf: TaskForce, now: dt.datetime) -> None:
    sender = _manager(tf, admin)
    units = sorted(set(MemberUnit.objects.filter(taskforce=tf, left_on__isnull=True).values_list("unit_id", flat=True)))
    if not units:
        return
    # Rules of the office: tasks reminded 2 workdays ahead; acknowledgements escalate after 4 working hours.
    for kind, values in ((ReminderRule.Kind.TASK_DUE, {"days_before": 2}),
                         (ReminderRule.Kind.ACK_PENDING, {"escalate_after_hours": 4})):
        if not ReminderRule.objects.filter(taskforce=tf, kind=kind, source="").exists():
            services.create_rule(sender, tf, kind=kind, **values)
    # The group robot of the office (an allowed host) and the dead letter of a push that failed.
    channel = Channel.objects.filter(taskforce=tf, kind=Channel.Kind.DINGTALK).first() or services.save_channel(
        sender, tf, kind=Channel.Kind.DINGTALK, name="亚运办工作群机器人", url=ROBOT_URL, secret="SECdemo0123456789",
        msgtype="markdown", min_priority="urgent")
    tomorrow = _end_of(workdays.add_workday_dates(timezone.localdate(), 1))
    urgent = _send(sender, tf, URGENT_TITLE, priority="urgent", requires_ack=True, ack_deadline=tomorrow,
                   body="各成员单位：请于明日下班前完成本单位负责点位的赛前安全大检查，并在平台确认接收本通知。"
                        "检查中发现的问题请当天报区亚运办。",
                   audience={"units": units})
    _ack_some(urgent, 0.5)
    if not Delivery.objects.filter(channel=channel, status=Delivery.Status.DEAD).exists():
        Delivery.objects.create(
            channel=channel, kind=channel.kind, taskforce=tf, notice=urgent, target="oapi.dingtalk.com",
            subject=urgent.title, text=urgent.body, urgent=True, status=Delivery.Status.DEAD, attempts=5,
            next_attempt_at=now - dt.timedelta(minutes=30),
            last_error="HTTP 502 Bad Gateway（5 次重试后仍失败，已转入死信）")
    _overdue(sender, tf, units, now)


def _overdue(sender: Any, tf: TaskForce, units: list[int], now: dt.datetime) -> None:
    """An earlier notice whose acknowledgement deadline has passed, and its escalation."""
    notice = Notice.objects.filter(taskforce=tf, title=OVERDUE_TITLE).first()
    if notice is None:
        sent = now - dt.timedelta(days=4)
        deadline = _end_of(workdays.add_workday_dates(timezone.localtime(sent).date(), 1))
        notice = _send(sender, tf, OVERDUE_TITLE, priority="urgent", requires_ack=True,
                       ack_deadline=now + dt.timedelta(hours=1),
                       body="请各成员单位确定一名交通保障联络人，并确认接收本通知。", audience={"units": units})
        _ack_some(notice, 0.6)
        with transaction.atomic():  # back-date: sent four days ago, due the next workday after
            Notice.objects.filter(pk=notice.pk).update(created_at=sent, expanded_at=sent, ack_deadline=deadline)
            InboxItem.objects.filter(notice=notice).update(created_at=sent, delivered_at=sent, due_at=deadline)
            InboxItem.objects.filter(notice=notice, acked_at__isnull=False).update(
                acked_at=sent + dt.timedelta(hours=3), read_at=sent + dt.timedelta(hours=2))
    pending = list(InboxItem.objects.filter(notice=notice, acked_at__isnull=True).select_related("person")
                   .order_by("person_id"))
    for k, item in enumerate(pending):
        for level in ((1, 2) if k == 0 else (1,)):
            escalation.escalate("receipt", item.pk, f"未确认接收：{item.title}", item.person, tf.pk, level,
                                item.due_at + dt.timedelta(hours=6 * level), f"/inbox/?item={item.pk}")
