"""The authorization matrix's rows for the meetings app (merged by test_authorization_matrix.py).

POLICIES: extra named policies (see ``policy`` there); API: "METHOD /api/v1/path" -> policy name;
API_QUERY: "METHOD path" -> {query param: ids key}; WEB: URL name -> (policy name, method);
world(cast, ids): create the objects the URLs name and put their ids into ``ids`` (keys = the path
parameter names, e.g. "meeting_id"; they must not clash with other apps').

Who gets what (zhuanban/meetings/access.py): a meeting is seen by whoever fully sees the task force and by
the external members invited to it — the world's meeting invites every member, so erin sees it and may
not manage it (403).  Series, the roster, swaps, stations and verifications are for full viewers only:
erin gets a 404 there, like an outsider.  The .ics feed needs no session: the URL's signed token is the
credential (a wrong token is a 404 for everyone: tests/meetings/test_api.py).

The policies are plain dicts: importing ``policy`` from the matrix module here would be circular (that
module imports these rows).
"""

from __future__ import annotations

from typing import Any

_SIGNED_IN = {"erin", "bob", "liam", "alice", "olivia", "hank", "admin", "charlie", "secadmin", "auditadmin"}
_VIEWERS = {"erin", "bob", "liam", "alice", "olivia", "hank", "admin"}
_MANAGERS = {"alice", "olivia", "admin"}


def _policy(ok: set[str], forbidden: set[str] = frozenset(), anonymous: str = "anon") -> dict[str, str]:
    """``ok`` get ok, ``forbidden`` 403, every other signed-in role 404."""
    return {"anonymous": anonymous,
            **{r: "ok" if r in ok else "403" if r in forbidden else "404" for r in _SIGNED_IN}}


POLICIES: dict[str, dict[str, str]] = {
    # the world's meeting (erin is invited): every viewer of the task force reads it
    "meeting_read": _policy(_VIEWERS),
    "meeting_manage": _policy(_MANAGERS, forbidden=_VIEWERS - _MANAGERS),
    # roster, series, stations, verifications: full viewers only (an external member gets a 404)
    "meetings_full_read": _policy(_VIEWERS - {"erin"}),
    "meetings_full_manage": _policy(_MANAGERS, forbidden=_VIEWERS - _MANAGERS - {"erin"}),
    # the feed URL's token is the credential: anyone holding it gets bob's calendar, no session needed
    "meetings_feed_token": _policy(_SIGNED_IN, anonymous="ok"),
    # "我的 .ics 订阅地址": only a signed-in user who is a person of the directory has one
    "meetings_own_feed": _policy(_SIGNED_IN - {"admin", "secadmin", "auditadmin"}),
    # the swap form posted without a shift: there is nothing to swap, 404 for everyone signed in
    "meetings_no_shift": _policy(set()),
}
API: dict[str, str] = {
    "GET /api/v1/meetings": "any_user",
    "POST /api/v1/meetings": "meetings_full_manage",
    "GET /api/v1/meetings/{meeting_id}": "meeting_read",
    "PATCH /api/v1/meetings/{meeting_id}": "meeting_manage",
    "GET /api/v1/meetings/{meeting_id}/attendance": "meeting_read",
    "POST /api/v1/meetings/{meeting_id}/attendance": "meeting_manage",
    "GET /api/v1/meetings/{meeting_id}/minutes": "meeting_read",
    "PUT /api/v1/meetings/{meeting_id}/minutes": "meeting_manage",
    "POST /api/v1/meetings/{meeting_id}/decisions": "meeting_manage",
    "POST /api/v1/meetings/{meeting_id}/decisions/{decision_id}/to-task": "meeting_manage",
    "POST /api/v1/meetings/{meeting_id}/dispatch-tasks": "meeting_manage",
    "GET /api/v1/meetings/{meeting_id}/minutes.docx": "meeting_read",
    "GET /api/v1/meeting-feed/{person_id}/{token}.ics": "meetings_feed_token",
    "GET /api/v1/my-meetings/feed": "meetings_own_feed",
    "GET /api/v1/meeting-series": "any_user",
    "POST /api/v1/meeting-series": "meetings_full_manage",
    "GET /api/v1/meeting-series/{series_id}": "meetings_full_read",
    "PATCH /api/v1/meeting-series/{series_id}": "meetings_full_manage",
    "POST /api/v1/meeting-series/{series_id}/schedule": "meetings_full_manage",
    "GET /api/v1/duty-shifts": "meetings_full_read",
    "POST /api/v1/duty-shifts": "meetings_full_manage",
    "GET /api/v1/duty-swaps": "meetings_full_read",
    # The generated body names shift 1, which is never a shift of tf here (world() makes sure): a 422
    # about the input for everyone.  Who may request a swap is tested in tests/meetings.
    "POST /api/v1/duty-swaps": "any_user",
    "POST /api/v1/duty-swaps/{swap_id}/approve": "meetings_full_manage",
    "POST /api/v1/duty-swaps/{swap_id}/reject": "meetings_full_manage",
    "GET /api/v1/stations": "meetings_full_read",
    "POST /api/v1/stations": "meetings_full_manage",
    "GET /api/v1/verifications": "meetings_full_read",
    "POST /api/v1/verifications": "meetings_full_manage",
}
API_QUERY: dict[str, dict[str, Any]] = {
    "GET /api/v1/duty-shifts": {"taskforce": "tf_id"}, "GET /api/v1/duty-swaps": {"taskforce": "tf_id"},
    "GET /api/v1/stations": {"taskforce": "tf_id"}, "GET /api/v1/verifications": {"taskforce": "tf_id"},
}
WEB: dict[str, tuple[str, str]] = {
    "tf_meetings": ("tf_read_full_web", "GET"), "my_meetings": ("any_user", "GET"),
    "meeting_new": ("tf_manage", "POST"), "meeting_series_new": ("tf_manage", "POST"),
    "duty_shift_new": ("tf_manage", "POST"), "station_new": ("tf_manage", "POST"),
    "verification_new": ("tf_manage", "POST"),
    "meeting_series_schedule": ("meetings_full_manage", "POST"),
    "meeting_detail": ("meeting_read", "GET"), "meeting_docx": ("meeting_read", "GET"),
    **{name: ("meeting_manage", "POST") for name in (
        "meeting_attendance", "meeting_minutes", "meeting_decision_new", "meeting_decision_to_task",
        "meeting_dispatch", "meeting_cancel")},
    "duty_swap_new": ("meetings_no_shift", "POST"),
    "duty_swap_decide": ("meetings_full_manage", "POST"),
}


