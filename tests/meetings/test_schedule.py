"""Recurrence and follow-up rules across the 2026 holidays (chinese-calendar): weekly Monday meetings
around the Spring Festival and National Day, make-up Saturdays, the Nth workday of a month, and
follow-up meetings within N workdays of an upper meeting on the last workday before a holiday."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.meetings.conftest import at
from zhuanban.core.errors import Invalid
from zhuanban.meetings import schedule, services
from zhuanban.meetings.models import Kind, Meeting, MeetingSeries

D = dt.date


class TestWeekly:
    def test_a_monday_in_the_national_day_holiday_moves_to_the_next_workday_of_that_week(self, db):
        days = list(schedule.weekly_dates(0, D(2026, 9, 21), D(2026, 10, 19)))
        # 10-05 (Mon) is a holiday until 10-07: the meeting is on Thursday 10-08; the week after is normal.
        assert days == [D(2026, 9, 21), D(2026, 9, 28), D(2026, 10, 8), D(2026, 10, 12), D(2026, 10, 19)]

    def test_the_spring_festival_week_without_workdays_has_no_meeting_and_the_next_is_not_doubled(self, db):
        days = list(schedule.weekly_dates(0, D(2026, 2, 9), D(2026, 3, 2)))
        # 02-16 … 02-22 are all days off; 02-23 (Mon) is still a holiday → Tuesday 02-24, once.
        assert days == [D(2026, 2, 9), D(2026, 2, 24), D(2026, 3, 2)]

    def test_make_up_saturdays_are_not_meeting_days_of_a_monday_series(self, db):
        days = set(schedule.weekly_dates(0, D(2026, 2, 1), D(2026, 10, 31)))
        assert D(2026, 2, 14) not in days and D(2026, 2, 28) not in days and D(2026, 10, 10) not in days

    def test_a_saturday_series_meets_only_on_make_up_saturdays_otherwise_moves_to_monday(self, db):
        days = list(schedule.weekly_dates(5, D(2026, 10, 5), D(2026, 10, 18)))
        # 10-10 is a make-up workday (调休上班); 10-17 is a normal Saturday, its week has no workday left.
        assert days == [D(2026, 10, 10)]


class TestMonthly:
    def test_the_first_workday_of_october_2026_is_after_the_holiday(self, db):
        assert schedule.nth_workday(2026, 10, 1) == D(2026, 10, 8)

    def test_a_make_up_saturday_counts_as_a_workday(self, db):
        assert schedule.nth_workday(2026, 10, 3) == D(2026, 10, 10)

    def test_the_nth_workday_skips_new_year_and_the_spring_festival(self, db):
        assert schedule.nth_workday(2026, 1, 1) == D(2026, 1, 4)  # 01-04 (Sunday) is a make-up workday
        assert [schedule.nth_workday(2026, 2, n) for n in (1, 10, 11)] == [D(2026, 2, 2), D(2026, 2, 13),
                                                                          D(2026, 2, 14)]

    def test_a_month_with_fewer_workdays_uses_its_last(self, db):
        assert schedule.nth_workday(2026, 2, 23) == D(2026, 2, 28)

    def test_monthly_dates_over_a_range(self, db):
        assert list(schedule.monthly_dates(1, D(2026, 9, 1), D(2026, 11, 30))) == [
            D(2026, 9, 1), D(2026, 10, 8), D(2026, 11, 2)]


class TestFollowUp:
    def test_placed_on_the_next_workday_after_the_holiday(self, db):
        assert schedule.follow_up_date(D(2026, 9, 30), 1) == D(2026, 10, 8)
        assert schedule.follow_up_date(D(2026, 2, 13), 1) == D(2026, 2, 14)  # make-up Saturday

    def test_within_two_workdays_of_an_upper_meeting_before_national_day(self, cast):
        upper = services.create_meeting(cast.olivia, cast.tf, title="办公室例会", starts_at=at(D(2026, 9, 30)))
        schedule.check_follow_up(at(D(2026, 10, 9), 14), upper, 2)  # 2nd workday after: fine
        with pytest.raises(Invalid) as exc:
            schedule.check_follow_up(at(D(2026, 10, 10), 9), upper, 2)  # make-up Saturday = 3rd workday
        assert exc.value.code == "follow_up_too_late" and "starts_at" in exc.value.fields

    def test_friday_before_the_spring_festival(self, cast):
        upper = services.create_meeting(cast.olivia, cast.tf, title="办公室例会", starts_at=at(D(2026, 2, 13)))
        schedule.check_follow_up(at(D(2026, 2, 24)), upper, 2)  # 02-14 (make-up) and 02-24
        with pytest.raises(Invalid):
            schedule.check_follow_up(at(D(2026, 2, 25)), upper, 2)

    def test_a_follow_up_before_its_upper_meeting_is_refused(self, cast):
        upper = services.create_meeting(cast.olivia, cast.tf, title="上级", starts_at=at(D(2026, 9, 30)))
        with pytest.raises(Invalid) as exc:
            services.create_meeting(cast.olivia, cast.tf, title="下级", starts_at=at(D(2026, 9, 29)), upper=upper)
        assert exc.value.code == "follow_up_before_upper"


class TestScheduleSeries:
    def test_generating_twice_adds_nothing_and_invites_the_members(self, cast):
        s = services.create_series(cast.olivia, cast.tf, title="周例会", kind=Kind.WEEKLY,
                                   recurrence=MeetingSeries.Recurrence.WEEKLY, weekday=0)
        made = services.schedule_series(cast.olivia, s, start=D(2026, 9, 21), until=D(2026, 10, 19))
        assert [m.starts_at.date() for m in made] == [D(2026, 9, 21), D(2026, 9, 28), D(2026, 10, 8),
                                                     D(2026, 10, 12), D(2026, 10, 19)]
        assert services.schedule_series(cast.olivia, s, start=D(2026, 9, 21), until=D(2026, 10, 19)) == []
        assert made[0].attendances.count() == 5  # every active member

    def test_a_follow_up_series_follows_each_upper_meeting(self, cast):
        up = services.create_series(cast.olivia, cast.other if False else cast.tf, title="办公室周例会",
                                    recurrence="weekly", weekday=2)  # Wednesdays
        low = services.create_series(cast.olivia, cast.tf, title="专班跟进会", follows=up, recurrence="none",
                                     follow_within_workdays=2, follow_offset_workdays=1,
                                     invitees=MeetingSeries.Invitees.LIAISONS)
        services.schedule_series(cast.olivia, up, start=D(2026, 9, 28), until=D(2026, 10, 16))
        made = services.schedule_series(cast.olivia, low, start=D(2026, 9, 28), until=D(2026, 10, 16))
        pairs = [(timezone_day(m.upper.starts_at), timezone_day(m.starts_at)) for m in made]
        assert pairs == [(D(2026, 9, 30), D(2026, 10, 8)), (D(2026, 10, 8), D(2026, 10, 9)),
                         (D(2026, 10, 14), D(2026, 10, 15))]
        # liaisons and the leaders and office only: not the plain member bob, not the external erin
        invited = set(made[0].attendances.values_list("person__name", flat=True))
        assert invited == {"王组长", "刘主任", "陈联络"}

    def test_weekly_series_without_a_weekday_is_422(self, cast):
        with pytest.raises(Invalid) as exc:
            services.create_series(cast.olivia, cast.tf, title="周例会", recurrence="weekly")
        assert "weekday" in exc.value.fields

    def test_an_offset_beyond_the_limit_is_422(self, cast):
        with pytest.raises(Invalid) as exc:
            services.create_series(cast.olivia, cast.tf, title="x", recurrence="none",
                                   follow_within_workdays=2, follow_offset_workdays=3)
        assert "follow_offset_workdays" in exc.value.fields


def timezone_day(value: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(value).date()


def test_meeting_model_str(cast):
    m = services.create_meeting(cast.olivia, cast.tf, title="专题会", starts_at=at(D(2026, 9, 30)))
    assert str(Meeting.objects.get(pk=m.pk)) == "专题会"
