"""The synthetic-data generator behind ``zhuanban generate --scale {demo,city,province}`` (issue #4).

It fills an empty database with a realistic, deterministic (seeded) org directory, task forces and tasks
for benchmarks: at province scale 5 region levels, about 2,000 units, 50,000 people, 1,000 task forces
of all four of Li's types (and all four of Liu & Liu's), about 45,000 secondments and 200,000 tasks.
City scale is about a tenth of that; demo scale is tiny so tests can generate it in seconds.

**Services are bypassed on purpose.**  Writing 200,000 tasks through ``tasks.services`` (permission checks,
one audit event and several queries per row) would take hours, so the phases write in bulk with primary
keys allocated up front: ``bulk_create`` in batches for the directory and the task forces, and for the
high-volume task phase ``gen_common.fast_insert`` (COPY on PostgreSQL, one prepared INSERT on SQLite),
which halves a province run.  In exchange the generator itself keeps every invariant
the services and the database enforce — one active liaison per member unit, one active membership per
person and task force, memberships within the task force's dates, closed task forces with every
membership and member unit ended on the closing day and no open task, a done task only above done
children and done prerequisites, acyclic task trees (at most five levels) and dependencies, dispatch hops
that match the task's status, stored lights from ``tasks.lights`` — and the tests check them.  The run
as a whole is audited with one ``scale.generate`` event, and recorded as a :class:`~.models.Dataset`.

Determinism: the same ``--seed`` (and the same ``--today``, the anchor of every date) gives the same
rows; each phase draws from its own ``random.Random`` stream, so a phase added later does not change
what the earlier ones generate.  Ciphertexts and password salts differ between runs, by design.

Accounts: every person in a task force (and every unit leader) gets a login, all with the same password
:data:`BENCH_PASSWORD`, hashed once.  They are marked as demo accounts (``UserSecurity.is_demo``): the
password is published, so a production start refuses them; serve a generated database with
``ZHUANBAN_DEMO=1`` (which also leaves two-factor set-up off).

Phases: :data:`PHASES` is the registry (name, label, callable); later features (meetings, reports,
notices) append theirs with :func:`register_phase` and find the plan of the earlier phases on the
:class:`~.gen_common.Context`.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from zhuanban.core import audit
from zhuanban.org.models import Person, Region, Unit, User
from zhuanban.taskforces.models import Membership, TaskForce

from . import gen_org, gen_taskforces, gen_tasks
from .gen_common import SCALES, Context, Phase, reset_sequences
from .models import Dataset

BENCH_PASSWORD = "bench-password-不要用于生产"
DEFAULT_SEED = 20260101

audit.ACTION_LABELS.setdefault("scale.generate", "生成合成数据")


@dataclass(frozen=True)
class PhaseEntry:
    name: str
    label: str
    run: Phase


PHASES: list[PhaseEntry] = [
    PhaseEntry("org", "组织名录（区划、单位、人员）", gen_org.run),
    PhaseEntry("taskforces", "工作专班（定位、结构、成员）", gen_taskforces.run),
    PhaseEntry("tasks", "任务（任务树、派发、进展、亮灯）", gen_tasks.run),
]


def register_phase(name: str, label: str, run: Phase, *, after: str | None = None) -> None:
    """Add a phase (idempotent by name), at the end or right after the phase named ``after``."""
    if any(p.name == name for p in PHASES):
        return
    entry = PhaseEntry(name, label, run)
    if after is None:
        PHASES.append(entry)
        return
    index = next(i for i, p in enumerate(PHASES) if p.name == after)
    PHASES.insert(index + 1, entry)


class Refused(Exception):
    """The database is not one the generator may write into (real data, or generated already)."""


NEW_DATABASE = ("一个新库（空库）：\n"
                "  ZHUANBAN_DATABASE_URL=sqlite:////path/to/new.sqlite3 zhuanban migrate\n"
                "  ZHUANBAN_DATABASE_URL=sqlite:////path/to/new.sqlite3 zhuanban generate --scale …")


def check_database(*, force: bool) -> None:
    """Refuse a database that holds real data or a generated data set already, unless ``force``."""
    if force:
        return
    last = Dataset.objects.order_by("-generated_at", "-id").first()
    if last is not None:
        raise Refused(
            f"本库已生成过合成数据（规模 {last.scale}，种子 {last.seed}，"
            f"{timezone.localtime(last.generated_at):%Y-%m-%d %H:%M}），不再重复生成。\n如需重新生成，请使用{NEW_DATABASE}\n"
            "确需在现有数据之上再追加一套，请加 --force。")
    units, people, tfs = Unit.objects.count(), Person.objects.count(), TaskForce.objects.count()
    regions = Region.objects.count()
    if units or people or tfs or regions:
        raise Refused(
            f"本库已有不是由生成器产生的组织或专班数据（区划 {regions} 个、单位 {units} 个、人员 {people} 名、"
            f"专班 {tfs} 个），合成数据不得写入真实业务库。\n请改用{NEW_DATABASE}\n确需写入请加 --force。")


def generate(scale: str, *, seed: int = DEFAULT_SEED, today: dt.date | None = None, force: bool = False,
             progress: bool = True) -> Dataset:
    """Generate one data set into the current database and return its :class:`Dataset` row."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    started = time.monotonic()
    now = timezone.now()
    if today is not None and today != timezone.localdate(now):
        now = timezone.make_aware(dt.datetime.combine(today, dt.time(10, 0)))
    ctx = Context(SCALES[scale], seed, today or timezone.localdate(now), now, progress)
    # One transaction: a run that fails half-way leaves nothing behind (and so no "real data" either).
    with transaction.atomic():
        check_database(force=force)
        ctx.taken_unit_names = set(Unit.objects.values_list("name", flat=True))
        ctx.taken_usernames = {u.lower() for u in User.objects.values_list("username", flat=True)}
        ctx.taken_region_codes = set(Region.objects.values_list("code", flat=True))
        for phase in PHASES:
            t0 = time.monotonic()
            phase.run(ctx)
            ctx.timings[phase.name] = round(time.monotonic() - t0, 2)
        reset_sequences(_generated_models())
        ctx.counts["accounts"] = len(ctx.person_user)
        ctx.subjects = {**ctx.subjects, **_subjects(ctx)}  # later phases may have added theirs
        duration = dt.timedelta(seconds=round(time.monotonic() - started, 2))
        dataset = Dataset.objects.create(scale=scale, seed=seed, anchor_date=ctx.today, counts=ctx.counts,
                                         subjects=ctx.subjects, timings=ctx.timings, duration=duration,
                                         forced=force)
        audit.record(None, "scale.generate", dataset, actor_name="zhuanban generate",
                     after={"scale": scale, "seed": seed, "anchor_date": ctx.today.isoformat(),
                            "units": ctx.counts.get("units"), "people": ctx.counts.get("people"),
                            "taskforces": ctx.counts.get("taskforces"), "tasks": ctx.counts.get("tasks")},
                     note="合成数据（绕过业务服务批量写入，仅用于演示和性能测试）")
    return dataset


