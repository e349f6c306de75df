"""Phase ``taskforces``: task forces of all four of Li's types and all four of Liu & Liu's, in every lifecycle
state, nested (一办N专班, 大专班 + 小专班, 下设专班), with positioning, targets, demand lists, periods; their
member units, people and groups come from :mod:`gen_members`.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from zhuanban.core.labels import SecurityLabel
from zhuanban.org.models import Region
from zhuanban.taskforces.models import DemandItem, Period, Target, TaskForce

from . import gen_members
from . import gen_names as N
from .gen_common import Context, bulk, historic_timestamps

T = TaskForce
S = T.Status
# Li Ping's four types: (code, task nature, boundary) and their share of the task forces.
LI_TYPES = [
    ("department_integration", T.Nature.COMPOSITE, T.Boundary.CROSS_DEPARTMENT, 0.35),
    ("staff_secondment", T.Nature.SINGLE, T.Boundary.CROSS_DEPARTMENT, 0.30),
    ("project_cooperation", T.Nature.SINGLE, T.Boundary.CROSS_SECTOR, 0.20),
    ("platform_sharing", T.Nature.COMPOSITE, T.Boundary.CROSS_SECTOR, 0.15),
]
# Liu & Liu: (purpose, entity operation) and shares; the last two are the formality warnings.
LIU_TYPES = [
    (T.Purpose.ROUTINE, True, 0.62), (T.Purpose.EMERGENCY, True, 0.24),
    (T.Purpose.EMERGENCY, False, 0.05), (T.Purpose.ROUTINE, False, 0.09),
]
STATUSES = [(S.ACTIVE, 0.72), (S.DISSOLVED, 0.13), (S.PLANNING, 0.05), (S.SUSPENDED, 0.05), (S.MERGED, 0.05)]


@dataclass
class TFPlan:
    index: int
    id: int
    level: str
    region: Region
    city: int | None
    district_id: int | None
    li: str
    nature: str
    boundary: str
    purpose: str
    entity: bool
    status: str
    name: str = ""
    core_matter: str = ""
    decision_mode: str = ""
    leading_body: str = ""
    lead_unit: int | None = None  # index into ctx.units
    established: dt.date = dt.date.min
    active_since: dt.date = dt.date.min  # after a restart: the current period's start
    planned_end: dt.date | None = None
    dissolved_on: dt.date | None = None
    merged_into: int | None = None  # plan index
    parent: int | None = None  # plan index
    relation: str = ""
    is_office: bool = False
    is_big: bool = False
    depth: int = 1
    label: str = SecurityLabel.INTERNAL
    restarted: bool = False
    n_tasks: int = 0
    # filled by gen_members
    member_units: list = field(default_factory=list)
    members: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    head: int | None = None
    office_director: int | None = None
    created_by: int | None = None

    @property
    def closed(self) -> bool:
        return self.status in (S.DISSOLVED, S.MERGED)

    @property
    def end(self) -> dt.date:
        """The last day anything can happen in it: its closing date, or today."""
        return self.dissolved_on or self._today

    _today: dt.date = dt.date.min


def quota(rng: random.Random, n: int, shares: list[tuple[object, float]], *, at_least_one: bool) -> list:
    """``n`` values in the given shares (largest remainders), every value at least once when asked and
    possible, shuffled."""
    raw = [(v, n * s) for v, s in shares]
    counts = {v: int(x) for v, x in raw}
    if at_least_one and n >= len(shares):
        for v, _ in raw:
            counts[v] = max(counts[v], 1)
    for v, _ in sorted(raw, key=lambda vx: -(vx[1] - int(vx[1]))):
        if sum(counts.values()) >= n:
            break
        counts[v] += 1
    while sum(counts.values()) > n:  # the minimums overshot: take from the largest
        big = max(counts, key=lambda v: counts[v])
        counts[big] -= 1
    out = [v for v, _ in shares for _ in range(counts[v])]
    rng.shuffle(out)
    return out


def run(ctx: Context) -> None:
    rng = ctx.rng("taskforces")
    plans = _skeletons(ctx, rng)
    _structure(ctx, rng, plans)
    _dates_and_positioning(ctx, rng, plans)
    ctx.taskforces = plans
    gen_members.plan(ctx, ctx.rng("members"), plans)
    _task_counts(ctx, rng, plans)
    total = len(plans)
    with ctx.bar("专班：专班与成员", None) as bar, historic_timestamps(TaskForce):
        rows = [_taskforce_row(ctx, p, plans) for p in plans]
        # Parents first: a task force refers to its parent and to the one it merged into.
        rows.sort(key=lambda r: plans[r._plan].depth)  # type: ignore[attr-defined]
        bulk(TaskForce, rows, bar)
        _extras(ctx, rng, plans, bar)
        gen_members.write(ctx, plans, bar)
    ctx.counts["taskforces"] = total
    ctx.counts["taskforces_by_status"] = _tally(p.status for p in plans)
    ctx.counts["taskforces_by_li_type"] = _tally(p.li for p in plans)
    ctx.counts["taskforces_by_liu_type"] = _tally(f"{p.purpose}/{'entity' if p.entity else 'no_entity'}"
                                                  for p in plans)


def _tally(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[str(v)] = out.get(str(v), 0) + 1
    return dict(sorted(out.items()))


# ---- skeletons: level, place, type, status ------------------------------------------------------------


def _skeletons(ctx: Context, rng: random.Random) -> list[TFPlan]:
    n = ctx.spec.taskforces
    lis = quota(rng, n, [((c, nat, b), s) for c, nat, b, s in LI_TYPES], at_least_one=True)
    lius = quota(rng, n, [((p, e), s) for p, e, s in LIU_TYPES], at_least_one=True)
    statuses = quota(rng, n, STATUSES, at_least_one=n >= 20)
    if n < 20:  # a tiny run still shows the closed states, but most of it runs
        statuses = quota(rng, n, [(S.ACTIVE, 0.75), (S.DISSOLVED, 0.13), (S.PLANNING, 0.12)], at_least_one=True)
    province, cities, districts = ctx.regions["province"], ctx.regions["cities"], ctx.regions["districts"]
    levels = quota(rng, n, [(Region.Level.PROVINCE, 0.10), (Region.Level.CITY, 0.50),
                            (Region.Level.DISTRICT, 0.40)], at_least_one=True)
    ids = ctx.ids(TaskForce, n)
    plans = []
    for i in range(n):
        (li, nature, boundary), (purpose, entity) = lis[i], lius[i]
        level = levels[i]
        if level == Region.Level.PROVINCE:
            region, city, district = province, None, None
        elif level == Region.Level.CITY:
            city = rng.randrange(len(cities))
            region, district = cities[city], None
        else:
            d, city = districts[rng.randrange(len(districts))]
            region, district = d, d.pk
        p = TFPlan(i, ids[i], level, region, city, district, li, nature, boundary, purpose, entity, statuses[i])
        p._today = ctx.today
        plans.append(p)
    return plans


def _structure(ctx: Context, rng: random.Random, plans: list[TFPlan]) -> None:
    """一办N专班 (office → N task forces), 大专班 + 小专班, 下设专班; at most three levels deep."""
    n = len(plans)
    upper = [p for p in plans if p.level != Region.Level.DISTRICT and p.status == S.ACTIVE]
    rng.shuffle(upper)
    n_office, n_big = max(1, round(n * 0.03)), max(1, round(n * 0.05))
    # Offices are department-integration, routine and entity; big ones composite: prefer those already so.
    upper.sort(key=lambda p: (p.li != "department_integration") + (p.purpose != T.Purpose.ROUTINE) + (not p.entity))
    offices = upper[:n_office]
    rest = sorted(upper[n_office:], key=lambda p: (p.nature != T.Nature.COMPOSITE) + (not p.entity))
    bigs = rest[:n_big]
    for p in offices:
        p.is_office, p.entity, p.purpose = True, True, T.Purpose.ROUTINE
        p.li, p.nature, p.boundary = "department_integration", T.Nature.COMPOSITE, T.Boundary.CROSS_DEPARTMENT
        p.label = SecurityLabel.INTERNAL
    for p in bigs:
        p.is_big, p.entity = True, True
        if p.nature != T.Nature.COMPOSITE:
            p.li, p.nature, p.boundary = "department_integration", T.Nature.COMPOSITE, T.Boundary.CROSS_DEPARTMENT

    def within(child: TFPlan, parent: TFPlan) -> bool:
        return parent.level == Region.Level.PROVINCE or child.city == parent.city

    _every_type_once(plans)
    free = [p for p in plans if not p.is_office]
    rng.shuffle(free)

    def adopt(parent: TFPlan, relation: str, k: int, pool: list[TFPlan]) -> None:
        for child in [c for c in pool if c.parent is None and c is not parent and within(c, parent)
                      and not c.is_office][:k]:
            if parent.depth >= 3 or _is_ancestor(plans, child.index, parent.index):
                continue
            child.parent, child.relation, child.depth = parent.index, relation, parent.depth + 1
            _deepen(plans, child)

    for office in offices:
        adopt(office, T.ParentRelation.OFFICE, rng.randint(2, 6) if n >= 20 else 2, free)
    for big in bigs:
        small = [c for c in free if c.level != Region.Level.PROVINCE and not c.is_big]
        adopt(big, T.ParentRelation.BIG_SMALL, rng.randint(2, 4) if n >= 20 else 1, small)
    for p in free:  # some task forces set up a sub-task-force of their own (下设专班)
        if p.parent is None and p.depth == 1 and p.status == S.ACTIVE and rng.random() < 0.05:
            adopt(p, T.ParentRelation.SUB, 1, [c for c in free if c.level == Region.Level.DISTRICT])
    ctx.counts["taskforces_nested"] = sum(1 for p in plans if p.parent is not None)


def _every_type_once(plans: list[TFPlan]) -> None:
    """Offices and big task forces had their types adjusted: make sure each of Li's and Liu & Liu's four
    types still occurs, taking a task force whose type occurs more than once."""
    li = {c: (nat, b) for c, nat, b, _ in LI_TYPES}
    for code, (nature, boundary) in li.items():
        if not any(p.li == code for p in plans):
            donor = next((p for p in plans if not (p.is_office or p.is_big)
                          and sum(q.li == p.li for q in plans) > 1), None)
            if donor is not None:
                donor.li, donor.nature, donor.boundary = code, nature, boundary
    for purpose, entity, _ in LIU_TYPES:
        if not any(p.purpose == purpose and p.entity == entity for p in plans):
            donor = next((p for p in plans if not (p.is_office or p.is_big)
                          and sum(q.purpose == p.purpose and q.entity == p.entity for q in plans) > 1), None)
            if donor is not None:
                donor.purpose, donor.entity = purpose, entity


def _is_ancestor(plans: list[TFPlan], candidate: int, of: int) -> bool:
    current: int | None = of
    while current is not None:
        if current == candidate:
            return True
        current = plans[current].parent
    return False


def _deepen(plans: list[TFPlan], p: TFPlan) -> None:
    for c in plans:
        if c.parent == p.index:
            c.depth = p.depth + 1
            _deepen(plans, c)


# ---- dates, names, positioning ------------------------------------------------------------------------


def _dates_and_positioning(ctx: Context, rng: random.Random, plans: list[TFPlan]) -> None:
    today = ctx.today
    by_depth = sorted(plans, key=lambda p: p.depth)
    used_names: set[str] = set()
    for p in by_depth:
        parent = plans[p.parent] if p.parent is not None else None
        if p.status == S.PLANNING:
            p.established = today - dt.timedelta(days=rng.randint(0, 45))
        elif p.closed:
            p.established = today - dt.timedelta(days=rng.randint(200, 1400))
        else:
            p.established = today - dt.timedelta(days=rng.randint(40, 1100))
        if parent is not None and p.established < parent.established:
            p.established = min(today, parent.established + dt.timedelta(days=rng.randint(0, 60)))
        p.active_since = p.established
        if p.closed:
            span = (today - p.established).days
            p.dissolved_on = p.established + dt.timedelta(days=rng.randint(min(60, span), max(60, span - 1)))
            p.dissolved_on = min(p.dissolved_on, today)
        elif p.status in (S.ACTIVE, S.SUSPENDED) and (today - p.established).days > 400 and rng.random() < 0.06:
            p.restarted = True  # dissolved once and restarted for a recurring matter: a second period
            p.active_since = p.established + dt.timedelta(days=rng.randint(200, (today - p.established).days - 30))
        if rng.random() < 0.05 and not p.closed:
            p.planned_end = None  # long-running, no planned end (the abuse the studies warn about)
        else:
            p.planned_end = p.established + dt.timedelta(days=rng.randint(120, 1100))
        _name(ctx, rng, p, plans, used_names)
        p.decision_mode = (T.DecisionMode.LEADING_CORE if (p.nature == T.Nature.COMPOSITE) == (rng.random() < 0.78)
                           else T.DecisionMode.LEAD_DEPARTMENT)
        if p.is_office:
            p.decision_mode = T.DecisionMode.LEADING_CORE
        if p.decision_mode == T.DecisionMode.LEADING_CORE:
            topic = p.name.removeprefix(p.region.name).split("工作")[0].removesuffix("专班")[:12] or "专项"
            p.leading_body = rng.choice(N.LEADING_BODIES).format(p=p.region.name, t=topic)[:120]
        r = rng.random()
        if r < 0.10:
            p.label = SecurityLabel.PUBLIC
        elif r < 0.13 and not (p.is_office or p.is_big):
            p.label = SecurityLabel.SENSITIVE
    for p in plans:
        if p.status == S.MERGED:
            targets = [q for q in plans if q.status == S.ACTIVE and q is not p and q.established <= p.dissolved_on
                       and (q.city == p.city or q.level == Region.Level.PROVINCE)]
            targets = targets or [q for q in plans if q.status == S.ACTIVE and q.established <= p.dissolved_on]
            if targets:
                p.merged_into = rng.choice(targets).index
            else:  # nothing to merge into: it was dissolved instead
                p.status = S.DISSOLVED


def _place_root(region: Region) -> str:
    return region.name[:-2] if region.name.endswith("街道") else region.name[:-1]


def _name(ctx: Context, rng: random.Random, p: TFPlan, plans: list[TFPlan], used: set[str]) -> None:
    place = p.region.name
    if p.is_office:
        pattern, matter = rng.choice(N.OFFICE_THEMES)
        p.name, p.core_matter = pattern.format(p=place), matter
        return
    if p.relation == T.ParentRelation.BIG_SMALL and p.parent is not None:
        parent = plans[p.parent]
        root = parent.name.removesuffix("工作专班").removesuffix("攻坚专班").removesuffix("专班")
        p.name = f"{root}{_place_root(p.region) if p.region.pk != parent.region.pk else rng.choice(N.PROJECTS)}小专班"
        p.core_matter = f"在{parent.name}统筹下，驻点推进{place}的具体任务，集中办公、责任到人"
        return
    themes = [t for t in N.THEMES if t[2] == (p.purpose == T.Purpose.EMERGENCY)]
    for _ in range(6):
        pattern, matter, _emergency = rng.choice(themes)
        project = rng.choice(N.PROJECTS)
        name = pattern.format(p=place, x=project)
        if name not in used:
            break
    used.add(name)
    p.name, p.core_matter = name[:120], matter.format(x=project)


def _task_counts(ctx: Context, rng: random.Random, plans: list[TFPlan]) -> None:
    """Tasks per task force: heavy-tailed, the benchmark's big task force at ``big_taskforce_tasks``."""
    total, big = ctx.spec.tasks, ctx.extra["big_tf"]
    rest = total - ctx.spec.big_taskforce_tasks
    plans[big].n_tasks = ctx.spec.big_taskforce_tasks
    weights: dict[int, float] = {}
    for p in plans:
        if p.index == big or p.status == S.MERGED:  # a merge moves the tasks to the receiving task force
            continue
        if p.status == S.PLANNING:
            p.n_tasks = rng.randint(0, 3)
            rest -= p.n_tasks
            continue
        w = math.exp(rng.gauss(0, 0.8))
        w *= {S.DISSOLVED: 0.5, S.SUSPENDED: 0.7}.get(p.status, 1.0)
        w *= 1.3 if p.nature == T.Nature.COMPOSITE else 1.0
        w *= 0.6 if p.is_office else 1.0
        weights[p.index] = w
    cap = max(1, int(ctx.spec.big_taskforce_tasks * 0.75))
    wsum = sum(weights.values())
    counts = {i: min(cap, max(1, int(rest * w / wsum))) for i, w in weights.items()}
    order = sorted(weights, key=lambda i: -weights[i])
    k = 0
    while sum(counts.values()) < rest and order:  # the rounding and capping remainder
        i = order[k % len(order)]
        if counts[i] < cap:
            counts[i] += 1
        k += 1
        if k > 50 * len(order):
            break
    for i, c in counts.items():
        plans[i].n_tasks = c


