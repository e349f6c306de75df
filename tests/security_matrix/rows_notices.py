"""The authorization matrix's rows for the notices app (merged by test_authorization_matrix.py).

POLICIES: extra named policies (see ``policy`` there); API: "METHOD /api/v1/path" -> policy name;
API_QUERY: "METHOD path" -> {query param: ids key}; WEB: URL name -> (policy name, method);
world(cast, ids): create the objects the URLs name and put their ids into ``ids`` (keys = the path
parameter names, e.g. "meeting_id"; they must not clash with other apps').
"""

from __future__ import annotations

from typing import Any

_SIGNED_IN = {"erin", "bob", "liam", "alice", "olivia", "hank", "admin", "charlie", "secadmin", "auditadmin"}
# An inbox item is its owner's alone (bob's receipt): anyone else, administrators included, gets a 404.
POLICIES: dict[str, dict[str, str]] = {
    "notice_own_item": {"anonymous": "anon", **{r: "ok" if r == "bob" else "404" for r in _SIGNED_IN}},
}
API: dict[str, str] = {
    "POST /api/v1/notices": "tf_manage",
    "GET /api/v1/notices": "any_user",
    "GET /api/v1/notices/{notice_id}/receipts": "tf_manage",
    "POST /api/v1/notices/{notice_id}/remind": "tf_manage",
    "GET /api/v1/inbox": "any_user",
    "POST /api/v1/inbox/{inbox_item_id}/read": "notice_own_item",
    "POST /api/v1/inbox/{inbox_item_id}/ack": "notice_own_item",
    "GET /api/v1/reminder-rules": "any_user",
    "POST /api/v1/reminder-rules": "tf_manage",
    "GET /api/v1/reminder-rules/mine": "any_user",
    "PATCH /api/v1/reminder-rules/mine": "any_user",
    "PATCH /api/v1/reminder-rules/{rule_id}": "tf_manage",
    "GET /api/v1/notice-channels": "any_user",
    "POST /api/v1/notice-channels": "tf_manage",
    "DELETE /api/v1/notice-channels/{channel_id}": "tf_manage",
    "GET /api/v1/deliveries": "any_user",
    "POST /api/v1/deliveries/{delivery_id}/replay": "tf_manage",
}
API_QUERY: dict[str, dict[str, Any]] = {}
WEB: dict[str, tuple[str, str]] = {
    "tf_notices": ("tf_read", "GET"), "inbox": ("any_user", "GET"),
    "tf_notice_settings": ("tf_manage", "GET"), "tf_notice_rule": ("tf_manage", "POST"),
    "notice_receipts": ("tf_manage", "GET"), "notice_receipts_fragment": ("tf_manage", "GET"),
    "notice_remind": ("tf_manage", "POST"), "tf_notice_channel_delete": ("tf_manage", "POST"),
    "delivery_replay": ("tf_manage", "POST"), "inbox_settings": ("any_user", "GET"),
    "inbox_digest": ("any_user", "GET"),
    "inbox_item_open": ("notice_own_item", "GET"), "inbox_item_ack": ("notice_own_item", "POST"),
}


def world(cast: Any, ids: dict[str, Any]) -> None:
    """A notice from the office to the whole task force requiring acknowledgement (expanded at once: the
    matrix runs without a worker), bob's receipt, a rule, an e-mail channel and a dead letter."""
    from django.utils import timezone

    from zhuanban.notices import services
    from zhuanban.notices.audience import expand
    from zhuanban.notices.models import Channel, Delivery, InboxItem

    notice = services.send_notice(cast.olivia, cast.tf, title="矩阵通知", requires_ack=True, audience={"all": True})
    expand(notice.pk)
    ids["notice_id"] = notice.pk
    ids["inbox_item_id"] = InboxItem.objects.get(notice=notice, person=cast.people.bob).pk
    ids["rule_id"] = services.create_rule(cast.olivia, cast.tf, kind="task_due").pk
    channel = Channel.objects.create(taskforce=cast.tf, kind=Channel.Kind.EMAIL, name="矩阵邮件")
    ids["channel_id"] = channel.pk
    ids["delivery_id"] = Delivery.objects.create(
        channel=channel, kind="email", taskforce=cast.tf, notice=notice, target="x@example.org", subject="矩阵",
        text="矩阵", status=Delivery.Status.DEAD, attempts=5, next_attempt_at=timezone.now()).pk
