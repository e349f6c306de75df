"""The authorization matrix's rows for the accountability app (merged by test_authorization_matrix.py); see rows_notices.py."""

from __future__ import annotations

from typing import Any

_SIGNED_IN = {"erin", "bob", "liam", "alice", "olivia", "hank", "admin", "charlie", "secadmin", "auditadmin"}
# bob's portrait and a supervision record about bob: bob himself, the managers of his task force (alice,
# olivia), the leader of his home unit (hank) and the administrator; a plain member (liam), the external
# member, outsiders and the 三员 without a person get a 404.
_PORTRAIT = {"bob", "alice", "olivia", "hank", "admin"}
POLICIES: dict[str, dict[str, str]] = {
    "accountability_portrait": {"anonymous": "anon", **{r: "ok" if r in _PORTRAIT else "404" for r in _SIGNED_IN}},
    # the follow-up: bob responds, the managers respond or close; hank may read but not act
    "accountability_follow_up": {"anonymous": "anon", **{
        r: "ok" if r in _PORTRAIT - {"hank"} else "403" if r == "hank" else "404" for r in _SIGNED_IN}},
}
API: dict[str, str] = {
    "GET /api/v1/people/{person_id}/portrait": "accountability_portrait",
    "GET /api/v1/responsibilities": "tf_read_full_web",
    "GET /api/v1/supervision": "any_user",
    # the body names no task (the matrix's minimal body): a 422 naming ``tasks`` for everyone signed in;
    # who may supervise is tested in tests/accountability/test_supervision.py
    "POST /api/v1/supervision": "any_user",
    "GET /api/v1/supervision/{supervision_id}": "accountability_portrait",
    "POST /api/v1/supervision/{supervision_id}/follow-up": "accountability_follow_up",
}
API_QUERY: dict[str, dict[str, Any]] = {"GET /api/v1/responsibilities": {"taskforce": "tf_id"}}
WEB: dict[str, tuple[str, str]] = {
    "tf_accountability": ("tf_read_full_web", "GET"),
    "tf_accountability_export": ("tf_read_full_web", "GET"),
    "tf_supervise": ("task_manage", "GET"),
    "person_portrait": ("accountability_portrait", "GET"),
    "supervision_detail": ("accountability_portrait", "GET"),
}


def world(cast: Any, ids: dict[str, Any]) -> None:
    """An overdue task of bob's in ``tf`` and a supervision notice about it from the office."""
    import datetime as dt

    from django.utils import timezone

    from zhuanban.accountability import services
    from zhuanban.tasks.models import Task

    task = Task.objects.create(taskforce=cast.tf, title="矩阵督办任务", responsible=cast.people.bob,
                               status=Task.Status.IN_PROGRESS, due_at=timezone.now() - dt.timedelta(days=3))
    rec = services.create(cast.olivia, kind="notice", task_ids=[task.pk], title="矩阵督办", reason="逾期三天",
                          follow_up_due=timezone.localdate() + dt.timedelta(days=3))
    ids["supervision_id"] = rec.pk
