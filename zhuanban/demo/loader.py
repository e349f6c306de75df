"""Load the demo data — idempotently, and only through the services.

The declarations are first expanded into a plan (generated staff get stable names; every member unit gets
a liaison).  The plan is a pure function of the declarations, so a second run computes the same names and
finds everything already there: regions by code, units by name, people by name and home unit, task forces
by name.  A task force is built whole in the one transaction of the run, so it is either complete or
absent, and an existing one is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhuanban.accountability import demo as accountability_demo
from zhuanban.accounts.services import mark_demo
from zhuanban.assessment import demo as assessment_demo
from zhuanban.core.errors import DomainError
from zhuanban.funds import demo as funds_demo
from zhuanban.insight import demo as insight_demo
from zhuanban.meetings import demo as meetings_demo
from zhuanban.notices import demo as notices_demo
from zhuanban.org import services as org_services
from zhuanban.org.models import Person, Region, Unit, User
from zhuanban.reports import demo as reports_demo
from zhuanban.taskforces import services as tf_services
from zhuanban.taskforces.models import DemandItem, Membership, TaskForce
from zhuanban.tasks import services as task_services
from zhuanban.tasks.models import Task

from . import tasks as demo_tasks
from .cases import TASKFORCES
from .data import DEMO_PASSWORD, PEOPLE, REGIONS, TF, UNITS, M, R, d

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
            "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万严覃武戴莫孔向汤")
GIVEN = ("建华 志明 秀英 丽娟 海燕 文静 晓东 伟 磊 敏 静 强 军 洋 勇 艳 杰 娜 涛 明 超 秀兰 霞 平 刚 桂英 "
         "子轩 梓涵 浩然 欣怡 宇航 思琪 俊杰 雨桐 博文 佳琪 一凡 诗涵 天佑 梦瑶 鹏飞 晓雯 永强 春梅 国栋 立华 "
         "红梅 建军 卫国 玉兰 振华 晓峰 丹丹 慧敏 宏伟 亚楠 文杰 婷婷 晨阳 雪莹 嘉怡 泽宇 若曦 凯 琳 颖 斌 "
         "旭东 玉洁 海涛 晓燕 志刚 春雨 明轩 佳慧 铭 楠 昊 蕾 鑫 晶 瑶 帆 宁 爽 冰 宏 亮 辉 晨 欣 阳 锋 "
         "思远 心怡 俊熙 雅婷 宇轩 可馨 昊天 紫涵 景行 书瑶 怀瑾 知秋 安然 语桐 明哲 清源 修远 若愚").split()

GOV_POSTS = ("一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员", "副处长", "四级调研员")
INSTITUTION_POSTS = ("工程师", "助理工程师", "副科长", "科长", "主任科员")
COMPANY_POSTS = ("高级工程师", "工程师", "架构师", "产品经理", "测试工程师", "运维工程师", "数据分析师", "项目经理")

STAFFING_BY_KIND = {
    Unit.Kind.PARTY_GOV: Person.Staffing.ADMINISTRATIVE,
    Unit.Kind.CONGRESS_CPPCC: Person.Staffing.ADMINISTRATIVE,
    Unit.Kind.PUBLIC_INSTITUTION: Person.Staffing.INSTITUTIONAL,
}
UNIT_KIND = {key: kind for key, _, kind, _, _ in UNITS}

Progress = Callable[[int], None]


# ---- the plan --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonPlan:
    key: str
    name: str
    unit: str
    post: str
    staffing: str
    leader: bool = False
    username: str = ""


@dataclass
class TaskForcePlan:
    spec: TF
    members: list[M]
    replacements: list[tuple[str, str, dt.date, str]] = field(default_factory=list)  # (unit, successor, on, why)

    @property
    def steps(self) -> int:
        s = self.spec
        return (2 + len(s.units) + len(s.groups) + len(self.members) + len(s.targets) + len(s.demands)
                + len(self.replacements) + (1 if s.dissolve else 0) + demo_tasks.count(s.key))


@dataclass
class Plan:
    people: dict[str, PersonPlan]
    taskforces: list[TaskForcePlan]

    @property
    def steps(self) -> int:
        return len(REGIONS) + len(UNITS) + len(self.people) + sum(t.steps for t in self.taskforces)


class _Names:
    """Stable fictional names: the n-th request gets the n-th unused name of a fixed sequence."""

    def __init__(self, reserved: set[str]) -> None:
        self.used = set(reserved)
        self.i = 0

    def next(self) -> str:
        while True:
            self.i += 1
            name = SURNAMES[(self.i * 7) % len(SURNAMES)] + GIVEN[(self.i * 11 + self.i // 997) % len(GIVEN)]
            if name not in self.used:
                self.used.add(name)
                return name


def _post(unit: str, n: int, role: str) -> str:
    kind = UNIT_KIND[unit]
    if role == R.LIAISON:
        return "政府事务经理" if kind in (Unit.Kind.ENTERPRISE, Unit.Kind.STATE_ENTERPRISE) else "办公室副主任"
    if role == R.HEAD:
        return "副主任" if unit.endswith("委") else "副局长"
    if kind in (Unit.Kind.ENTERPRISE, Unit.Kind.STATE_ENTERPRISE):
        return COMPANY_POSTS[n % len(COMPANY_POSTS)]
    if kind == Unit.Kind.PUBLIC_INSTITUTION:
        return INSTITUTION_POSTS[n % len(INSTITUTION_POSTS)]
    return GOV_POSTS[n % len(GOV_POSTS)]


def build_plan() -> Plan:
    """Expand the declarations; a pure function of them (same names on every run)."""
    people: dict[str, PersonPlan] = {}
    for p in PEOPLE:
        people[p.key] = PersonPlan(p.key, p.name, p.unit, p.post,
                                   p.staffing or STAFFING_BY_KIND.get(UNIT_KIND[p.unit], Person.Staffing.EXTERNAL),
                                   p.leader, p.username)
    names = _Names({p.name for p in PEOPLE})

    def generated(key: str, unit: str, n: int, role: str) -> str:
        if key not in people:
            people[key] = PersonPlan(key, names.next(), unit, _post(unit, n, role),
                                     STAFFING_BY_KIND.get(UNIT_KIND[unit], Person.Staffing.EXTERNAL))
        return key

    plans = []
    for spec in TASKFORCES:
        members = list(spec.members)
        for batch in spec.staff:
            for i in range(batch.offset, batch.offset + batch.count):
                key = generated(f"{batch.pool or spec.key}:{batch.unit}:{i}", batch.unit, i, batch.role)
                members.append(M(key, batch.role, batch.pct, batch.full_time, batch.group))
        spoken_for = {m.liaison_for for m in members if m.liaison_for}
        for unit, _, joined in spec.units:  # exactly one liaison for every member unit
            if unit not in spoken_for:
                key = generated(f"{spec.key}:{unit}:liaison", unit, 0, R.LIAISON)
                members.append(M(key, R.LIAISON, 20, liaison_for=unit, start=joined))
        replacements = [
            (unit, generated(f"{spec.key}:{unit}:liaison2", unit, 0, R.LIAISON), d(on), why)
            for unit, on, why in spec.replacements
        ]
        plans.append(TaskForcePlan(spec, members, replacements))
    return Plan(people, plans)


# ---- applying it -----------------------------------------------------------------------------------


@dataclass
class Summary:
    created: dict[str, int] = field(default_factory=lambda: {"regions": 0, "units": 0, "people": 0,
                                                             "taskforces": 0, "tasks": 0})
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


class DemoLoader:
    def __init__(self, progress: Progress | None = None) -> None:
        self.progress = progress or (lambda n: None)
        self.summary = Summary()

    def run(self) -> Summary:
        plan = build_plan()
        with transaction.atomic():
            self.admin = self._admin()
            self.regions = self._regions()
            self.units = self._units()
            self.people = self._people(plan)
            self.taskforces: dict[str, TaskForce] = {}
            for tf_plan in plan.taskforces:
                self._taskforce(tf_plan)
            # The running task forces' tasks once every task force exists (a task may be dispatched to
            # another task force); a dissolved one got its (done) tasks before it was dissolved.
            for tf_plan in plan.taskforces:
                tf = self.taskforces[tf_plan.spec.key]
                if tf.status not in (TaskForce.Status.DISSOLVED, TaskForce.Status.MERGED) \
                        and not Task.objects.filter(taskforce=tf).exists():
                    self._tasks(tf_plan, tf)
                else:
                    self.progress(demo_tasks.count(tf_plan.spec.key))
            # The rhythms of the running task forces, once their tasks exist: meetings, duty rosters and
            # resident stations (meetings.demo), report templates and a few weeks of filed reports
            # (reports.demo).  Each is idempotent and goes through its app's services.
            meetings_demo.load(self.admin, self.taskforces)
            reports_demo.load(self.admin, self.taskforces)
            notices_demo.load(self.admin, self.taskforces)
            accountability_demo.load(self.admin, self.taskforces)
            funds_demo.load(self.admin, self.taskforces)
            assessment_demo.load(self.admin, self.taskforces)  # schemes, scores, results (after the data it counts)
            insight_demo.load(self.admin, self.taskforces)  # health checks tripped visibly, snapshot
            # Published password: mark them, so a production start refuses to run while any is active.
            mark_demo([self.admin, *(p.user for p in self.people.values() if p.user_id)])
        self.summary.totals = {
            "regions": Region.objects.count(), "units": Unit.objects.count(), "people": Person.objects.count(),
            "taskforces": TaskForce.objects.count(), "memberships": Membership.objects.count(),
            "tasks": Task.objects.count(),
        }
        return self.summary

    @staticmethod
    def total_steps() -> int:
        return build_plan().steps

    # Accounts and the directory.

    def _admin(self) -> User:
        admin = User.objects.filter(username__iexact="admin").first()
        if admin is None:
            # No service creates superusers (as with `createsuperuser`, this is set-up, not a use case).
            admin = User.objects.create_superuser("admin", password=DEMO_PASSWORD, first_name="系统管理员")
        elif not admin.is_superuser:
            raise DomainError("demo_admin", "账号 admin 已存在但不是系统管理员，无法以其身份加载演示数据")
        return admin

    def _regions(self) -> dict[str, Region]:
        found = {r.code: r for r in Region.objects.filter(code__in=[c for c, *_ in REGIONS])}
        for code, name, level, parent in REGIONS:
            if code not in found:
                found[code] = org_services.create_region(
                    self.admin, code=code, name=name, level=level, parent=found[parent] if parent else None
                )
                self.summary.created["regions"] += 1
            self.progress(1)
        return found

    def _units(self) -> dict[str, Unit]:
        by_name = {u.name: u for u in Unit.objects.filter(name__in=[n for _, n, *_ in UNITS])}
        found: dict[str, Unit] = {}
        for key, name, kind, parent, region in UNITS:
            unit = by_name.get(name)
            if unit is None:
                unit = org_services.create_unit(self.admin, name=name, kind=kind, short_name=key,
                                                parent=found[parent] if parent else None, region=self.regions[region])
                self.summary.created["units"] += 1
            found[key] = unit
            self.progress(1)
        return found

    def _people(self, plan: Plan) -> dict[str, Person]:
        existing = {(p.name, p.home_unit_id): p
                    for p in Person.objects.filter(home_unit__in=list(self.units.values()))}
        found: dict[str, Person] = {}
        for key, p in plan.people.items():
            unit = self.units[p.unit]
            person = existing.get((p.name, unit.pk))
            if person is None:
                username = p.username if p.username and not User.objects.filter(
                    username__iexact=p.username).exists() else ""
                person = org_services.create_person(
                    self.admin, name=p.name, home_unit=unit, staffing=p.staffing, post=p.post,
                    phone=_phone(len(found)), is_unit_leader=p.leader, username=username,
                    password=DEMO_PASSWORD if username else None,
                )
                existing[(p.name, unit.pk)] = person
                self.summary.created["people"] += 1
            found[key] = person
            self.progress(1)
        return found

    # Task forces.

    def _taskforce(self, plan: TaskForcePlan) -> None:
        spec = plan.spec
        existing = TaskForce.objects.filter(name=spec.name).first()
        if existing is not None:
            self.taskforces[spec.key] = existing
            self.progress(plan.steps - demo_tasks.count(spec.key))
            return
        admin, established = self.admin, d(spec.established_on)
        tf = tf_services.create_taskforce(
            admin, name=spec.name, core_matter=spec.core_matter, goals=spec.goals, region=self.regions[spec.region],
            basis=spec.basis, basis_document_no=spec.basis_document_no, basis_note=spec.basis_note,
            established_on=established, planned_end=d(spec.planned_end) if spec.planned_end else None,
            dissolution_conditions=spec.dissolution_conditions, task_nature=spec.task_nature,
            purpose=spec.purpose, entity_operation=spec.entity_operation, decision_mode=spec.decision_mode,
            leading_body=spec.leading_body, lead_unit=self.units[spec.lead_unit] if spec.lead_unit else None,
            parent=self.taskforces[spec.parent] if spec.parent else None, parent_relation=spec.parent_relation,
            is_office=spec.is_office,
        )
        self.taskforces[spec.key] = tf
        self.summary.created["taskforces"] += 1
        self.progress(1)
        member_units = {}
        for unit, role, joined in spec.units:
            member_units[unit] = tf_services.add_member_unit(
                admin, tf, unit=self.units[unit], role=role, joined_on=d(joined) if joined else established
            )
            self.progress(1)
        groups = {}
        for name, lead in spec.groups:
            groups[name] = tf_services.add_group(admin, tf, name=name, lead_unit=self.units[lead])
            self.progress(1)
        for m in plan.members:
            tf_services.join(
                admin, tf, person=self.people[m.person], role=m.role,
                member_unit=member_units[m.liaison_for] if m.liaison_for else None,
                group=groups[m.group] if m.group else None, full_time=m.full_time, workload_pct=m.pct,
                start_on=d(m.start) if m.start else established, decided_by=spec.decided_by,
                reason=_join_reason(m),
            )
            self.progress(1)
        for description, metric, value, uom, due in spec.targets:
            tf_services.add_target(admin, tf, description=description, metric=metric,
                                   target_value=Decimal(str(value)) if value is not None else None,
                                   unit_of_measure=uom, due_on=d(due))
            self.progress(1)
        owner = self._owner(plan)
        for title, source, done in spec.demands:
            item = tf_services.add_demand(admin, tf, title=title, source=source, owner=owner)
            if done:
                tf_services.set_demand_status(admin, item, status=DemandItem.Status.DONE)
            self.progress(1)
        tf_services.activate(admin, tf, on=established)
        self.progress(1)
        for unit, successor, on, why in plan.replacements:
            current = member_units[unit].liaisons.get(role=Membership.Role.LIAISON, end_on__isnull=True)
            tf_services.replace(admin, current, successor=self.people[successor], on=on,
                                decided_by=spec.decided_by, reason=why, note="已向各对口单位通报新联络员，并移交在办事项")
            self.progress(1)
        if spec.dissolve:
            self._tasks(plan, tf)  # all done: an open task would block the dissolution
            on, summary, lessons = spec.dissolve
            tf_services.dissolve(admin, tf, summary=summary, lessons=lessons, on=d(on))
            self.progress(1)

    # Tasks (挂图作战).

    def _tasks(self, plan: TaskForcePlan, tf: TaskForce) -> None:
        """Create the task force's task tree through the task services and replay what happened to each
        task (dispatch, sign, return, progress, completion), children before their parent's steps."""
        specs = demo_tasks.TASKS.get(plan.spec.key, [])
        if not specs:
            return
        self._today = timezone.localdate()
        self._groups = {g.name: g for g in tf.groups.all()}
        self._by_title: dict[str, Task] = {}
        creator = self._user(demo_tasks.CREATORS.get(plan.spec.key) or self._creator(plan))
        for spec in specs:
            self._task(tf, spec, None, creator)

    def _task(self, tf: TaskForce, spec: demo_tasks.Tk, parent: Task | None, creator: User) -> None:
        task = task_services.create_task(
            creator, tf, title=spec.title, parent=parent, lead_unit=self.units[spec.lead] if spec.lead else None,
            cooperating_units=[self.units[u] for u in spec.coop],
            responsible=self.people[spec.person] if spec.person else None,
            decision_owner=self.people[spec.owner] if spec.owner else None,
            start_at=self._day(spec.start), due_at=self._day(spec.due), group=self._groups.get(spec.group),
            source=spec.source, source_note=spec.source_note, plan=spec.plan, priority=spec.priority,
            requires_verification=spec.verify, **({"security_label": "sensitive"} if spec.sensitive else {}),
            milestones=[{"title": t, "due_on": self._day(day)} for t, day in spec.milestones],
            depends_on=[self._by_title[t] for t in spec.after],
        )
        self._by_title[spec.title] = task
        self.summary.created["tasks"] += 1
        self.progress(1)
        for child in spec.children:
            self._task(tf, child, task, creator)
        for step in spec.steps:
            task.refresh_from_db()
            self._step(task, step)

    def _step(self, task: Task, step: tuple) -> None:
        kind, actor = step[0], self._user(step[1])
        if kind == "dispatch":
            target, key = step[2], step[3]
            note = step[4] if len(step) > 4 else ""
            to = {"unit": {"to_unit": self.units.get(key)}, "person": {"to_person": self.people.get(key)},
                  "tf": {"to_taskforce": self.taskforces.get(key)}}[target]
            task_services.dispatch(actor, task, note=note, **to)
        elif kind == "sign":
            task_services.sign(actor, task)
        elif kind == "return":
            task_services.return_task(actor, task, reason=step[2])
        elif kind == "progress":
            task_services.report_progress(actor, task, progress=step[2], note=step[3])
        elif kind == "complete":
            task_services.complete(actor, task, note=step[2])
        elif kind == "confirm":
            task_services.confirm(actor, task)
        elif kind == "verify":
            task_services.verify(actor, task)
        else:  # pragma: no cover - a declaration error
            raise ValueError(f"unknown demo task step {kind!r}")

    def _day(self, day: demo_tasks.Day | None) -> dt.date | None:
        if day is None:
            return None
        return d(day) if isinstance(day, str) else self._today + dt.timedelta(days=day)

    def _user(self, person_key: str) -> User:
        """The account of the person who acted, or the system administrator (who may do everything) where
        the person has none — generated staff, or named people of a database loaded before they had one."""
        person = self.people.get(person_key) if person_key else None
        user = getattr(person, "user", None) if person is not None else None
        return user if user is not None else self.admin

    def _creator(self, plan: TaskForcePlan) -> str:
        """Who puts the tasks on the wall chart: the office director, else the head, with an account."""
        for role in (R.OFFICE_DIRECTOR, R.HEAD):
            for m in plan.members:
                if m.role == role and self._user(m.person) is not self.admin:
                    return m.person
        return ""

    def _owner(self, plan: TaskForcePlan) -> Person | None:
        for role in (R.OFFICE_DIRECTOR, R.HEAD):
            for m in plan.members:
                if m.role == role:
                    return self.people[m.person]
        return None


def _join_reason(m: M) -> str:
    if m.role == R.LIAISON:
        return "成员单位指定联络员"
    if m.role in (R.EXTERNAL, R.CHIEF_EXPERT):
        return "外部单位派员参加"
    return "从原单位抽调"


def _phone(n: int) -> str:
    # 139-0000-xxxx: a reserved-looking, obviously fictional range.
    return f"1390000{n % 10000:04d}"


def load(progress: Progress | None = None) -> Summary:
    return DemoLoader(progress).run()


def logins() -> list[dict[str, Any]]:
    """The demo logins with the people behind them, for the closing table."""
    from .data import LOGINS

    rows = []
    for username, role, sees in LOGINS:
        user = User.objects.filter(username__iexact=username).select_related("person__home_unit").first()
        person = getattr(user, "person", None) if user else None
        rows.append({"username": username, "password": DEMO_PASSWORD, "role": role, "sees": sees,
                     "name": person.name if person else ("系统管理员" if user else "—"),
                     "unit": str(person.home_unit) if person else ""})
    return rows