# ---- rows ---------------------------------------------------------------------------------------------


def _doc_no(rng: random.Random, p: TFPlan) -> str:
    abbr = p.region.name[0]
    kind = rng.choice(["政办发", "政办函", "委办发", "政发"])
    return f"{abbr}{kind}〔{p.established.year}〕{rng.randint(1, 120)}号"


def _taskforce_row(ctx: Context, p: TFPlan, plans: list[TFPlan]) -> TaskForce:
    rng = ctx.rng(f"tf:{p.index}")
    r = rng.random()
    basis = T.Basis.NOTICE if r < 0.7 or p.is_office else T.Basis.MINUTES if r < 0.9 else T.Basis.ORAL
    note = {T.Basis.MINUTES: f"{p.region.name}政府第{rng.randint(3, 60)}次常务会议纪要",
            T.Basis.ORAL: "主要领导在专题会上口头部署"}.get(basis, "")
    year = p.established.year
    goals = (f"{year}年底前完成{rng.randint(5, 60)}项重点任务；{rng.choice(['群众满意度', '按期完成率', '问题整改率'])}"
             f"达到{rng.randint(85, 99)}%以上。")
    unit = ctx.units[p.lead_unit] if p.lead_unit is not None else None
    closed_text = {"summary": "", "lessons": ""}
    if p.closed:
        closed_text = {"summary": f"专班运行期间完成{p.n_tasks}项任务，核心事务“{p.core_matter[:30]}”已办结。",
                       "lessons": "建立周调度、月通报机制；任务清单化、责任到人；经验做法已反馈各派出单位。"}
    row = TaskForce(
        id=p.id, name=p.name, core_matter=p.core_matter, goals=goals, region_id=p.region.pk, basis=basis,
        basis_document_no=_doc_no(rng, p) if basis == T.Basis.NOTICE else "", basis_note=note,
        established_on=p.established, planned_end=p.planned_end,
        dissolution_conditions=rng.choice(["核心任务完成并通过验收后撤销", "阶段性目标完成、转入常态化管理后撤销",
                                           "项目竣工投产后撤销", "应急状态解除后撤销"]),
        task_nature=p.nature, purpose=p.purpose, entity_operation=p.entity, decision_mode=p.decision_mode,
        leading_body=p.leading_body, lead_unit_id=unit.id if unit else None,
        parent_id=plans[p.parent].id if p.parent is not None else None, parent_relation=p.relation,
        is_office=p.is_office, security_label=p.label, status=p.status,
        merged_into_id=plans[p.merged_into].id if p.merged_into is not None else None,
        dissolved_on=p.dissolved_on, created_by_id=ctx.person_user.get(p.created_by) if p.created_by else None,
        created_at=ctx.moment(p.established, rng), updated_at=ctx.moment(p.end, rng), **closed_text,
    )
    row._plan = p.index  # type: ignore[attr-defined]
    return row


