"""Demo data of accountability, loaded by ``zhuanban.demo.loader`` after the tasks, meetings, reports and
notices: supervision records on the public cases, through the services (the notices they send are
expanded at once: no background worker at load time).

- 城市副中心 (``fzx``) — a 督办通知 on an overdue (红灯) task, to its 责任人, with a follow-up response;
- 城市大脑 (``brain``) — a 约谈 with the 责任人 of another overdue task and their dispatching unit;
- 亚运 L区 网络宣传 (``ya_online``) — a 通报 when one of its tasks is overdue (the two publicity task forces
  that pushed tasks to each other).

Idempotent: a record is found by its task force and title.  When a case has no overdue task owned by an
active member (the data moved on), the record is made on its most urgent open task instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from zhuanban.taskforces.access import CLOSED
from zhuanban.taskforces.models import Membership, TaskForce
from zhuanban.tasks.models import Task

from . import services
from .models import Supervision

PLAN = [
    ("fzx", "notice", "关于“{task}”逾期未完成的督办通知",
     "该任务已超过完成时限，进展明显滞后。请责任人说明原因，提出整改措施，并按新的时间节点完成。"),
    ("brain", "talk", "关于“{task}”推进滞后的约谈",
     "任务多次催办仍无实质进展，依据专班工作规则，约谈责任人及其派出单位分管负责人。"),
    ("ya_online", "circular", "关于“{task}”推诿延误情况的通报",
     "该任务在新闻宣传、网络宣传两个专班之间来回推送，延误了办理时机，现予通报，请各成员单位引以为戒。"),
]


def _manager(tf: TaskForce, admin: Any) -> Any:
    m = (Membership.objects.filter(taskforce=tf, end_on__isnull=True, person__user__isnull=False,
                                   role__in=[Membership.Role.OFFICE_DIRECTOR, *sorted(Membership.LEADER_ROLES)])
         .select_related("person__user").order_by("role", "id").first())
    return m.person.user if m else admin


def _target(tf: TaskForce) -> Task | None:
    members = Membership.objects.filter(taskforce=tf, end_on__isnull=True).values("person_id")
    qs = Task.objects.filter(taskforce=tf, responsible__in=members).exclude(status__in=Task.CLOSED)
    return (qs.filter(due_at__lt=timezone.now()).order_by("due_at", "id").first()
            or qs.filter(due_at__isnull=False).order_by("due_at", "id").first())


def load(admin: Any, taskforces: dict[str, TaskForce]) -> None:
    from zhuanban.notices import audience

    today = timezone.localdate()
    for key, kind, title, reason in PLAN:
        tf = taskforces.get(key)
        if tf is None or tf.status in CLOSED:
            continue
        if Supervision.objects.filter(taskforce=tf, kind=kind).exists():
            continue
        task = _target(tf)
        if task is None:
            continue
        actor = _manager(tf, admin)
        rec = services.create(
            actor, kind=kind, task_ids=[task.pk], title=title.format(task=task.title[:40]), reason=reason,
            follow_up_due=today + dt.timedelta(days=5),
            talk_at=timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=2, hours=1)
            if kind == "talk" else None, location="专班办公室第一会议室" if kind == "talk" else "")
        if rec.notice_id:
            audience.expand(rec.notice_id)
        if kind == "notice":  # the person answers (or the office records the answer on their behalf)
            who = task.responsible.user if task.responsible and task.responsible.user_id else actor
            services.respond(who, rec, response="已调配两名骨干专职推进，本周五前提交阶段成果，"
                                                                   "之后每日报送进展。")