def world(cast: Any, ids: dict[str, Any]) -> None:
    """A weekly series with one scheduled meeting inviting every member (attendance recorded, a decision),
    bob's duty shift next week with his swap request to liam, a station and a verification of a task."""
    import datetime as dt

    from django.utils import timezone

    from zhuanban.meetings import feed, services
    from zhuanban.meetings.models import MeetingSeries
    from zhuanban.tasks.models import Task

    p = cast.people
    office = cast.olivia
    # The generated body of POST /duty-swaps names shift 1: on a fresh SQLite database that would be the
    # first shift created here, so the first one belongs to the other task force (charlie's).
    services.add_shift(cast.admin, cast.other, date=timezone.localdate() + dt.timedelta(days=7), person=p.charlie)
    series = services.create_series(office, cast.tf, title="矩阵周例会", kind="weekly",
                                    recurrence=MeetingSeries.Recurrence.WEEKLY, weekday=0)
    ids["series_id"] = series.pk
    starts = timezone.now() + dt.timedelta(days=3)
    meeting = services.create_meeting(office, cast.tf, title="矩阵会商", starts_at=starts, invitees="all")
    meeting.series = series
    meeting.save(update_fields=["series"])
    ids["meeting_id"] = meeting.pk
    services.record_attendance(office, meeting, [
        {"person": p.alice, "status": "present", "reason": "", "substitute": None},
        {"person": p.bob, "status": "absent", "reason": "出差", "substitute": p.liam}])
    ids["decision_id"] = services.add_decision(office, meeting, text="矩阵议定事项", lead_unit=cast.units.zjw).pk
    shift = services.add_shift(office, cast.tf, date=timezone.localdate() + dt.timedelta(days=5), person=p.bob)
    ids["shift_id"] = shift.pk
    ids["swap_id"] = services.request_swap(cast.bob, shift, to_person=p.liam, reason="出差").pk
    ids["decision"] = "approve"
    ids["station_id"] = services.add_station(office, cast.tf, place="矩阵驻点", units=[cast.units.zjw],
                                             from_on=timezone.localdate()).pk
    task = Task.objects.filter(taskforce=cast.tf).order_by("id").first()
    ids["verification_id"] = services.record_verification(
        office, cast.tf, verifier=p.liam, at=timezone.now(), place="矩阵小区", findings="已整改",
        tasks=[task] if task else []).pk
    ids["token"] = feed.token_for(p.bob.pk)
