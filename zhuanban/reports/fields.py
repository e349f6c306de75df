"""Field rules of a report — the one place for value types, required, min/max, choices, and the values the
system pre-fills from tasks.

``clean(fields, raw, full=...)`` returns ``(values, type_errors, rule_errors)``: type errors (not a number,
not a date, not an option, unknown attachment) refuse even a draft; rule errors (required, below min,
above max) refuse a submission only.  Values are stored JSON-safe: number → decimal string, integer → int,
date → ISO string, attachment → attachment id, text/choice → string.

Pre-fill (``prefill_values``): tasks of the filer's unit (as lead unit) or person (as responsible) in the
template's task force — done in the period, open now, overdue (red light) now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from .models import ReportField, ReportTemplate

K = ReportField.Kind
TEXT_MAX = 2000


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f") if d == d.to_integral() else format(d, "f")


def clean_one(f: ReportField, raw: Any, tf_id: int | None = None) -> tuple[Any, str | None]:
    """(value, type error) for one field; an empty input is None."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None, None
    if f.kind in (K.NUMBER, K.INTEGER):
        if isinstance(raw, bool):
            return None, "请输入数字"
        try:
            d = Decimal(str(raw).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            return None, "请输入数字" if f.kind == K.NUMBER else "请输入整数"
        if not d.is_finite():
            return None, "请输入数字"
        if f.kind == K.INTEGER:
            if d != d.to_integral():
                return None, "请输入整数"
            return int(d), None
        if abs(d) >= Decimal("1e15"):
            return None, "数值过大"
        return _fmt(d.quantize(Decimal("0.0001")) if d.as_tuple().exponent < -4 else d), None  # type: ignore[operator]
    if f.kind == K.DATE:
        try:
            return (raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw).strip())).isoformat(), None
        except ValueError:
            return None, "请输入日期（YYYY-MM-DD）"
    if f.kind == K.CHOICE:
        value = str(raw).strip()
        if value not in [str(o) for o in f.options]:
            return None, "请从选项中选择"
        return value, None
    if f.kind == K.ATTACHMENT:
        from zhuanban.files.models import Attachment

        try:
            pk = int(raw)
        except (TypeError, ValueError):
            return None, "附件无效"
        if not Attachment.objects.filter(pk=pk, taskforce_id=tf_id).exists():
            return None, "附件不存在"
        return pk, None
    value = str(raw)
    if len(value) > TEXT_MAX:
        return None, f"不能超过 {TEXT_MAX} 个字"
    return value, None


def rule_error(f: ReportField, value: Any) -> str | None:
    if value is None:
        return "此项为必填项" if f.required else None
    if f.is_numeric:
        d = Decimal(str(value))
        if f.min_value is not None and d < f.min_value:
            return f"不能小于 {_fmt(f.min_value)}"
        if f.max_value is not None and d > f.max_value:
            return f"不能大于 {_fmt(f.max_value)}"
    return None


def clean(fields: Iterable[ReportField], raw: dict[str, Any], *, tf_id: int | None = None
          ) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    values: dict[str, Any] = {}
    type_errors: dict[str, str] = {}
    rule_errors: dict[str, str] = {}
    fields = list(fields)
    known = {f.key for f in fields}
    for key in raw:
        if key not in known:
            type_errors[key] = "报表中没有这一项"
    for f in fields:
        value, err = clean_one(f, raw.get(f.key), tf_id)
        if err:
            type_errors[f.key] = err
            continue
        values[f.key] = value
        rerr = rule_error(f, value)
        if rerr:
            rule_errors[f.key] = rerr
    return values, type_errors, rule_errors


def validate_definition(data: list[dict[str, Any]]) -> dict[str, str]:
    """Errors in a list of field definitions, keyed ``fields.<i>.<attr>``."""
    errors: dict[str, str] = {}
    seen: set[str] = set()
    if not data:
        errors["fields"] = "至少需要一个填报项"
    for i, d in enumerate(data):
        key = str(d.get("key") or "").strip()
        if not key or not key.replace("_", "").isalnum() or not key.isascii():
            errors[f"fields.{i}.key"] = "字段标识只能用英文字母、数字和下划线"
        elif key in seen:
            errors[f"fields.{i}.key"] = "字段标识重复"
        seen.add(key)
        if not str(d.get("label") or "").strip():
            errors[f"fields.{i}.label"] = "请填写字段名称"
        kind = d.get("kind")
        if kind not in K.values:
            errors[f"fields.{i}.kind"] = "字段类型无效"
        if kind == K.CHOICE and not d.get("options"):
            errors[f"fields.{i}.options"] = "选项类字段至少需要一个选项"
        if d.get("prefill") and (kind not in ReportField.NUMERIC or d["prefill"] not in ReportField.Prefill.values):
            errors[f"fields.{i}.prefill"] = "只有数值或整数字段可以由系统预填"
        lo, hi = d.get("min_value"), d.get("max_value")
        if lo is not None and hi is not None and Decimal(str(lo)) > Decimal(str(hi)):
            errors[f"fields.{i}.max_value"] = "最大值不能小于最小值"
    return errors


def prefill_values(template: ReportTemplate, fields: Iterable[ReportField], unit_id: int | None,
                   person_id: int | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Values of pre-filled fields from the filer's tasks in the template's task force (one query each)."""
    from django.db.models import Q
    from django.utils import timezone

    from zhuanban.tasks.models import Task

    wanted = [f for f in fields if f.prefill]
    if not wanted:
        return {}
    owner = Q(lead_unit_id=unit_id) if unit_id is not None and template.filers == template.Filers.LIAISONS \
        else Q(responsible_id=person_id)
    tasks = Task.objects.filter(owner, taskforce_id=template.taskforce_id).exclude(status=Task.Status.DRAFT)
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time(0)))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0)))
    out: dict[str, int] = {}
    for f in wanted:
        if f.prefill == ReportField.Prefill.TASKS_DONE:
            out[f.key] = tasks.filter(status=Task.Status.DONE, completed_at__gte=lo, completed_at__lt=hi).count()
        elif f.prefill == ReportField.Prefill.TASKS_OPEN:
            out[f.key] = tasks.exclude(status=Task.Status.DONE).count()
        elif f.prefill == ReportField.Prefill.TASKS_OVERDUE:
            out[f.key] = tasks.exclude(status=Task.Status.DONE).filter(light=Task.Light.RED).count()
    return out
