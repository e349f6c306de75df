"""Read side of reporting — the one place for the aggregate of a period (rows, statuses, sums, averages,
the missing list), the trend of a numeric field, the lists, and "what I must file".

Status of a filer in a period (``row_status``): 按时 on time, 迟报 late, 草稿 draft, 已退回 returned,
未报 missing (no submitted submission).  Sums, averages and trends count submitted submissions only,
read from ``PeriodTotal`` (kept by the services from the narrow ``SubmissionValue`` rows).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import Count
from django.utils import timezone

from zhuanban.taskforces.models import TaskForce

from . import access, periods
from .models import PeriodTotal, ReportReminder, ReportTemplate, Submission

STATUS_LABELS = {"on_time": "按时", "late": "迟报", "draft": "草稿", "returned": "已退回", "missing": "未报"}


def row_status(sub: Any) -> str:
    """(``sub``: a Submission, or any object with its ``status`` and ``is_late``.)"""
    if sub is None:
        return "missing"
    if sub.status == "submitted":
        return "late" if sub.is_late else "on_time"
    return sub.status  # draft / returned


def missing_for_taskforce(tf: TaskForce, day: dt.date) -> list[dict[str, Any]]:
    """The filers of ``tf``'s active report templates who have not submitted for the period containing
    ``day`` (used by the meetings agenda).  Keys: template_id, template_name, filer, unit_id, person_id."""
    out: list[dict[str, Any]] = []
    for template in ReportTemplate.objects.filter(taskforce=tf, is_active=True).order_by("id"):
        start = periods.period_start(template, day)
        if start is None:
            continue
        done = set(Submission.objects.filter(template=template, period=start, status=Submission.Status.SUBMITTED)
                   .values_list("filer_key", flat=True))
        for f in access.filers(template):
            if f.key not in done:
                out.append({"template_id": template.pk, "template_name": template.name, "filer": f.label,
                            "unit_id": f.unit_id, "person_id": f.person_id})
    return out


def tidy(d: Decimal | None) -> Decimal | None:
    """A sum without the storage scale's trailing zeros (PostgreSQL says 12.5000, SQLite 12.5)."""
    if d is None:
        return None
    d = Decimal(d)
    return d.quantize(Decimal(1)) if d == d.to_integral() else d.normalize()


def aggregate(template: ReportTemplate, start: dt.date) -> dict[str, Any]:
    """The table of one period: every filer with values and status, sums/averages per numeric field, the
    missing list and reminder counts.  A fixed number of queries whatever the number of filers."""
    fields = list(template.fields.all())
    numeric = [f for f in fields if f.is_numeric]
    cols = ("id", "filer_key", "status", "values", "submitted_at", "is_late")
    subs = {row[1]: SimpleNamespace(**dict(zip(cols, row, strict=True))) for row in
            Submission.objects.filter(template=template, period=start).values_list(*cols)}
    reminded = dict(ReportReminder.objects.filter(template=template, period=start)
                    .values_list("filer_key").annotate(n=Count("id")).values_list("filer_key", "n"))
    totals = {row["field_id"]: {"s": row["total"], "n": row["values"]} for row in PeriodTotal.objects.filter(
        template=template, period=start).values("field_id", "total", "values")}
    rows, missing = [], []
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for f in access.filers(template):
        sub = subs.get(f.key)
        status = row_status(sub)
        counts[status] += 1
        row = {"filer": f.label, "filer_key": f.key, "unit_id": f.unit_id, "person_id": f.person_id,
               "status": status, "status_label": STATUS_LABELS[status],
               "submission_id": sub.id if sub else None, "values": sub.values if sub else {},
               "submitted_at": sub.submitted_at if sub else None, "reminders": reminded.get(f.key, 0)}
        rows.append(row)
        if status not in ("on_time", "late"):
            missing.append(row)
    sums: dict[str, Decimal | None] = {}
    avgs: dict[str, Decimal | None] = {}
    for f in numeric:
        t = totals.get(f.pk)
        sums[f.key] = tidy(t["s"]) if t else None
        avgs[f.key] = (t["s"] / t["n"]).quantize(Decimal("0.01")) if t and t["n"] else None
    info = periods.info(template, start)
    return {"template": template, "period": start, "fields": fields, "numeric": numeric, "rows": rows,
            "sums": sums, "averages": avgs, "missing": missing, "counts": counts,
            "expected": len(rows), "filed": counts["on_time"] + counts["late"],
            "due_at": info.due_at if info else None, "is_open": info.is_open() if info else False}


def trend(template: ReportTemplate, field_key: str, first: dt.date, last: dt.date) -> dict[str, Any]:
    """Sum of one numeric field per period and the number filed, over [first, last] (one index read of
``PeriodTotal``)."""
    field = template.fields.get(key=field_key)
    rows = PeriodTotal.objects.filter(field=field, period__range=(first, last)).order_by("period").values_list(
        "period", "total", "filed")
    points = [{"period": p, "sum": tidy(total), "filed": filed} for p, total, filed in rows if filed]
    return {"field": field, "points": points}


