"""Reporting use cases: the only code that changes templates, submissions, reminders and export jobs.

Each function checks permission (``access``), applies the rules (periods in ``periods``, field rules in
``fields``), writes history and the audit event, and runs in one transaction.

Filing rules (``file_report``):
- the period must exist and be open (``periods.info(...).is_open``), else 409 ``period_not_open``;
- type errors refuse even a draft (422, nothing changes); on submit, a rule violation (required, min/max)
  saves the values as a draft and answers 422 naming the fields — the draft is kept;
- one row per (template, period, filer): a second submission updates the first with history
  (policy ``update``) or is refused with 409 ``duplicate_submission`` (policy ``reject``); a returned one
  may always be resubmitted;
- late: submitted after the period's due time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhuanban.core import audit
from zhuanban.core.concurrency import save_versioned
from zhuanban.core.errors import Conflict, Invalid, NotFound
from zhuanban.taskforces import access as tfa
from zhuanban.taskforces.models import TaskForce

from . import access, fields, periods
from .models import (
    AdhocPeriod,
    ExportJob,
    PeriodTotal,
    ReportField,
    ReportReminder,
    ReportTemplate,
    Submission,
    SubmissionHistory,
    SubmissionValue,
)

audit.ACTION_LABELS.update({
    "report.template_create": "新建报表模板", "report.template_update": "修改报表模板",
    "report.template_share": "共享报表模板", "report.period_open": "开启报送期次",
    "report.period_close": "关闭报送期次", "report.save_draft": "保存报表草稿", "report.submit": "报送报表",
    "report.return": "退回报表", "report.remind": "催报", "report.export": "导出报表",
})

TEMPLATE_FIELDS = ("name", "description", "cadence", "due_time", "every_day", "grace_workdays", "filers",
                   "duplicate_policy", "is_active")
FIELD_ATTRS = ("key", "label", "kind", "required", "min_value", "max_value", "options", "prefill", "help_text")


def _snap(template: ReportTemplate) -> dict[str, Any]:
    out = audit.snapshot(template, [n for n in TEMPLATE_FIELDS if n != "due_time"])
    out["due_time"] = template.due_time.isoformat() if isinstance(template.due_time, dt.time) else template.due_time
    return out


def _check_template_data(data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if isinstance(data.get("due_time"), str):
        try:
            data["due_time"] = dt.time.fromisoformat(data["due_time"])
        except ValueError:
            errors["due_time"] = "截止时间格式应为 HH:MM"
    if "name" in data and not str(data["name"] or "").strip():
        errors["name"] = "请填写报表名称"
    if "cadence" in data and data["cadence"] not in ReportTemplate.Cadence.values:
        errors["cadence"] = "报送周期无效"
    if "filers" in data and data["filers"] not in ReportTemplate.Filers.values:
        errors["filers"] = "报送主体无效"
    if "duplicate_policy" in data and data["duplicate_policy"] not in ReportTemplate.Duplicate.values:
        errors["duplicate_policy"] = "重复报送规则无效"
    if "grace_workdays" in data and not (0 <= int(data["grace_workdays"]) <= 30):
        errors["grace_workdays"] = "补报期应在 0–30 个工作日之间"
    return errors


def _set_fields(template: ReportTemplate, defs: list[dict[str, Any]]) -> None:
    """Replace the field definitions, keeping rows (and so submitted numbers) of keys that stay."""
    existing = {f.key: f for f in template.fields.all()}
    keep = set()
    for i, d in enumerate(defs):
        key = str(d["key"]).strip()
        keep.add(key)
        f = existing.get(key) or ReportField(template=template, key=key)
        for attr in FIELD_ATTRS[1:]:
            if attr in d:
                value = d[attr]
                if attr in ("min_value", "max_value") and value is not None:
                    value = Decimal(str(value))
                setattr(f, attr, value if value is not None or attr in ("min_value", "max_value") else "")
        if not f.is_numeric:
            f.prefill = ""
        f.options = [str(o) for o in (f.options or [])]
        f.position = i
        f.save()
    template.fields.exclude(key__in=keep).delete()


def _set_shared(actor: Any, template: ReportTemplate, tf_ids: list[int]) -> None:
    errors = {}
    targets = list(TaskForce.objects.filter(pk__in=tf_ids).exclude(pk=template.taskforce_id))
    if len(targets) != len(set(tf_ids) - {template.taskforce_id}):
        errors["shared_with"] = "共享对象不存在"
    for tf in targets:
        if not access.same_office(tf, template.taskforce):
            errors["shared_with"] = f"只能共享给同一办公室统筹下的专班（{tf.name} 不属于）"
    if errors:
        raise Invalid("invalid_share", "共享对象无效", errors)
    template.shared_with.set(targets)


def _people(ids: list[int]) -> list[Any]:
    from zhuanban.org.models import Person

    people = list(Person.objects.filter(pk__in=ids))
    if len(people) != len(set(ids)):
        raise Invalid("invalid_reference", "指定报送人不存在", {"filer_people": "不存在"})
    return people


@transaction.atomic
def create_template(actor: Any, tf: TaskForce, data: dict[str, Any]) -> ReportTemplate:
    tfa.require_manage(actor, tf)
    defs = list(data.get("fields") or [])
    data = {"name": "", **data}
    errors = _check_template_data(data) | fields.validate_definition(defs)
    if errors:
        raise Invalid("validation_error", "报表模板填写有误", errors)
    template = ReportTemplate(taskforce=tf, created_by=actor if getattr(actor, "pk", None) else None)
    for name in TEMPLATE_FIELDS:
        if name in data and data[name] is not None:
            setattr(template, name, data[name])
    template.save()
    _set_fields(template, defs)
    if data.get("filer_people"):
        template.filer_people.set(_people(data["filer_people"]))
    if data.get("shared_with"):
        _set_shared(actor, template, list(data["shared_with"]))
    audit.record(actor, "report.template_create", template, taskforce_id=tf.pk,
                 after={**_snap(template), "fields": [d["key"] for d in defs]})
    return template


@transaction.atomic
def update_template(actor: Any, template: ReportTemplate, version: int | None, data: dict[str, Any]
                    ) -> ReportTemplate:
    access.require_manage(actor, template)
    defs = data.get("fields")
    errors = _check_template_data(data) | (fields.validate_definition(defs) if defs is not None else {})
    if errors:
        raise Invalid("validation_error", "报表模板填写有误", errors)
    before = _snap(template)
    changed = [n for n in TEMPLATE_FIELDS if n in data and data[n] is not None]
    for name in changed:
        setattr(template, name, data[name])
    save_versioned(template, version, changed)
    if defs is not None:
        _set_fields(template, list(defs))
    if data.get("filer_people") is not None:
        template.filer_people.set(_people(data["filer_people"]))
    if data.get("shared_with") is not None:
        _set_shared(actor, template, list(data["shared_with"]))
    audit.record(actor, "report.template_update", template, taskforce_id=template.taskforce_id,
                 before=before, after=_snap(template))
    return template


@transaction.atomic
def share_template(actor: Any, template: ReportTemplate, tf_ids: list[int]) -> ReportTemplate:
    """Share with task forces of the same office: they read the submissions instead of re-collecting."""
    access.require_manage(actor, template)
    before = sorted(template.shared_with.values_list("id", flat=True))
    _set_shared(actor, template, tf_ids)
    audit.record(actor, "report.template_share", template, taskforce_id=template.taskforce_id,
                 before={"shared_with": before},
                 after={"shared_with": sorted(template.shared_with.values_list("id", flat=True))})
    return template


@transaction.atomic
def open_adhoc_period(actor: Any, template: ReportTemplate, start: dt.date, due_at: dt.datetime) -> AdhocPeriod:
    access.require_manage(actor, template)
    if template.cadence != ReportTemplate.Cadence.ADHOC:
        raise Conflict("not_adhoc", "只有不定期报表由办公室开启期次")
    p, created = AdhocPeriod.objects.get_or_create(template=template, start=start,
                                                   defaults={"due_at": due_at, "opened_by": actor})
    if not created:
        raise Conflict("period_exists", "该期次已开启")
    audit.record(actor, "report.period_open", template, taskforce_id=template.taskforce_id,
                 after={"start": start.isoformat(), "due_at": due_at.isoformat()})
    return p


@transaction.atomic
def close_adhoc_period(actor: Any, template: ReportTemplate, start: dt.date) -> AdhocPeriod:
    access.require_manage(actor, template)
    p = AdhocPeriod.objects.filter(template=template, start=start).first()
    if p is None:
        raise NotFound()
    p.closed_at = timezone.now()
    p.save(update_fields=["closed_at"])
    audit.record(actor, "report.period_close", template, taskforce_id=template.taskforce_id,
                 after={"start": start.isoformat()})
    return p


# --- filing -----------------------------------------------------------------------------------------


def _sync_numbers(sub: Submission, fields_: list[ReportField]) -> None:
    """The narrow numeric rows mirror a submitted submission's values, and nothing else."""
    SubmissionValue.objects.filter(submission=sub).delete()
    if sub.status != Submission.Status.SUBMITTED:
        return
    SubmissionValue.objects.bulk_create([
        SubmissionValue(submission=sub, field=f, period=sub.period, value=Decimal(str(sub.values[f.key])))
        for f in fields_ if f.is_numeric and sub.values.get(f.key) is not None
    ])