def _generated_models() -> list[Any]:
    labels = ["org.Region", "org.Unit", "org.Person", "org.User", "taskforces.TaskForce", "taskforces.MemberUnit",
              "taskforces.Membership", "taskforces.ThemeGroup", "tasks.Task", "tasks.Dispatch"]
    return [apps.get_model(label) for label in labels]


def _subjects(ctx: Context) -> dict[str, Any]:
    """Who the benchmark acts as (see :func:`bench_subjects`)."""
    from zhuanban.tasks.models import Dispatch, Task

    plans = ctx.taskforces
    big = plans[ctx.extra["big_tf"]]
    busy = ctx.extra["busy_person"]
    name = ctx.person_username

    def member(p, *roles: str) -> int | None:
        return next((m.person for m in p.members if m.active and m.role in roles), None)

    liaison = next((m.person for m in big.members if m.active and m.role == Membership.Role.LIAISON
                    and ctx.units[m.unit].id == ctx.units[big.lead_unit or big.member_units[0].unit].id), None)
    liaison = liaison or member(big, Membership.Role.LIAISON)
    oversight = next((p for p in plans if p.is_office and p.office_director
                      and any(c.parent == p.index for c in plans)), None)
    director = oversight.office_director if oversight else big.office_director
    leader = next((pid for pid in sorted(ctx.leaders) if pid in ctx.person_username
                   and any(m.person != pid and ctx.person_unit[m.person] == ctx.person_unit[pid] and m.active
                           for m in big.members)), None)
    busy_tfs = sorted({p.id for p in plans if not p.closed for m in p.members if m.person == busy and m.active})
    return {
        "busy_username": name.get(busy), "busy_person_id": busy, "busy_taskforces": len(busy_tfs),
        "busy_open_tasks": Task.objects.filter(responsible_id=busy).exclude(status__in=Task.CLOSED).count(),
        "taskforce_id": big.id, "taskforce_name": big.name,
        "taskforce_tasks": Task.objects.filter(taskforce_id=big.id).count(),
        "head_username": name.get(big.head), "office_username": name.get(big.office_director),
        "liaison_username": name.get(liaison),
        "liaison_pending_hops": Dispatch.objects.filter(
            task__taskforce_id=big.id, status=Dispatch.Status.PENDING,
            to_unit_id=ctx.units[ctx.person_unit[liaison]].id).count() if liaison else 0,
        "office_director_username": name.get(director),
        "office_director_taskforce_id": oversight.id if oversight else big.id,
        "unit_leader_username": name.get(leader) if leader else None,
    }


def latest_dataset() -> Dataset | None:
    return Dataset.objects.order_by("-generated_at", "-id").first()


def bench_subjects() -> dict[str, Any]:
    """The ids and login names the benchmark acts as, read from the latest :class:`Dataset` of this database.

    Keys: ``busy_username`` (a worker in 4+ running task forces with many open tasks), ``taskforce_id``
    (the big task force: 2,000 tasks at province scale, 800 at city, 120 at demo) with
    ``head_username`` and ``office_username`` (its 组长 and 办公室主任), ``liaison_username`` (the lead
    unit's 联络员 there, with hops to sign), ``office_director_username`` (the director of a 一办N专班
    office, overseeing its task forces), ``unit_leader_username`` (a home-unit leader of a member of the
    big task force), their counts, ``scale``, ``seed`` and ``password`` (the same for every generated
    account).  Raises ``LookupError`` when the database holds no generated data set.
    """
    dataset = latest_dataset()
    if dataset is None:
        raise LookupError("本库没有生成过合成数据：先运行 zhuanban generate --scale …")
    return {**dataset.subjects, "scale": dataset.scale, "seed": dataset.seed, "password": BENCH_PASSWORD}
