"""The computation of a scheme's results: objective figures and evaluators' scores → points per indicator,
per evaluator type, totals, ranking.  Pure over rows loaded in a fixed number of queries (the subjects,
the figures from ``accountability.metrics``, the scores and, for an earlier revision, their history), so
200 subjects cost the same queries as 2.

How points are counted (docs/assessment.md, "计分"):
- a leaf's share of the 100 points is the product of the weights on its path (60 % × 50 % → 30 points);
- objective leaf: the metric's value → a fraction by the rule (linear / thresholds / rank) → share × fraction;
  no figure (nothing to count, e.g. no report due) → the leaf's ``if_missing``: full marks or none;
- subjective leaf: per evaluator type the mean of its evaluators' score ÷ max; the types are combined by the
  scheme's evaluator weights, renormalised over the types that scored this subject (a type that did not
  score neither helps nor hurts); no score at all → 0 points, flagged 未评分;
- total = the sum of the leaves + awards − negative-list points; ranking by total (ties share a place).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .models import EvaluatorType, Mark, Scheme, SchemeRevision, Score, ScoreHistory
from .rules import METRICS, leaves
from .subjects import Subject, subjects_of

TYPE_LABELS = dict(EvaluatorType.choices)


@dataclass
class Row:
    key: str
    path: str
    kind: str                 # objective / subjective
    source: str               # "data" or an evaluator type
    source_label: str
    raw: float | None         # the metric's value, or the type's mean score
    fraction: float | None
    points: float
    share: float              # the most this row could give
    count: int = 0            # evaluators of this type who scored it


@dataclass
class SubjectResult:
    subject: Subject
    base: float = 0.0
    bonus: float = 0.0
    total: float = 0.0
    rank: int = 0
    rows: list[Row] = field(default_factory=list)
    by_source: dict[str, float] = field(default_factory=dict)
    marks: list[Mark] = field(default_factory=list)
    collaboration: float | None = None
    unscored: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.subject.key


@dataclass
class Results:
    scheme: Scheme
    revision: SchemeRevision
    items: list[SubjectResult]
    leaves: list[dict[str, Any]]

    def get(self, key: str) -> SubjectResult | None:
        return next((r for r in self.items if r.key == key), None)


def figures_for(scheme: Scheme, subjects: list[Subject]) -> dict[str, Any]:
    """subject key → ``accountability.metrics.Figures`` over the scheme's period and task force."""
    from zhuanban.accountability import metrics

    ids: dict[str, list[int]] = defaultdict(list)
    for s in subjects:
        ids[s.kind].append(s.id)
    out: dict[str, Any] = {}
    start, end = scheme.period_start, scheme.period_end
    if ids.get("person"):
        for pk, f in metrics.person_figures(ids["person"], taskforce_ids=[scheme.taskforce_id], start=start,
                                            end=end).items():
            out[f"p{pk}"] = f
    if ids.get("unit"):
        for pk, f in metrics.unit_figures(ids["unit"], taskforce_ids=[scheme.taskforce_id], start=start,
                                          end=end).items():
            out[f"u{pk}"] = f
    if ids.get("taskforce"):
        for pk, f in metrics.taskforce_figures(ids["taskforce"], start=start, end=end).items():
            out[f"t{pk}"] = f
    return out


def metric_value(metric: str, f: Any) -> float | None:
    """The value a metric reads from one subject's figures (percentages as 0–100)."""
    if f is None:
        return None
    from zhuanban.accountability import metrics

    if metric == "collaboration":
        return float(metrics.collaboration_index(f))
    if metric == "overdue":
        return float(f.overdue)
    if metric == "assisted":
        return float(f.assisted)
    if metric == "ack_latency":
        return f.ack_latency_hours_median
    rate = {"on_time_rate": f.on_time_rate, "report_timeliness": f.report_timeliness,
            "attendance": f.attendance_rate}[metric]
    return None if rate is None else float(rate) * 100.0


def fraction(rule: dict[str, Any], value: float, ranks: tuple[int, int] | None = None) -> float:
    """The share (0–1) of a leaf's points that ``value`` earns under ``rule``."""
    kind = rule["type"]
    if kind == "linear":
        worst, best = rule["worst"], rule["best"]
        return min(max((value - worst) / (best - worst), 0.0), 1.0)
    if kind == "thresholds":
        lower = rule["lower_is_better"]
        for step in rule["steps"]:
            if (value <= step["at"]) if lower else (value >= step["at"]):
                return step["pct"] / 100.0
        return rule["else"] / 100.0
    place, n = ranks or (0, 1)
    return 1.0 if n <= 1 else (n - 1 - place) / (n - 1)


def _places(values: dict[str, float], lower_is_better: bool) -> dict[str, int]:
    """0-based competition places (ties share the better one)."""
    ordered = sorted(values.values(), reverse=not lower_is_better)
    first: dict[float, int] = {}
    for i, v in enumerate(ordered):
        first.setdefault(v, i)
    return {k: first[v] for k, v in values.items()}


