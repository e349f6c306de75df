"""Generator phase "assessment" (after "tasks"): a year's scheme for the big task force, brought to 200
assessed people, with its evaluators and their scores — the data of the "full assessment computation for
one task force of 200 people < 2 s" figure (``zhuanban assessment_bench``, bench scenario
``assessment_results``).

- The big task force has ~150 active internal members at province scale: the phase seconds more people
  (成员, from units not yet in it; dispatching unit = home unit, a fifth full-time) until 200 are assessed.
- The scheme: the six objective indicators (on-time rate, overdue, report timeliness, attendance,
  acknowledgement latency, tasks assisted by rank) and the collaboration index, plus two scored ones;
  evaluator weights self 10 / internal 40 / expert 20 / external 10 / grassroots 20.
- Evaluators: the heads and deputies (internal), 3 experts, 2 external and 5 liaisons (grassroots) score
  everyone; every subject assesses themself: ~2,800 score rows.
Synthetic data: ``fast_insert`` with explicit ids, no services and no audit events.

Bench subjects: ``assessment_scheme_id``, ``assessment_subjects`` (its number of people); the scheme is
read by the big task force's ``office_username``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhuanban.org.models import Person
from zhuanban.scale.gen_common import Buffer, Context, reset_sequences
from zhuanban.taskforces.models import Membership

from .models import Evaluator, Scheme, SchemeRevision, Score
from .rules import clean_evaluator_weights, clean_tree

SUBJECTS = 200
TREE = [
    {"key": "perf", "name": "工作实绩", "weight": 60, "children": [
        {"key": "ontime", "name": "任务按期完成率", "weight": 25, "kind": "objective", "metric": "on_time_rate",
         "rule": {"type": "linear", "worst": 60, "best": 100}},
        {"key": "overdue", "name": "逾期任务数", "weight": 15, "kind": "objective", "metric": "overdue",
         "rule": {"type": "thresholds", "lower_is_better": True, "steps": [{"at": 0, "pct": 100}, {"at": 2, "pct": 70},
                                                                              {"at": 5, "pct": 40}], "else": 0}},
        {"key": "report", "name": "信息报送及时率", "weight": 15, "kind": "objective", "metric": "report_timeliness",
         "rule": {"type": "linear", "worst": 50, "best": 100}},
        {"key": "meet", "name": "会议出勤率", "weight": 15, "kind": "objective", "metric": "attendance",
         "rule": {"type": "thresholds", "steps": [{"at": 90, "pct": 100}, {"at": 75, "pct": 70}], "else": 30}},
        {"key": "ack", "name": "通知确认时长", "weight": 10, "kind": "objective", "metric": "ack_latency",
         "rule": {"type": "linear", "worst": 48, "best": 2}},
        {"key": "assist", "name": "协助其他单位完成任务", "weight": 10, "kind": "objective", "metric": "assisted",
         "rule": {"type": "rank"}},
        {"key": "collab", "name": "协同指数", "weight": 10, "kind": "objective", "metric": "collaboration",
         "rule": {"type": "linear", "worst": 20, "best": 80}},
    ]},
    {"key": "style", "name": "工作作风", "weight": 40, "children": [
        {"key": "attitude", "name": "担当作为", "weight": 50, "kind": "subjective", "max": 100},
        {"key": "disc", "name": "纪律作风", "weight": 50, "kind": "subjective", "max": 100},
    ]},
]
WEIGHTS = {"self": 10, "internal": 40, "expert": 20, "external": 10, "grassroots": 20}


def run(ctx: Context) -> None:
    big_index = ctx.extra.get("big_tf")
    if big_index is None:
        return
    big = ctx.taskforces[big_index]
    rng = ctx.rng("assessment")
    start = dt.date(ctx.today.year, 1, 1)
    members = list(Membership.objects.filter(taskforce_id=big.id, end_on__isnull=True).exclude(
        role=Membership.Role.EXTERNAL).values_list("person_id", "role"))
    buf = Buffer(None)
    seen = {pid for pid, _ in members}
    need = SUBJECTS - len(seen)
    if need > 0:
        extra = list(Person.objects.exclude(staffing=Person.Staffing.EXTERNAL).exclude(pk__in=seen)
                     .order_by("id").values_list("id", "home_unit_id")[: need * 3])
        picked = rng.sample(extra, min(need, len(extra)))
        for mid, (pid, unit_id) in zip(ctx.ids(Membership, len(picked)), picked, strict=True):
            buf.add(Membership, id=mid, taskforce_id=big.id, person_id=pid, role=Membership.Role.MEMBER,
                    dispatching_unit_id=unit_id, member_unit_id=None, group_id=None,
                    full_time=rng.random() < 0.2, workload_pct=rng.randint(20, 60),
                    start_on=max(big.active_since, start), end_on=None, end_reason="")
            members.append((pid, Membership.Role.MEMBER))
    subjects = sorted({pid for pid, _ in members})
    tree = clean_tree(TREE)
    weights = clean_evaluator_weights(WEIGHTS, tree)
    sid, rid = ctx.ids(Scheme, 1)[0], ctx.ids(SchemeRevision, 1)[0]
    created = ctx.now - dt.timedelta(days=max((ctx.today - start).days - 5, 0))
    buf.add(Scheme, id=sid, version=1, created_at=created, updated_at=created, taskforce_id=big.id,
            name=f"{ctx.today.year}年度专班成员考核", period_start=start, period_end=dt.date(ctx.today.year, 12, 31),
            subject_kind="person", track="all", anonymous=True, duplicate_policy="replace", status="open",
            revision=1, created_by_id=None)
    buf.add(SchemeRevision, id=rid, scheme_id=sid, number=1, indicators=tree, evaluator_weights=weights,
            note="初始版本", created_by_id=None, created_at=created)
    leaders = [pid for pid, role in members if role in Membership.LEADER_ROLES][:4]
    liaisons = [pid for pid, role in members if role == Membership.Role.LIAISON]
    others = [p for p in subjects if p not in leaders and p not in liaisons]
    roles: list[tuple[int, str, str]] = [(p, "internal", "") for p in leaders]
    roles += [(p, "grassroots", "") for p in rng.sample(liaisons, min(5, len(liaisons)))]
    roles += [(p, "expert", "") for p in rng.sample(others, min(3, len(others)))]
    roles += [(p, "external", "") for p in rng.sample(others, min(2, len(others)))]
    roles += [(p, "self", f"p{p}") for p in subjects]
    ev_ids = ctx.ids(Evaluator, len(roles))
    bar = ctx.bar("考核评分", len(roles))
    n_scores = sum(1 if key else len(subjects) - 1 for _, _, key in roles)
    score_ids = iter(ctx.ids(Score, n_scores))
    for eid, (pid, kind, key) in zip(ev_ids, roles, strict=True):
        buf.add(Evaluator, id=eid, scheme_id=sid, person_id=pid, kind=kind, subject_key=key, notice_id=None,
                created_at=created)
        for subject in ([int(key[1:])] if key else subjects):
            if not key and subject == pid:
                continue
            at = created + dt.timedelta(hours=rng.randint(1, 24 * 20))
            high = 100 if kind == "self" else 95
            values: dict[str, Any] = {"attitude": rng.randint(60, high), "disc": rng.randint(65, high)}
            buf.add(Score, id=next(score_ids), version=1, created_at=at, updated_at=at, scheme_id=sid,
                    revision_id=rid, evaluator_id=eid, subject_key=f"p{subject}", values=values, comment="",
                    submitted_at=at)
        bar.update(1)
    buf.flush()
    bar.close()
    reset_sequences([Membership, Scheme, SchemeRevision, Evaluator, Score])
    ctx.counts["assessment_scores"] = n_scores
    ctx.subjects["assessment_scheme_id"] = sid
    ctx.subjects["assessment_subjects"] = len(subjects)