def _refresh_totals(template: ReportTemplate, period: dt.date) -> None:
    """Recompute the period's ``PeriodTotal`` rows (a grouped query over at most the filers' values).  The
    caller holds the template's row lock, so two filings of one template do not interleave here."""
    from django.db.models import Count, Sum

    numeric = [f for f in template.fields.all() if f.is_numeric]
    filed = Submission.objects.filter(template=template, period=period, status=Submission.Status.SUBMITTED).count()
    sums = {r["field_id"]: r for r in SubmissionValue.objects.filter(field__in=numeric, period=period)
            .values("field_id").annotate(s=Sum("value"), n=Count("id"))}
    PeriodTotal.objects.filter(template=template, period=period).delete()
    PeriodTotal.objects.bulk_create([
        PeriodTotal(template=template, field=f, period=period, total=sums.get(f.pk, {}).get("s"),
                    values=sums.get(f.pk, {}).get("n", 0), filed=filed) for f in numeric])


def _lock(template: ReportTemplate) -> None:
    """Serialise the filings of one template (PostgreSQL row lock; SQLite writers are serial anyway)."""
    ReportTemplate.objects.select_for_update().filter(pk=template.pk).values_list("pk", flat=True).first()


def _history(sub: Submission, actor: Any, action: str, old_status: str, old_values: dict[str, Any] | None,
             comment: str = "") -> None:
    SubmissionHistory.objects.create(submission=sub, actor=actor if getattr(actor, "pk", None) else None,
                                     action=action, old_status=old_status, old_values=old_values,
                                     new_values=sub.values, comment=comment)


