"""The assessment app's use cases — the only place that changes its state.

Rules that live here (the shape of a tree: ``rules.py``; the arithmetic: ``engine.py``):
- Who defines a scheme, its evaluators, incentives and the negative list, and sends the evaluation forms:
  the task force's managers — its leaders and its office (办公室主任/工作人员), the offices above it,
  administrators (``taskforces.access.require_manage``).  A viewer gets 403, anyone else 404.
- A revision never edits the tree in place: it adds ``SchemeRevision`` number + 1.  Scores already given
  keep their revision; a later replacement keeps the old values (and revision) in ``ScoreHistory``.
- Scoring: only an evaluator of the scheme, for a subject they may score (a self-assessment only its own
  subject) — anyone else, and an unknown subject, get 404.  Every subjective indicator of the current
  revision needs a number between 0 and its ``max`` (else 422 naming ``values.<key>``).  Scoring the same
  subject twice replaces the score with history, or is refused with 409, as the scheme says.  A closed
  scheme takes no scores (409).
- Evaluation forms go out as notices requiring acknowledgement (``notices.services.send_notice``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhuanban.core import audit
from zhuanban.core.concurrency import save_versioned
from zhuanban.core.errors import Conflict, Invalid, NotFound
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces import access as tfa
from zhuanban.taskforces.models import MemberUnit, TaskForce

from . import rules
from .models import Evaluator, EvaluatorType, ExportJob, Mark, Scheme, SchemeRevision, Score, ScoreHistory
from .subjects import subject_of, subjects_of

audit.ACTION_LABELS.update({
    "assessment.scheme_create": "新建考核方案", "assessment.scheme_revise": "修订考核方案",
    "assessment.scheme_status": "变更考核方案状态", "assessment.evaluators_add": "设置评价人",
    "assessment.evaluator_remove": "移除评价人", "assessment.forms_send": "发送考核评价表",
    "assessment.score": "提交考核评分", "assessment.mark": "登记奖励/负面清单", "assessment.export": "导出考核结果",
})

SCHEME_FIELDS = ("name", "period_start", "period_end", "subject_kind", "track", "anonymous", "duplicate_policy")


def _clean_header(data: dict[str, Any], current: Scheme | None = None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in SCHEME_FIELDS:
        out[name] = data[name] if name in data and data[name] is not None else (
            getattr(current, name) if current else None)
    out["name"] = str(out["name"] or "").strip()
    if not out["name"]:
        errors["name"] = "请填写方案名称"
    elif len(out["name"]) > 120:
        errors["name"] = "方案名称不超过 120 字"
    for name in ("period_start", "period_end"):
        if isinstance(out[name], str):
            try:
                out[name] = dt.date.fromisoformat(out[name])
            except ValueError:
                out[name] = None
        if not isinstance(out[name], dt.date):
            errors[name] = "请填写日期"
    if not errors.get("period_end") and not errors.get("period_start") and out["period_end"] < out["period_start"]:
        errors["period_end"] = "考核期止不能早于考核期起"
    out["subject_kind"] = out["subject_kind"] or Scheme.SubjectKind.PERSON
    if out["subject_kind"] not in Scheme.SubjectKind.values:
        errors["subject_kind"] = "考核对象须为专班、成员单位或人员"
    if current is not None and out["subject_kind"] != current.subject_kind and current.scores.exists():
        errors["subject_kind"] = "已有评分，不能改变考核对象"
    out["track"] = out["track"] or Scheme.Track.ALL
    if out["track"] not in Scheme.Track.values:
        errors["track"] = "人员范围须为全体、专职或兼职"
    elif out["track"] != Scheme.Track.ALL and out["subject_kind"] != Scheme.SubjectKind.PERSON:
        errors["track"] = "只有考核人员时才能区分专职、兼职"
    out["anonymous"] = True if out["anonymous"] is None else bool(out["anonymous"])
    out["duplicate_policy"] = out["duplicate_policy"] or Scheme.Duplicate.REPLACE
    if out["duplicate_policy"] not in Scheme.Duplicate.values:
        errors["duplicate_policy"] = "重复评分须为 replace 或 reject"
    if errors:
        raise Invalid("invalid_scheme", "考核方案有误", errors)
    return out


def _clean_body(data: dict[str, Any], base: SchemeRevision | None = None) -> tuple[list, dict]:
    tree_in = data.get("indicators") if data.get("indicators") is not None else (base.indicators if base else None)
    weights_in = data.get("evaluator_weights") if data.get("evaluator_weights") is not None else (
        base.evaluator_weights if base else None)
    errors: dict[str, str] = {}
    tree: list = []
    weights: dict = {}
    try:
        tree = rules.clean_tree(tree_in)
    except Invalid as exc:
        errors.update(exc.fields)
    try:
        weights = rules.clean_evaluator_weights(weights_in, tree)
    except Invalid as exc:
        errors.update(exc.fields)
    if errors:
        raise Invalid("invalid_scheme", "考核方案有误：" + next(iter(errors.values())), errors)
    return tree, weights


@transaction.atomic
def create_scheme(actor: Any, tf: TaskForce, data: dict[str, Any]) -> Scheme:
    tfa.require_manage(actor, tf)
    errors: dict[str, str] = {}
    header: dict[str, Any] = {}
    tree, weights = [], {}
    try:
        header = _clean_header(data)
    except Invalid as exc:
        errors.update(exc.fields)
    try:
        tree, weights = _clean_body(data)
    except Invalid as exc:
        errors.update(exc.fields)
    if errors:
        raise Invalid("invalid_scheme", "考核方案有误：" + next(iter(errors.values())), errors)
    scheme = Scheme.objects.create(taskforce=tf, created_by=_user(actor), status=Scheme.Status.OPEN, **header)
    SchemeRevision.objects.create(scheme=scheme, number=1, indicators=tree, evaluator_weights=weights,
                                  note="初始版本", created_by=_user(actor))
    audit.record(actor, "assessment.scheme_create", scheme, after={**audit.snapshot(scheme, SCHEME_FIELDS),
                                                                    "indicators": tree, "evaluator_weights": weights},
                 taskforce_id=tf.pk)
    return scheme


@transaction.atomic
def revise_scheme(actor: Any, scheme: Scheme, version: int | None, data: dict[str, Any], note: str = "") -> Scheme:
    """Change the header and/or the tree; a changed tree or weights become revision + 1."""
    tfa.require_manage(actor, scheme.taskforce)
    if scheme.status == Scheme.Status.CLOSED:
        raise Conflict("scheme_closed", "考核方案已结束，不能修订")
    before = audit.snapshot(scheme, SCHEME_FIELDS + ("revision",))
    current = SchemeRevision.objects.get(scheme=scheme, number=scheme.revision)
    errors: dict[str, str] = {}
    header: dict[str, Any] = {}
    tree, weights = current.indicators, current.evaluator_weights
    try:
        header = _clean_header(data, scheme)
    except Invalid as exc:
        errors.update(exc.fields)
    try:
        tree, weights = _clean_body(data, current)
    except Invalid as exc:
        errors.update(exc.fields)
    if errors:
        raise Invalid("invalid_scheme", "考核方案有误：" + next(iter(errors.values())), errors)
    for name, value in header.items():
        setattr(scheme, name, value)
    changed = tree != current.indicators or weights != current.evaluator_weights
    if changed:
        scheme.revision = current.number + 1
    save_versioned(scheme, version, list(SCHEME_FIELDS) + ["revision"])
    if changed:
        SchemeRevision.objects.create(scheme=scheme, number=scheme.revision, indicators=tree,
                                      evaluator_weights=weights, note=(note or "")[:200], created_by=_user(actor))
    audit.record(actor, "assessment.scheme_revise", scheme, before=before,
                 after={**audit.snapshot(scheme, SCHEME_FIELDS + ("revision",)),
                        **({"indicators": tree, "evaluator_weights": weights} if changed else {})},
                 taskforce_id=scheme.taskforce_id, note=note or "")
    return scheme


@transaction.atomic
def set_status(actor: Any, scheme: Scheme, status: str, version: int | None = None) -> Scheme:
    tfa.require_manage(actor, scheme.taskforce)
    if status not in Scheme.Status.values:
        raise Invalid("invalid_status", "状态须为 draft、open 或 closed", {"status": "未知状态"})
    before = {"status": scheme.status}
    scheme.status = status
    save_versioned(scheme, version, ["status"])
    audit.record(actor, "assessment.scheme_status", scheme, before=before, after={"status": status},
                 taskforce_id=scheme.taskforce_id)
    return scheme


def _self_key(scheme: Scheme, person: Person) -> str:
    """The subject a person assesses themselves as: themselves, the member unit they are liaison of (or
    their home unit), or the task force."""
    if scheme.subject_kind == Scheme.SubjectKind.PERSON:
        return f"p{person.pk}"
    if scheme.subject_kind == Scheme.SubjectKind.UNIT:
        unit_id = MemberUnit.objects.filter(taskforce_id=scheme.taskforce_id, left_on__isnull=True,
                                            liaisons__person=person, liaisons__end_on__isnull=True
                                            ).values_list("unit_id", flat=True).first()
        return f"u{unit_id or person.home_unit_id}"
    return f"t{scheme.taskforce_id}"


@transaction.atomic
def add_evaluators(actor: Any, scheme: Scheme, kind: str, person_ids: list[int],
                   subject_key: str = "") -> list[Evaluator]:
    tfa.require_manage(actor, scheme.taskforce)
    if kind not in EvaluatorType.values:
        raise Invalid("invalid_evaluator", "未知的评价主体类型", {"kind": "须为 self、internal、expert、external 或 grassroots"})
    weights = SchemeRevision.objects.get(scheme=scheme, number=scheme.revision).evaluator_weights
    if kind not in weights:
        raise Invalid("invalid_evaluator", "方案中该评价主体类型没有权重", {"kind": "方案中该评价主体类型权重为 0"})
    ids = sorted({int(p) for p in person_ids if isinstance(p, int) and p > 0})
    if not ids:
        raise Invalid("invalid_evaluator", "请选择评价人", {"people": "请选择评价人"})
    people = list(tfa.visible_people(actor).filter(pk__in=ids))
    if len(people) != len(ids):
        raise Invalid("invalid_evaluator", "评价人不存在", {"people": "有评价人不存在或无权查看"})
    keys = {s.key for s in subjects_of(scheme)}
    if subject_key and subject_key not in keys:
        raise Invalid("invalid_evaluator", "考核对象不在本方案范围内", {"subject": "不是本方案的考核对象"})
    made: list[Evaluator] = []
    for person in people:
        key = _self_key(scheme, person) if kind == EvaluatorType.SELF else subject_key
        if kind == EvaluatorType.SELF and key not in keys:
            raise Invalid("invalid_evaluator", f"{person.name} 不是本方案的考核对象，不能自评",
                          {"people": f"{person.name} 不是考核对象"})
        ev, created = Evaluator.objects.get_or_create(scheme=scheme, person=person, kind=kind, subject_key=key)
        if created:
            made.append(ev)
    if made:  # adding people who already evaluate changes nothing, so nothing is audited
        audit.record(actor, "assessment.evaluators_add", scheme,
                     after={"kind": kind, "people": [e.person_id for e in made], "subject": subject_key},
                     taskforce_id=scheme.taskforce_id)
    return made


@transaction.atomic
def remove_evaluator(actor: Any, evaluator: Evaluator) -> None:
    scheme = evaluator.scheme
    tfa.require_manage(actor, scheme.taskforce)
    if evaluator.scores.exists():
        raise Conflict("evaluator_has_scores", "该评价人已评分，不能移除（评分记录须保留）")
    audit.record(actor, "assessment.evaluator_remove", scheme,
                 before={"person": evaluator.person_id, "kind": evaluator.kind}, taskforce_id=scheme.taskforce_id)
    evaluator.delete()


@transaction.atomic
def send_forms(actor: Any, scheme: Scheme, *, deadline: dt.datetime | None = None) -> int:
    """Send the evaluation form, as a notice requiring acknowledgement, to every evaluator not yet sent one."""
    tfa.require_manage(actor, scheme.taskforce)
    from zhuanban.notices import services as notices

    pending = list(Evaluator.objects.filter(scheme=scheme, notice_id__isnull=True))
    people = sorted({e.person_id for e in pending})
    if not people:
        raise Invalid("no_evaluators", "没有待发送评价表的评价人", {"evaluators": "请先设置评价人"})
    notice = notices.send_notice(
        actor, scheme.taskforce, title=f"考核评价表：{scheme.name}", requires_ack=True, ack_deadline=deadline,
        body=(f"请确认接收，并于{scheme.period_end:%Y年%m月%d日}前在“考核评价”中完成评分"
              f"（/assessment/schemes/{scheme.pk}/score/）。" + ("评分匿名，结果不显示评价人。" if scheme.anonymous else "")),
        audience={"people": people})
    Evaluator.objects.filter(pk__in=[e.pk for e in pending]).update(notice_id=notice.pk)
    audit.record(actor, "assessment.forms_send", scheme, after={"notice": notice.pk, "people": len(people)},
                 taskforce_id=scheme.taskforce_id)
    return len(people)


def forms_of(actor: Any, scheme: Scheme) -> list[Evaluator]:
    person = tfa.person_of(actor)
    if person is None:
        return []
    return list(Evaluator.objects.filter(scheme=scheme, person=person).order_by("kind", "id"))


def may_score(evaluator: Evaluator, subject_key: str) -> bool:
    """Whether ``evaluator`` scores ``subject_key``: their own subject if they have one; otherwise any
    subject but themselves — only a self-assessment scores oneself."""
    if evaluator.subject_key:
        return evaluator.subject_key == subject_key
    return subject_key != f"p{evaluator.person_id}"


def _clean_values(leaves: list[dict[str, Any]], values: Any) -> dict[str, float]:
    if not isinstance(values, dict):
        raise Invalid("invalid_score", "评分格式有误", {"values": "须为 指标→分数"})
    errors: dict[str, str] = {}
    out: dict[str, float] = {}
    known = {leaf["key"]: leaf for leaf in leaves}
    for key in values:
        if key not in known:
            errors[f"values.{key}"] = "不是本方案的评价打分类指标"
    for key, leaf in known.items():
        raw = values.get(key)
        if raw is None or raw == "":
            errors[f"values.{key}"] = f"请为“{leaf['name']}”打分"
            continue
        try:
            v = Decimal(str(raw))
        except InvalidOperation:
            errors[f"values.{key}"] = "分数须为数字"
            continue
        if not v.is_finite() or v < 0 or v > Decimal(str(leaf.get("max", 100))):
            errors[f"values.{key}"] = f"分数须在 0–{leaf.get('max', 100):g} 之间"
            continue
        out[key] = float(v)
    if errors:
        raise Invalid("invalid_score", "评分有误：" + next(iter(errors.values())), errors)
    return out


@transaction.atomic
def submit_score(actor: Any, scheme: Scheme, subject_key: str, values: Any, *, kind: str | None = None,
                 comment: str = "", now: dt.datetime | None = None) -> Score:
    forms = [e for e in forms_of(actor, scheme) if may_score(e, subject_key) and (kind is None or e.kind == kind)]
    if not forms or subject_of(scheme, subject_key) is None:
        raise NotFound()  # not an evaluator of this subject: it does not exist for them
    if len({e.kind for e in forms}) > 1:
        raise Invalid("invalid_score", "您在本方案中有多种评价身份，请选择", {"kind": "请选择评价身份"})
    evaluator = forms[0]
    if scheme.status != Scheme.Status.OPEN:
        raise Conflict("scheme_not_open", "考核方案不在评分期，不能评分")
    revision = SchemeRevision.objects.get(scheme=scheme, number=scheme.revision)
    clean = _clean_values(rules.subjective_leaves(revision.indicators), values)
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise Invalid("invalid_score", "评语不超过 500 字", {"comment": "评语不超过 500 字"})
    now = now or timezone.now()
    score = Score.objects.select_for_update().filter(evaluator=evaluator, subject_key=subject_key).first()
    if score is None:
        score = Score.objects.create(scheme=scheme, revision=revision, evaluator=evaluator, subject_key=subject_key,
                                     values=clean, comment=comment, submitted_at=now)
        before = None
    else:
        if scheme.duplicate_policy == Scheme.Duplicate.REJECT:
            raise Conflict("already_scored", "您已对该对象评分，本方案不允许重复评分",
                           extra={"score": score.pk, "submitted_at": score.submitted_at.isoformat()})
        before = {"values": score.values, "revision": score.revision_id}
        ScoreHistory.objects.create(score=score, revision_id=score.revision_id, values=score.values,
                                    comment=score.comment, submitted_at=score.submitted_at)
        score.revision, score.values, score.comment, score.submitted_at = revision, clean, comment, now
        save_versioned(score, None, ["revision", "values", "comment", "submitted_at"])
    audit.record(actor, "assessment.score", score, before=before,
                 after={"subject": subject_key, "kind": evaluator.kind, "revision": revision.number, "values": clean},
                 taskforce_id=scheme.taskforce_id)
    return score


@transaction.atomic
def add_mark(actor: Any, scheme: Scheme, *, subject_key: str, kind: str, title: str, points: Any = 0) -> Mark:
    tfa.require_manage(actor, scheme.taskforce)
    errors: dict[str, str] = {}
    if kind not in Mark.Kind.values:
        errors["kind"] = "须为 award（揭榜挂帅奖励）或 negative（负面清单）"
    title = (title or "").strip()
    if not title or len(title) > 200:
        errors["title"] = "请填写事项（不超过 200 字）"
    try:
        pts = Decimal(str(points or 0))
        if not pts.is_finite() or pts < 0 or pts > 20:
            raise InvalidOperation
    except InvalidOperation:
        errors["points"] = "加减分须为 0–20"
        pts = Decimal(0)
    if subject_of(scheme, subject_key) is None:
        errors["subject"] = "不是本方案的考核对象"
    if errors:
        raise Invalid("invalid_mark", "登记有误：" + next(iter(errors.values())), errors)
    mark = Mark.objects.create(scheme=scheme, subject_key=subject_key, kind=kind, title=title, points=pts,
                               created_by=_user(actor))
    audit.record(actor, "assessment.mark", mark, after={"subject": subject_key, "kind": kind, "title": title,
                                                       "points": str(pts)}, taskforce_id=scheme.taskforce_id)
    return mark


@transaction.atomic
def start_export(actor: Any, scheme: Scheme, *, unit_id: int | None, fmt: str) -> ExportJob:
    tfa.require_manage(actor, scheme.taskforce)
    if fmt not in ExportJob.Format.values:
        raise Invalid("invalid_export", "格式须为 xlsx 或 docx", {"fmt": "须为 xlsx 或 docx"})
    unit = None
    if unit_id:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            raise Invalid("invalid_export", "派出单位不存在", {"unit": "派出单位不存在"})
    job = ExportJob.objects.create(scheme=scheme, unit=unit, fmt=fmt, created_by=_user(actor))
    audit.record(actor, "assessment.export", scheme, after={"job": job.pk, "unit": unit_id, "fmt": fmt},
                 taskforce_id=scheme.taskforce_id)
    return job


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None
