"""The notices app's use cases — the only place that changes its state.

Each function checks the actor's permission, applies the rule, records the audit event and runs in one
transaction.  Rules that live here:
- Who may send: a task force's managers (leaders, office; ``taskforces.access.require_manage``); a notice
  without a task force only a system administrator.  Who sees a notice and its receipt table: its sender,
  the managers of its task force, administrators (``notice_access``); a recipient sees only their item.
- Sending is accepted at once: the notice row is stored and ``tasks.expand_notice`` is enqueued on commit;
  the receipts are created in the background (``audience.expand``).
- Acknowledging (确认接收) is the recipient's alone (someone else's item is a 404) and idempotent: the
  second call returns the first ``acked_at``.  Acknowledging also marks the item read.
- Reminding laggards (一键提醒未确认): every unacknowledged (or, without acknowledgement, unread) receipt gets
  ``reminders + 1`` and a reminder push; at most once per 10 minutes per notice.
- Reminder rules: per task force by its managers, office-wide (no task force) by administrators; a person's
  own tuning only where the rule allows it, and ``days_before`` within 0–10 working days.
- Channels: configured by the task force's managers; webhook targets pass ``channels.check_url`` (SSRF).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from zhuanban.core import audit
from zhuanban.core.errors import Conflict, Forbidden, Invalid, NotFound
from zhuanban.org.models import Person
from zhuanban.taskforces import access as tf_access
from zhuanban.taskforces.models import TaskForce

from . import channels, hours
from .models import (
    PRIORITY_KEYS,
    Channel,
    Delivery,
    InboxItem,
    Notice,
    PersonPreference,
    Priority,
    ReminderRule,
)

audit.ACTION_LABELS.update({
    "notice.send": "发送通知", "notice.ack": "确认接收通知", "notice.remind": "提醒未确认人员",
    "notice.handover": "发送联络员交接通知", "reminder_rule.save": "设置提醒规则",
    "reminder_pref.save": "调整个人提醒设置", "notice_channel.save": "配置推送渠道",
    "notice_channel.delete": "删除推送渠道", "delivery.replay": "重发死信", "notice.escalate": "督办升级",
})

REMIND_COOLDOWN = dt.timedelta(minutes=10)


def _person(actor: Any) -> Person | None:
    return tf_access.person_of(actor)


def _name(actor: Any) -> str:
    person = _person(actor)
    return str(person) if person else (actor.get_username() if getattr(actor, "pk", None) else "系统")


# ---- access ------------------------------------------------------------------------------------------


@dataclass
class NoticeAccess:
    view: bool = False
    manage: bool = False  # the receipt table, reminders


def notice_access(user: Any, notice: Notice) -> NoticeAccess:
    if tf_access.is_admin(user) or (notice.sender_id and notice.sender_id == getattr(user, "pk", None)):
        return NoticeAccess(True, True)
    if notice.taskforce_id and notice.taskforce_id in tf_access.managed_taskforce_ids(user):
        return NoticeAccess(True, True)
    person = _person(user)
    if person and InboxItem.objects.filter(notice=notice, person=person).exists():
        return NoticeAccess(True, False)
    return NoticeAccess()


def get_notice(user: Any, pk: Any, *, manage: bool = False) -> Notice:
    try:
        notice = Notice.objects.select_related("taskforce").get(pk=int(pk))
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    acc = notice_access(user, notice)
    tf_view = bool(notice.taskforce_id) and tf_access.get_access(user, notice.taskforce).view
    if not (acc.view or tf_view):
        raise NotFound()
    if manage and not acc.manage:
        raise Forbidden("只有发送人和专班领导、办公室可以查看回执和提醒")
    return notice


def managed_object(user: Any, model: Any, pk: Any) -> Any:
    """A rule / channel / delivery of a task force: 404 unless the task force is visible, 403 unless the
    user manages it (office-wide objects without a task force: administrators only)."""
    try:
        obj = model.objects.select_related("taskforce").get(pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if obj.taskforce_id is None:
        if not tf_access.is_admin(user):
            raise Forbidden() if getattr(user, "is_authenticated", False) else NotFound()
        return obj
    tf_access.require_manage(user, obj.taskforce)
    return obj


def visible_notices(user: Any) -> Any:
    qs = Notice.objects.all()
    if tf_access.is_admin(user):
        return qs
    return qs.filter(Q(sender=user) | Q(taskforce_id__in=tf_access.managed_taskforce_ids(user)))


def get_item(user: Any, pk: Any) -> InboxItem:
    """The caller's own inbox item; anyone else's is a 404 (even an administrator's request)."""
    person = _person(user)
    try:
        return InboxItem.objects.select_related("notice").get(pk=int(pk), person=person) if person else _nf()
    except (InboxItem.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def _nf() -> Any:
    raise NotFound()


def can_send(user: Any, tf: TaskForce | None) -> bool:
    if tf is None:
        return tf_access.is_admin(user)
    return tf_access.get_access(user, tf).manage


# ---- sending ------------------------------------------------------------------------------------------


def _clean_audience(tf: TaskForce | None, audience: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"people": [], "units": [], "groups": [], "all": bool(audience.get("all"))}
    errors: dict[str, str] = {}
    for key in ("people", "units", "groups"):
        values = audience.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, int) and v > 0 for v in values):
            errors[f"audience.{key}"] = "须为编号列表"
            continue
        out[key] = sorted(set(values))
    if tf is None and (out["units"] or out["groups"] or out["all"]):
        errors["audience"] = "不属于专班的通知只能发给指定人员"
    if tf is not None:
        if out["groups"] and tf.groups.filter(pk__in=out["groups"]).count() != len(out["groups"]):
            errors["audience.groups"] = "专题组不属于本专班"
        if out["units"] and tf.member_units.filter(unit_id__in=out["units"]).values("unit_id").distinct().count() \
                != len(out["units"]):
            errors["audience.units"] = "单位不是本专班成员单位"
    if not errors and not (out["people"] or out["units"] or out["groups"] or out["all"]):
        errors["audience"] = "请选择接收范围"
    if errors:
        raise Invalid("invalid_audience", "接收范围有误", errors)
    return out


