"""Task domain rules: the tree and dependencies, the dispatch chain, bounces and the office's ruling,
completion and reopening, versions, open items of the task force."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhuanban.core.errors import Conflict, Forbidden, Invalid, NotFound
from zhuanban.core.models import AuditEvent
from zhuanban.taskforces import services as tf_services
from zhuanban.tasks import services
from zhuanban.tasks.models import Dispatch, Dispute, Task

D = dt.date


class TestTree:
    def test_a_tree_five_deep(self, mk):
        parent = None
        for level in range(5):
            parent = mk(f"第{level + 1}层", parent=parent)
        assert Task.objects.get(pk=parent.pk).parent.parent.parent.parent.parent is None

    def test_a_parent_cycle_is_refused(self, cast, mk):
        a = mk("A")
        b = mk("B", parent=a)
        c = mk("C", parent=b)
        with pytest.raises(Invalid) as exc:
            services.update_task(cast.olivia, a, version=a.version, parent=c)
        assert exc.value.code == "parent_cycle" and exc.value.status == 422
        with pytest.raises(Invalid):
            services.update_task(cast.olivia, a, version=a.version, parent=a)

    def test_a_dependency_cycle_is_refused(self, cast, mk):
        a, b, c = mk("A"), mk("B"), mk("C")
        services.update_task(cast.olivia, b, version=b.version, depends_on=[a])
        services.update_task(cast.olivia, c, version=c.version, depends_on=[b])
        a.refresh_from_db()
        with pytest.raises(Invalid) as exc:
            services.update_task(cast.olivia, a, version=a.version, depends_on=[c])
        assert exc.value.code == "dependency_cycle"

    def test_due_before_start_is_refused(self, mk):
        with pytest.raises(Invalid) as exc:
            mk("倒挂", start_at=D(2026, 3, 10), due_at=D(2026, 3, 1))
        assert exc.value.code == "due_before_start"

    def test_due_in_one_working_day_at_creation(self, mk):
        t = mk("节前交办", start_at=D(2025, 9, 30), due_in_workdays=1)
        local = timezone.localtime(t.due_at)
        assert (local.date(), local.time()) == (D(2025, 10, 9), dt.time(17, 30))

    def test_plan_is_sanitised(self, mk):
        t = mk("方案", plan="步骤 <script>alert(1)</script>**一**")
        assert "<script>" not in t.plan and "**一**" in t.plan

    def test_only_managers_create(self, cast, mk):
        with pytest.raises(Forbidden):
            mk("越权", actor=cast.bob)
        with pytest.raises(NotFound):
            mk("看不见", actor=cast.charlie)


class TestDispatchChain:
    def test_dispatch_sign_and_the_sender_sees_who_has_not_signed(self, cast, mk):
        t = mk("牵头推进")
        hop = services.dispatch(cast.olivia, t, to_unit=cast.units.zjw, note="请住建委牵头")
        assert t.status == Task.Status.DISPATCHED
        assert list(t.dispatches.filter(status="pending")) == [hop]
        services.sign(cast.liam, t)  # the liaison of 市住建委 signs for the unit
        hop.refresh_from_db()
        assert hop.status == Dispatch.Status.SIGNED and hop.signed_by == cast.people.liam
        t.refresh_from_db()
        assert t.status == Task.Status.SIGNED and t.lead_unit == cast.units.zjw and t.responsible == cast.people.liam
        # the holder passes it on to a member
        services.dispatch(cast.liam, t, to_person=cast.people.bob)
        services.sign(cast.bob, t)
        assert [h.status for h in t.dispatches.order_by("id")] == ["signed", "signed"]

    def test_signing_a_task_not_dispatched_to_you(self, cast, mk):
        t = mk("派给李")
        services.dispatch(cast.olivia, t, to_person=cast.people.bob)
        with pytest.raises(Forbidden):
            services.sign(cast.liam, t)  # sees the task force, not the receiver
        with pytest.raises(NotFound):
            services.sign(cast.charlie, t)  # cannot see it at all

    def test_returning_needs_a_reason(self, cast, mk):
        t = mk("退回")
        services.dispatch(cast.olivia, t, to_person=cast.people.bob)
        with pytest.raises(Invalid) as exc:
            services.return_task(cast.bob, t, reason="  ")
        assert exc.value.code == "reason_required"


class TestDisputes:
    def test_second_bounce_becomes_a_dispute_and_the_ruling_is_final(self, cast, mk):
        t = mk("舆情应对")
        services.dispatch(cast.olivia, t, to_taskforce=cast.tf, to_person=cast.people.bob)
        services.return_task(cast.bob, t, reason="属网宣专班职责")
        assert t.status == Task.Status.RETURNED and t.bounces == 1
        services.dispatch(cast.olivia, t, to_person=cast.people.liam)
        services.return_task(cast.liam, t, reason="属新闻宣传专班职责")
        t.refresh_from_db()
        assert t.status == Task.Status.DISPUTED and t.bounces == 2
        dispute = Dispute.objects.get(task=t)
        assert [b["reason"] for b in dispute.bounces] == ["属网宣专班职责", "属新闻宣传专班职责"]
        with pytest.raises(Forbidden):
            services.rule_dispute(cast.bob, dispute, ruling="x", owner_person=cast.people.bob)
        services.rule_dispute(cast.olivia, dispute, ruling="由住建委负责，李成员为责任人",
                              owner_unit=cast.units.zjw, owner_person=cast.people.bob)
        t.refresh_from_db()
        assert t.status == Task.Status.SIGNED and t.responsible == cast.people.bob and t.lead_unit == cast.units.zjw
        assert t.dispatches.order_by("-id").first().by_ruling
        with pytest.raises(Conflict) as exc:
            services.rule_dispute(cast.olivia, dispute, ruling="改判", owner_person=cast.people.liam)
        assert exc.value.code == "dispute_ruled"
        assert AuditEvent.objects.filter(action="task.rule", object_id=str(t.pk)).exists()

    def test_bounce_threshold_is_configurable(self, cast, mk, settings):
        settings.ZHUANBAN = {**settings.ZHUANBAN, "DISPUTE_BOUNCES": 1}
        t = mk("一次即争议")
        services.dispatch(cast.olivia, t, to_person=cast.people.bob)
        services.return_task(cast.bob, t, reason="不归我")
        assert t.status == Task.Status.DISPUTED


class TestCompletion:
    def test_open_children_block_completion_and_are_listed(self, cast, mk):
        parent = mk("总任务", responsible=cast.people.bob)
        child = mk("子任务", parent=parent)
        with pytest.raises(Conflict) as exc:
            services.complete(cast.bob, parent)
        assert exc.value.status == 409 and exc.value.extra["children"] == [
            {"id": child.pk, "title": "子任务", "status": "draft"}]

    def test_lead_unit_confirms_office_verifies_and_reopen_keeps_history(self, cast, mk):
        t = mk("需确认", responsible=cast.people.bob, lead_unit=cast.units.zjw, requires_verification=True)
        services.report_progress(cast.bob, t, progress=60, note="已完成初稿")
        services.complete(cast.bob, t)
        assert t.status == Task.Status.PENDING_CONFIRMATION
        with pytest.raises(Forbidden):
            services.confirm(cast.bob, t)  # the responsible person cannot confirm their own work
        services.confirm(cast.liam, t)  # liaison of the lead unit
        assert t.status == Task.Status.PENDING_VERIFICATION
        services.verify(cast.olivia, t)
        assert t.status == Task.Status.DONE and t.light == Task.Light.NONE
        services.reopen(cast.olivia, t, reason="核查发现问题")
        assert t.status == Task.Status.IN_PROGRESS
        actions = list(AuditEvent.objects.for_object(t).order_by("id").values_list("action", flat=True))
        assert actions == ["task.create", "task.progress", "task.complete", "task.confirm", "task.verify",
                           "task.reopen"]

    def test_a_stale_version_is_refused_and_the_first_write_kept(self, cast, mk):
        t = mk("并发")
        first = Task.objects.get(pk=t.pk)
        second = Task.objects.get(pk=t.pk)
        services.update_task(cast.olivia, first, version=first.version, title="甲的修改")
        with pytest.raises(Conflict) as exc:
            services.update_task(cast.alice, second, version=second.version, title="乙的修改")
        assert exc.value.code == "stale_version"
        assert Task.objects.get(pk=t.pk).title == "甲的修改"


class TestOpenItems:
    def test_open_tasks_block_dissolution(self, cast, mk):
        t = mk("未办结")
        blockers = tf_services.dissolution_blockers(cast.tf, summary="s", lessons="l")
        assert any(b["item"]["kind"] == "task" and b["item"]["id"] == t.pk for b in blockers if b.get("item"))

    def test_liaison_handover_moves_their_tasks(self, cast, mk):
        from tests.factories import PersonFactory
        from zhuanban.taskforces.models import Membership

        t = mk("联络员的任务", responsible=cast.people.liam)
        successor = PersonFactory(name="新联络", home_unit=cast.units.zjw)
        m = Membership.objects.get(person=cast.people.liam, taskforce=cast.tf)
        tf_services.replace(cast.admin, m, successor=successor, decided_by="专班办公室", reason="轮岗")
        t.refresh_from_db()
        assert t.responsible == successor

    def test_merge_moves_the_tree(self, cast, mk):
        parent = mk("父")
        mk("子", parent=parent)
        tf_services.merge(cast.admin, cast.tf, into=cast.other, reason="合并")
        assert Task.objects.filter(taskforce=cast.other).count() == 2