def file_report(actor: Any, template: ReportTemplate, period: dt.date, values: dict[str, Any], *,
                submit: bool, unit_id: int | None = None, person_id: int | None = None,
                version: int | None = None, now: dt.datetime | None = None) -> Submission:
    """Save a draft of, or submit, ``actor``'s report for ``period`` (create or update the one row)."""
    kwargs = {"submit": submit, "unit_id": unit_id, "person_id": person_id, "now": now}
    try:
        sub, kept = _file(actor, template, period, values, version=version, **kwargs)
    except IntegrityError:
        # Two first filings raced on the unique (template, period, filer): the loser updates the winner's row.
        sub, kept = _file(actor, template, period, values, version=None, **kwargs)
    if kept is not None:
        raise kept  # the draft is committed; the submission is refused naming the fields
    return sub


@transaction.atomic
def _file(actor: Any, template: ReportTemplate, period: dt.date, values: dict[str, Any], *, submit: bool,
          unit_id: int | None, person_id: int | None, version: int | None, now: dt.datetime | None
          ) -> tuple[Submission, Invalid | None]:
    now = now or timezone.now()
    filer = access.filer_for(actor, template, unit_id, person_id)
    if not template.is_active:
        raise Conflict("template_inactive", "该报表已停用")
    info = periods.info(template, period)
    if info is None or not info.is_open(now):
        reason = "不是报送期次" if info is None else ("尚未开始" if now < info.opens_at else "已截止关闭")
        raise Conflict("period_not_open", f"{periods.label(template, period)} 不可报送：{reason}")
    _lock(template)
    fields_ = list(template.fields.all())
    cleaned, type_errors, rule_errors = fields.clean(fields_, values, tf_id=template.taskforce_id)
    if type_errors:
        raise Invalid("validation_error", "填报内容有误", type_errors)
    sub = (Submission.objects.select_for_update()
           .filter(template=template, period=period, filer_key=filer.key).first())
    S = Submission.Status
    if sub is not None and sub.status == S.SUBMITTED:
        if template.duplicate_policy == ReportTemplate.Duplicate.REJECT:
            raise Conflict("duplicate_submission", "本期已报送，该报表不允许重复报送")
        if not submit:
            raise Conflict("already_submitted", "本期已报送，修改后请直接重新报送")
    if submit and rule_errors:
        if sub is not None and sub.status == S.SUBMITTED:
            raise Invalid("validation_error", "填报内容不完整或超出范围", rule_errors)
        err = Invalid("validation_error", "填报内容不完整或超出范围，已保存为草稿", rule_errors)
        submit = False  # keep what was typed as a draft, then answer 422
    else:
        err = None
    if sub is None:
        sub = Submission.objects.create(
            template=template, period=period, filer_key=filer.key, unit_id=filer.unit_id,
            person_id=filer.person_id, values=cleaned, filed_by=actor if getattr(actor, "pk", None) else None,
            status=S.SUBMITTED if submit else S.DRAFT, submitted_at=now if submit else None,
            is_late=info.is_late(now) if submit else False)
        old_status, old_values = "", None
    else:
        old_status, old_values = sub.status, sub.values
        sub.values = cleaned
        sub.filed_by = actor if getattr(actor, "pk", None) else None
        if submit:
            sub.status, sub.submitted_at, sub.is_late = S.SUBMITTED, now, info.is_late(now)
        elif sub.status == S.RETURNED:
            pass  # a draft saved on a returned report stays returned until it is resubmitted
        save_versioned(sub, version, ["values", "filed_by", "status", "submitted_at", "is_late"])
    action = "submit" if submit else "save_draft"
    _history(sub, actor, action, old_status, old_values)
    _sync_numbers(sub, fields_)
    _refresh_totals(template, period)
    audit.record(actor, f"report.{action}", sub, taskforce_id=template.taskforce_id,
                 before={"status": old_status, "values": old_values} if old_status else None,
                 after={"status": sub.status, "values": sub.values, "is_late": sub.is_late})
    return sub, err


