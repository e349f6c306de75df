"""The per-person iCalendar feed (.ics) that calendar programs subscribe to.

Calendar programs fetch without a session, so the URL carries a personal token: a signature of the
person id (``django.core.signing``, with a salt of its own so no other signed value can be replayed
here).  The feed lists every meeting the person is invited to (UID stable per meeting, times with TZID
Asia/Shanghai, STATUS:CANCELLED for cancelled ones).  A wrong token or another person's id is a 404, as
for an unknown feed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.utils import timezone

from zhuanban.core.errors import NotFound
from zhuanban.org.models import Person

from .models import Attendance, Meeting

SALT = "zhuanban.meetings.ics-feed"
TZ = "Asia/Shanghai"
# How far back the feed reaches (older meetings are history, not calendar entries).
PAST_DAYS = 180


def token_for(person_id: int) -> str:
    return signing.Signer(salt=SALT).signature(str(person_id))


def person_for(person_id: int, token: str) -> Person:
    expected = token_for(person_id)
    if not signing.constant_time_compare(expected, token or ""):
        raise NotFound()
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    return person


def feed_path(person_id: int) -> str:
    return f"/api/v1/meeting-feed/{person_id}/{token_for(person_id)}.ics"


def meetings_of(person: Person) -> list[Meeting]:
    since = timezone.now() - dt.timedelta(days=PAST_DAYS)
    ids = Attendance.objects.filter(person=person).values("meeting_id")
    return list(Meeting.objects.filter(pk__in=ids, starts_at__gte=since).select_related("taskforce")
                .order_by("starts_at", "id"))


def ics_bytes(person: Person, meetings: list[Meeting], host: str = "") -> bytes:
    from icalendar import Calendar, Event, Timezone, TimezoneStandard

    tz = ZoneInfo(TZ)
    cal = Calendar()
    cal.add("prodid", "-//Zhuanban//工作专班会商日程//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{person.name}的会商日程")
    cal.add("x-wr-timezone", TZ)
    vtz = Timezone()
    vtz.add("tzid", TZ)
    std = TimezoneStandard()
    std.add("dtstart", dt.datetime(1970, 1, 1))
    std.add("tzoffsetfrom", dt.timedelta(hours=8))
    std.add("tzoffsetto", dt.timedelta(hours=8))
    std.add("tzname", "CST")
    vtz.add_component(std)
    cal.add_component(vtz)
    domain = host or getattr(settings, "ZHUANBAN", {}).get("ICS_DOMAIN", "zhuanban")
    for m in meetings:
        ev = Event()
        ev.add("uid", f"meeting-{m.pk}@{domain}")
        ev.add("dtstamp", m.updated_at.astimezone(dt.UTC) if m.updated_at else timezone.now())
        ev.add("dtstart", m.starts_at.astimezone(tz))
        ev.add("dtend", m.ends_at.astimezone(tz))
        ev.add("summary", f"{m.title}（{m.taskforce.name}）")
        if m.location:
            ev.add("location", m.location)
        ev.add("sequence", m.version)
        ev.add("status", "CANCELLED" if m.status == Meeting.Status.CANCELLED else "CONFIRMED")
        ev.add("description", f"{m.get_kind_display()} · {m.taskforce.name}")
        cal.add_component(ev)
    return cal.to_ical()


def render(person_id: int, token: str, host: str = "") -> tuple[bytes, Any]:
    person = person_for(person_id, token)
    return ics_bytes(person, meetings_of(person), host), person
