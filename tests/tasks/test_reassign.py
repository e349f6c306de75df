"""改派: the office moves tasks between people or units after seeing their open load (service and page)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import make_taskforce
from tests.web.conftest import text
from zhuanban.core.errors import Conflict, Forbidden, Invalid
from zhuanban.core.models import AuditEvent
from zhuanban.taskforces import services as tf_services
from zhuanban.tasks import access, queries, services
from zhuanban.tasks.models import Dispatch, Task


def overdue(mk, title: str, person, **kw) -> Task:
    today = timezone.localdate()
    return mk(title, responsible=person, start_at=today - dt.timedelta(days=30),
              due_at=today - dt.timedelta(days=2), **kw)


class TestService:
    def test_moves_person_and_unit_and_records_it(self, cast, mk):
        t = mk("起草条例说明", responsible=cast.people.bob, lead_unit=cast.units.zjw)
        services.reassign(cast.olivia, t, responsible=cast.people.liam, lead_unit=cast.units.sfj,
                          reason="李成员本周赴沪调研", version=t.version)
        t.refresh_from_db()
        assert (t.responsible, t.lead_unit, t.version) == (cast.people.liam, cast.units.sfj, 2)
        event = AuditEvent.objects.for_object(t).get(action="task.reassign")
        assert event.before == {"responsible": cast.people.bob.pk, "lead_unit": cast.units.zjw.pk}
        assert event.note == "李成员本周赴沪调研"

    def test_a_pending_dispatch_is_resent_to_the_new_receiver(self, cast, mk):
        t = mk("征求意见", responsible=cast.people.bob)
        old = services.dispatch(cast.olivia, t, to_person=cast.people.bob)
        t.refresh_from_db()
        services.reassign(cast.olivia, t, responsible=cast.people.liam, version=t.version)
        t.refresh_from_db()
        old.refresh_from_db()
        assert old.status == Dispatch.Status.SUPERSEDED and t.status == Task.Status.DISPATCHED
        assert access.pending_hop(t).to_person == cast.people.liam
        with pytest.raises(Forbidden):  # bob's hop is gone: he may no longer sign
            services.sign(cast.bob, t)
        services.sign(cast.liam, t)

    def test_only_the_office_reassigns(self, cast, mk):
        t = mk("x", responsible=cast.people.bob)
        with pytest.raises(Forbidden):
            services.reassign(cast.bob, t, responsible=cast.people.liam)

    def test_nothing_to_change_is_refused(self, cast, mk):
        t = mk("x", responsible=cast.people.bob)
        with pytest.raises(Invalid) as err:
            services.reassign(cast.olivia, t, responsible=cast.people.bob)
        assert err.value.code == "reassign_unchanged"
        with pytest.raises(Invalid):
            services.reassign(cast.olivia, t)

    def test_a_disputed_task_is_ruled_not_reassigned(self, cast, mk):
        t = mk("推来推去")
        for _ in range(2):
            services.dispatch(cast.olivia, t, to_person=cast.people.bob)
            services.return_task(cast.bob, t, reason="不归我们")
        with pytest.raises(Conflict) as err:
            services.reassign(cast.olivia, t, responsible=cast.people.liam)
        assert err.value.code == "illegal_transition"


class TestLoad:
    def test_open_tasks_overdue_and_task_forces_across_task_forces(self, cast, mk):
        bob = cast.people.bob
        overdue(mk, "逾期一", bob)
        mk("在办二", responsible=bob)
        done = mk("已办结", responsible=bob)
        Task.objects.filter(pk=done.pk).update(status=Task.Status.DONE)
        second = make_taskforce(cast.admin, name="第二专班")
        tf_services.join(cast.admin, second, person=bob, role="member", workload_pct=30)
        tf_services.join(cast.admin, second, person=cast.people.olivia, role="office_director", workload_pct=0)
        mk("另一专班的任务", tf=second, responsible=bob)
        load = queries.people_load(cast.olivia, [bob.pk])[bob.pk]
        assert (load.open, load.red, load.taskforces, load.workload_pct) == (3, 1, 2, 80)

    def test_a_task_force_the_viewer_cannot_see_does_not_count(self, cast, mk):
        bob = cast.people.bob
        secret = make_taskforce(cast.admin, name="涉密专项专班", security_label="sensitive")
        tf_services.join(cast.admin, secret, person=bob, role="member", workload_pct=60)
        services.create_task(cast.admin, secret, title="涉密任务", responsible=bob)
        mine = queries.people_load(cast.olivia, [bob.pk])[bob.pk]
        assert (mine.open, mine.taskforces, mine.workload_pct) == (0, 1, 50)
        assert queries.people_load(cast.bob, [bob.pk])[bob.pk].open == 1  # he sees his own


class TestPage:
    def test_office_sees_the_load_first_and_moves_two_tasks(self, cast, mk, as_user):
        bob, liam = cast.people.bob, cast.people.liam
        a = overdue(mk, "逾期的调研报告", bob)
        b = mk("条例释义", responsible=bob)
        c = mk("不动的任务", responsible=bob)
        c_version = c.version
        client = as_user(cast.olivia)
        page = client.get(f"/tf/{cast.tf.pk}/tasks/reassign/")
        assert page.status_code == 200
        body = text(page)
        load_table = body.split('data-testid="people-load"')[1].split("</table>")[0]
        # bob first: he has the overdue task; his row shows 3 open, 1 overdue.
        first_row = load_table.split("<tr data-person=")[1]
        assert "李成员" in first_row and ">3<" in first_row and ">1<" in first_row
        r = client.post(f"/tf/{cast.tf.pk}/tasks/reassign/", {
            "task": [a.pk, b.pk], f"version_{a.pk}": a.version, f"version_{b.pk}": b.version,
            "responsible": liam.pk, "reason": "李成员超负荷，调整给联络员"})
        assert r.status_code == 302
        assert set(Task.objects.filter(responsible=liam).values_list("pk", flat=True)) == {a.pk, b.pk}
        assert Task.objects.get(pk=c.pk).version == c_version
        body = text(client.get(r["Location"]))
        assert "已改派 2 项任务" in body

    def test_a_stale_version_moves_nothing(self, cast, mk, as_user):
        a, b = mk("甲", responsible=cast.people.bob), mk("乙", responsible=cast.people.bob)
        stale = b.version
        services.update_task(cast.alice, b, version=b.version, title="乙（组长改过）")
        r = as_user(cast.olivia).post(f"/tf/{cast.tf.pk}/tasks/reassign/", {
            "task": [a.pk, b.pk], f"version_{a.pk}": a.version, f"version_{b.pk}": stale,
            "responsible": cast.people.liam.pk})
        assert r.status_code == 409 and "已被他人修改" in text(r)
        assert not Task.objects.filter(responsible=cast.people.liam).exists()  # all or nothing

    def test_nothing_selected_or_someone_outside_is_refused(self, cast, mk, as_user):
        a = mk("甲", responsible=cast.people.bob)
        client = as_user(cast.olivia)
        r = client.post(f"/tf/{cast.tf.pk}/tasks/reassign/", {"responsible": cast.people.liam.pk})
        assert r.status_code == 422 and "请勾选要改派的任务" in text(r)
        r = client.post(f"/tf/{cast.tf.pk}/tasks/reassign/", {
            "task": [a.pk], "responsible": cast.people.charlie.pk})
        assert r.status_code == 422
        assert Task.objects.get(pk=a.pk).responsible == cast.people.bob

    def test_members_may_not_and_outsiders_do_not_know(self, cast, as_user):
        assert as_user(cast.bob).get(f"/tf/{cast.tf.pk}/tasks/reassign/").status_code == 403
        assert as_user(cast.charlie).get(f"/tf/{cast.tf.pk}/tasks/reassign/").status_code == 404

    def test_the_task_page_links_to_it_with_the_task_ticked(self, cast, mk, as_user):
        t = mk("从任务页改派", responsible=cast.people.bob)
        detail = text(as_user(cast.olivia).get(f"/tasks/{t.pk}/"))
        assert f"/tf/{cast.tf.pk}/tasks/reassign/?task={t.pk}" in detail
        page = text(as_user(cast.olivia).get(f"/tf/{cast.tf.pk}/tasks/reassign/?task={t.pk}"))
        assert f'value="{t.pk}" id="rt-{t.pk}" checked' in page
        assert "reassign-link" not in text(as_user(cast.bob).get(f"/tasks/{t.pk}/"))
