"""Generator phase "notices" (after "tasks"): notices and their receipts at scale, for the benchmarks.

- ``N`` notices without a task force (the office's province-wide circulars), each to ``R`` people sampled
  from the generated directory; one bench person receives every notice, so their inbox holds ~5,000
  items (urgent / normal / for information mixed, a third requiring acknowledgement, some read, some
  acknowledged).  Rows go in through ``gen_common.fast_insert`` (COPY on PostgreSQL); no audit events.
- Sizes (receipts): demo 20,000 (500 × 40), city 200,000 (5,000 × 40), province 1,000,000 (5,000 × 200);
  the bench person gets every notice: 5,000 items at city and province scale.

Bench subjects: ``notices_inbox_username`` (the bench person's account), ``notices_notice_id`` (a notice
with its receipt table), ``notices_sender_username`` (an administrator, who may send without a task force).
"""

from __future__ import annotations

import datetime as dt

from zhuanban.scale.gen_common import Buffer, Context, reset_sequences

from .models import InboxItem, Notice, Priority

SIZES = {"demo": (500, 40), "city": (5000, 40), "province": (5000, 200)}


def run(ctx: Context) -> None:
    n_notices, per = SIZES.get(ctx.spec.name, SIZES["demo"])
    rng = ctx.rng("notices")
    people = sorted(ctx.person_user)  # people with accounts (they can open an inbox)
    if len(people) < per + 1:
        people = sorted(ctx.person_name)
    if not people:
        return
    bench = people[0]
    others = people[1:]
    sender = others[0]
    sender_user = ctx.person_user.get(sender)
    per = min(per, len(others) + 1)
    notice_ids = ctx.ids(Notice, n_notices)
    item_ids = iter(ctx.ids(InboxItem, n_notices * per))
    bar = ctx.bar("通知与回执", n_notices * (per + 1))
    buf = Buffer(bar)
    start = ctx.now - dt.timedelta(days=180)
    for k, nid in enumerate(notice_ids):
        created = start + dt.timedelta(minutes=k * (180 * 24 * 60 // n_notices))
        prio = rng.choices([Priority.URGENT, Priority.NORMAL, Priority.INFO], [1, 6, 3])[0]
        ack = k % 3 == 0
        deadline = created + dt.timedelta(days=2) if ack else None
        title = f"关于做好第{k + 1}批重点工作的通知"
        buf.add(Notice, id=nid, taskforce_id=None, sender_id=sender_user, sender_name="省专班办公室", title=title,
                body="请各单位按要求落实并及时反馈。", priority=prio, requires_ack=ack, ack_deadline=deadline,
                audience={"people": []}, kind="notice", status="sent", recipients=per, created_at=created,
                expanded_at=created)
        for pid in [bench, *rng.sample(others, per - 1)]:
            read = rng.random() < 0.7
            acked = ack and read and rng.random() < 0.8
            buf.add(InboxItem, id=next(item_ids), person_id=pid, kind="notice", priority=prio, title=title, body="",
                    taskforce_id=None, notice_id=nid, requires_ack=ack, due_at=deadline, subject_kind="notice",
                    subject_id=nid, link="", key=None, created_at=created, delivered_at=created,
                    read_at=created + dt.timedelta(hours=1) if read else None,
                    acked_at=created + dt.timedelta(hours=2) if acked else None, reminded_at=None, reminders=0)
    buf.flush()
    bar.close()
    reset_sequences([Notice, InboxItem])
    ctx.counts["notices"] = n_notices
    ctx.counts["notice_receipts"] = n_notices * per
    ctx.subjects["notices_inbox_username"] = ctx.person_username.get(bench, "")
    ctx.subjects["notices_inbox_person_id"] = bench
    ctx.subjects["notices_sender_username"] = ctx.person_username.get(sender, "")
    ctx.subjects["notices_notice_id"] = notice_ids[-1]
    ctx.subjects["notices_inbox_items"] = n_notices
