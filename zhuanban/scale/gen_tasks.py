"""Phase ``tasks``: the task trees of the task forces (up to five levels), with lead and cooperating units,
responsible people, time nodes, dependencies, the dispatch chain (signed, pending, returned, disputed and
ruled hops), progress reports and warning lights.

Statuses are decided bottom-up so the tree obeys the services' rules: a task is done (or waiting for
confirmation) only when all its children are done and its prerequisites are; tasks of a dissolved task
force are all done.  Lights are set from the same formula as ``tasks.lights`` and recomputed with
``recompute_lights`` at the end.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from zhuanban.core.labels import SecurityLabel
from zhuanban.core.workdays import workday_end
from zhuanban.taskforces.models import Membership, TaskForce
from zhuanban.tasks import lights
from zhuanban.tasks.models import Dependency, Dispatch, Dispute, Milestone, ProgressUpdate, Task

from . import gen_names as N
from .gen_common import Buffer, Context

St = Task.Status
R = Membership.Role
COMPLETED = (St.DONE, St.PENDING_CONFIRMATION, St.PENDING_VERIFICATION)
DEPTH_SHARES = [0.08, 0.22, 0.35, 0.23, 0.12]  # levels 1..5
WORKERS = (R.LIAISON, R.MEMBER, R.OFFICE_STAFF, R.EXTERNAL, R.CHIEF_EXPERT)
DAY = dt.timedelta(days=1)


@dataclass
class Node:
    id: int
    depth: int
    parent: Node | None
    start: dt.datetime
    due: dt.datetime
    children: list[Node] = field(default_factory=list)
    status: str = St.DRAFT
    progress: int = 0
    completed: dt.datetime | None = None


class _TF:
    """What a task force's tasks need from its plan: units, liaisons, workers, managers."""

    def __init__(self, ctx: Context, p) -> None:
        self.p = p
        closed = p.closed
        self.mus = [mu for mu in p.member_units if closed or mu.left is None]
        current = [m for m in p.members if closed or m.active]
        self.liaison = {}  # unit index -> person
        for m in sorted((m for m in p.members if m.role == R.LIAISON), key=lambda m: m.start):
            if closed or m.active:
                self.liaison[m.unit] = m.person
        self.workers: dict[int, list[int]] = {}
        for m in current:
            if m.role in WORKERS:
                self.workers.setdefault(m.unit, []).append(m.person)
        self.all_workers = sorted({pid for ps in self.workers.values() for pid in ps})
        self.leaders = [m.person for m in current if m.role in Membership.LEADER_ROLES]
        boss = next((m for m in current if m.role == R.OFFICE_DIRECTOR), None) or next(
            (m for m in current if m.role == R.HEAD), None) or (current[0] if current else None)
        self.boss = boss.person if boss else None
        self.boss_unit = ctx.units[boss.unit].id if boss else None
        self.boss_user = ctx.person_user.get(self.boss) if self.boss else None
        self.lead_mu = next((mu for mu in self.mus if mu.role == "lead"), self.mus[0] if self.mus else None)


def run(ctx: Context) -> None:
    now = ctx.now
    soon = lights.margin_end(now)
    busy = ctx.extra.get("busy_person")
    planned = sum(p.n_tasks for p in ctx.taskforces)
    first_id = None
    stats = {"max_depth": 0, "by_status": {}, "by_light": {}}
    ctx.extra["unit_label"] = {u.id: u.short for u in ctx.units}
    with ctx.bar("任务", planned) as bar:
        buf = Buffer(None, limit=30_000)
        for p in ctx.taskforces:
            if not p.n_tasks:
                continue
            tf = _TF(ctx, p)
            if not tf.mus:
                continue
            nodes = _tree(ctx, ctx.rng(f"tasks:{p.index}"), p, now)
            first_id = nodes[0].id if first_id is None else first_id
            _statuses(ctx.rng(f"status:{p.index}"), p, nodes, now)
            _rows(ctx, ctx.rng(f"rows:{p.index}"), tf, nodes, buf, now, soon, busy, stats)
            bar.update(len(nodes))
        buf.flush()
    generated = Task.objects.filter(id__gte=first_id) if first_id else Task.objects.none()
    changed = lights.recompute_lights(generated)
    total = sum(stats["by_status"].values())
    stats["by_light"] = {row["light"]: row["n"] for row in generated.values("light").annotate(n=Count("id"))}
    ctx.counts.update({
        "tasks": total, "tasks_by_status": dict(sorted(stats["by_status"].items())),
        "tasks_by_light": dict(sorted(stats["by_light"].items())), "task_tree_max_depth": stats["max_depth"],
        "lights_changed_by_recompute": sum(changed.values()),
        **{k.split(".")[-1].lower() + "_rows": v for k, v in buf.written.items() if not k.endswith(".Task")},
    })
    red = stats["by_light"].get(Task.Light.RED, 0)
    ctx.counts["overdue_share"] = round(red / total, 4) if total else 0.0


