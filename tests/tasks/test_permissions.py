"""Who may do what with a task: a matrix of the cast against the task actions.

ok = allowed; 403 = sees the task but may not; 404 = does not see it (indistinguishable from unknown)."""

from __future__ import annotations

import pytest

from zhuanban.core.errors import Forbidden, NotFound
from zhuanban.tasks import services

ACTORS = ("admin", "alice", "olivia", "liam", "bob", "erin", "hank", "charlie")

# action: expected outcome per actor (bob is the responsible person; liam the lead unit's liaison; the task
# is dispatched to bob for sign/return).
MATRIX = {
    "update":  {"admin": "ok", "alice": "ok", "olivia": "ok", "liam": 403, "bob": 403, "erin": 404, "hank": 403, "charlie": 404},
    "sign":    {"admin": "ok", "alice": 403, "olivia": 403, "liam": 403, "bob": "ok", "erin": 404, "hank": 403, "charlie": 404},
    "return":  {"admin": "ok", "alice": 403, "olivia": 403, "liam": 403, "bob": "ok", "erin": 404, "hank": 403, "charlie": 404},
    "progress": {"admin": "ok", "alice": "ok", "olivia": "ok", "liam": 403, "bob": "ok", "erin": 404, "hank": 403, "charlie": 404},
    "confirm": {"admin": "ok", "alice": 403, "olivia": 403, "liam": "ok", "bob": 403, "erin": 404, "hank": "ok", "charlie": 404},
    "reopen":  {"admin": "ok", "alice": "ok", "olivia": "ok", "liam": 403, "bob": 403, "erin": 404, "hank": 403, "charlie": 404},
}


def _prepare(cast, action):
    t = services.create_task(cast.admin, cast.tf, title="矩阵", responsible=cast.people.bob,
                             lead_unit=cast.units.zjw)
    if action in ("sign", "return"):
        services.dispatch(cast.admin, t, to_person=cast.people.bob)
    if action == "confirm":
        services.complete(cast.admin, t)
    if action == "reopen":
        services.complete(cast.admin, t)
        services.confirm(cast.admin, t)
    t.refresh_from_db()
    return t


def _do(action, user, t):
    if action == "update":
        services.update_task(user, t, version=t.version, title="改")
    elif action == "sign":
        services.sign(user, t)
    elif action == "return":
        services.return_task(user, t, reason="不归我")
    elif action == "progress":
        services.report_progress(user, t, progress=10)
    elif action == "confirm":
        services.confirm(user, t)
    elif action == "reopen":
        services.reopen(user, t, reason="复查")


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("actor", ACTORS)
def test_task_action_matrix(cast, action, actor):
    t = _prepare(cast, action)
    expected = MATRIX[action][actor]
    user = getattr(cast, actor)
    if expected == "ok":
        _do(action, user, t)
    else:
        with pytest.raises(Forbidden if expected == 403 else NotFound):
            _do(action, user, t)
