"""The shape of a scheme: the indicator tree, its scoring rules and the evaluator weights (pure functions).

An indicator is a dict::

    {"key": "k3", "name": "任务按期完成率", "weight": 40,
     "kind": "objective", "metric": "on_time_rate", "rule": {"type": "linear", "worst": 60, "best": 100}}
    {"key": "k4", "name": "工作作风", "weight": 30, "kind": "subjective", "max": 100}
    {"key": "k1", "name": "履职成效", "weight": 60, "children": [...]}          # a group

Rules checked here (each refusal names the field, e.g. ``indicators[2].children``):
- the weights of the siblings of every level sum to 100 (a group's children too);
- a leaf is ``objective`` (with a known ``metric`` and a ``rule``) or ``subjective`` (scored by evaluators
  from 0 to its ``max``); a group has children and no kind;
- scoring rules: ``linear`` (``worst`` → 0 %, ``best`` → 100 %, clamped; worst > best means lower is
  better), ``thresholds`` (steps of ``at`` → ``pct``, the first reached step counts, else ``else``),
  ``rank`` (first of the subjects 100 %, last 0 %, linear between; ties share the better place);
- evaluator weights: types among self/internal/expert/external/grassroots, summing to 100; required when
  the tree has a subjective leaf.
"""

from __future__ import annotations

import math
import re
from typing import Any

from zhuanban.core.errors import Invalid

from .models import EvaluatorType

# metric → (label, unit, lower is better). The figures themselves come from accountability.metrics.
METRICS: dict[str, tuple[str, str, bool]] = {
    "on_time_rate": ("任务按期完成率", "%", False),
    "overdue": ("逾期任务数", "项", True),
    "report_timeliness": ("信息报送及时率", "%", False),
    "attendance": ("会议出勤率", "%", False),
    "ack_latency": ("通知确认时长（中位数）", "小时", True),
    "assisted": ("协助其他单位完成任务数", "项", False),
    "collaboration": ("协同指数", "分", False),
}
RULE_TYPES = {"linear": "线性（区间内按比例）", "thresholds": "分档", "rank": "按排名"}
MAX_DEPTH = 4
MAX_NODES = 200
EPS = 1e-6
KEY_RE = re.compile(r"[A-Za-z0-9_-]{1,20}")


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def clean_tree(indicators: Any) -> list[dict[str, Any]]:
    """The indicator tree, normalised (keys assigned, numbers as floats), or :class:`Invalid` naming every
    bad field."""
    errors: dict[str, str] = {}
    taken: set[str] = set()
    count = [0]

    def collect_keys(nodes: Any) -> None:
        for node in nodes if isinstance(nodes, list) else []:
            if isinstance(node, dict):
                if isinstance(node.get("key"), str) and node["key"]:
                    taken.add(node["key"])
                collect_keys(node.get("children"))

    collect_keys(indicators)

    def new_key() -> str:
        n = 1
        while f"k{n}" in taken:
            n += 1
        taken.add(f"k{n}")
        return f"k{n}"

    seen: set[str] = set()

    def level(nodes: Any, path: str, depth: int) -> list[dict[str, Any]]:
        if not isinstance(nodes, list) or not nodes:
            errors[path] = "至少需要一项指标"
            return []
        out: list[dict[str, Any]] = []
        total = 0.0
        for i, node in enumerate(nodes):
            here = f"{path}[{i}]"
            count[0] += 1
            if not isinstance(node, dict):
                errors[here] = "指标格式有误"
                continue
            clean: dict[str, Any] = {}
            key = node.get("key")
            if not key:
                key = new_key()
            elif not isinstance(key, str) or not KEY_RE.fullmatch(key):
                errors[f"{here}.key"] = "指标标识须为不超过 20 位的字母、数字、_ 或 -"
                key = new_key()
            if key in seen:
                errors[f"{here}.key"] = "指标标识重复"
            seen.add(key)
            clean["key"] = key
            name = str(node.get("name") or "").strip()
            if not name:
                errors[f"{here}.name"] = "请填写指标名称"
            elif len(name) > 80:
                errors[f"{here}.name"] = "指标名称不超过 80 字"
            clean["name"] = name[:80]
            weight = _num(node.get("weight"))
            if weight is None or weight <= 0 or weight > 100:
                errors[f"{here}.weight"] = "权重须为大于 0、不超过 100 的数"
                weight = 0.0
            clean["weight"] = weight
            total += weight
            children = node.get("children")
            if children:
                if depth >= MAX_DEPTH:
                    errors[f"{here}.children"] = f"指标最多 {MAX_DEPTH} 级"
                else:
                    clean["children"] = level(children, f"{here}.children", depth + 1)
            else:
                _leaf(node, clean, here, errors)
            out.append(clean)
        own_weight = re.compile(re.escape(path) + r"\[\d+\]\.weight")
        if abs(total - 100) > EPS and not any(own_weight.fullmatch(k) for k in errors):
            where = "第一级指标" if path == "indicators" else "该指标下各子指标"
            errors[path] = f"{where}权重之和须为 100（现为 {total:g}）"
        return out

    tree = level(indicators, "indicators", 1)
    if count[0] > MAX_NODES:
        errors["indicators"] = f"指标不超过 {MAX_NODES} 项"
    if errors:
        raise Invalid("invalid_scheme", "指标体系有误", errors)
    return tree