# ---- the tree and its dates ---------------------------------------------------------------------------


def _at(day: dt.date, t: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, t))


def _tree(ctx: Context, rng: random.Random, p, now: dt.datetime) -> list[Node]:
    n = p.n_tasks
    sizes = [max(1, round(n * DEPTH_SHARES[0]))]
    left = n - sizes[0]
    for share in DEPTH_SHARES[1:]:
        k = min(left, round(n * share))
        sizes.append(k)
        left -= k
    sizes[-1] += left
    ids = iter(ctx.ids(Task, n))
    end = p.dissolved_on or (ctx.today + dt.timedelta(days=120))
    since = p.active_since
    start_t, due_t = dt.time(9, 0), workday_end()
    levels: list[list[Node]] = []
    for depth, size in enumerate(sizes, start=1):
        level: list[Node] = []
        for _ in range(size):
            parent = rng.choice(levels[-1]) if levels and levels[-1] else None
            if parent is None:
                span = max(1, (end - since).days)
                day = since + dt.timedelta(days=int(span * rng.random() ** 1.3 * 0.9))
                start = _at(day, start_t)
                due_day = day + dt.timedelta(days=rng.randint(45, 420))
                if p.dissolved_on is not None:
                    due_day = min(due_day, p.dissolved_on)
                due = _at(max(due_day, day), due_t)
            else:
                room = max(0.0, (parent.due - parent.start).total_seconds())
                start = _at((parent.start + dt.timedelta(seconds=room * rng.random() * 0.5)).date(), start_t)
                start = max(start, parent.start)
                rest = max(0.0, (parent.due - start).total_seconds())
                due = _at((start + dt.timedelta(seconds=rest * rng.uniform(0.3, 1.0))).date(), due_t)
                due = max(min(due, parent.due), start)
            node = Node(next(ids), depth if parent else 1, parent, start, due)
            if parent:
                parent.children.append(node)
            level.append(node)
        if level:
            levels.append(level)
    return sorted((node for level in levels for node in level), key=lambda x: x.id)


def _leaf_status(rng: random.Random, p, node: Node, now: dt.datetime) -> str:
    if p.closed:
        return St.DONE
    if p.status == TaskForce.Status.PLANNING:
        return St.DRAFT if rng.random() < 0.7 else St.DISPATCHED
    r = rng.random()
    if node.start > now:
        return St.DRAFT if r < 0.35 else St.DISPATCHED if r < 0.65 else St.SIGNED
    if node.due < now:  # its deadline has passed: most were done in time, some are overdue
        if r < 0.965:
            return St.DONE
        return St.IN_PROGRESS if r < 0.985 else St.SIGNED if r < 0.993 else St.PENDING_CONFIRMATION
    elapsed = (now - node.start) / max(node.due - node.start, dt.timedelta(hours=1))
    done = 0.05 + 0.3 * elapsed
    for status, share in ((St.DONE, done), (St.PENDING_CONFIRMATION, 0.03), (St.PENDING_VERIFICATION, 0.01),
                          (St.RETURNED, 0.015), (St.DISPUTED, 0.005), (St.DISPATCHED, 0.06), (St.SIGNED, 0.10),
                          (St.DRAFT, 0.02)):
        if r < share:
            return status
        r -= share
    return St.IN_PROGRESS


