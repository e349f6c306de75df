"""The task-force health checks (体检): each makes one abuse the studies report visible.

Each check is a rule with a threshold the office tunes (``HealthRule``; defaults below) and lists the task
forces that fail it, with the reason in words.  Every check is set-based — a fixed handful of queries
with GROUP BY in the database whatever the number of task forces — so all of them over a province
(1,000 task forces, 200,000 tasks) run in a few seconds (``zhuanban health_bench``).

Activity (空转, 抽调不到岗) is what leaves a trace in the data: an audit event of the task force (every
change made through a service: tasks, meetings, reports, notices, membership…), a progress update of one
of its tasks, a task completed, a report filed, a meeting held, a notice of the task force read or
acknowledged.  For one member, the traces that name them: their audit events in the task force, their
progress updates, the tasks they completed as the responsible person, their filed reports, their
attendance at its meetings, and their reading of its notices.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from zhuanban.org.models import Person
from zhuanban.taskforces import typology
from zhuanban.taskforces.models import Membership, TaskForce

RUNNING = (TaskForce.Status.ACTIVE, TaskForce.Status.SUSPENDED)
OPEN_STATES = (TaskForce.Status.PLANNING, TaskForce.Status.ACTIVE, TaskForce.Status.SUSPENDED)
NAMES_SHOWN = 5


@dataclass(frozen=True)
class Failure:
    taskforce_id: int
    detail: str
    people: tuple[int, ...] = ()


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    abuse: str  # what the check makes visible, in the users' words
    threshold_label: str
    unit: str
    default: int
    run: Callable[[Scope, int, dt.datetime], list[Failure]]
    maximum: int = 3650


@dataclass
class Scope:
    """Which task forces a run looks at (``None``: all) and which secondments a person's load counts
    (``memberships``: a filter on Membership, ``None`` for all — the viewer's ``visible_memberships_q``)."""

    taskforce_ids: list[int] | None = None
    memberships: Q | None = None

    def tf(self, qs: Any, field_name: str = "id") -> Any:
        return qs if self.taskforce_ids is None else qs.filter(**{f"{field_name}__in": self.taskforce_ids})


@dataclass
class Result:
    check: Check
    enabled: bool
    threshold: int
    failures: list[Failure] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)


def _names(people: Iterable[int], names: dict[int, str]) -> str:
    ids = list(people)
    shown = "、".join(names.get(p, str(p)) for p in ids[:NAMES_SHOWN])
    return shown + (f"等 {len(ids)} 人" if len(ids) > NAMES_SHOWN else "")


def _person_names(ids: Iterable[int]) -> dict[int, str]:
    ids = set(ids)
    return dict(Person.objects.filter(pk__in=ids).values_list("id", "name")) if ids else {}


# ---- the checks ---------------------------------------------------------------------------------------


def past_end(scope: Scope, days: int, now: dt.datetime) -> list[Failure]:
    today = timezone.localdate(now)
    rows = scope.tf(TaskForce.objects.filter(status__in=RUNNING, planned_end__lt=today - dt.timedelta(days=days)))
    return [Failure(pk, f"计划 {end:%Y-%m-%d} 结束，已超期 {(today - end).days} 天仍在{'运行' if st == 'active' else '暂停'}")
            for pk, end, st in rows.values_list("id", "planned_end", "status").order_by("planned_end", "id")]


def all_done(scope: Scope, days: int, now: dt.datetime) -> list[Failure]:
    from zhuanban.tasks.models import Task

    cutoff = now - dt.timedelta(days=days)
    rows = (scope.tf(Task.objects.filter(taskforce__status__in=RUNNING), "taskforce_id")
            .values("taskforce_id")
            .annotate(total=Count("id"), open=Count("id", filter=~Q(status__in=Task.CLOSED)), last=Max("completed_at"))
            .filter(open=0, total__gt=0, last__lt=cutoff).order_by("last"))
    return [Failure(r["taskforce_id"], f"{r['total']} 项任务已全部完成（最后一项 "
                    f"{timezone.localtime(r['last']):%Y-%m-%d} 完成），专班仍未解散") for r in rows]


