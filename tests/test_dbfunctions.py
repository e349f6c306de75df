"""core.dbfunctions.LocalDate: the local calendar date of a datetime, computed by the database itself."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models.functions import TruncDate
from django.utils import timezone

from zhuanban.core.dbfunctions import LocalDate, _fixed_offset_minutes
from zhuanban.tasks import services
from zhuanban.tasks.models import Task

SH = ZoneInfo("Asia/Shanghai")


def test_local_date_is_the_date_in_china_around_midnight(cast):
    # 00:30 in Beijing is 16:30 UTC the day before; 23:30 in Beijing is still the same day in UTC.
    early = services.create_task(cast.olivia, cast.tf, title="凌晨", due_at=dt.datetime(2026, 3, 1, 0, 30, tzinfo=SH))
    late = services.create_task(cast.olivia, cast.tf, title="深夜", due_at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=SH))
    rows = dict(Task.objects.filter(pk__in=[early.pk, late.pk]).values_list("title", LocalDate("due_at")))
    assert rows == {"凌晨": dt.date(2026, 3, 1), "深夜": dt.date(2026, 3, 1)}
    assert rows == dict(Task.objects.filter(pk__in=[early.pk, late.pk]).values_list("title", TruncDate("due_at")))


def test_a_zone_with_daylight_saving_falls_back_to_truncdate(cast):
    task = services.create_task(cast.olivia, cast.tf, title="夏令时",
                                due_at=dt.datetime(2026, 7, 1, 0, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    with timezone.override(ZoneInfo("Europe/Berlin")):
        assert _fixed_offset_minutes() is None
        day = Task.objects.filter(pk=task.pk).values_list(LocalDate("due_at"), flat=True).get()
    assert day == dt.date(2026, 7, 1)
    assert _fixed_offset_minutes() == 480
