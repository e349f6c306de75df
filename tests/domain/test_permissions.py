"""The permission matrix: role × action × object, decided in zhuanban.taskforces.access."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import make_taskforce
from zhuanban.core.errors import Forbidden, NotFound
from zhuanban.taskforces import access, services
from zhuanban.taskforces.models import Membership

ROLES = ["admin", "alice", "olivia", "liam", "bob", "erin", "hank", "charlie", "anonymous"]

# role: (sees tf, manages tf, may create task forces, sees bob's secondment in tf, sees bob in directory)
MATRIX = {
    "admin": (True, True, True, True, True),
    "alice": (True, True, True, True, True),  # 组长
    "olivia": (True, True, True, True, True),  # 办公室主任
    "liam": (True, False, False, True, True),  # 联络员
    "bob": (True, False, False, True, True),  # 成员 (himself)
    "erin": (True, False, False, True, False),  # 外部成员: sees the task force, not the directory
    "hank": (True, False, True, True, True),  # bob's home-unit leader, not in tf
    "charlie": (False, False, False, False, True),  # member of another task force
    "anonymous": (False, False, False, False, False),
}


def _user(cast, role):
    return AnonymousUser() if role == "anonymous" else getattr(cast, role)


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_task_force(cast, role):
    user = _user(cast, role)
    sees = MATRIX[role][0]
    assert (cast.tf in access.visible_taskforces(user)) is sees
    assert access.get_access(user, cast.tf).view is sees
    if not sees:
        with pytest.raises(NotFound):
            access.get_visible_taskforce(user, cast.tf.pk)


@pytest.mark.parametrize("role", ROLES)
def test_who_manages_the_task_force_and_what_others_get(cast, role):
    user = _user(cast, role)
    sees, manages = MATRIX[role][:2]
    if manages:
        services.add_group(user, cast.tf, name=f"{role}的专题组")
        services.activate(user, cast.tf)
        assert cast.tf.status == "active"
        return
    expected = Forbidden if sees else NotFound
    for attempt in (
        lambda: services.add_group(user, cast.tf, name="越权"),
        lambda: services.activate(user, cast.tf),
        lambda: services.update_taskforce(user, cast.tf, version=cast.tf.version, name="越权"),
        lambda: services.join(user, cast.tf, person=cast.people.charlie, role="member"),
        lambda: services.dissolve(user, cast.tf, summary="x", lessons="y"),
    ):
        with pytest.raises(expected):
            attempt()
    cast.tf.refresh_from_db()
    assert cast.tf.status == "planning" and cast.tf.name == "物业管理条例立法专班"


@pytest.mark.parametrize("role", ROLES)
def test_who_may_create_a_task_force(cast, role):
    assert access.can_create_taskforce(_user(cast, role)) is MATRIX[role][2]


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_persons_secondments(cast, role):
    user = _user(cast, role)
    seen = access.visible_memberships_of(user, cast.people.bob).filter(taskforce=cast.tf).exists()
    assert seen is MATRIX[role][3]


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_person_in_the_directory(cast, role):
    assert (cast.people.bob in access.visible_people(_user(cast, role))) is MATRIX[role][4]


def test_an_external_member_sees_only_what_is_assigned_to_them(cast):
    a = access.get_access(cast.erin, cast.tf)
    assert a.view and a.external_only and not a.manage
    visible = set(access.visible_people(cast.erin).values_list("name", flat=True))
    assert visible == {"赵外部", "王组长", "刘主任", "陈联络"}
    assert list(access.visible_units(cast.erin).values_list("name", flat=True)) == sorted(
        ["腾讯科技有限公司", "市政府办公厅", "市住房和城乡建设委员会"])


def test_the_office_of_a_coordinating_task_force_oversees_its_task_forces(cast):
    """一办N专班: the office's director manages the task forces it coordinates, two levels down."""
    office = make_taskforce(cast.admin, name="亚运办", is_office=True)
    services.join(cast.admin, office, person=cast.people.charlie, role=Membership.Role.OFFICE_DIRECTOR)
    child = make_taskforce(cast.admin, name="新闻宣传专班", parent=office, parent_relation="office")
    grandchild = make_taskforce(cast.admin, name="新闻宣传小专班", parent=child, parent_relation="big_small")
    for tf in (child, grandchild):
        assert tf in access.visible_taskforces(cast.charlie)
        assert access.get_access(cast.charlie, tf).manage
    assert cast.tf not in access.visible_taskforces(cast.charlie)


def test_a_former_member_loses_sight_of_a_running_task_force_but_keeps_a_closed_ones_history(cast):
    m = cast.tf.memberships.get(person=cast.people.bob)
    services.leave(cast.admin, m, reason="回原单位")
    assert cast.tf not in access.visible_taskforces(cast.bob)
    other_m = services.join(cast.admin, cast.other, person=cast.people.bob, role="member")
    services.activate(cast.admin, cast.other)
    services.dissolve(cast.admin, cast.other, summary="完成", lessons="经验")
    other_m.refresh_from_db()
    assert other_m.end_on is not None
    assert cast.other in access.visible_taskforces(cast.bob)