def submit_existing(actor: Any, sub: Submission, version: int | None = None) -> Submission:
    """Submit a saved draft (or a returned report) as it stands."""
    return file_report(actor, sub.template, sub.period, dict(sub.values), submit=True, unit_id=sub.unit_id,
                       person_id=sub.person_id if sub.filer_key.startswith("p") else None, version=version)


@transaction.atomic
def return_submission(actor: Any, sub: Submission, comment: str, version: int | None = None) -> Submission:
    """The office sends a submitted report back for correction; the comment is required."""
    access.require_manage(actor, sub.template)
    comment = (comment or "").strip()
    if not comment:
        raise Invalid("validation_error", "退回须填写意见", {"comment": "请填写退回意见"})
    if sub.status != Submission.Status.SUBMITTED:
        raise Conflict("not_submitted", "只有已报送的报表可以退回")
    old_status = sub.status
    sub.status, sub.return_comment = Submission.Status.RETURNED, comment[:500]
    save_versioned(sub, version, ["status", "return_comment"])
    _lock(sub.template)
    _history(sub, actor, "return", old_status, sub.values, comment)
    _sync_numbers(sub, [])
    _refresh_totals(sub.template, sub.period)
    audit.record(actor, "report.return", sub, taskforce_id=sub.template.taskforce_id,
                 before={"status": old_status}, after={"status": sub.status, "comment": sub.return_comment})
    return sub


