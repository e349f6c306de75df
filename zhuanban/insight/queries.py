"""Read side of insight: who sees which dashboard over which task forces, and the health results scoped
to the viewer.

- The office (全省专班统筹办公室): system administrators and holders of ``insight.view_province``; it sees
  every task force, tunes the health rules and reads every dashboard.
- A leader (组长, 副组长, 责任副组长 with an active membership): the task forces they lead.
- A home unit (派出单位): its leaders (``Person.is_unit_leader``) see the unit's seconded people and the
  task forces those people are in (not 敏感 ones they cannot otherwise see, as in
  ``taskforces.access.visible_memberships_q``).
Anyone else asking for a dashboard gets 403 (a dashboard is not an object: its existence is no secret);
a unit that is not the caller's own is a 404, like any object one may not see.
"""

from __future__ import annotations

from typing import Any

from zhuanban.core.errors import Forbidden, Invalid, NotFound
from zhuanban.core.labels import SecurityLabel
from zhuanban.org.models import Unit
from zhuanban.taskforces import access as tf_access
from zhuanban.taskforces.models import Membership, TaskForce

from . import checks
from .models import DissolutionSummary

DASHBOARDS = ("office", "leader", "unit")


def is_office(user: Any) -> bool:
    return tf_access.is_admin(user) or bool(getattr(user, "is_authenticated", False)
                                            and user.has_perm("insight.view_province"))


def can_tune_rules(user: Any) -> bool:
    return tf_access.is_admin(user) or bool(getattr(user, "is_authenticated", False)
                                            and user.has_perm("insight.change_healthrule"))


def led_taskforce_ids(user: Any) -> list[int]:
    person = tf_access.person_of(user)
    if person is None:
        return []
    return sorted(set(Membership.objects.filter(person=person, end_on__isnull=True,
                                                role__in=Membership.LEADER_ROLES)
                      .values_list("taskforce_id", flat=True)))


def unit_for(user: Any, unit_id: Any = None) -> Unit:
    """The home unit whose dashboard ``user`` asks for: their own (unit leaders), or any (the office)."""
    person = tf_access.person_of(user)
    if unit_id in (None, ""):
        if person is not None and person.is_unit_leader:
            return person.home_unit
        if is_office(user):
            raise Invalid("unit_required", "请指定要查看的单位", {"unit": "请选择单位"})
        raise Forbidden("只有派出单位负责人或专班统筹办公室可以查看单位看板")
    try:
        unit = Unit.objects.get(pk=int(unit_id))
    except (Unit.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    if is_office(user) or (person is not None and person.is_unit_leader and person.home_unit_id == unit.pk):
        return unit
    raise NotFound()


def unit_taskforce_ids(unit: Unit) -> list[int]:
    """Task forces the unit's people are seconded into (active secondments), sensitive ones left out."""
    return sorted(set(
        Membership.objects.filter(dispatching_unit=unit, end_on__isnull=True)
        .exclude(taskforce__security_label=SecurityLabel.SENSITIVE)
        .values_list("taskforce_id", flat=True)))


def dashboard_scope(user: Any, dashboard: str, unit_id: Any = None) -> tuple[list[int] | None, dict[str, Any]]:
    """(task force ids or None for all, a description) of ``dashboard`` for ``user``; refusals raise."""
    if dashboard not in DASHBOARDS:
        raise NotFound()
    if dashboard == "office":
        if not is_office(user):
            raise Forbidden("全省看板仅供专班统筹办公室查看")
        return None, {"title": "全省专班监测", "subject": "全省"}
    if dashboard == "leader":
        ids = led_taskforce_ids(user)
        if not ids:
            raise Forbidden("您目前不是任何专班的组长、副组长或责任副组长")
        person = tf_access.person_of(user)
        return ids, {"title": "我牵头的专班", "subject": person.name if person else ""}
    unit = unit_for(user, unit_id)
    return unit_taskforce_ids(unit), {"title": f"{unit}：抽调人员与所在专班", "subject": str(unit),
                                      "unit_id": unit.pk}


def health_scope(user: Any) -> checks.Scope:
    """The office checks every task force; anyone else the task forces they manage (leaders and office
    of a task force, and those above it), with people's load counted over the secondments they may see."""
    if is_office(user):
        return checks.Scope(None, None)
    ids = list(tf_access.managed_taskforces(user).values_list("id", flat=True))
    if not ids:
        raise Forbidden("体检结果仅供专班统筹办公室和专班领导、专班办公室查看")
    return checks.Scope(sorted(ids), tf_access.visible_memberships_q(user))


def health(user: Any, codes: list[str] | None = None) -> list[checks.Result]:
    if codes:
        unknown = [c for c in codes if c not in checks.CHECKS]
        if unknown:
            raise Invalid("unknown_check", f"没有体检项“{unknown[0]}”", {"check": "可选：" + "、".join(checks.CHECKS)})
    return checks.run(health_scope(user), codes=codes)


def summaries_of(user: Any, tf: TaskForce) -> list[DissolutionSummary]:
    """The archived summaries of a task force the user may see (the caller has looked it up already)."""
    return list(DissolutionSummary.objects.filter(taskforce=tf).order_by("-period_number"))


def get_summary(user: Any, pk: Any) -> DissolutionSummary:
    """A summary if the user may see its task force, or is a person it was shared with; else 404."""
    try:
        s = DissolutionSummary.objects.select_related("taskforce").get(pk=int(pk))
    except (DissolutionSummary.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    person = tf_access.person_of(user)
    if person is not None and person.pk in (s.shared_with or []):
        return s
    if is_office(user) or tf_access.get_access(user, s.taskforce).view:
        return s
    raise NotFound()
