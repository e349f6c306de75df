"""Fixtures of the meeting tests: the cast's task force with a weekly series and a few tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhuanban.meetings import services
from zhuanban.meetings.models import Kind


def at(day: dt.date, hh: int = 9, mm: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hh, mm)))


@pytest.fixture
def meeting(cast):
    """A topic meeting of ``tf`` inviting every active member, a week from now."""
    day = timezone.localdate() + dt.timedelta(days=7)
    return services.create_meeting(cast.olivia, cast.tf, title="周例会", kind=Kind.WEEKLY, starts_at=at(day),
                                   location="三楼会议室")