@transaction.atomic
def send_notice(actor: Any, tf: TaskForce | None, *, title: str, body: str = "", priority: str = "normal",
                requires_ack: bool = False, ack_deadline: dt.datetime | None = None,
                audience: dict[str, Any], attachments: list[int] | None = None, kind: str = "notice",
                now: dt.datetime | None = None) -> Notice:
    if tf is not None:
        tf_access.require_manage(actor, tf)
    elif not tf_access.is_admin(actor):
        raise Forbidden("不属于专班的通知只能由系统管理员发送")
    now = now or timezone.now()
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "请填写标题"
    elif len(title) > 200:
        errors["title"] = "标题不超过 200 字"
    if priority not in PRIORITY_KEYS:
        errors["priority"] = "优先级须为 urgent、normal 或 info"
    if ack_deadline is not None and not requires_ack:
        errors["ack_deadline"] = "不要求确认接收时不能设置确认时限"
    if ack_deadline is not None and ack_deadline <= now:
        errors["ack_deadline"] = "确认时限须晚于现在"
    if errors:
        raise Invalid("invalid_notice", "通知内容有误", errors)
    aud = _clean_audience(tf, audience)
    files = []
    if attachments:
        from zhuanban.files.models import Attachment

        files = list(Attachment.objects.filter(pk__in=attachments, taskforce=tf)) if tf else []
        if len(files) != len(set(attachments)):
            raise Invalid("invalid_notice", "附件不存在或不属于本专班", {"attachments": "附件不存在或不属于本专班"})
    notice = Notice.objects.create(
        taskforce=tf, sender=actor if getattr(actor, "pk", None) else None, sender_name=_name(actor)[:100],
        title=title, body=body or "", priority=PRIORITY_KEYS[priority], requires_ack=requires_ack,
        ack_deadline=ack_deadline, audience=aud, kind=kind)
    if files:
        notice.attachments.set(files)
    audit.record(actor, "notice.send", notice, after={"title": title, "priority": priority,
                                                     "requires_ack": requires_ack, "audience": aud},
                 taskforce_id=tf.pk if tf else None)
    from .tasks import expand_notice

    transaction.on_commit(lambda: expand_notice.enqueue(notice.pk))
    return notice