def _active_taskforces(scope: Scope, now: dt.datetime, cutoff: dt.datetime) -> set[int]:
    """Task forces with any trace of activity since ``cutoff`` (see the module's docstring)."""
    from zhuanban.core.models import AuditEvent
    from zhuanban.meetings.models import Meeting
    from zhuanban.notices.models import InboxItem
    from zhuanban.reports.models import Submission
    from zhuanban.tasks.models import ProgressUpdate, Task

    ids: set[int] = set()
    ids.update(scope.tf(AuditEvent.objects.filter(at__gte=cutoff, taskforce_id__isnull=False), "taskforce_id")
               .values_list("taskforce_id", flat=True).order_by().distinct())
    ids.update(scope.tf(ProgressUpdate.objects.filter(at__gte=cutoff), "task__taskforce_id")
               .values_list("task__taskforce_id", flat=True).order_by().distinct())
    ids.update(scope.tf(Task.objects.filter(completed_at__gte=cutoff), "taskforce_id")
               .values_list("taskforce_id", flat=True).order_by().distinct())
    ids.update(scope.tf(Submission.objects.filter(submitted_at__gte=cutoff), "template__taskforce_id")
               .values_list("template__taskforce_id", flat=True).order_by().distinct())
    ids.update(scope.tf(Meeting.objects.filter(status=Meeting.Status.HELD, starts_at__gte=cutoff,
                                               starts_at__lte=now), "taskforce_id")
               .values_list("taskforce_id", flat=True).order_by().distinct())
    ids.update(scope.tf(InboxItem.objects.filter(read_at__gte=cutoff, taskforce_id__isnull=False), "taskforce_id")
               .values_list("taskforce_id", flat=True).order_by().distinct())
    return ids


def idle(scope: Scope, weeks: int, now: dt.datetime) -> list[Failure]:
    cutoff = now - dt.timedelta(weeks=weeks)
    candidates = dict(scope.tf(TaskForce.objects.filter(
        status=TaskForce.Status.ACTIVE, established_on__lte=timezone.localdate(cutoff)))
        .values_list("id", "established_on"))
    if not candidates:
        return []
    active = _active_taskforces(Scope(list(candidates)), now, cutoff)
    return [Failure(pk, f"近 {weeks} 周无任何工作痕迹（无任务进展、报送、会议、通知阅读或操作记录），"
                    f"{est:%Y-%m-%d} 设立") for pk, est in sorted(candidates.items()) if pk not in active]


def _member_traces(tf_ids: list[int], cutoff: dt.datetime, now: dt.datetime) -> set[tuple[int, int]]:
    """(task force, person) pairs with a trace of that member since ``cutoff``."""
    from zhuanban.core.models import AuditEvent
    from zhuanban.meetings.models import Attendance
    from zhuanban.notices.models import InboxItem
    from zhuanban.reports.models import Submission
    from zhuanban.tasks.models import ProgressUpdate, Task

    pairs: set[tuple[int, int]] = set()
    by_user: set[tuple[int, int]] = set()
    by_user.update(AuditEvent.objects.filter(at__gte=cutoff, taskforce_id__in=tf_ids, actor_id__isnull=False)
                   .values_list("taskforce_id", "actor_id").order_by().distinct())
    by_user.update(ProgressUpdate.objects.filter(at__gte=cutoff, task__taskforce_id__in=tf_ids,
                                                 author_id__isnull=False)
                   .values_list("task__taskforce_id", "author_id").order_by().distinct())
    by_user.update(Submission.objects.filter(submitted_at__gte=cutoff, template__taskforce_id__in=tf_ids,
                                             filed_by_id__isnull=False)
                   .values_list("template__taskforce_id", "filed_by_id").order_by().distinct())
    if by_user:
        person_of = dict(Person.objects.filter(user_id__in={u for _, u in by_user}).values_list("user_id", "id"))
        pairs.update((tf, person_of[u]) for tf, u in by_user if u in person_of)
    pairs.update(Task.objects.filter(completed_at__gte=cutoff, taskforce_id__in=tf_ids, responsible_id__isnull=False)
                 .values_list("taskforce_id", "responsible_id").order_by().distinct())
    pairs.update(Submission.objects.filter(submitted_at__gte=cutoff, template__taskforce_id__in=tf_ids,
                                           person_id__isnull=False)
                 .values_list("template__taskforce_id", "person_id").order_by().distinct())
    pairs.update(Attendance.objects.filter(meeting__taskforce_id__in=tf_ids, meeting__starts_at__gte=cutoff,
                                           meeting__starts_at__lte=now, status=Attendance.Status.PRESENT)
                 .values_list("meeting__taskforce_id", "person_id").order_by().distinct())
    pairs.update(InboxItem.objects.filter(read_at__gte=cutoff, taskforce_id__in=tf_ids)
                 .values_list("taskforce_id", "person_id").order_by().distinct())
    return pairs