def _extras(ctx: Context, rng: random.Random, plans: list[TFPlan], bar) -> None:
    """Periods, quantified targets and the demand list (需求清单)."""
    periods, targets, demands = [], [], []
    for p in plans:
        if p.status != S.PLANNING:
            started = p.established + dt.timedelta(days=rng.randint(0, 10))
            started = min(started, p.end)
            if p.restarted:
                first_end = p.active_since - dt.timedelta(days=rng.randint(5, 25))
                periods.append(Period(taskforce_id=p.id, number=1, started_on=started,
                                      ended_on=max(started, first_end)))
                periods.append(Period(taskforce_id=p.id, number=2, started_on=p.active_since,
                                      reason="同类事项再次启动，重启专班"))
            else:
                periods.append(Period(taskforce_id=p.id, number=1, started_on=started, ended_on=p.dissolved_on))
        for k in range(rng.randint(1, 3)):
            metric, uom = rng.choice([("完成项目数", "个"), ("完成率", "%"), ("覆盖率", "%"), ("投资额", "亿元"),
                                      ("办结件数", "件")])
            targets.append(Target(
                taskforce_id=p.id, description=f"目标{k + 1}：{metric}达到预期", metric=metric,
                target_value=rng.randint(10, 100) if uom != "亿元" else rng.randint(5, 300), unit_of_measure=uom,
                due_on=p.established + dt.timedelta(days=rng.randint(60, 700))))
        owners = [m.person for m in p.members if m.role != "head"] or ([p.head] if p.head else [])
        n_items = rng.randint(4, 18) if p.nature == T.Nature.COMPOSITE else rng.randint(0, 7)
        for k in range(n_items):
            if p.closed:
                status = DemandItem.Status.DONE if rng.random() < 0.85 else DemandItem.Status.HANDED_OVER
            else:
                r = rng.random()
                status = (DemandItem.Status.OPEN if r < 0.5 else DemandItem.Status.DONE if r < 0.9
                          else DemandItem.Status.HANDED_OVER)
            demands.append(DemandItem(
                taskforce_id=p.id, title=f"{rng.choice(N.TASK_OBJECTS)}{rng.choice(['诉求', '需求', '问题'])}{k + 1}",
                source=rng.choice(["联合调研", "企业走访", "群众来信", "部门报送", "12345热线"]),
                owner_id=rng.choice(owners) if owners else None, status=status,
                handed_over_to=f"{rng.choice(ctx.units).short}" if status == DemandItem.Status.HANDED_OVER else ""))
    bulk(Period, periods, bar)
    bulk(Target, targets, bar)
    bulk(DemandItem, demands, bar)
    ctx.counts["demand_items"] = len(demands)
