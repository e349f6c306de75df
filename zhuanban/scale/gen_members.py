"""Member units, people and theme groups of the generated task forces.

Shapes the studies describe: every member unit names exactly one liaison (a unit's liaisons come from a
small pool, so a liaison often serves several task forces); leaders of governments and key departments
head many task forces; most seconded staff are in one task force, some in two or three, and a few
"busy" people in four or more (the load warning of problem 6).  Cross-department task forces take people
from government units only; cross-sector ones add enterprises, universities, institutes or social bodies
with their external members, which is what makes ``typology`` derive the boundary.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from zhuanban.org.models import Region, Unit
from zhuanban.taskforces.models import (
    Handover,
    Membership,
    MembershipChange,
    MemberUnit,
    TaskForce,
    ThemeGroup,
)

from . import gen_names as N
from .gen_common import Context, bulk, historic_timestamps

R = Membership.Role
UR = MemberUnit.Role
S = TaskForce.Status
NON_GOV = [k for k in Unit.Kind.values if k not in Unit.GOVERNMENT_KINDS]


@dataclass
class MU:
    id: int
    unit: int  # index into ctx.units
    role: str
    joined: dt.date
    left: dt.date | None = None


@dataclass
class M:
    id: int
    person: int
    role: str
    unit: int  # dispatching unit (index)
    mu: int | None  # MemberUnit id (liaisons)
    start: dt.date
    full_time: bool = False
    pct: int = 0
    group: int | None = None
    end: dt.date | None = None
    end_reason: str = ""
    change: str = MembershipChange.Kind.JOIN
    successor: int | None = None  # Membership id that replaced this one

    @property
    def active(self) -> bool:
        return self.end is None


class _Pools:
    """Which units a task force at a given place may draw on."""

    def __init__(self, ctx: Context) -> None:
        self.dept: dict[int, list[int]] = {}  # region id -> department indices
        self.top: dict[int, int] = {}  # region id -> the government (人民政府)
        self.office: dict[int, int] = {}  # region id -> the government's general office
        self.streets: dict[int, list[int]] = {}  # district region id -> street/town offices
        self.nongov: dict[int | None, list[int]] = {}  # city index (None: province-wide) -> units
        street_parent = {s.pk: d.pk for s, d, _ in ctx.regions["streets"]}
        for i, u in enumerate(ctx.units):
            if not u.gov:
                self.nongov.setdefault(u.city, []).append(i)
            elif u.level == Region.Level.STREET:
                self.streets.setdefault(street_parent[u.region_id], []).append(i)
            elif u.top:
                self.top[u.region_id] = i
            elif u.name.startswith("中共") and u.name.endswith("委员会"):
                continue  # the party committee itself is not a member unit
            else:
                self.dept.setdefault(u.region_id, []).append(i)
                if u.name.endswith(("人民政府办公室", "人民政府办公厅")):
                    self.office[u.region_id] = i
        self.districts_of: dict[int, list[int]] = {}
        for d, ci in ctx.regions["districts"]:
            self.districts_of.setdefault(ci, []).append(d.pk)
        self.cities = [c.pk for c in ctx.regions["cities"]]
        self.province = ctx.regions["province"].pk

    def government(self, p) -> list[int]:
        if p.level == Region.Level.PROVINCE:
            return self.dept.get(self.province, []) + [self.top[c] for c in self.cities if c in self.top]
        if p.level == Region.Level.CITY:
            return (self.dept.get(p.region.pk, [])
                    + [self.top[d] for d in self.districts_of.get(p.city, []) if d in self.top])
        return (self.dept.get(p.region.pk, []) + self.streets.get(p.region.pk, [])
                + self.dept.get(self.cities[p.city], [])[:6])

    def outside(self, p) -> list[int]:
        return self.nongov.get(p.city, []) + self.nongov.get(None, []) if p.city is not None else \
            [i for units in self.nongov.values() for i in units]


class _People:
    """Picks the people of a unit for a task force, with the overlaps described above."""

    def __init__(self, ctx: Context, rng: random.Random) -> None:
        self.ctx, self.rng = ctx, rng
        self.count: dict[int, int] = {}

    def take(self, pid: int, taken: set[int]) -> int:
        taken.add(pid)
        self.count[pid] = self.count.get(pid, 0) + 1
        return pid

    def leader(self, ui: int, taken: set[int], *, deputy: bool = False) -> int | None:
        people = self.ctx.units[ui].people
        candidates = [p for p in (people[:3] if deputy else people[:1]) if p not in taken]
        if deputy:
            self.rng.shuffle(candidates)
        return self.take(candidates[0], taken) if candidates else self.staff(ui, taken)

    def liaison(self, ui: int, taken: set[int]) -> int | None:
        people = self.ctx.units[ui].people
        pool = [p for p in people[3:3 + max(1, (len(people) - 3) // 8)] if p not in taken]
        if pool and self.rng.random() < 0.5:
            return self.take(min(pool, key=lambda p: (self.count.get(p, 0), p)), taken)
        return self.staff(ui, taken)

    def staff(self, ui: int, taken: set[int], reuse: float = 0.12) -> int | None:
        unit = self.ctx.units[ui]
        people = unit.people
        rest_start = 3 + max(1, (len(people) - 3) // 8)
        rest = people[rest_start:]
        if self.rng.random() >= reuse:
            while unit.next_fresh < len(rest):
                pid = rest[unit.next_fresh]
                unit.next_fresh += 1
                if pid not in taken:
                    return self.take(pid, taken)
        used = [p for p in rest[:unit.next_fresh] if p not in taken and self.count.get(p, 0) < 3]
        if used:
            return self.take(self.rng.choice(used), taken)
        spare = [p for p in people if p not in taken]
        return self.take(self.rng.choice(spare), taken) if spare else None


def plan(ctx: Context, rng: random.Random, plans: list) -> None:
    pools, people = _Pools(ctx), _People(ctx, rng)
    bigs = [p for p in plans if p.is_big]
    big = next((p for p in bigs if p.level == Region.Level.CITY), bigs[0])
    ctx.extra["big_tf"] = big.index
    for p in plans:
        _plan_one(ctx, rng, p, pools, people, big=p is big)
    _guarantee_busy(ctx, rng, plans, people, big)
    person_ids = {m.person for p in plans for m in p.members}
    ctx.ensure_accounts(person_ids)
    for p in plans:
        p.created_by = p.office_director or p.head


def _days(rng: random.Random, lo: dt.date, hi: dt.date, spread: int) -> dt.date:
    """A date from ``lo`` up to ``spread`` days later, never after ``hi``."""
    if hi <= lo:
        return hi
    return min(hi, lo + dt.timedelta(days=rng.randint(0, spread)))


def _plan_one(ctx: Context, rng: random.Random, p, pools: _Pools, people: _People, *, big: bool) -> None:
    composite = p.nature == TaskForce.Nature.COMPOSITE
    cross_sector = p.boundary == TaskForce.Boundary.CROSS_SECTOR
    gov = [u for u in pools.government(p) if not ctx.units[u].top]
    tops = [u for u in pools.government(p) if ctx.units[u].top]
    n_gov = 22 if big else rng.randint(6, 14) if composite else rng.randint(3, 7)
    chosen = rng.sample(gov, min(n_gov, len(gov)))
    if tops and rng.random() < 0.3:
        chosen += rng.sample(tops, min(len(tops), rng.randint(1, 3)))
    lead = chosen[0]
    if p.decision_mode == TaskForce.DecisionMode.LEADING_CORE and p.region.pk in pools.office:
        lead = pools.office[p.region.pk]
        if lead not in chosen:
            chosen.insert(0, lead)
    p.lead_unit = lead if (p.decision_mode == TaskForce.DecisionMode.LEAD_DEPARTMENT or rng.random() < 0.5) else None
    if cross_sector:
        outside = pools.outside(p)
        chosen += rng.sample(outside, min(len(outside), rng.randint(1, 4)))
    today = ctx.today
    end = p.dissolved_on or today
    since = p.active_since
    mus: list[MU] = []
    for ui in dict.fromkeys(chosen):
        role = UR.LEAD if ui == lead else UR.SUPPORTING if rng.random() < 0.2 else UR.PARTICIPATING
        joined = since if rng.random() < 0.85 else _days(rng, since, end, 60)
        mus.append(MU(ctx.ids(MemberUnit, 1)[0], ui, role, joined))
    p.member_units = mus
    taken: set[int] = set()
    members: list[M] = []

    def add(pid: int | None, role: str, ui: int, *, mu: int | None = None, pct: tuple[int, int] = (10, 40),
            full_time: bool = False, start: dt.date | None = None) -> M | None:
        if pid is None:
            return None
        s = start or (_days(rng, since, end, 20) if rng.random() < 0.8 else _days(rng, since, end, 180))
        m = M(ctx.ids(Membership, 1)[0], pid, role, ctx.person_unit[pid], mu, s, full_time, rng.randint(*pct))
        members.append(m)
        return m

    top = pools.top.get(p.region.pk)
    if p.decision_mode == TaskForce.DecisionMode.LEADING_CORE and top is not None:
        head = add(people.leader(top, taken, deputy=True), R.HEAD, top, pct=(5, 20))
        if rng.random() < 0.6:
            add(people.leader(lead, taken), R.RESPONSIBLE_DEPUTY, lead, pct=(20, 50))
    else:
        head = add(people.leader(lead, taken), R.HEAD, lead, pct=(10, 30))
    p.head = head.person if head else None
    for ui in rng.sample([mu.unit for mu in mus if mu.unit != lead], min(len(mus) - 1, rng.randint(0, 2))):
        if ctx.units[ui].gov:
            add(people.leader(ui, taken, deputy=True), R.DEPUTY, ui, pct=(10, 30))
    if p.entity or rng.random() < 0.4:
        d = add(people.staff(lead, taken), R.OFFICE_DIRECTOR, lead, pct=(80, 100), full_time=True)
        p.office_director = d.person if d else None
        for _ in range(rng.randint(1, 3) if p.entity else 0):
            add(people.staff(lead, taken), R.OFFICE_STAFF, lead, pct=(50, 100), full_time=rng.random() < 0.5)
    for mu in list(mus):
        liaison = add(people.liaison(mu.unit, taken), R.LIAISON, mu.unit, mu=mu.id, start=mu.joined)
        unit_gov = ctx.units[mu.unit].gov
        if unit_gov:
            n = rng.randint(3, 8) if big else rng.randint(1, 4) if composite else rng.randint(0, 3)
            for _ in range(n):
                add(people.staff(mu.unit, taken), R.MEMBER, mu.unit, pct=(20, 80), full_time=rng.random() < 0.2)
        else:
            for _ in range(rng.randint(1, 4)):
                add(people.staff(mu.unit, taken), R.EXTERNAL, mu.unit, pct=(30, 100), full_time=rng.random() < 0.4)
            if composite and ctx.units[mu.unit].kind in (Unit.Kind.UNIVERSITY, Unit.Kind.RESEARCH) \
                    and not any(m.role == R.CHIEF_EXPERT for m in members):
                add(people.leader(mu.unit, taken, deputy=True), R.CHIEF_EXPERT, mu.unit, pct=(20, 50))
        if liaison is None:  # a unit too small to spare anyone: it does not join after all
            mus.remove(mu)
    p.members = members
    _groups(ctx, rng, p)
    _history(ctx, rng, p, people)


def _groups(ctx: Context, rng: random.Random, p) -> None:
    if not p.entity:
        return
    n = 8 if p.is_big else rng.randint(2, 6)
    names = rng.sample(N.GROUPS, min(n, len(N.GROUPS)))
    ids = ctx.ids(ThemeGroup, len(names))
    workers = [m for m in p.members if m.role in (R.MEMBER, R.EXTERNAL, R.CHIEF_EXPERT, R.OFFICE_STAFF)]
    groups = []
    for gid, name in zip(ids, names, strict=True):
        mu = rng.choice(p.member_units)
        lead_person = next((m.person for m in workers if m.unit == mu.unit), None)
        groups.append((gid, name, mu.unit, lead_person))
    for m in workers:
        if rng.random() < 0.85:
            m.group = rng.choice(groups)[0]
    p.groups = groups


def _history(ctx: Context, rng: random.Random, p, people: _People) -> None:
    """Closing (事毕人归), exits, liaison handovers and member units that left."""
    today = ctx.today
    if p.dissolved_on is not None:
        reason = "专班解散，人员回归原单位" if p.status == S.DISSOLVED else "并入其他专班"
        for m in p.members:
            m.end, m.end_reason = p.dissolved_on, reason
        for mu in p.member_units:
            mu.left = p.dissolved_on
        return
    if p.status == S.PLANNING:
        return
    taken = {m.person for m in p.members}
    for m in list(p.members):
        if m.role in (R.MEMBER, R.EXTERNAL) and rng.random() < 0.04 and (today - m.start).days > 20:
            m.end = m.start + dt.timedelta(days=rng.randint(10, (today - m.start).days))
            m.end_reason, m.change = "工作调整，回原单位", MembershipChange.Kind.EXIT
            people.count[m.person] -= 1
            taken.discard(m.person)
    for mu in p.member_units:
        liaison = next(m for m in p.members if m.mu == mu.id)
        if mu.role != UR.LEAD and rng.random() < 0.03 and (today - mu.joined).days > 30:
            mu.left = mu.joined + dt.timedelta(days=rng.randint(15, (today - mu.joined).days))
            liaison.end, liaison.end_reason, liaison.change = mu.left, "成员单位退出", MembershipChange.Kind.EXIT
            people.count[liaison.person] -= 1
        elif rng.random() < 0.05 and (today - liaison.start).days > 30:
            # 轮岗: the liaison is replaced; open items pass to the successor (Handover).
            successor = people.liaison(mu.unit, taken)
            if successor is None:
                continue
            on = liaison.start + dt.timedelta(days=rng.randint(15, (today - liaison.start).days))
            new = M(ctx.ids(Membership, 1)[0], successor, R.LIAISON, mu.unit, mu.id, on, liaison.full_time,
                    liaison.pct)
            liaison.end, liaison.end_reason = on, "轮岗交接"
            liaison.change, liaison.successor = MembershipChange.Kind.REPLACE, new.id
            people.count[liaison.person] -= 1
            p.members.append(new)


def _guarantee_busy(ctx: Context, rng: random.Random, plans: list, people: _People, big) -> None:
    """The benchmark's busy person: a government worker in at least four running task forces (more at larger
    scales, where overlaps make them by themselves), one of them the big task force."""
    running = [p for p in plans if p.status == S.ACTIVE and p.label != "sensitive"]
    in_tf: dict[int, set[int]] = {}
    for p in running:
        for m in p.members:
            if m.active and m.role in (R.LIAISON, R.MEMBER, R.OFFICE_STAFF):
                in_tf.setdefault(m.person, set()).add(p.index)
    candidates = [pid for pid in in_tf if ctx.units[ctx.person_unit[pid]].gov]
    busy = max(candidates, key=lambda pid: (len(in_tf[pid]), -pid))
    needed = [p for p in ([big] + running) if p.index not in in_tf[busy]]
    for p in needed:
        if len(in_tf[busy]) >= 4 and big.index in in_tf[busy]:
            break
        if any(m.person == busy and m.active for m in p.members):
            continue
        start = min(ctx.today, p.active_since + dt.timedelta(days=rng.randint(0, 30)))
        p.members.append(M(ctx.ids(Membership, 1)[0], busy, R.MEMBER, ctx.person_unit[busy], None, start,
                           False, rng.randint(10, 30)))
        in_tf[busy].add(p.index)
        people.count[busy] = people.count.get(busy, 0) + 1
    ctx.extra["busy_person"] = busy
    hist: dict[str, int] = {}
    active_count: dict[int, int] = {}
    for p in plans:
        if p.closed:
            continue
        for m in p.members:
            if m.active:
                active_count[m.person] = active_count.get(m.person, 0) + 1
    for c in active_count.values():
        key = str(c) if c < 4 else "4+"
        hist[key] = hist.get(key, 0) + 1
    ctx.counts["people_by_active_taskforces"] = dict(sorted(hist.items()))
    ctx.counts["busy_people"] = hist.get("4+", 0)


# ---- rows ---------------------------------------------------------------------------------------------


def write(ctx: Context, plans: list, bar) -> None:
    units = ctx.units
    mus, groups, ms, changes, handovers = [], [], [], [], []
    for p in plans:
        rng = ctx.rng(f"members:{p.index}")
        decided_by = ctx.person_name.get(p.head, "") if p.head else ""
        decided_by = (p.leading_body or decided_by or "专班办公室")[:120]
        for mu in p.member_units:
            mus.append(MemberUnit(id=mu.id, taskforce_id=p.id, unit_id=units[mu.unit].id, role=mu.role,
                                  joined_on=mu.joined, left_on=mu.left))
        for gid, name, ui, lead_person in p.groups:
            groups.append(ThemeGroup(id=gid, taskforce_id=p.id, name=name, lead_unit_id=units[ui].id,
                                     lead_person_id=lead_person))
        successor_of = {m.id: m for m in p.members}
        for m in p.members:
            ms.append(Membership(id=m.id, taskforce_id=p.id, person_id=m.person, role=m.role,
                                 dispatching_unit_id=units[m.unit].id, member_unit_id=m.mu, group_id=m.group,
                                 full_time=m.full_time, workload_pct=m.pct, start_on=m.start, end_on=m.end,
                                 end_reason=m.end_reason))
            at = ctx.moment(m.start, rng)
            changes.append(MembershipChange(taskforce_id=p.id, kind=MembershipChange.Kind.JOIN, membership_id=m.id,
                                            decided_by=decided_by, decided_on=m.start, recorded_at=at))
            if m.change == MembershipChange.Kind.EXIT:
                changes.append(MembershipChange(taskforce_id=p.id, kind=m.change, membership_id=m.id,
                                                decided_by=decided_by, decided_on=m.end, reason=m.end_reason,
                                                recorded_at=ctx.moment(m.end, rng)))
            elif m.change == MembershipChange.Kind.REPLACE:
                new = successor_of[m.successor]
                changes.append(MembershipChange(taskforce_id=p.id, kind=m.change, membership_id=m.id,
                                                successor_id=new.id, decided_by=decided_by, decided_on=m.end,
                                                reason=m.end_reason, recorded_at=ctx.moment(m.end, rng)))
                handovers.append(Handover(taskforce_id=p.id, predecessor_id=m.id, successor_id=new.id, items=[],
                                          note="联络员轮岗，在办事项已逐项交接", at=ctx.moment(m.end, rng)))
    with historic_timestamps(MembershipChange, Handover):
        bulk(MemberUnit, mus, bar)
        bulk(ThemeGroup, groups, bar)
        bulk(Membership, ms, bar)
        bulk(MembershipChange, changes, bar)
        bulk(Handover, handovers, bar)
    ctx.counts.update(member_units=len(mus), theme_groups=len(groups), memberships=len(ms),
                      membership_changes=len(changes), handovers=len(handovers))
