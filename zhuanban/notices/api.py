"""Notices endpoints of /api/v1: notices and their receipts, the caller's inbox, reminder rules and the
caller's own tuning, push channels and deliveries (dead letters, replay).

Objects are looked up through ``services`` (unknown and invisible are the same 404; someone else's inbox
item is a 404 too); every write goes through ``services``.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from zhuanban.core.errors import Invalid
from zhuanban.core.schemas import READ_ERRORS, WRITE_ERRORS, PageParams, page
from zhuanban.taskforces import access as tf_access

from . import queries, services
from .models import PRIORITY_KEYS, Channel, Delivery, ReminderRule
from .schemas import (
    ChannelIn,
    ChannelOut,
    DeliveryFilters,
    DeliveryOut,
    DeliveryPage,
    InboxFilters,
    InboxPage,
    ItemOut,
    NoticeIn,
    NoticeOut,
    NoticePage,
    PreferenceIn,
    PreferenceOut,
    ReceiptFilters,
    ReceiptPage,
    ReminderRuleIn,
    RuleOut,
    RulePatch,
    channel_out,
    delivery_out,
    item_out,
    notice_out,
    receipt_out,
    rule_out,
)

router = Router(tags=["notices"])


def _tf(user, pk):
    if pk is None:
        return None
    tf, _ = tf_access.get_visible_taskforce(user, pk)
    return tf


# ---- notices ------------------------------------------------------------------------------------------


@router.post("/notices", response={202: NoticeOut, **WRITE_ERRORS},
             summary="发送通知（立即受理；接收人回执在后台生成）")
def send_notice(request: HttpRequest, payload: NoticeIn):
    tf = _tf(request.auth, payload.taskforce)
    data = payload.dict()
    notice = services.send_notice(request.auth, tf, title=data["title"], body=data["body"],
                                  priority=data["priority"], requires_ack=data["requires_ack"],
                                  ack_deadline=data["ack_deadline"], audience=data["audience"],
                                  attachments=data["attachments"])
    return Status(202, notice_out(notice, {"total": 0, "read": 0, "acked": 0}))


@router.get("/notices", response={200: NoticePage, **READ_ERRORS},
            summary="通知列表（我发送的、我管理的专班的），含回执进度")
def list_notices(request: HttpRequest, paging: Query[PageParams], taskforce: int | None = None):
    qs = services.visible_notices(request.auth)
    if taskforce is not None:
        qs = qs.filter(taskforce_id=taskforce)
    count, rows = page(queries.with_progress(qs).order_by("-created_at", "-id"), paging)
    return {"count": count, "limit": paging.limit, "offset": paging.offset, "items": [notice_out(n) for n in rows]}


@router.get("/notices/{notice_id}/receipts", response={200: ReceiptPage, **READ_ERRORS},
            summary="回执表（发送人、专班领导和办公室）")
def receipts(request: HttpRequest, notice_id: int, filters: Query[ReceiptFilters], paging: Query[PageParams]):
    notice = services.get_notice(request.auth, notice_id, manage=True)
    qs = queries.receipts(notice, status=filters.status or "")
    prog = services.progress(notice)
    count = prog["total"] if not filters.status else qs.count()  # the progress is the unfiltered count
    rows = queries.receipt_rows(qs, paging.offset, paging.limit)
    return {"count": count, "limit": paging.limit, "offset": paging.offset, **prog,
            "items": [receipt_out(r) for r in rows]}


@router.post("/notices/{notice_id}/remind", response={200: dict[str, int], **WRITE_ERRORS},
             summary="一键提醒未确认（未读）人员")
def remind(request: HttpRequest, notice_id: int):
    notice = services.get_notice(request.auth, notice_id, manage=True)
    return {"reminded": services.remind_laggards(request.auth, notice)}


# ---- the inbox ------------------------------------------------------------------------------------------


@router.get("/inbox", response={200: InboxPage, **READ_ERRORS},
            summary="我的收件箱（跨专班：紧急优先，再按时限）")
def inbox(request: HttpRequest, filters: Query[InboxFilters], paging: Query[PageParams]):
    qs = queries.inbox(request.auth, unread=filters.unread, q=filters.q, include_info=filters.include_info,
                       priority=PRIORITY_KEYS[filters.priority] if filters.priority else None)
    c = queries.counts(request.auth)
    plain = not (filters.unread or filters.q or filters.include_info or filters.priority)
    count = c["total"] if plain else qs.count()  # the main list's total is in the counts aggregate
    rows = queries.inbox_rows(qs, paging.offset, paging.limit)
    return {"count": count, "limit": paging.limit, "offset": paging.offset, "unread": c["unread"],
            "to_ack": c["to_ack"], "items": [item_out(i) for i in rows]}


@router.post("/inbox/{inbox_item_id}/read", response={200: ItemOut, **WRITE_ERRORS}, summary="标为已读")
def read(request: HttpRequest, inbox_item_id: int):
    item = services.get_item(request.auth, inbox_item_id)
    return item_out(queries.row_of(services.mark_read(request.auth, item)))


@router.post("/inbox/{inbox_item_id}/ack", response={200: ItemOut, **WRITE_ERRORS},
             summary="确认接收（重复确认返回首次确认时间）")
def ack(request: HttpRequest, inbox_item_id: int):
    item = services.get_item(request.auth, inbox_item_id)
    return item_out(queries.row_of(services.acknowledge(request.auth, item)))


# ---- reminder rules and my tuning ----------------------------------------------------------------------------


@router.get("/reminder-rules", response={200: list[RuleOut], **READ_ERRORS},
            summary="提醒规则（全局默认与可见专班的规则）")
def list_rules(request: HttpRequest, taskforce: int | None = None):
    qs = services.visible_rules(request.auth)
    if taskforce is not None:
        qs = qs.filter(taskforce_id=taskforce)
    return [rule_out(r) for r in qs]


@router.post("/reminder-rules", response={201: RuleOut, **WRITE_ERRORS}, summary="新建提醒规则")
def create_rule(request: HttpRequest, payload: ReminderRuleIn):
    tf = _tf(request.auth, payload.taskforce)
    data = payload.dict()
    data.pop("taskforce")
    return Status(201, rule_out(services.create_rule(request.auth, tf, **data)))


@router.get("/reminder-rules/mine", response={200: PreferenceOut, **READ_ERRORS},
            summary="我的提醒设置（免打扰时段、提前天数）")
def my_preference(request: HttpRequest):
    person = tf_access.person_of(request.auth)
    if person is None:
        raise Invalid("no_person", "没有人员档案的账号没有提醒设置")
    return services.preference_of(person)


@router.patch("/reminder-rules/mine", response={200: PreferenceOut, **WRITE_ERRORS},
              summary="调整我的提醒设置（在办公室允许的范围内）")
def save_preference(request: HttpRequest, payload: PreferenceIn):
    return services.save_preference(request.auth, **payload.dict(exclude_unset=True, exclude_none=True))


@router.patch("/reminder-rules/{rule_id}", response={200: RuleOut, **WRITE_ERRORS}, summary="修改提醒规则")
def update_rule(request: HttpRequest, rule_id: int, payload: RulePatch):
    rule = services.managed_object(request.auth, ReminderRule, rule_id)
    return rule_out(services.update_rule(request.auth, rule, **payload.dict(exclude_unset=True, exclude_none=True)))


# ---- channels and deliveries ---------------------------------------------------------------------------------


@router.get("/notice-channels", response={200: list[ChannelOut], **READ_ERRORS},
            summary="推送渠道（我管理的专班）")
def list_channels(request: HttpRequest, taskforce: int | None = None):
    qs = Channel.objects.all()
    if not tf_access.is_admin(request.auth):
        qs = qs.filter(taskforce_id__in=tf_access.managed_taskforce_ids(request.auth))
    if taskforce is not None:
        qs = qs.filter(taskforce_id=taskforce)
    return [channel_out(c) for c in qs]


@router.post("/notice-channels", response={201: ChannelOut, **WRITE_ERRORS},
             summary="配置推送渠道（机器人地址须在允许的主机内，否则 422）")
def create_channel(request: HttpRequest, payload: ChannelIn):
    tf = _tf(request.auth, payload.taskforce)
    data = payload.dict()
    data.pop("taskforce")
    return Status(201, channel_out(services.save_channel(request.auth, tf, **data)))


@router.delete("/notice-channels/{channel_id}", response={204: None, **WRITE_ERRORS}, summary="删除推送渠道")
def delete_channel(request: HttpRequest, channel_id: int):
    ch = services.managed_object(request.auth, Channel, channel_id)
    services.delete_channel(request.auth, ch)
    return Status(204, None)


@router.get("/deliveries", response={200: DeliveryPage, **READ_ERRORS},
            summary="推送记录（状态、重试次数、死信）")
def deliveries(request: HttpRequest, filters: Query[DeliveryFilters], paging: Query[PageParams]):
    qs = services.visible_deliveries(request.auth)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.taskforce is not None:
        qs = qs.filter(taskforce_id=filters.taskforce)
    count, rows = page(qs.order_by("-created_at", "-id"), paging)
    return {"count": count, "limit": paging.limit, "offset": paging.offset, "items": [delivery_out(d) for d in rows]}


@router.post("/deliveries/{delivery_id}/replay", response={200: DeliveryOut, **WRITE_ERRORS},
             summary="重发死信")
def replay(request: HttpRequest, delivery_id: int):
    d = services.managed_object(request.auth, Delivery, delivery_id)
    return delivery_out(services.replay(request.auth, d))
