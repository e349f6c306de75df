"""Sending, receipts, reading and acknowledging (确认接收), reminding the laggards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhuanban.core.errors import Conflict, Forbidden, Invalid, NotFound
from zhuanban.core.models import AuditEvent
from zhuanban.notices import services
from zhuanban.notices.models import InboxItem, Notice, Priority, Receipt


def test_send_to_whole_taskforce_makes_one_receipt_each(cast, send):
    n = send(requires_ack=True, ack_deadline=timezone.now() + dt.timedelta(days=2))
    assert n.status == Notice.Status.SENT
    people = set(Receipt.objects.filter(notice=n).values_list("person__name", flat=True))
    assert people == {"王组长", "刘主任", "陈联络", "李成员", "赵外部"}
    assert n.recipients == 5
    assert all(r.delivered_at for r in Receipt.objects.filter(notice=n))
    assert AuditEvent.objects.filter(action="notice.send").count() == 1


def test_units_mean_their_liaison_and_groups_their_members(cast, send):
    n = send(audience={"units": [cast.units.zjw.pk]})
    assert list(Receipt.objects.filter(notice=n).values_list("person__name", flat=True)) == ["陈联络"]
    with pytest.raises(Invalid) as e:
        send(audience={"units": [cast.units.sfj.pk]})
    assert "audience.units" in e.value.fields


def test_expansion_twice_makes_no_second_receipt(cast, send):
    from zhuanban.notices.audience import expand

    n = send()
    Notice.objects.filter(pk=n.pk).update(status=Notice.Status.QUEUED)
    expand(n.pk)
    assert Receipt.objects.filter(notice=n).count() == 5


def test_only_managers_send(cast, send):
    with pytest.raises(Forbidden):
        send(actor=cast.bob)
    with pytest.raises(NotFound):
        send(actor=cast.charlie)
    with pytest.raises(Forbidden):
        services.send_notice(cast.olivia, None, title="x", audience={"people": [cast.people.bob.pk]})


@pytest.mark.parametrize("kw,field", [
    ({"title": ""}, "title"), ({"title": "x" * 201}, "title"), ({"priority": "loud"}, "priority"),
    ({"ack_deadline": timezone.now() + dt.timedelta(days=1)}, "ack_deadline"),
    ({"requires_ack": True, "ack_deadline": timezone.now() - dt.timedelta(days=1)}, "ack_deadline"),
    ({"audience": {}}, "audience"), ({"audience": {"people": ["x"]}}, "audience.people"),
])
def test_bad_input(cast, send, kw, field):
    with pytest.raises(Invalid) as e:
        send(**kw)
    assert field in e.value.fields


def test_ack_is_the_recipients_and_idempotent(cast, send):
    n = send(requires_ack=True)
    bob_item = InboxItem.objects.get(notice=n, person=cast.people.bob)
    with pytest.raises(NotFound):
        services.get_item(cast.liam, bob_item.pk)
    with pytest.raises(NotFound):
        services.acknowledge(cast.liam, bob_item)
    first = services.acknowledge(cast.bob, services.get_item(cast.bob, bob_item.pk)).acked_at
    again = services.acknowledge(cast.bob, services.get_item(cast.bob, bob_item.pk)).acked_at
    assert first == again and first is not None
    assert bob_item.__class__.objects.get(pk=bob_item.pk).read_at is not None
    assert AuditEvent.objects.filter(action="notice.ack").count() == 1
    assert services.progress(n) == {"total": 5, "read": 1, "acked": 1}


def test_ack_of_a_notice_not_requiring_it_is_refused(cast, send):
    n = send()
    item = InboxItem.objects.get(notice=n, person=cast.people.bob)
    with pytest.raises(Invalid):
        services.acknowledge(cast.bob, item)


def test_remind_laggards(cast, send):
    n = send(requires_ack=True)
    services.acknowledge(cast.bob, InboxItem.objects.get(notice=n, person=cast.people.bob))
    assert services.remind_laggards(cast.olivia, n) == 4
    assert InboxItem.objects.get(notice=n, person=cast.people.liam).reminders == 1
    assert InboxItem.objects.get(notice=n, person=cast.people.bob).reminders == 0
    with pytest.raises(Conflict):
        services.remind_laggards(cast.olivia, n)
    with pytest.raises(Forbidden):
        services.remind_laggards(cast.bob, n)


def test_priority_order_urgent_first_then_deadline(cast, send):
    soon, later = timezone.now() + dt.timedelta(days=1), timezone.now() + dt.timedelta(days=5)
    send(title="一般-晚", requires_ack=True, ack_deadline=later)
    send(title="一般-早", requires_ack=True, ack_deadline=soon)
    send(title="紧急", priority="urgent")
    send(title="知悉", priority="info")
    from zhuanban.notices import queries

    titles = [i.title for i in queries.inbox(cast.bob, include_info=True)]
    assert titles == ["紧急", "一般-早", "一般-晚", "知悉"]
    assert [i.title for i in queries.inbox(cast.bob)] == ["紧急", "一般-早", "一般-晚"]
    assert [i.title for i in queries.digest(cast.bob)] == ["知悉"]
    assert [i.title for i in queries.inbox(cast.bob, q="早")] == ["一般-早"]
    assert InboxItem.objects.get(title="紧急", person=cast.people.bob).priority == Priority.URGENT
