"""Working-day arithmetic across the 2025 and 2026 Spring Festival and National Day holidays, make-up
workdays (调休上班) and locally configured days; deadlines land at the end of the workday."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhuanban.core import workdays
from zhuanban.tasks.models import LocalDay

D = dt.date


def due(start: dt.date, n: int) -> dt.date:
    return workdays.add_workday_dates(start, n)


@pytest.mark.django_db
class TestStatutoryCalendar:
    def test_one_workday_before_national_day_2025_lands_after_the_holiday(self):
        # 2025-09-30 (Tue) + 1: Oct 1–8 are the holiday, so Thursday Oct 9.
        assert due(D(2025, 9, 30), 1) == D(2025, 10, 9)

    def test_make_up_sunday_before_national_day_2025_is_a_workday(self):
        assert workdays.is_workday(D(2025, 9, 28))  # Sunday, 调休上班
        assert due(D(2025, 9, 27), 1) == D(2025, 9, 28)

    def test_make_up_saturday_after_national_day_2025_counts(self):
        assert workdays.is_workday(D(2025, 10, 11))
        assert due(D(2025, 10, 10), 1) == D(2025, 10, 11)
        assert due(D(2025, 10, 10), 2) == D(2025, 10, 13)  # Oct 12 Sunday rests

    def test_spring_festival_2025(self):
        assert workdays.is_workday(D(2025, 1, 26))  # Sunday make-up day
        assert not workdays.is_workday(D(2025, 2, 4))
        assert due(D(2025, 1, 27), 1) == D(2025, 2, 5)  # Jan 28 – Feb 4 off
        assert workdays.is_workday(D(2025, 2, 8))  # Saturday make-up day
        assert due(D(2025, 2, 7), 1) == D(2025, 2, 8)

    def test_spring_festival_2026(self):
        assert workdays.is_workday(D(2026, 2, 14))  # Saturday make-up day
        assert due(D(2026, 2, 13), 1) == D(2026, 2, 14)
        assert due(D(2026, 2, 14), 1) == D(2026, 2, 24)  # Feb 15–23 off
        assert workdays.is_workday(D(2026, 2, 28))
        assert due(D(2026, 2, 27), 1) == D(2026, 2, 28)

    def test_mid_autumn_and_national_day_2026(self):
        assert due(D(2026, 9, 24), 1) == D(2026, 9, 28)  # Sep 25–27 Mid-autumn
        assert due(D(2026, 9, 30), 1) == D(2026, 10, 8)  # Oct 1–7
        assert workdays.is_workday(D(2026, 10, 10))  # Saturday make-up day
        assert due(D(2026, 10, 9), 1) == D(2026, 10, 10)
        assert due(D(2026, 10, 9), 2) == D(2026, 10, 12)

    def test_zero_days_is_today_if_a_workday_else_the_next_one(self):
        assert due(D(2026, 1, 5), 0) == D(2026, 1, 5)
        assert due(D(2026, 10, 1), 0) == D(2026, 10, 8)

    def test_count_workdays_in_the_national_day_week_2025(self):
        assert workdays.count_workdays(D(2025, 9, 28), D(2025, 10, 12)) == 6  # 28,29,30, 9,10,11


@pytest.mark.django_db
class TestLocalDaysAndDeadlines:
    def test_a_local_holiday_is_skipped_and_a_local_duty_day_counts(self):
        LocalDay.objects.create(date=D(2026, 1, 6), is_workday=False, note="本地停工")
        assert due(D(2026, 1, 5), 1) == D(2026, 1, 7)
        LocalDay.objects.create(date=D(2026, 1, 10), is_workday=True, note="周六值班")
        assert due(D(2026, 1, 9), 1) == D(2026, 1, 10)

    def test_deadline_is_end_of_workday_in_local_time(self, settings):
        start = timezone.make_aware(dt.datetime(2025, 9, 30, 10, 0))
        deadline = timezone.localtime(workdays.add_workdays(start, 1))
        assert (deadline.date(), deadline.time()) == (D(2025, 10, 9), dt.time(17, 30))
        settings.ZHUANBAN = {**settings.ZHUANBAN, "WORKDAY_END": "18:00"}
        assert timezone.localtime(workdays.add_workdays(start, 1)).time() == dt.time(18, 0)

    def test_negative_days_are_refused(self):
        with pytest.raises(ValueError):
            due(D(2026, 1, 5), -1)
