"""Request and response shapes of the notices API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Schema

from zhuanban.core.schemas import Filters, Input

from .models import PRIORITY_NAMES, Channel, Delivery, Notice, Priority, ReminderRule

PriorityName = Literal["urgent", "normal", "info"]


class AudienceIn(Input):
    people: list[int] = Field(default_factory=list, description="人员 id")
    units: list[int] = Field(default_factory=list, description="成员单位（其联络员）的单位 id")
    groups: list[int] = Field(default_factory=list, description="专题组 id")
    all: bool = Field(False, description="全体成员")


class NoticeIn(Input):
    taskforce: int | None = Field(..., description="专班 id；不属于专班（仅系统管理员）时为 null")
    title: str = Field(..., max_length=200)
    body: str = Field("", max_length=20000)
    priority: PriorityName = "normal"
    requires_ack: bool = False
    ack_deadline: dt.datetime | None = None
    audience: AudienceIn
    attachments: list[int] = Field(default_factory=list)


class NoticeOut(Schema):
    id: int
    taskforce: int | None
    title: str
    body: str
    priority: PriorityName
    requires_ack: bool
    ack_deadline: dt.datetime | None
    sender: str
    status: str = Field(description="queued（接收人展开中）/ sent / failed")
    created_at: dt.datetime
    recipients: int
    read: int = 0
    acked: int = 0


class NoticePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[NoticeOut]


def notice_out(n: Notice, progress: dict[str, int] | None = None) -> dict[str, Any]:
    p = progress or {"total": getattr(n, "n_total", n.recipients), "read": getattr(n, "n_read", 0),
                     "acked": getattr(n, "n_acked", 0)}
    return {"id": n.pk, "taskforce": n.taskforce_id, "title": n.title, "body": n.body,
            "priority": PRIORITY_NAMES[Priority(n.priority)], "requires_ack": n.requires_ack,
            "ack_deadline": n.ack_deadline, "sender": n.sender_name, "status": n.status, "created_at": n.created_at,
            "recipients": p["total"], "read": p["read"], "acked": p["acked"]}


class ReceiptOut(Schema):
    id: int
    person: int
    name: str
    unit: str
    delivered_at: dt.datetime | None
    read_at: dt.datetime | None
    acked_at: dt.datetime | None
    reminders: int
    overdue: bool


class ReceiptPage(Schema):
    count: int
    limit: int
    offset: int
    total: int
    read: int
    acked: int
    items: list[ReceiptOut]


def receipt_out(r: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """(``r``: a ``queries.ReceiptRow``.)"""
    now = now or timezone.now()
    return {"id": r.id, "person": r.person_id, "name": r.name, "unit": r.unit,
            "delivered_at": r.delivered_at, "read_at": r.read_at, "acked_at": r.acked_at, "reminders": r.reminders,
            "overdue": bool(r.requires_ack and r.acked_at is None and r.due_at and r.due_at < now)}


class ReceiptFilters(Filters):
    status: Literal["acked", "pending", "unread"] | None = None


class ItemAttachmentOut(Schema):
    id: int
    name: str
    download: str = Field(description="下载地址（网页，登录后）")


class ItemOut(Schema):
    id: int
    kind: str
    priority: PriorityName
    title: str
    taskforce: int | None
    taskforce_name: str | None
    notice: int | None
    body: str
    requires_ack: bool
    due_at: dt.datetime | None
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    acked_at: dt.datetime | None
    attachments: list[ItemAttachmentOut] = []


class InboxPage(Schema):
    count: int
    limit: int
    offset: int
    unread: int
    to_ack: int
    items: list[ItemOut]


def item_out(i: Any) -> dict[str, Any]:
    """(``i``: a ``queries.Row``.)"""
    return {"id": i.id, "kind": i.kind, "priority": PRIORITY_NAMES[Priority(i.priority)], "title": i.title,
            "taskforce": i.taskforce_id, "taskforce_name": i.taskforce_name if i.taskforce_id else None,
            "notice": i.notice_id, "body": i.body, "requires_ack": i.requires_ack,
            "due_at": i.due_at, "link": i.link, "created_at": i.created_at, "read_at": i.read_at,
            "acked_at": i.acked_at,
            "attachments": [{"id": a, "name": n, "download": reverse("file_download", args=[a])}
                            for a, n in i.attachments]}


class InboxFilters(Filters):
    unread: bool = False
    priority: PriorityName | None = None
    q: str = Field("", max_length=100)
    include_info: bool = Field(False, description="包含“知悉”类（否则它们只在每日汇总中）")


class ReminderRuleIn(Input):
    taskforce: int | None = Field(..., description="专班 id；null 为全局默认规则（仅系统管理员）")
    kind: Literal["task_due", "task_overdue", "ack_pending", "source"]
    source: str = Field("", max_length=40)
    days_before: int = Field(1, ge=0, le=10)
    escalate_after_hours: int = Field(8, ge=0, le=200)
    enabled: bool = True
    allow_person_tuning: bool = True


class RulePatch(Input):
    days_before: int | None = Field(None, ge=0, le=10)
    escalate_after_hours: int | None = Field(None, ge=0, le=200)
    enabled: bool | None = None
    allow_person_tuning: bool | None = None


class RuleOut(Schema):
    id: int
    taskforce: int | None
    kind: str
    source: str
    days_before: int
    escalate_after_hours: int
    enabled: bool
    allow_person_tuning: bool


def rule_out(r: ReminderRule) -> dict[str, Any]:
    return {"id": r.pk, "taskforce": r.taskforce_id, "kind": r.kind, "source": r.source,
            "days_before": r.days_before, "escalate_after_hours": r.escalate_after_hours, "enabled": r.enabled,
            "allow_person_tuning": r.allow_person_tuning}


class PreferenceIn(Input):
    quiet_start: dt.time | None = None
    quiet_end: dt.time | None = None
    days_before: int | None = Field(None, ge=0, le=10)
    task_due: bool | None = None
    task_overdue: bool | None = None
    email: bool | None = None


class PreferenceOut(Schema):
    quiet_start: dt.time
    quiet_end: dt.time
    days_before: int | None
    task_due: bool
    task_overdue: bool
    email: bool


class ChannelIn(Input):
    taskforce: int
    kind: Literal["email", "dingtalk", "wecom", "feishu"]
    name: str = Field(..., max_length=60)
    url: str = Field("", max_length=500)
    secret: str = Field("", max_length=200)
    msgtype: Literal["markdown", "text"] = "markdown"
    enabled: bool = True
    min_priority: Literal["urgent", "normal"] = "normal"


class ChannelOut(Schema):
    id: int
    taskforce: int
    kind: str
    name: str
    host: str
    has_secret: bool
    msgtype: str
    enabled: bool


def channel_out(c: Channel) -> dict[str, Any]:
    return {"id": c.pk, "taskforce": c.taskforce_id, "kind": c.kind, "name": c.name,
            "host": c.url.split("/")[2] if "//" in c.url else "", "has_secret": bool(c.secret), "msgtype": c.msgtype,
            "enabled": c.enabled}


class DeliveryOut(Schema):
    id: int
    kind: str
    taskforce: int | None
    notice: int | None
    channel: str | None
    target: str
    subject: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


class DeliveryPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DeliveryOut]


class DeliveryFilters(Filters):
    status: Literal["pending", "sending", "sent", "dead"] | None = None
    taskforce: int | None = None


def delivery_out(d: Delivery) -> dict[str, Any]:
    return {"id": d.pk, "kind": d.kind, "taskforce": d.taskforce_id, "notice": d.notice_id,
            "channel": d.channel.name if d.channel_id else None, "target": d.target, "subject": d.subject,
            "status": d.status, "attempts": d.attempts, "next_attempt_at": d.next_attempt_at,
            "last_error": d.last_error, "created_at": d.created_at, "sent_at": d.sent_at}