# ---- the recipient's side -------------------------------------------------------------------------------


@transaction.atomic
def mark_read(actor: Any, item: InboxItem) -> InboxItem:
    if item.read_at is None:
        item.read_at = timezone.now()
        InboxItem.objects.filter(pk=item.pk, read_at__isnull=True).update(read_at=item.read_at)
    return item


@transaction.atomic
def acknowledge(actor: Any, item: InboxItem) -> InboxItem:
    person = _person(actor)
    if person is None or item.person_id != person.pk:
        raise NotFound()
    if not item.requires_ack:
        raise Invalid("ack_not_required", "此条目不需要确认接收", {"item": "不需要确认接收"})
    now = timezone.now()
    updated = InboxItem.objects.filter(pk=item.pk, acked_at__isnull=True).update(
        acked_at=now, read_at=item.read_at or now)
    if updated:
        audit.record(actor, "notice.ack", item, after={"notice": item.notice_id, "acked_at": now.isoformat()},
                     taskforce_id=item.taskforce_id)
    item.refresh_from_db(fields=["acked_at", "read_at"])
    return item


# ---- the sender's side ----------------------------------------------------------------------------------


def laggards(notice: Notice) -> Any:
    qs = InboxItem.objects.filter(notice=notice)
    return qs.filter(acked_at__isnull=True) if notice.requires_ack else qs.filter(read_at__isnull=True)


@transaction.atomic
def remind_laggards(actor: Any, notice: Notice, *, now: dt.datetime | None = None) -> int:
    if not notice_access(actor, notice).manage:
        raise Forbidden("只有发送人和专班领导、办公室可以提醒")
    now = now or timezone.now()
    if notice.status != Notice.Status.SENT:
        raise Conflict("notice_not_delivered", "通知仍在投递中，请稍后再提醒")
    recent = laggards(notice).filter(reminded_at__gt=now - REMIND_COOLDOWN).exists()
    if recent:
        raise Conflict("reminded_recently", "刚刚提醒过，请 10 分钟后再试")
    qs = laggards(notice)
    from django.db.models import F

    count = qs.update(reminded_at=now, reminders=F("reminders") + 1)
    if count and notice.taskforce_id:
        when = hours.push_time(now, urgent=notice.priority == Priority.URGENT)
        rows = [Delivery(channel=ch, kind=ch.kind, taskforce_id=notice.taskforce_id, notice=notice,
                         target=ch.url.split("/")[2] if "//" in ch.url else "", subject=f"【提醒】{notice.title}",
                         text=f"尚有 {count} 人未{'确认接收' if notice.requires_ack else '阅读'}，请尽快处理。",
                         urgent=notice.priority == Priority.URGENT, next_attempt_at=when)
                for ch in Channel.objects.filter(taskforce_id=notice.taskforce_id, enabled=True)
                .exclude(kind=Channel.Kind.EMAIL)]
        Delivery.objects.bulk_create(rows)
        if rows:
            from .tasks import enqueue_deliveries

            transaction.on_commit(enqueue_deliveries)
    audit.record(actor, "notice.remind", notice, after={"reminded": count}, taskforce_id=notice.taskforce_id)
    return count


def progress(notice: Notice) -> dict[str, int]:
    agg = InboxItem.objects.filter(notice=notice).aggregate(
        total=Count("id"), read=Count("id", filter=Q(read_at__isnull=False)),
        acked=Count("id", filter=Q(acked_at__isnull=False)))
    return {k: v or 0 for k, v in agg.items()}


# ---- reminder rules and personal tuning ---------------------------------------------------------------------


def visible_rules(user: Any) -> Any:
    qs = ReminderRule.objects.select_related("taskforce")
    if tf_access.is_admin(user):
        return qs
    return qs.filter(Q(taskforce__isnull=True) | Q(taskforce_id__in=tf_access.visible_taskforce_ids(user)))


