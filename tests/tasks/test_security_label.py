"""安全标签 on tasks: a 敏感 task is seen only by its task force's managers and the people it is
assigned to, not by every member of the task force."""

from __future__ import annotations

import pytest

from zhuanban.core.errors import Invalid, NotFound
from zhuanban.tasks import access


@pytest.fixture
def secret(cast, mk):
    return mk("涉密征求意见稿", responsible=cast.people.liam, security_label="sensitive")


@pytest.mark.parametrize(("role", "sees"), [
    ("admin", True), ("olivia", True), ("alice", True), ("liam", True),
    ("bob", False), ("erin", False), ("hank", False), ("charlie", False),
])
def test_who_sees_a_sensitive_task(cast, secret, role, sees):
    user = getattr(cast, role)
    assert access.visible_tasks(user).filter(pk=secret.pk).exists() is sees
    if sees:
        assert access.get_visible_task(user, secret.pk)[0] == secret
    else:
        with pytest.raises(NotFound):
            access.get_visible_task(user, secret.pk)


def test_an_internal_task_is_seen_by_every_internal_member(cast, mk):
    task = mk("普通任务")
    assert access.visible_tasks(cast.bob).filter(pk=task.pk).exists()


def test_an_unknown_label_is_refused(cast, mk):
    with pytest.raises(Invalid) as err:
        mk("x", security_label="top-secret")
    assert "security_label" in err.value.fields


def test_the_history_does_not_name_a_sensitive_task_to_those_who_may_not_see_it(cast, secret, mk):
    from zhuanban.taskforces import queries

    mk("公开讨论的任务")
    for_bob = [e.object_repr for e in queries.history(cast.tf, cast.bob)]
    for_olivia = [e.object_repr for e in queries.history(cast.tf, cast.olivia)]
    assert "公开讨论的任务" in for_bob and "涉密征求意见稿" not in for_bob
    assert "涉密征求意见稿" in for_olivia
