"""Objective indicators: each metric read from ``accountability.metrics`` figures and turned into points by
its rule (hand-computed), the rank rule, ``if_missing``, the collaboration index in the results, and the
on-time rate and overdue count end to end from task rows through metrics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhuanban.accountability.metrics import Figures
from zhuanban.assessment import engine, services
from zhuanban.tasks.models import Task

TREE = [
    {"key": "ontime", "name": "任务按期完成率", "weight": 20, "kind": "objective", "metric": "on_time_rate",
     "rule": {"type": "linear", "worst": 60, "best": 100}, "if_missing": "zero"},
    {"key": "overdue", "name": "逾期任务数", "weight": 15, "kind": "objective", "metric": "overdue",
     "rule": {"type": "thresholds", "lower_is_better": True, "steps": [{"at": 0, "pct": 100}, {"at": 2, "pct": 60}],
              "else": 0}},
    {"key": "reports", "name": "信息报送及时率", "weight": 15, "kind": "objective", "metric": "report_timeliness",
     "rule": {"type": "linear", "worst": 0, "best": 100}},
    {"key": "meet", "name": "会议出勤率", "weight": 15, "kind": "objective", "metric": "attendance",
     "rule": {"type": "thresholds", "steps": [{"at": 75, "pct": 70}, {"at": 90, "pct": 100}], "else": 30}},
    {"key": "ack", "name": "通知确认时长", "weight": 10, "kind": "objective", "metric": "ack_latency",
     "rule": {"type": "linear", "worst": 48, "best": 2}},
    {"key": "assist", "name": "协助其他单位", "weight": 10, "kind": "objective", "metric": "assisted",
     "rule": {"type": "rank"}},
    {"key": "collab", "name": "协同指数", "weight": 15, "kind": "objective", "metric": "collaboration",
     "rule": {"type": "linear", "worst": 0, "best": 100}},
]


@pytest.fixture
def objective(cast):
    return services.create_scheme(cast.olivia, cast.tf, {
        "name": "客观指标考核", "period_start": "2026-01-01", "period_end": "2026-12-31", "subject_kind": "person",
        "indicators": TREE})


def test_each_metric_by_its_rule(cast, objective):
    bob, liam = f"p{cast.people.bob.pk}", f"p{cast.people.liam.pk}"
    figs = {
        bob: Figures(tasks_owned=5, tasks_done=4, done_on_time=3, overdue=1, assisted=3, joint_done=2,
                     disputes_caused=1, disputes_resolved=1, reports_due=10, reports_on_time=8, meetings_expected=5,
                     meetings_attended=4, acks_required=6, acks_done=6, ack_latency_hours_median=14.0),
        liam: Figures(assisted=1),
        f"p{cast.people.alice.pk}": Figures(), f"p{cast.people.olivia.pk}": Figures(),
    }
    res = engine.compute(objective, figures=figs)
    rows = {r.key: r for r in res.get(bob).rows}
    assert rows["ontime"].raw == 75.0 and rows["ontime"].points == pytest.approx(7.5)      # 20 × (75−60)/40
    assert rows["overdue"].raw == 1 and rows["overdue"].points == pytest.approx(9.0)       # ≤ 2 → 60 % of 15
    assert rows["reports"].raw == 80.0 and rows["reports"].points == pytest.approx(12.0)   # 15 × 0.8
    assert rows["meet"].raw == 80.0 and rows["meet"].points == pytest.approx(10.5)         # ≥ 75 → 70 % of 15
    assert rows["ack"].points == pytest.approx(10 * 34 / 46)                               # (48−14)/(48−2)
    assert rows["assist"].points == 10.0                                                   # first of four
    # 协同指数: J = 2/7, A = 3/7, D = 1/2 → 100 × (0.4·2/7 + 0.4·3/7 + 0.2·0.5) = 38.6
    assert rows["collab"].raw == 38.6 and rows["collab"].points == pytest.approx(15 * 0.386)
    assert res.get(bob).total == round(7.5 + 9 + 12 + 10.5 + 10 * 34 / 46 + 10 + 15 * 0.386, 2) == 62.18
    assert res.get(bob).collaboration == 38.6

    # liam: nothing done → on-time "zero" if missing, no overdue → full, no reports/meetings/acks due → full,
    # second of four in assisted → 10 × 2/3; collaboration: all finished work (1) was help, no disputes →
    # 100 × (0.4 + 0.2) = 60 → 9.
    r = res.get(liam)
    assert {x.key: x.points for x in r.rows} == {"ontime": 0.0, "overdue": 15.0, "reports": 15.0, "meet": 15.0,
                                                  "ack": 10.0, "assist": pytest.approx(20 / 3),
                                                  "collab": pytest.approx(9.0)}
    assert r.total == 70.67 and r.rank == 1 and res.get(bob).rank == 2
    # alice and olivia: last (shared) in assisted → 10 × 1/3; collaboration 20 → 3
    assert res.get(f"p{cast.people.alice.pk}").total == 61.33 and res.get(f"p{cast.people.olivia.pk}").rank == 3


def test_rank_rule_ties_share_the_better_place(cast, objective):
    keys = [f"p{p.pk}" for p in (cast.people.alice, cast.people.olivia, cast.people.liam, cast.people.bob)]
    figs = {k: Figures(assisted=n) for k, n in zip(keys, (5, 5, 2, 0), strict=True)}
    res = engine.compute(objective, figures=figs)
    assert [next(x.fraction for x in res.get(k).rows if x.key == "assist") for k in keys] == [1.0, 1.0, pytest.approx(1 / 3), 0.0]


def _at(m, d):
    return timezone.make_aware(dt.datetime(2026, m, d, 17, 0))


def test_on_time_rate_and_overdue_from_task_rows(cast):
    """Through metrics: 3 done (2 on time, 1 late) and 1 open past its deadline → 66.7 %, 2 overdue."""
    s = services.create_scheme(cast.olivia, cast.tf, {
        "name": "按期与逾期", "period_start": "2026-01-01", "period_end": "2026-12-31", "subject_kind": "person",
        "indicators": [TREE[0] | {"weight": 50}, TREE[1] | {"weight": 50}]})
    bob = cast.people.bob
    for title, due, done, status in (("条例草案初稿", _at(3, 10), _at(3, 8), "done"),
                                     ("征求意见汇总", _at(3, 10), _at(3, 12), "done"),
                                     ("专家论证会", _at(4, 1), _at(3, 30), "done"),
                                     ("立法听证", _at(2, 1), None, "in_progress")):
        Task.objects.create(taskforce=cast.tf, title=title, responsible=bob, lead_unit=cast.units.zjw, due_at=due,
                            completed_at=done, status=status)
    r = engine.compute(s).get(f"p{bob.pk}")
    rows = {x.key: x for x in r.rows}
    assert rows["ontime"].raw == pytest.approx(200 / 3) and rows["overdue"].raw == 2
    # 50 × (66.67 − 60)/40 = 8.33; overdue 2 → 60 % of 50 = 30
    assert r.total == round(50 * (200 / 3 - 60) / 40 + 30, 2) == 38.33
    # liam owns nothing: on-time counts zero (if_missing), no overdue → 50
    assert engine.compute(s).get(f"p{cast.people.liam.pk}").total == 50.0


def test_full_time_and_part_time_are_assessed_on_different_schemes(cast):
    base = {"period_start": "2026-01-01", "period_end": "2026-12-31", "subject_kind": "person",
            "indicators": [TREE[1] | {"weight": 100}]}
    full = services.create_scheme(cast.olivia, cast.tf, {**base, "name": "专职人员考核", "track": "full_time"})
    part = services.create_scheme(cast.olivia, cast.tf, {**base, "name": "兼职人员考核", "track": "part_time"})
    p = cast.people
    assert [r.key for r in engine.compute(full).items] == [f"p{p.olivia.pk}"]
    assert {r.key for r in engine.compute(part).items} == {f"p{p.alice.pk}", f"p{p.liam.pk}", f"p{p.bob.pk}"}


def test_unit_and_taskforce_subjects(cast):
    base = {"period_start": "2026-01-01", "period_end": "2026-12-31", "indicators": [TREE[1] | {"weight": 100}]}
    units = services.create_scheme(cast.olivia, cast.tf, {**base, "name": "成员单位考核", "subject_kind": "unit"})
    res = engine.compute(units)
    assert {r.key for r in res.items} == {f"u{cast.units.gov.pk}", f"u{cast.units.zjw.pk}"}
    assert all(r.collaboration is not None for r in res.items)
    tfs = services.create_scheme(cast.olivia, cast.tf, {**base, "name": "专班考核", "subject_kind": "taskforce"})
    assert [r.key for r in engine.compute(tfs).items] == [f"t{cast.tf.pk}"]