@transaction.atomic
def remind_missing(actor: Any, template: ReportTemplate, period: dt.date,
                   filer_keys: list[str] | None = None) -> list[ReportReminder]:
    """一键催报: record a reminder for each filer who has not submitted ``period`` (or the ones named).

    The reminder is a row the filer sees on "my reports"; ``channel`` leaves room for the notices app to
    deliver it through the inbox later, from this one place."""
    from . import queries

    access.require_manage(actor, template)
    if periods.info(template, period) is None:
        raise Conflict("period_not_open", "不是该报表的报送期次")
    missing = [r for r in queries.aggregate(template, period)["missing"]
               if filer_keys is None or r["filer_key"] in filer_keys]
    reminders = ReportReminder.objects.bulk_create([
        ReportReminder(template=template, period=period, filer_key=r["filer_key"], unit_id=r["unit_id"],
                       person_id=r["person_id"], reminded_by=actor if getattr(actor, "pk", None) else None)
        for r in missing])
    audit.record(actor, "report.remind", template, taskforce_id=template.taskforce_id,
                 after={"period": period.isoformat(), "filers": [r["filer_key"] for r in missing]})
    return reminders


@transaction.atomic
def start_export(actor: Any, template: ReportTemplate, date_from: dt.date, date_to: dt.date) -> ExportJob:
    """Queue an .xlsx export of [date_from, date_to]; the background task (``tasks.run_export_job``) runs it."""
    access.require_read_all(actor, template)
    if date_to < date_from:
        raise Invalid("validation_error", "日期范围有误", {"to": "结束日期不能早于开始日期"})
    if (date_to - date_from).days > 400:
        raise Invalid("validation_error", "日期范围过大", {"to": "一次最多导出 400 天"})
    job = ExportJob.objects.create(template=template, date_from=date_from, date_to=date_to, created_by=actor)
    audit.record(actor, "report.export", template, taskforce_id=template.taskforce_id,
                 after={"job": job.pk, "from": date_from.isoformat(), "to": date_to.isoformat()})
    return job


def upload_field_attachment(actor: Any, template: ReportTemplate, field_key: str, upload: Any, *,
                            unit_id: int | None = None) -> Any:
    """A file for an attachment field, uploaded by a filer of ``template`` (for ``unit_id`` if they file for
    several): stored with the owning task force by the files app (its size and type limits, its audit
    event), 内部 label.  Returns the ``files.Attachment``, whose id is the field's value."""
    from zhuanban.files import services as files

    access.filer_for(actor, template, unit_id)  # 403 unless actor files this template (for that unit)
    field = template.fields.filter(key=field_key, kind=ReportField.Kind.ATTACHMENT).first()
    if field is None:
        raise Invalid("validation_error", "不是该报表的附件项", {field_key: "不是附件项"})
    try:
        return files.store_attachment(actor, template.taskforce, upload)
    except Invalid as exc:
        raise Invalid(exc.code, exc.message, {field_key: exc.message}) from None
