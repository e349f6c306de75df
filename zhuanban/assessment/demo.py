"""Demo data of assessment, loaded by ``zhuanban.demo.loader`` after the other apps (so the objective
indicators have tasks, reports and receipts to count).  Through the services.

- ``brain`` (城市大脑): "本年度城市大脑专班成员考核" — people, all members; 工作实绩 60 (任务按期完成率 by a
  linear rule, 信息报送及时率 by thresholds, 通知确认时长 lower-is-better) and 工作作风与协同 40 (scored);
  evaluators: the two heads (领导评价), the Baidu architect (服务对象评价, 好差评) and everyone's self-assessment;
  the forms sent as a notice requiring acknowledgement; most members scored, two left for the demo logins;
  one 揭榜挂帅 award and one negative-list entry; revised once in mid-year (so v1 and v2 results differ).
- ``ya_office`` (亚运 L区): "成员单位考核（考评听基层）" — member units, scored by the office (领导评价) and a
  venue's staff as grassroots evaluators.

Idempotent: schemes are found by task force and name; evaluators by their unique key; a score already
given is left as it is.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.utils import timezone

from zhuanban.taskforces.access import CLOSED
from zhuanban.taskforces.models import Membership, TaskForce

from . import rules, services
from .models import Evaluator, Mark, Scheme, Score
from .subjects import subjects_of

PEOPLE_TREE = [
    {"key": "perf", "name": "工作实绩", "weight": 60, "children": [
        {"key": "ontime", "name": "任务按期完成率", "weight": 50, "kind": "objective", "metric": "on_time_rate",
         "rule": {"type": "linear", "worst": 60, "best": 100}},
        {"key": "report", "name": "信息报送及时率", "weight": 30, "kind": "objective", "metric": "report_timeliness",
         "rule": {"type": "thresholds", "steps": [{"at": 95, "pct": 100}, {"at": 80, "pct": 80}, {"at": 60, "pct": 50}],
                  "else": 0}},
        {"key": "ack", "name": "通知确认时长", "weight": 20, "kind": "objective", "metric": "ack_latency",
         "rule": {"type": "linear", "worst": 48, "best": 2}},
    ]},
    {"key": "style", "name": "工作作风与协同", "weight": 40, "children": [
        {"key": "attitude", "name": "担当作为", "weight": 50, "kind": "subjective", "max": 100},
        {"key": "coop", "name": "协同配合", "weight": 50, "kind": "subjective", "max": 100},
    ]},
]
PEOPLE_WEIGHTS = {"internal": 50, "external": 30, "self": 20}
UNIT_TREE = [
    {"key": "tasks", "name": "任务落实", "weight": 40, "kind": "objective", "metric": "on_time_rate",
     "rule": {"type": "rank"}},
    {"key": "collab", "name": "协同指数", "weight": 20, "kind": "objective", "metric": "collaboration",
     "rule": {"type": "linear", "worst": 20, "best": 80}},
    {"key": "service", "name": "服务保障满意度", "weight": 40, "kind": "subjective", "max": 100},
]
UNIT_WEIGHTS = {"internal": 40, "grassroots": 60}
KEEP_FOR_LOGINS = {"office", "external"}  # demo logins find their form still to fill


class _Evaluator:
    """An evaluator without an account as the actor of ``services.submit_score`` (the audit names the system)."""

    is_authenticated = True
    is_superuser = False
    pk = None

    def __init__(self, person: Any) -> None:
        self.person = person

    def get_username(self) -> str:
        return "system"


def _actor(person: Any) -> Any:
    return person.user if person.user_id else _Evaluator(person)


def _scheme(admin: Any, tf: TaskForce, name: str, **data: Any) -> tuple[Scheme, bool]:
    found = Scheme.objects.filter(taskforce=tf, name=name).first()
    if found is not None:
        return found, False
    return services.create_scheme(admin, tf, {"name": name, **data}), True


def _value(seed: int, low: int = 70, high: int = 98) -> int:
    """A believable score, stable between runs."""
    return low + (seed * 37 + 11) % (high - low + 1)


def _score_all(scheme: Scheme, keep: set[str]) -> None:
    leaves = [leaf["key"] for leaf in rules.subjective_leaves(
        scheme.revisions.get(number=scheme.revision).indicators)]
    subjects = subjects_of(scheme)
    done = set(Score.objects.filter(scheme=scheme).values_list("evaluator_id", "subject_key"))
    for ev in Evaluator.objects.filter(scheme=scheme).select_related("person__user").order_by("id"):
        if ev.person.user_id and ev.person.user.username in keep:
            continue
        for i, s in enumerate(subjects):
            if not services.may_score(ev, s.key) or (ev.pk, s.key) in done:
                continue
            if ev.kind != "self" and (i + ev.pk) % 5 == 0:
                continue  # not every evaluator scores everyone
            values = {k: _value(ev.pk * 7 + i * 3 + j) for j, k in enumerate(leaves)}
            services.submit_score(_actor(ev.person), scheme, s.key, values, kind=ev.kind,
                                  comment="能够主动担当，协同配合较好。" if values[leaves[0]] >= 85 else "")


def _brain(admin: Any, tf: TaskForce) -> None:
    year = timezone.localdate().year
    scheme, created = _scheme(admin, tf, f"{year}年度城市大脑专班成员考核", period_start=dt.date(year, 1, 1),
                              period_end=dt.date(year, 12, 31), subject_kind="person", anonymous=True,
                              duplicate_policy="replace", indicators=PEOPLE_TREE, evaluator_weights=PEOPLE_WEIGHTS)
    members = Membership.objects.filter(taskforce=tf, end_on__isnull=True).select_related("person__user")
    heads = [m.person.pk for m in members if m.role == Membership.Role.HEAD]
    if heads:
        services.add_evaluators(admin, scheme, "internal", heads)
    external = [m.person.pk for m in members if m.person.user_id and m.person.user.username == "external"]
    if external:
        services.add_evaluators(admin, scheme, "external", external)
    selves = [s.id for s in subjects_of(scheme)]
    if selves:
        services.add_evaluators(admin, scheme, "self", selves)
    if Evaluator.objects.filter(scheme=scheme, notice_id__isnull=True).exists():
        services.send_forms(admin, scheme)
        _expand_forms(scheme)
    if created:
        # The first half of the year under v1, then a mid-year revision that weighs 作风 more.
        _score_all(scheme, KEEP_FOR_LOGINS)
        tree = copy.deepcopy(PEOPLE_TREE)
        tree[0]["weight"], tree[1]["weight"] = 55, 45
        scheme.refresh_from_db()
        services.revise_scheme(admin, scheme, scheme.version, {"indicators": tree}, "年中调整：作风与协同权重 40→45")
    _score_all(scheme, KEEP_FOR_LOGINS)
    subjects = subjects_of(scheme)
    if subjects and not Mark.objects.filter(scheme=scheme).exists():
        services.add_mark(admin, scheme, subject_key=subjects[min(2, len(subjects) - 1)].key, kind="award",
                          title="揭榜挂帅：城市运行“一网统管”指标体系攻关", points=5)
        services.add_mark(admin, scheme, subject_key=subjects[-1].key, kind="negative",
                          title="周报连续两次逾期未报送", points=2)


def _office(admin: Any, tf: TaskForce) -> None:
    year = timezone.localdate().year
    scheme, _ = _scheme(admin, tf, f"{year}年度成员单位考核（考评听基层）", period_start=dt.date(year, 1, 1),
                        period_end=dt.date(year, 12, 31), subject_kind="unit", anonymous=True,
                        duplicate_policy="reject", indicators=UNIT_TREE, evaluator_weights=UNIT_WEIGHTS)
    members = list(Membership.objects.filter(taskforce=tf, end_on__isnull=True).select_related("person")
                   .order_by("id"))
    office = [m.person.pk for m in members if m.role in Membership.OFFICE_ROLES | Membership.LEADER_ROLES][:3]
    ground = [m.person.pk for m in members if m.role in (Membership.Role.MEMBER, Membership.Role.LIAISON)][:4]
    if office:
        services.add_evaluators(admin, scheme, "internal", office)
    if ground:
        services.add_evaluators(admin, scheme, "grassroots", ground)
    if Evaluator.objects.filter(scheme=scheme, notice_id__isnull=True).exists():
        services.send_forms(admin, scheme)
        _expand_forms(scheme)
    _score_all(scheme, KEEP_FOR_LOGINS)


def _expand_forms(scheme: Scheme) -> None:
    """Deliver the forms' notice now: no worker runs at load time."""
    from zhuanban.notices import audience
    from zhuanban.notices.models import Notice

    for notice in Notice.objects.filter(taskforce=scheme.taskforce, title=f"考核评价表：{scheme.name}",
                                        status=Notice.Status.QUEUED):
        audience.expand(notice.pk)


def load(admin: Any, taskforces: dict[str, TaskForce]) -> None:
    """Idempotent: a second run finds what the first made and adds nothing."""
    brain, office = taskforces.get("brain"), taskforces.get("ya_office")
    if brain is not None and brain.status not in CLOSED:
        _brain(admin, brain)
    if office is not None and office.status not in CLOSED:
        _office(admin, office)