def _check_rule_values(kind: str, source: str, days_before: int | None, escalate: int | None) -> None:
    errors: dict[str, str] = {}
    if kind not in ReminderRule.Kind.values:
        errors["kind"] = "未知的规则类型"
    if kind == ReminderRule.Kind.SOURCE:
        from .reminders import SOURCES

        if source not in SOURCES:
            errors["source"] = "未注册的提醒来源"
    if days_before is not None and not 0 <= days_before <= 10:
        errors["days_before"] = "提前工作日须在 0–10 之间"
    if escalate is not None and not 0 <= escalate <= 200:
        errors["escalate_after_hours"] = "升级时限须在 0–200 工作小时之间"
    if errors:
        raise Invalid("invalid_rule", "提醒规则有误", errors)


@transaction.atomic
def create_rule(actor: Any, tf: TaskForce | None, *, kind: str, source: str = "", days_before: int = 1,
                escalate_after_hours: int = 8, enabled: bool = True, allow_person_tuning: bool = True) -> ReminderRule:
    if tf is None:
        if not tf_access.is_admin(actor):
            raise Forbidden("全局提醒规则只能由系统管理员设置")
    else:
        tf_access.require_manage(actor, tf)
    _check_rule_values(kind, source, days_before, escalate_after_hours)
    if ReminderRule.objects.filter(taskforce=tf, kind=kind, source=source).exists():
        raise Conflict("rule_exists", "该专班已有此类提醒规则，请修改它")
    rule = ReminderRule.objects.create(taskforce=tf, kind=kind, source=source, days_before=days_before,
                                       escalate_after_hours=escalate_after_hours, enabled=enabled,
                                       allow_person_tuning=allow_person_tuning)
    audit.record(actor, "reminder_rule.save", rule, after=audit.snapshot(rule, RULE_FIELDS),
                 taskforce_id=tf.pk if tf else None)
    return rule


RULE_FIELDS = ["kind", "source", "days_before", "escalate_after_hours", "enabled", "allow_person_tuning"]


@transaction.atomic
def update_rule(actor: Any, rule: ReminderRule, **changes: Any) -> ReminderRule:
    if rule.taskforce is None:
        if not tf_access.is_admin(actor):
            raise Forbidden("全局提醒规则只能由系统管理员设置")
    else:
        tf_access.require_manage(actor, rule.taskforce)
    _check_rule_values(rule.kind, rule.source, changes.get("days_before"), changes.get("escalate_after_hours"))
    before = audit.snapshot(rule, RULE_FIELDS)
    for k, v in changes.items():
        setattr(rule, k, v)
    rule.save()
    audit.record(actor, "reminder_rule.save", rule, before=before, after=audit.snapshot(rule, RULE_FIELDS),
                 taskforce_id=rule.taskforce_id)
    return rule


def preference_of(person: Person) -> PersonPreference:
    return PersonPreference.objects.filter(person=person).first() or PersonPreference(person=person)


@transaction.atomic
def save_preference(actor: Any, **changes: Any) -> PersonPreference:
    """The caller's own tuning.  ``days_before`` only if no rule of their task forces forbids tuning."""
    person = _person(actor)
    if person is None:
        raise Invalid("no_person", "没有人员档案的账号没有提醒设置")
    pref = preference_of(person)
    errors: dict[str, str] = {}
    if changes.get("days_before") is not None:
        if not 0 <= changes["days_before"] <= 10:
            errors["days_before"] = "提前工作日须在 0–10 之间"
        elif ReminderRule.objects.filter(allow_person_tuning=False, kind=ReminderRule.Kind.TASK_DUE).filter(
                Q(taskforce__isnull=True) | Q(taskforce__memberships__person=person,
                                              taskforce__memberships__end_on__isnull=True)).exists():
            errors["days_before"] = "办公室未允许个人调整提前天数"
    if errors:
        raise Invalid("invalid_preference", "个人提醒设置有误", errors)
    before = {f: str(getattr(pref, f)) for f in changes}
    for k, v in changes.items():
        setattr(pref, k, v)
    pref.save()
    audit.record(actor, "reminder_pref.save", pref, before=before, after={f: str(getattr(pref, f)) for f in changes})
    return pref


# ---- channels and deliveries --------------------------------------------------------------------------------