def _statuses(rng: random.Random, p, nodes: list[Node], now: dt.datetime) -> None:
    """Bottom-up: children first, a parent closes only after all of its children."""
    for node in sorted(nodes, key=lambda x: -x.depth):
        status = _leaf_status(rng, p, node, now)
        if node.children and any(c.status != St.DONE for c in node.children) and status in COMPLETED:
            status = St.IN_PROGRESS
        node.status = status
        if status in COMPLETED:
            node.progress = 100
            latest = max((c.completed for c in node.children if c.completed), default=node.start)
            if node.due < now:
                when = node.due - (node.due - node.start) * rng.random() * 0.3
                if rng.random() < 0.1:
                    when = node.due + dt.timedelta(hours=rng.randint(2, 240))
            else:
                when = node.start + (now - node.start) * rng.random()
            limit = _at(p.dissolved_on, dt.time(17, 0)) if p.dissolved_on else now
            node.completed = min(max(when, latest, node.start), limit, now)
        elif status == St.IN_PROGRESS:
            if node.children:
                node.progress = min(95, sum(c.progress for c in node.children) // len(node.children))
            else:
                elapsed = (now - node.start) / max(node.due - node.start, dt.timedelta(hours=1))
                node.progress = int(min(95, max(5, elapsed * 100 + rng.gauss(0, 20))))
        elif status in (St.SIGNED, St.RETURNED, St.DISPUTED):
            node.progress = rng.randint(0, 10) if status == St.SIGNED else 0


# ---- rows ---------------------------------------------------------------------------------------------


class _Row(dict):
    """A row as attribute name → value, which ``tasks.lights`` can also read like a Task."""

    __getattr__ = dict.__getitem__

    @property
    def is_open(self) -> bool:
        return self["status"] not in Task.CLOSED


def _rows(ctx: Context, rng: random.Random, tf: _TF, nodes: list[Node], buf: Buffer, now: dt.datetime,
          soon: dt.datetime, busy: int | None, stats: dict) -> None:
    p, units = tf.p, ctx.units
    busy_here = busy is not None and busy in tf.all_workers
    busy_share = min(0.1, 40 / len(nodes)) if busy_here else 0.0
    topic = p.name.removeprefix(p.region.name).removesuffix("工作专班").removesuffix("专班")[:16] or "专项工作"
    Through = Task.cooperating_units.through
    done_ids: set[int] = {n.id for n in nodes if n.status == St.DONE}
    siblings: dict[int | None, list[Node]] = {}
    for node in nodes:
        mu = tf.lead_mu if rng.random() < 0.3 else rng.choice(tf.mus)
        lead_unit = mu.unit
        coop = rng.sample([m.unit for m in tf.mus if m.unit != lead_unit], min(len(tf.mus) - 1, rng.choice(
            [0, 1, 1, 2, 2, 3])))
        workers = tf.workers.get(lead_unit) or tf.all_workers or [tf.boss]
        responsible = rng.choice(workers) if rng.random() < 0.7 else rng.choice(tf.all_workers or workers)
        if busy_here and rng.random() < busy_share:
            responsible = busy
        status = node.status
        if status in (St.DRAFT, St.DISPATCHED, St.RETURNED, St.DISPUTED) and rng.random() < 0.5:
            responsible = None
        liaison = tf.liaison.get(lead_unit)
        title = (rng.choice(N.TASK_ROOT).format(x=topic) if node.depth == 1
                 else rng.choice(N.TASK_VERBS).format(x=rng.choice(N.TASK_OBJECTS)))
        r = rng.random()
        label = SecurityLabel.PUBLIC if r < 0.08 else SecurityLabel.SENSITIVE if r < 0.10 else SecurityLabel.INTERNAL
        source = rng.choice([Task.Source.DEMAND, Task.Source.MEETING, Task.Source.MEETING, Task.Source.INSTRUCTION,
                             Task.Source.UPPER, Task.Source.AD_HOC])
        created = min(node.start - dt.timedelta(days=rng.randint(0, 10)), now)
        verify = rng.random() < 0.2 or status == St.PENDING_VERIFICATION
        ruled = status in (St.SIGNED, St.IN_PROGRESS) and responsible is not None and rng.random() < 0.01
        completed = node.completed if status in COMPLETED else None
        description = f"{units[lead_unit].short}牵头"
        if coop:
            description += f"，{'、'.join(units[u].short for u in coop)}配合"
        task = _Row(
            id=node.id, taskforce_id=p.id, parent_id=node.parent.id if node.parent else None,
            group_id=rng.choice(p.groups)[0] if p.groups and rng.random() < 0.7 else None, title=title[:200],
            description=description + "，按时间节点推进。",
            plan="一事一方案：明确目标、责任分工、时间节点和保障措施。" if node.depth == 1 and rng.random() < 0.3 else "",
            lead_unit_id=units[lead_unit].id, responsible_id=responsible,
            decision_owner_id=rng.choice(tf.leaders) if node.depth == 1 and tf.leaders and rng.random() < 0.6
            else None,
            start_at=node.start, due_at=node.due, priority=rng.choice([1, 2, 2, 2, 3]), progress=node.progress,
            status=status, source=source,
            source_note=rng.choice(N.SOURCES_TEXT).format(n=rng.randint(1, 40)) if source != Task.Source.AD_HOC
            else "", requires_verification=verify,
            bounces=2 if status == St.DISPUTED or ruled else 1 if status == St.RETURNED else 0,
            completed_at=completed,
            confirmed_by_id=ctx.person_user.get(liaison) if status in (St.DONE, St.PENDING_VERIFICATION)
            and liaison else None,
            verified_by_id=tf.boss_user if status == St.DONE and verify else None, created_by_id=tf.boss_user,
            security_label=label, created_at=created, updated_at=max(created, completed or created),
        )
        task["pace_at"] = lights.pace_at(task)
        task["light"] = lights.light_for(task, now, soon)
        stats["by_status"][status] = stats["by_status"].get(status, 0) + 1
        stats["max_depth"] = max(stats["max_depth"], node.depth)
        buf.add(Task, **task)
        for u in coop:
            buf.add(Through, task_id=node.id, unit_id=units[u].id)
        _chain(ctx, rng, tf, task, node, lead_unit, liaison, buf, now, ruled)
        _progress(ctx, rng, task, node, buf, now)
        _milestones(rng, task, node, buf, now)
        # 前置任务: an earlier sibling, finish-to-start; a closed task's prerequisites are done.
        key = node.parent.id if node.parent else None
        earlier = siblings.setdefault(key, [])
        if earlier and rng.random() < 0.12:
            dep = rng.choice(earlier[-5:])
            if status not in COMPLETED or dep.id in done_ids:
                buf.add(Dependency, task_id=node.id, depends_on_id=dep.id)
        earlier.append(node)


def _chain(ctx: Context, rng: random.Random, tf: _TF, task: _Row, node: Node, lead_unit: int,
           liaison: int | None, buf: Buffer, now: dt.datetime, ruled: bool) -> None:
    """The dispatch hops: office → lead unit (its liaison signs) → the responsible person."""
    status, units = task.status, ctx.units
    if status == St.DRAFT or tf.boss is None:
        return
    to_unit = units[lead_unit].id
    sent = min(max(task.created_at, node.start - dt.timedelta(days=2)), now)
    signed = min(sent + dt.timedelta(hours=rng.randint(1, 40)), now)
    responsible = task.responsible_id

    def hop(status_: str, at: dt.datetime, **kw: object) -> dict:
        row = {"id": ctx.ids(Dispatch, 1)[0], "task_id": task.id, "from_unit_id": kw.pop("from_unit", tf.boss_unit),
               "from_person_id": kw.pop("from_person", tf.boss), "status": status_, "at": at, **kw}
        buf.add(Dispatch, **row)
        return row

    if status == St.DISPATCHED:
        if liaison and responsible and rng.random() < 0.3:
            hop(Dispatch.Status.SIGNED, sent, to_unit_id=to_unit, signed_at=signed, signed_by_id=liaison)
            hop(Dispatch.Status.PENDING, signed, from_unit=to_unit, from_person=liaison, to_person_id=responsible,
                note="请按时间节点办理")
        else:
            hop(Dispatch.Status.PENDING, sent, to_unit_id=to_unit, note="请牵头办理并确定责任人")
        return
    if status in (St.RETURNED, St.DISPUTED) or ruled:
        others = [mu.unit for mu in tf.mus if mu.unit != lead_unit] or [lead_unit]
        reasons = ["不属于本单位职责范围", "建议由行业主管部门牵头", "涉及多部门，需专班统筹"]
        bounces = [hop(Dispatch.Status.RETURNED, sent, to_unit_id=to_unit, returned_at=signed,
                       reason=rng.choice(reasons))]
        if status != St.RETURNED:  # dispatched again, returned again: the second bounce makes it a dispute
            again = min(signed + dt.timedelta(hours=rng.randint(2, 30)), now)
            back = min(again + dt.timedelta(hours=rng.randint(1, 30)), now)
            bounces.append(hop(Dispatch.Status.RETURNED, again, to_unit_id=units[rng.choice(others)].id,
                               returned_at=back, reason=rng.choice(reasons)))
        label = ctx.extra["unit_label"]
        sender = " / ".join(x for x in (label.get(tf.boss_unit, ""), ctx.person_name.get(tf.boss, "")) if x)
        history = [{"hop": h["id"], "to": label[h["to_unit_id"]], "from": sender or "—", "reason": h["reason"],
                    "returned_at": h["returned_at"].isoformat()} for h in bounces]
        opened = bounces[-1]["returned_at"]
        if status == St.DISPUTED:
            buf.add(Dispute, task_id=task.id, taskforce_id=task.taskforce_id, status=Dispute.Status.OPEN,
                    opened_at=opened, bounces=history)
        elif status != St.RETURNED:  # ruled by the office: final, the owner signed
            ruled_at = min(opened + dt.timedelta(hours=rng.randint(2, 48)), now)
            buf.add(Dispute, task_id=task.id, taskforce_id=task.taskforce_id, status=Dispute.Status.RULED,
                    opened_at=opened, bounces=history, owner_unit_id=to_unit, owner_person_id=responsible,
                    ruling="经专班办公室研究，由牵头单位负责办理，其他单位配合。", ruled_at=ruled_at,
                    ruled_by_id=tf.boss_user)
            hop(Dispatch.Status.SIGNED, ruled_at, to_unit_id=to_unit, to_person_id=responsible, signed_at=ruled_at,
                signed_by_id=responsible, note="办公室裁定", by_ruling=True)
        return
    hop(Dispatch.Status.SIGNED, sent, to_unit_id=to_unit, signed_at=signed, signed_by_id=liaison)
    if responsible and responsible != liaison and rng.random() < 0.5:
        again = min(signed + dt.timedelta(hours=rng.randint(1, 24)), now)
        hop(Dispatch.Status.SIGNED, signed, from_unit=to_unit, from_person=liaison, to_person_id=responsible,
            signed_at=again, signed_by_id=responsible)


def _progress(ctx: Context, rng: random.Random, task: _Row, node: Node, buf: Buffer, now: dt.datetime) -> None:
    if task.status not in (St.IN_PROGRESS, *COMPLETED) or task.responsible_id is None:
        return
    author = ctx.person_user.get(task.responsible_id)
    name = ctx.person_name.get(task.responsible_id, "")
    steps = [task.progress] if rng.random() < 0.7 else sorted({max(1, task.progress // 2), task.progress})
    end = task.completed_at or now
    for k, value in enumerate(steps, start=1):
        at = node.start + (end - node.start) * (k / len(steps))
        buf.add(ProgressUpdate, task_id=task.id, at=min(at, now), author_id=author, author_name=name, progress=value,
                note="已完成阶段性工作，按计划推进。" if value < 100 else "已按要求办结，请确认。", attachment_id=None)


def _milestones(rng: random.Random, task: _Row, node: Node, buf: Buffer, now: dt.datetime) -> None:
    if node.depth > 3 or rng.random() >= 0.12:
        return
    span = max(1, (node.due.date() - node.start.date()).days)
    for k in range(rng.randint(1, 3)):
        due_on = node.start.date() + dt.timedelta(days=int(span * (k + 1) / 4))
        done = task.status == St.DONE or (due_on < now.date() and task.progress >= 25 * (k + 1))
        buf.add(Milestone, task_id=task.id, title=["方案制定", "中期推进", "验收评估"][k], due_on=due_on,
                done_on=min(due_on, now.date()) if done else None)