def submissions_for(user: Any, **filters: Any):  # noqa: ANN201
    """Submissions ``user`` may read: all of the templates they read in full, and their own filings."""
    from django.db.models import Q

    from zhuanban.taskforces import access as tfa

    qs = Submission.objects.select_related("template", "unit", "person")
    if not tfa.is_admin(user):
        managed = tfa.managed_taskforce_ids(user)
        person = tfa.person_of(user)
        cond = Q(template__taskforce_id__in=managed) | Q(template__shared_with__in=managed)
        if person is not None:
            cond |= Q(person_id=person.pk)
        qs = qs.filter(cond).distinct()
    for key in ("template_id", "period", "unit_id", "status"):
        if filters.get(key) not in (None, ""):
            qs = qs.filter(**{key: filters[key]})
    return qs.order_by("-period", "template_id", "filer_key")


def my_reports(user: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """What ``user`` must file now across task forces: each (template, filer) with the current period,
    its submission and status, the reminders received for it, and the return comment if returned.
    A fixed number of queries whatever the number of templates: the filers from one read of the person's
    liaison memberships, then one query each for the periods' submissions, the returned ones and the
    reminders of all templates together."""
    from django.db.models import Q

    from zhuanban.taskforces import access as tfa
    from zhuanban.taskforces.models import Membership

    today = today or timezone.localdate()
    person = tfa.person_of(user)
    if person is None:
        return []
    liaison = list(Membership.objects.filter(
        person=person, role=Membership.Role.LIAISON, end_on__isnull=True, member_unit__isnull=False,
        member_unit__left_on__isnull=True).values_list(
        "taskforce_id", "member_unit__unit_id", "member_unit__unit__short_name", "member_unit__unit__name"))
    by_tf: dict[int, list[access.Filer]] = {}
    for tf_id, unit_id, short, name in liaison:
        by_tf.setdefault(tf_id, []).append(access.Filer(f"u{unit_id}", unit_id, person.pk, short or name, user.pk))
    templates = list(ReportTemplate.objects.filter(is_active=True).filter(
        Q(filers=ReportTemplate.Filers.LIAISONS, taskforce_id__in=list(by_tf))
        | Q(filers=ReportTemplate.Filers.PEOPLE, filer_people=person)).select_related("taskforce").distinct()
        .order_by("id"))
    me = [access.Filer(f"p{person.pk}", person.home_unit_id, person.pk, person.name, user.pk)]
    now = periods.current_for(templates, today)
    pairs = []  # (template, filer, current period start)
    for template in templates:
        mine = me if template.filers == ReportTemplate.Filers.PEOPLE else by_tf.get(template.taskforce_id, [])
        pairs.extend((template, f, now[template.pk][0]) for f in mine)
    if not pairs:
        return []
    t_ids = {t.pk for t, _, _ in pairs}
    keys = {f.key for _, f, _ in pairs}
    starts = {s for _, _, s in pairs if s is not None}
    current = {(s.template_id, s.period, s.filer_key): s for s in Submission.objects.filter(
        template_id__in=t_ids, filer_key__in=keys, period__in=starts)} if starts else {}
    returned: dict[tuple[int, str], list[Submission]] = {}
    for s in Submission.objects.filter(template_id__in=t_ids, filer_key__in=keys,
                                       status=Submission.Status.RETURNED).order_by("-period"):
        returned.setdefault((s.template_id, s.filer_key), []).append(s)
    reminders: dict[tuple[int, dt.date, str], list[ReportReminder]] = {}
    if starts:
        for r in ReportReminder.objects.filter(template_id__in=t_ids, filer_key__in=keys, period__in=starts
                                               ).select_related("reminded_by").order_by("id"):
            reminders.setdefault((r.template_id, r.period, r.filer_key), []).append(r)
    items = []
    for template, f, start in pairs:
        sub = current.get((template.pk, start, f.key)) if start else None
        info = now[template.pk][1]
        status = row_status(sub)
        items.append({"template": template, "filer": f, "period": start, "submission": sub,
                      "status": status, "status_label": STATUS_LABELS[status], "info": info,
                      "is_open": bool(info and info.is_open()),
                      "returned": returned.get((template.pk, f.key), [])[:5],
                      "reminders": reminders.get((template.pk, start, f.key), []) if start else []})
    return items


def overview_counts(tf: TaskForce, day: dt.date | None = None) -> list[dict[str, Any]]:
    """今日报送: filed / expected for each active daily template of ``tf`` (owned or shared with it)."""
    from django.db.models import Q

    day = day or timezone.localdate()
    out = []
    for template in ReportTemplate.objects.filter(Q(taskforce=tf) | Q(shared_with=tf), is_active=True,
                                                  cadence=ReportTemplate.Cadence.DAILY).distinct()[:3]:
        start = periods.period_start(template, day)
        if start is None:
            continue
        expected = (len(access.filers(template)) if template.filers == ReportTemplate.Filers.PEOPLE
                    else access.liaison_filers_qs(template.taskforce_id).count())
        filed = Submission.objects.filter(template=template, period=start,
                                          status=Submission.Status.SUBMITTED).count()
        out.append({"template": template, "filed": filed, "expected": expected})
    return out