@transaction.atomic
def save_channel(actor: Any, tf: TaskForce, *, channel: Channel | None = None, kind: str, name: str,
                 url: str = "", secret: str = "", msgtype: str = "markdown", enabled: bool = True,
                 min_priority: str = "normal") -> Channel:
    tf_access.require_manage(actor, tf)
    errors: dict[str, str] = {}
    if kind not in Channel.Kind.values:
        errors["kind"] = "渠道类型须为 email、dingtalk、wecom 或 feishu"
    if not (name or "").strip():
        errors["name"] = "请填写渠道名称"
    if msgtype not in ("text", "markdown"):
        errors["msgtype"] = "消息类型须为 text 或 markdown"
    if min_priority not in PRIORITY_KEYS or min_priority == "info":
        errors["min_priority"] = "推送级别须为 urgent 或 normal"
    if errors:
        raise Invalid("invalid_channel", "推送渠道设置有误", errors)
    if kind != Channel.Kind.EMAIL:
        channels.check_url(url)  # 422 webhook_host_not_allowed / webhook_private_address
        if kind == Channel.Kind.WECOM and "key=" not in url:
            raise Invalid("invalid_webhook", "企业微信机器人地址须含 key 参数", {"url": "须含 key 参数"})
    else:
        url = secret = ""
    ch = channel or Channel(taskforce=tf)
    ch.kind, ch.name, ch.url, ch.secret, ch.msgtype = kind, name.strip()[:60], url, secret, msgtype
    ch.enabled, ch.min_priority = enabled, PRIORITY_KEYS[min_priority]
    ch.save()
    audit.record(actor, "notice_channel.save", ch, after={"kind": kind, "name": ch.name, "enabled": enabled,
                                                         "host": url.split("/")[2] if "//" in url else ""},
                 taskforce_id=tf.pk)
    return ch


@transaction.atomic
def delete_channel(actor: Any, ch: Channel) -> None:
    tf_access.require_manage(actor, ch.taskforce)
    audit.record(actor, "notice_channel.delete", ch, before={"name": ch.name}, taskforce_id=ch.taskforce_id)
    ch.delete()


def visible_deliveries(user: Any) -> Any:
    qs = Delivery.objects.select_related("channel", "taskforce", "notice")
    if tf_access.is_admin(user):
        return qs
    return qs.filter(taskforce_id__in=tf_access.managed_taskforce_ids(user))


@transaction.atomic
def replay(actor: Any, delivery: Delivery) -> Delivery:
    if delivery.taskforce is None:
        if not tf_access.is_admin(actor):
            raise Forbidden()
    else:
        tf_access.require_manage(actor, delivery.taskforce)
    if delivery.status != Delivery.Status.DEAD:
        raise Conflict("not_dead_letter", "只有死信可以重发")
    delivery.status, delivery.attempts, delivery.next_attempt_at = Delivery.Status.PENDING, 0, timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit.record(actor, "delivery.replay", delivery, after={"target": delivery.target}, taskforce_id=delivery.taskforce_id)
    from .tasks import deliver_one

    transaction.on_commit(lambda: deliver_one.enqueue(delivery.pk))
    return delivery


# ---- the daily digest ----------------------------------------------------------------------------------


def send_digests(*, now: dt.datetime | None = None) -> dict[str, int]:
    """One e-mail per person with an address summarising today's unread "for information" items (the
    items themselves are already in the inbox's digest section); once per person per day (key)."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    rows = (InboxItem.objects.filter(priority=Priority.INFO, read_at__isnull=True, created_at__gte=start)
            .values("person_id", "person__user__email").annotate(n=Count("id")))
    made = 0
    for row in rows:
        if not row["person__user__email"]:
            continue
        key = f"digest:{row['person_id']}:{day.isoformat()}"
        _, created = InboxItem.objects.get_or_create(key=key, defaults=dict(
            person_id=row["person_id"], kind=InboxItem.Kind.REMINDER, priority=Priority.INFO,
            title=f"今日知悉类信息 {row['n']} 条", subject_kind="digest", created_at=now, delivered_at=now,
            read_at=now))
        if created:
            Delivery.objects.create(kind=Channel.Kind.EMAIL, person_id=row["person_id"],
                                    target=row["person__user__email"], subject=f"【每日汇总】今日知悉类信息 {row['n']} 条",
                                    text="请登录工作专班平台收件箱的“每日汇总”查看。", next_attempt_at=now)
            made += 1
    return {"digests": made}
