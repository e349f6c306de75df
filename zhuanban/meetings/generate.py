"""Generator phase ``meetings`` (``zhuanban generate``, after ``tasks``): a year of meetings for the running
task forces, with attendance and decisions, and a duty roster around today.

Like the other phases it bypasses the services and writes in bulk (``gen_common.fast_insert``) with ids
reserved up front, from its own random stream (deterministic).  It keeps the services' invariants: one
series per task force whose meetings fall on the days ``schedule`` gives (weekly on a weekday moved past
holidays; 部门统合型 task forces meet monthly on the 3rd workday: 月调度会); one attendance row per invitee
and meeting; absent rows carry a reason; past meetings are held (a few cancelled), future ones scheduled.
To keep a province run fast, invitees are the liaisons, leaders and office director (not every member).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from zhuanban.core.workdays import Calendar
from zhuanban.taskforces.models import Membership

from . import schedule
from .models import Attendance, Decision, DutyShift, Kind, Meeting, MeetingSeries

R = Membership.Role
INVITED = {R.LIAISON, R.HEAD, R.DEPUTY, R.RESPONSIBLE_DEPUTY, R.OFFICE_DIRECTOR}
ABSENCE = ["出差", "外出调研", "参加其他会议", "病假", "单位有紧急任务"]
DECISIONS = ["加快推进{u}牵头事项，下周报送进展", "{u}牵头协调解决数据共享问题", "红灯任务由{u}说明原因并限期整改",
             "{u}会同相关单位开展现场核验", "下次会议前{u}完成方案修改"]
DAY = dt.timedelta(days=1)


def run(ctx: Any) -> None:
    rng = ctx.rng("meetings")
    today, now = ctx.today, ctx.now
    first = today - dt.timedelta(days=365)
    last = today + dt.timedelta(days=28)
    cal = Calendar(first - 7 * DAY, last + 40 * DAY)
    running = [p for p in ctx.taskforces if not p.closed and p.status == "active" and p.members]
    stamp = now
    series_rows: list[dict[str, Any]] = []
    meeting_rows: list[dict[str, Any]] = []
    att_rows: list[dict[str, Any]] = []
    dec_rows: list[dict[str, Any]] = []
    shift_rows: list[dict[str, Any]] = []
    plan: list[tuple[Any, list[dt.date], list[tuple[int, int]], bool]] = []
    for p in running:
        monthly = p.li == "department_integration"
        start = max(first, p.active_since)
        days = (list(schedule.monthly_dates(3, start, last, cal)) if monthly
                else list(schedule.weekly_dates(rng.randrange(5), start, last, cal)))
        invitees = [(m.person, ctx.units[m.unit].id) for m in p.members if m.active and m.role in INVITED]
        invitees = list(dict(invitees).items())
        if days and invitees:
            plan.append((p, days, invitees, monthly))
    series_ids = iter(ctx.ids(MeetingSeries, len(plan)))
    meeting_ids = iter(ctx.ids(Meeting, sum(len(d) for _, d, _, _ in plan)))
    att_ids = iter(ctx.ids(Attendance, sum(len(d) * len(i) for _, d, i, _ in plan)))
    big_id = ctx.taskforces[ctx.extra["big_tf"]].id if "big_tf" in ctx.extra else None
    subject_meeting = None
    with ctx.bar("会商（会议、出席、议定事项）", len(plan)) as bar:
        for p, days, invitees, monthly in plan:
            sid = next(series_ids)
            kind = Kind.MONTHLY_DISPATCH if monthly else Kind.WEEKLY
            title = "月调度会" if monthly else "周例会"
            t = dt.time(14, 30) if monthly else dt.time(9, 0)
            length = dt.timedelta(minutes=120 if monthly else 90)
            series_rows.append({"id": sid, "taskforce_id": p.id, "kind": kind, "title": title,
                                "recurrence": "monthly" if monthly else "weekly", "nth_workday": 3 if monthly else None,
                                "weekday": None if monthly else days[0].weekday(), "time_of_day": t,
                                "duration_minutes": int(length.total_seconds() // 60), "location": "专班会议室",
                                "invitees": MeetingSeries.Invitees.LIAISONS, "follows_id": None,
                                "follow_within_workdays": 2, "follow_offset_workdays": 1, "active": True,
                                "created_by_id": None, "version": 1, "created_at": stamp, "updated_at": stamp})
            units = [u for _, u in invitees]
            for day in days:
                mid = next(meeting_ids)
                starts = timezone.make_aware(dt.datetime.combine(day, t))
                past = starts + length < now
                status = (Meeting.Status.CANCELLED if rng.random() < 0.04 else Meeting.Status.HELD) if past \
                    else Meeting.Status.SCHEDULED
                meeting_rows.append({
                    "id": mid, "taskforce_id": p.id, "series_id": sid, "kind": kind, "title": title,
                    "starts_at": starts, "ends_at": starts + length, "location": "专班会议室", "status": status,
                    "minutes": "各成员单位汇报进展，研究部署下一阶段工作。" if status == Meeting.Status.HELD else "",
                    "upper_id": None, "created_by_id": None, "version": 1, "created_at": stamp, "updated_at": stamp})
                if p.id == big_id and status == Meeting.Status.HELD:
                    subject_meeting = mid
                for pid, uid in invitees:
                    row = {"id": next(att_ids), "meeting_id": mid, "person_id": pid, "unit_id": uid,
                           "status": Attendance.Status.INVITED, "reason": "", "substitute_id": None}
                    if status == Meeting.Status.HELD:
                        if rng.random() < 0.12:
                            row["status"], row["reason"] = Attendance.Status.ABSENT, rng.choice(ABSENCE)
                        else:
                            row["status"] = Attendance.Status.PRESENT
                    att_rows.append(row)
                if status == Meeting.Status.HELD:
                    for _ in range(rng.randrange(3)):
                        label = ctx.extra.get("unit_label", {}).get(rng.choice(units), "牵头单位")
                        dec_rows.append({"meeting_id": mid, "text": rng.choice(DECISIONS).format(u=label),
                                         "lead_unit_id": rng.choice(units), "responsible_id": None,
                                         "due_on": day + dt.timedelta(days=14), "task_id": None, "created_at": stamp})
            # The duty roster: a week back and two weeks ahead, rotating among the invitees.
            for i in range(-7, 14):
                pid, _ = invitees[(i + 7) % len(invitees)]
                shift_rows.append({"taskforce_id": p.id, "date": today + dt.timedelta(days=i), "person_id": pid,
                                   "start_time": dt.time(8, 30), "end_time": dt.time(17, 30), "note": ""})
            bar.update(1)
    from zhuanban.scale.gen_common import fast_insert, reset_sequences

    for model, rows in ((MeetingSeries, series_rows), (Meeting, meeting_rows), (Attendance, att_rows),
                        (Decision, dec_rows), (DutyShift, shift_rows)):
        for i in range(0, len(rows), 50_000):
            fast_insert(model, rows[i:i + 50_000])
    reset_sequences([MeetingSeries, Meeting, Attendance, Decision, DutyShift])
    ctx.counts.update({"meeting_series": len(series_rows), "meetings": len(meeting_rows),
                       "meeting_attendance_rows": len(att_rows), "meeting_decisions": len(dec_rows),
                       "duty_shifts": len(shift_rows)})
    if subject_meeting is not None:
        ctx.subjects["meeting_id"] = subject_meeting