def _leaf(node: dict[str, Any], clean: dict[str, Any], here: str, errors: dict[str, str]) -> None:
    kind = node.get("kind")
    clean["kind"] = kind
    if kind == "subjective":
        top = _num(node.get("max", 100))
        if top is None or top <= 0 or top > 1000:
            errors[f"{here}.max"] = "满分须为大于 0、不超过 1000 的数"
        clean["max"] = top or 100.0
        return
    if kind != "objective":
        errors[f"{here}.kind"] = "指标类型须为 objective（数据计算）或 subjective（评价打分）"
        return
    metric = node.get("metric")
    if metric not in METRICS:
        errors[f"{here}.metric"] = "请选择计算指标：" + "、".join(METRICS)
    clean["metric"] = metric
    clean["rule"] = clean_rule(node.get("rule"), f"{here}.rule", errors)
    if node.get("if_missing", "full") not in ("full", "zero"):
        errors[f"{here}.if_missing"] = "无数据时须为 full（得满分）或 zero（不得分）"
    clean["if_missing"] = node.get("if_missing", "full")


def clean_rule(rule: Any, here: str, errors: dict[str, str]) -> dict[str, Any]:
    if not isinstance(rule, dict) or rule.get("type") not in RULE_TYPES:
        errors[here] = "评分规则须为 linear、thresholds 或 rank"
        return {}
    kind = rule["type"]
    if kind == "linear":
        worst, best = _num(rule.get("worst")), _num(rule.get("best"))
        if worst is None or best is None:
            errors[here] = "线性规则须填写最差值（worst）和最好值（best）"
        elif abs(worst - best) < EPS:
            errors[here] = "最差值与最好值不能相同"
        return {"type": kind, "worst": worst, "best": best}
    lower = bool(rule.get("lower_is_better", False))
    if kind == "rank":
        return {"type": kind, "lower_is_better": lower}
    steps = rule.get("steps")
    out_steps: list[dict[str, float]] = []
    if not isinstance(steps, list) or not steps or len(steps) > 20:
        errors[here] = "分档规则须有 1–20 档"
    else:
        for j, step in enumerate(steps):
            at = _num(step.get("at")) if isinstance(step, dict) else None
            pct = _num(step.get("pct")) if isinstance(step, dict) else None
            if at is None or pct is None or not 0 <= pct <= 100:
                errors[f"{here}.steps[{j}]"] = "每档须有门槛值（at）和得分比例（pct，0–100）"
                continue
            out_steps.append({"at": at, "pct": pct})
    other = _num(rule.get("else", 0))
    if other is None or not 0 <= other <= 100:
        errors[f"{here}.else"] = "未达档时的得分比例须为 0–100"
        other = 0.0
    # The first reached step counts: the most demanding first.
    out_steps.sort(key=lambda s: s["at"], reverse=not lower)
    return {"type": kind, "steps": out_steps, "else": other, "lower_is_better": lower}


def clean_evaluator_weights(weights: Any, tree: list[dict[str, Any]]) -> dict[str, float]:
    if not weights:
        if any(leaf.get("kind") == "subjective" for leaf, _ in leaves(tree)):
            raise Invalid("invalid_scheme", "有评价打分类指标时须设置各评价主体权重",
                          {"evaluator_weights": "请设置评价主体权重（合计 100）"})
        return {}
    if not isinstance(weights, dict):
        raise Invalid("invalid_scheme", "评价主体权重格式有误", {"evaluator_weights": "须为 类型→权重"})
    errors: dict[str, str] = {}
    out: dict[str, float] = {}
    for kind, value in weights.items():
        w = _num(value)
        if kind not in EvaluatorType.values:
            errors[f"evaluator_weights.{kind}"] = "未知的评价主体类型"
        elif w is None or w < 0 or w > 100:
            errors[f"evaluator_weights.{kind}"] = "权重须为 0–100"
        elif w > 0:
            out[kind] = w
    if not errors and abs(sum(out.values()) - 100) > EPS:
        errors["evaluator_weights"] = f"各评价主体权重之和须为 100（现为 {sum(out.values()):g}）"
    if errors:
        raise Invalid("invalid_scheme", "评价主体权重有误", errors)
    return out


def leaves(tree: list[dict[str, Any]], share: float = 100.0, path: tuple[str, ...] = ()
           ) -> list[tuple[dict[str, Any], float]]:
    """Every leaf with its share of the 100 points (the product of the weights on its path) — in order."""
    out: list[tuple[dict[str, Any], float]] = []
    for node in tree:
        part = share * node["weight"] / 100.0
        if node.get("children"):
            out.extend(leaves(node["children"], part, (*path, node["name"])))
        else:
            out.append(({**node, "path": " / ".join((*path, node["name"]))}, part))
    return out


def subjective_leaves(tree: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [leaf for leaf, _ in leaves(tree) if leaf.get("kind") == "subjective"]