def absent_member(scope: Scope, weeks: int, now: dt.datetime) -> list[Failure]:
    cutoff = now - dt.timedelta(weeks=weeks)
    rows = list(scope.tf(Membership.objects.filter(
        end_on__isnull=True, taskforce__status=TaskForce.Status.ACTIVE, start_on__lte=timezone.localdate(cutoff)),
        "taskforce_id").values_list("taskforce_id", "person_id"))
    if not rows:
        return []
    tf_ids = sorted({tf for tf, _ in rows})
    traces = _member_traces(tf_ids, cutoff, now)
    absent: dict[int, list[int]] = defaultdict(list)
    for tf, person in rows:
        if (tf, person) not in traces:
            absent[tf].append(person)
    names = _person_names(p for ps in absent.values() for p in ps[:NAMES_SHOWN])
    return [Failure(tf, f"{_names(sorted(ps), names)}近 {weeks} 周在本专班无任何工作痕迹（抽调不到岗）",
                    tuple(sorted(ps))) for tf, ps in sorted(absent.items())]


def _loads(scope: Scope) -> Any:
    qs = Membership.objects.filter(end_on__isnull=True, taskforce__status__in=OPEN_STATES)
    if scope.memberships is not None:
        qs = qs.filter(scope.memberships)
    return qs


def _people_failures(scope: Scope, flagged: dict[int, str]) -> list[Failure]:
    """One failure per task force (in scope) in which a flagged person sits, naming them."""
    if not flagged:
        return []
    # All the scope's secondments in one pass, filtered here: an IN list of thousands of flagged people
    # costs SQLite more than reading the ~45,000 narrow rows of a province.
    where = scope.tf(_loads(scope), "taskforce_id").values_list("taskforce_id", "person_id").order_by()
    by_tf: dict[int, list[int]] = defaultdict(list)
    for tf, person in sorted(where):
        if person in flagged:
            by_tf[tf].append(person)
    names = _person_names(flagged)
    return [Failure(tf, "；".join(f"{names.get(p, p)}{flagged[p]}" for p in ps[:NAMES_SHOWN])
                    + (f"等 {len(ps)} 人" if len(ps) > NAMES_SHOWN else ""), tuple(ps))
            for tf, ps in sorted(by_tf.items())]


def many_taskforces(scope: Scope, limit: int, now: dt.datetime) -> list[Failure]:
    rows = _loads(scope).values("person_id").annotate(n=Count("taskforce_id", distinct=True)).filter(n__gt=limit)
    return _people_failures(scope, {r["person_id"]: f"同时在 {r['n']} 个专班任职" for r in rows})


def over_load(scope: Scope, pct: int, now: dt.datetime) -> list[Failure]:
    rows = _loads(scope).values("person_id").annotate(total=Sum("workload_pct")).filter(total__gt=pct)
    return _people_failures(scope, {r["person_id"]: f"工作量合计 {r['total']}%" for r in rows})


def oral(scope: Scope, days: int, now: dt.datetime) -> list[Failure]:
    today = timezone.localdate(now)
    rows = scope.tf(TaskForce.objects.filter(basis=TaskForce.Basis.ORAL, status__in=OPEN_STATES,
                                             established_on__lte=today - dt.timedelta(days=days)))
    return [Failure(pk, f"{est:%Y-%m-%d} 口头设立，至今无正式发文或会议纪要" + (f"（说明：{note}）" if note else ""))
            for pk, est, note in rows.values_list("id", "established_on", "basis_note").order_by("established_on")]


def formality_type(scope: Scope, days: int, now: dt.datetime) -> list[Failure]:
    """协调表态型 / 弥补空白型 (Liu & Liu: no entity operation).  What an entity operation leaves in the
    data: a theme group with members (工作组), a resident station (驻点/集中办公), full-time members."""
    from zhuanban.meetings.models import Station

    today = timezone.localdate(now)
    rows = dict(scope.tf(TaskForce.objects.filter(entity_operation=False, status__in=OPEN_STATES,
                                                  established_on__lte=today - dt.timedelta(days=days)))
                .values_list("id", "purpose"))
    if not rows:
        return []
    ids = list(rows)
    groups = dict(Membership.objects.filter(taskforce_id__in=ids, end_on__isnull=True, group__isnull=False)
                  .values("taskforce_id").annotate(n=Count("group_id", distinct=True)).values_list("taskforce_id", "n"))
    full = dict(Membership.objects.filter(taskforce_id__in=ids, end_on__isnull=True, full_time=True)
                .values("taskforce_id").annotate(n=Count("id")).values_list("taskforce_id", "n"))
    stations = dict(Station.objects.filter(taskforce_id__in=ids).filter(Q(to_on__isnull=True) | Q(to_on__gte=today))
                    .values("taskforce_id").annotate(n=Count("id")).values_list("taskforce_id", "n"))
    out = []
    for pk in sorted(ids):
        liu = typology.liu_type(rows[pk], False)
        counts = ((groups.get(pk), "个在运转的专题组"), (stations.get(pk), "个驻点"), (full.get(pk), "名专职人员"))
        evidence = [f"{n} {what}" for n, what in counts if n]
        tail = (f"；但数据显示有{'、'.join(evidence)}，请核实是否应改为实体化运作" if evidence
                else "；数据中亦无专题组、驻点或专职人员")
        out.append(Failure(pk, f"{liu.label}（无实体化运作）{tail}"))
    return out