def scores_as_of(scheme: Scheme, revision: SchemeRevision) -> list[tuple[str, str, dict[str, Any]]]:
    """(evaluator type, subject key, values) of every score as it stood under ``revision``: a score given
    under a later revision counts by its last history entry of ``revision`` or earlier (or not at all)."""
    rows = list(Score.objects.filter(scheme=scheme).values_list(
        "id", "evaluator__kind", "subject_key", "values", "revision__number"))
    out: list[tuple[str, str, dict[str, Any]]] = []
    later = {r[0]: r for r in rows if r[4] > revision.number}
    for _sid, kind, key, values, number in rows:
        if number <= revision.number:
            out.append((kind, key, values))
    if later:
        best: dict[int, tuple[Any, dict[str, Any]]] = {}
        for sid, values, at in ScoreHistory.objects.filter(
                score_id__in=list(later), revision__number__lte=revision.number).values_list(
                "score_id", "values", "submitted_at").order_by("submitted_at", "id"):
            best[sid] = (at, values)
        for sid, (_, values) in best.items():
            out.append((later[sid][1], later[sid][2], values))
    return out


def compute(scheme: Scheme, revision: SchemeRevision | None = None, *, subjects: list[Subject] | None = None,
            figures: dict[str, Any] | None = None) -> Results:
    """The results of ``scheme`` under ``revision`` (default: the current one)."""
    if revision is None:
        revision = SchemeRevision.objects.get(scheme=scheme, number=scheme.revision)
    subjects = subjects_of(scheme) if subjects is None else subjects
    tree_leaves = leaves(revision.indicators)
    needs_figures = any(leaf.get("kind") == "objective" for leaf, _ in tree_leaves) or scheme.subject_kind != "taskforce"
    figs = figures if figures is not None else (figures_for(scheme, subjects) if needs_figures and subjects else {})
    weights = revision.evaluator_weights or {}

    # subject → leaf key → type → [fractions]
    given: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    maxima = {leaf["key"]: leaf.get("max", 100.0) for leaf, _ in tree_leaves if leaf.get("kind") == "subjective"}
    for kind, key, values in scores_as_of(scheme, revision):
        if kind not in weights:
            continue
        for leaf_key, top in maxima.items():
            v = values.get(leaf_key)
            if isinstance(v, int | float) and not isinstance(v, bool):
                given[key][leaf_key][kind].append(min(max(float(v) / top, 0.0), 1.0))

    marks: dict[str, list[Mark]] = defaultdict(list)
    for m in Mark.objects.filter(scheme=scheme).order_by("kind", "id"):
        marks[m.subject_key].append(m)

    results = {s.key: SubjectResult(subject=s) for s in subjects}
    raw_values: dict[str, dict[str, float | None]] = {}
    for leaf, _ in tree_leaves:
        if leaf.get("kind") == "objective":
            raw_values[leaf["key"]] = {s.key: metric_value(leaf["metric"], figs.get(s.key)) for s in subjects}

    for leaf, share in tree_leaves:
        if leaf.get("kind") == "objective":
            values = raw_values[leaf["key"]]
            rule = leaf["rule"]
            known = {k: v for k, v in values.items() if v is not None}
            places = _places(known, rule.get("lower_is_better", False)) if rule["type"] == "rank" else {}
            for s in subjects:
                v = values[s.key]
                if v is None:
                    frac = 1.0 if leaf.get("if_missing", "full") == "full" else 0.0
                else:
                    frac = fraction(rule, v, (places.get(s.key, 0), len(known)))
                results[s.key].rows.append(Row(leaf["key"], leaf["path"], "objective", "data", "数据计算",
                                               v, frac, share * frac, share))
            continue
        for s in subjects:
            res = results[s.key]
            by_type = given.get(s.key, {}).get(leaf["key"], {})
            present = [t for t in weights if by_type.get(t)]
            norm = sum(weights[t] for t in present)
            if not present:
                res.unscored.append(leaf["key"])
                res.rows.append(Row(leaf["key"], leaf["path"], "subjective", "", "未评分", None, None, 0.0, share))
                continue
            for t in present:
                mean = sum(by_type[t]) / len(by_type[t])
                part = share * weights[t] / norm
                res.rows.append(Row(leaf["key"], leaf["path"], "subjective", t, TYPE_LABELS.get(t, t),
                                    mean * leaf.get("max", 100.0), mean, part * mean, part, len(by_type[t])))

    for s in subjects:
        res = results[s.key]
        res.base = sum(r.points for r in res.rows)
        for r in res.rows:
            if r.source:
                res.by_source[r.source] = res.by_source.get(r.source, 0.0) + r.points
        res.marks = marks.get(s.key, [])
        res.bonus = sum(float(m.points) * (1 if m.kind == Mark.Kind.AWARD else -1) for m in res.marks)
        res.total = round(res.base + res.bonus, 2)
        f = figs.get(s.key)
        if f is not None and s.kind in ("person", "unit"):
            res.collaboration = metric_value("collaboration", f)

    ordered = sorted(results.values(), key=lambda r: (-r.total, r.subject.label))
    place = 0
    for i, r in enumerate(ordered):
        if i == 0 or r.total != ordered[i - 1].total:
            place = i + 1
        r.rank = place
    return Results(scheme=scheme, revision=revision, items=ordered, leaves=[leaf for leaf, _ in tree_leaves])


def metric_label(metric: str) -> str:
    return METRICS.get(metric, (metric, "", False))[0]