def unread_reports(scope: Scope, days: int, now: dt.datetime) -> list[Failure]:
    """Report templates filed in the last N days whose data nobody opened (aggregate page or API,
    ``ReportRead``) or exported in that time."""
    from zhuanban.reports.models import ExportJob, Submission

    from .models import ReportRead

    cutoff = now - dt.timedelta(days=days)
    filed = (scope.tf(Submission.objects.filter(submitted_at__gte=cutoff, template__is_active=True,
                                                template__taskforce__status__in=RUNNING), "template__taskforce_id")
             .values("template_id", "template__taskforce_id", "template__name").annotate(n=Count("id")))
    filed = list(filed)
    if not filed:
        return []
    ids = [r["template_id"] for r in filed]
    read = set(ReportRead.objects.filter(template_id__in=ids, day__gte=timezone.localdate(cutoff), views__gt=0)
               .values_list("template_id", flat=True))
    read |= set(ExportJob.objects.filter(template_id__in=ids, created_at__gte=cutoff)
                .values_list("template_id", flat=True))
    by_tf: dict[int, list[str]] = defaultdict(list)
    for r in sorted(filed, key=lambda r: r["template_id"]):
        if r["template_id"] not in read:
            by_tf[r["template__taskforce_id"]].append(f"“{r['template__name']}”（{r['n']} 份）")
    return [Failure(tf, f"近 {days} 天报送的{'、'.join(ts[:NAMES_SHOWN])}无人查阅汇总或导出")
            for tf, ts in sorted(by_tf.items())]


CHECKS: dict[str, Check] = {c.code: c for c in [
    Check("past_end", "超过计划结束日期仍未解散", "专班“因事而设、事毕人归”，超期运行即“只设不撤”",
          "超期宽限", "天", 0, past_end),
    Check("all_done", "任务全部完成但未解散", "任务已办结，专班却继续存在", "最后一项完成后超过", "天", 14, all_done),
    Check("idle", "空转：长期无工作痕迹", "专班挂牌却无人办事（空转）", "无活动周数", "周", 4, idle, 104),
    Check("absent_member", "抽调不到岗：成员无工作痕迹", "人员抽调进专班却从未到岗", "无活动周数", "周", 4,
          absent_member, 104),
    Check("many_taskforces", "一人身兼过多专班", "一人挂名多个专班（“线下微信群”）", "专班数上限", "个",
          int(settings.ZHUANBAN.get("MAX_ACTIVE_TASKFORCES", 3)), many_taskforces, 50),
    Check("over_load", "个人工作量超过上限", "身兼数职、工作量合计超过 100%", "工作量上限", "%", 100, over_load, 1000),
    Check("oral", "口头设立（无设立依据）", "专班口头设立，无正式发文或会议纪要", "设立后宽限", "天", 0, oral),
    Check("formality_type", "协调表态型 / 弥补空白型（无实体化运作）", "无实体运作的专班易流于形式",
          "设立后宽限", "天", 30, formality_type),
    Check("unread_reports", "报送了却无人查阅", "数字形式主义：只采集、不使用", "统计天数", "天", 30,
          unread_reports, 365),
]}


def settings_of() -> dict[str, tuple[bool, int]]:
    from .models import HealthRule

    rows = {r.code: (r.enabled, r.threshold) for r in HealthRule.objects.all()}
    return {code: rows.get(code, (True, c.default)) for code, c in CHECKS.items()}


def run(scope: Scope, *, codes: Iterable[str] | None = None, now: dt.datetime | None = None,
        progress: Callable[[str], None] | None = None) -> list[Result]:
    """Run the checks (all, or ``codes``) over ``scope``; disabled ones come back with no failures."""
    now = now or timezone.now()
    rules = settings_of()
    results = []
    for code in codes or CHECKS:
        check = CHECKS[code]
        enabled, threshold = rules[code]
        failures = check.run(scope, threshold, now) if enabled else []
        results.append(Result(check, enabled, threshold, failures))
        if progress:
            progress(code)
    ids = {f.taskforce_id for r in results for f in r.failures}
    names = dict(TaskForce.objects.filter(pk__in=ids).values_list("id", "name")) if ids else {}
    for r in results:
        r.names = names
    return results
