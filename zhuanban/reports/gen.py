"""Generator phase "reports" (after "tasks"): a reporting office task force whose member units' liaisons
file a daily report, for the issue's benchmark (500 units × 365 days = 182,500 submissions).

- A new task force 信息报送工作专班 (an office, 一办) with N member units — the generated units that have
  staff first, then extra units with one person each created in bulk when the directory has fewer — each
  with one liaison (an account like every generated member), plus a 组长 and an 办公室主任.
- One daily template (``every_day``: the periods are the 365 calendar days up to the anchor date, so the
  count is exactly N × 365), five fields of which three numeric.
- Each filer and day: ~2% missing, ~3% late (after 17:00), the rest on time; today's period has a few
  drafts.  Submitted numbers also go to ``SubmissionValue`` and ``PeriodTotal``.  Services are bypassed
  (``gen_common.fast_insert``); no history rows and no audit events per generated submission.

Sizes: demo 20 units × 30 days, city and province 500 × 365.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from zhuanban.org.models import Person, Unit
from zhuanban.scale.gen_common import Buffer, Context, bulk, reset_sequences
from zhuanban.taskforces.models import Membership, MemberUnit, Period, TaskForce

from .models import PeriodTotal, ReportField, ReportTemplate, Submission, SubmissionValue

SIZES = {"demo": (20, 30), "city": (500, 365), "province": (500, 365)}
FIELDS = [
    ("reports", "报送信息条数", ReportField.Kind.INTEGER, True),
    ("incidents", "处置事件数", ReportField.Kind.INTEGER, True),
    ("hours", "值守工时", ReportField.Kind.NUMBER, False),
    ("risk", "风险等级", ReportField.Kind.CHOICE, True),
    ("note", "情况说明", ReportField.Kind.TEXT, False),
]


def _pick_people(ctx: Context, n: int) -> tuple[list[tuple[int, int]], int]:
    """(unit id, person id) for ``n`` filers: one person of each staffed generated unit, then new ones."""
    pairs: list[tuple[int, int]] = []
    for u in ctx.units:
        if len(pairs) >= n:
            break
        if not u.gov or not u.people:
            continue
        if u.next_fresh < len(u.people):
            pid = u.people[u.next_fresh]
            u.next_fresh += 1
        else:
            pid = u.people[-1]
        pairs.append((u.id, pid))
    missing = n - len(pairs)
    if missing <= 0:
        return pairs, 0
    region = ctx.units[0].region_id
    unit_ids = ctx.ids(Unit, missing)
    person_ids = ctx.ids(Person, missing)
    units, people = [], []
    for i, (uid, pid) in enumerate(zip(unit_ids, person_ids, strict=True)):
        name = f"报送联系单位{i + 1:03d}"
        while name in ctx.taken_unit_names:
            name += "·"
        ctx.taken_unit_names.add(name)
        units.append(Unit(id=uid, name=name, short_name=name[:60], kind=Unit.Kind.PARTY_GOV, region_id=region))
        pname = ctx.faker.name()
        people.append(Person(id=pid, name=pname, home_unit_id=uid, post="信息员",
                             staffing=Person.Staffing.ADMINISTRATIVE, created_at=ctx.now))
        ctx.person_name[pid] = pname
        pairs.append((uid, pid))
    bulk(Unit, units)
    bulk(Person, people)
    for key in ("units", "people"):
        if isinstance(ctx.counts.get(key), int):
            ctx.counts[key] += missing
    return pairs, missing


def run(ctx: Context) -> None:
    n_units, n_days = SIZES.get(ctx.spec.name, SIZES["demo"])
    rng = ctx.rng("reports")
    today = ctx.today
    first_day = today - dt.timedelta(days=n_days - 1)
    established = first_day - dt.timedelta(days=30)
    pairs, created_units = _pick_people(ctx, n_units + 2)
    (head_unit, head), (office_unit, director) = pairs[0], pairs[1]
    pairs = pairs[2:]
    tf_id = ctx.ids(TaskForce, 1)[0]
    TaskForce.objects.bulk_create([TaskForce(
        id=tf_id, name="信息报送工作专班（办公室）", core_matter="统筹各成员单位每日信息报送，汇总研判",
        basis=TaskForce.Basis.NOTICE, basis_document_no="〔合成〕1号", established_on=established,
        task_nature=TaskForce.Nature.COMPOSITE, purpose=TaskForce.Purpose.ROUTINE,
        decision_mode=TaskForce.DecisionMode.LEAD_DEPARTMENT, lead_unit_id=office_unit, is_office=True,
        status=TaskForce.Status.ACTIVE, region_id=ctx.units[0].region_id)])
    Period.objects.create(taskforce_id=tf_id, number=1, started_on=established)
    if isinstance(ctx.counts.get("taskforces"), int):
        ctx.counts["taskforces"] += 1
    mu_ids = ctx.ids(MemberUnit, len(pairs))
    MemberUnit.objects.bulk_create([
        MemberUnit(id=mid, taskforce_id=tf_id, unit_id=uid, role=MemberUnit.Role.PARTICIPATING,
                   joined_on=established) for mid, (uid, _) in zip(mu_ids, pairs, strict=True)], batch_size=1000)
    ms = [Membership(taskforce_id=tf_id, person_id=head, role=Membership.Role.HEAD, dispatching_unit_id=head_unit,
                     workload_pct=10, start_on=established),
          Membership(taskforce_id=tf_id, person_id=director, role=Membership.Role.OFFICE_DIRECTOR,
                     dispatching_unit_id=office_unit, workload_pct=50, start_on=established)]
    ms += [Membership(taskforce_id=tf_id, person_id=pid, role=Membership.Role.LIAISON, dispatching_unit_id=uid,
                      member_unit_id=mid, workload_pct=10, start_on=established)
           for mid, (uid, pid) in zip(mu_ids, pairs, strict=True)]
    for mid, m in zip(ctx.ids(Membership, len(ms)), ms, strict=True):
        m.id = mid  # explicit ids: the same seed gives the same rows, even after a flush
    bulk(Membership, ms)
    ctx.ensure_accounts([head, director, *[p for _, p in pairs]])

    template = ReportTemplate.objects.create(
        id=ctx.ids(ReportTemplate, 1)[0], taskforce_id=tf_id, name="每日信息报送", cadence=ReportTemplate.Cadence.DAILY, every_day=True,
        due_time=dt.time(17, 0), grace_workdays=1, description="各成员单位联络员每日 17:00 前报送")
    fields = ReportField.objects.bulk_create([
        ReportField(id=fid, template=template, key=k, label=label, kind=kind, required=req, position=i,
                    min_value=0 if kind in ReportField.NUMERIC else None,
                    options=["低", "中", "高"] if kind == ReportField.Kind.CHOICE else [])
        for fid, (i, (k, label, kind, req)) in zip(ctx.ids(ReportField, len(FIELDS)), enumerate(FIELDS),
                                                   strict=True)])
    numeric = [f for f in fields if f.is_numeric]
    total = n_units * n_days
    sub_ids = iter(ctx.ids(Submission, total))
    val_ids = iter(ctx.ids(SubmissionValue, total * len(numeric)))
    stats = {"submitted": 0, "late": 0, "missing": 0, "draft": 0}
    totals: dict[tuple[int, dt.date], list[Any]] = {}
    filed_on: dict[dt.date, int] = {}
    notes = ["正常", "无异常", "已处置完毕", "=SUM(A1)", "持续关注"]
    with ctx.bar("信息报送", total) as bar:
        buf = Buffer(None, limit=40_000)
        for d in range(n_days):
            day = first_day + dt.timedelta(days=d)
            due = dt.datetime.combine(day, dt.time(17, 0))
            for uid, pid in pairs:
                r = rng.random()
                if r < 0.02:
                    stats["missing"] += 1
                    continue
                sid = next(sub_ids)
                late = r < 0.05
                draft = day == today and r > 0.9
                at = ctx.moment(day, rng, 17, 21) if late else ctx.moment(day, rng, 8, 17)
                if at.replace(tzinfo=None) <= due and late:
                    late = False
                values: dict[str, Any] = {"reports": rng.randint(0, 30), "incidents": rng.randint(0, 5),
                                          "hours": f"{rng.randint(0, 160) / 10:.1f}",
                                          "risk": rng.choice("低低低中高"), "note": rng.choice(notes)}
                status = Submission.Status.DRAFT if draft else Submission.Status.SUBMITTED
                buf.add(Submission, id=sid, version=1, created_at=at, updated_at=at, template_id=template.pk,
                        period=day, filer_key=f"u{uid}", unit_id=uid, person_id=pid, status=status,
                        values=values,
                        submitted_at=None if draft else at, is_late=late and not draft, return_comment="",
                        filed_by_id=ctx.person_user.get(pid))
                if draft:
                    stats["draft"] += 1
                    continue
                stats["submitted"] += 1
                stats["late"] += late
                filed_on[day] = filed_on.get(day, 0) + 1
                for f in numeric:
                    acc = totals.setdefault((f.pk, day), [Decimal(0), 0])
                    acc[0] += Decimal(str(values[f.key]))
                    acc[1] += 1
                    buf.add(SubmissionValue, id=next(val_ids), submission_id=sid, field_id=f.pk, period=day,
                            value=values[f.key])
            bar.update(len(pairs))
        buf.flush()
    bulk(PeriodTotal, [PeriodTotal(template_id=template.pk, field_id=fid, period=day, total=acc[0], values=acc[1],
                                   filed=filed_on[day]) for (fid, day), acc in sorted(totals.items())])
    reset_sequences([TaskForce, MemberUnit, Membership, Unit, Person, ReportTemplate, ReportField, Submission,
                     SubmissionValue, PeriodTotal])
    ctx.counts["reports"] = {"units": len(pairs), "days": n_days, "extra_units": created_units, **stats}
    liaison = next(p for u, p in pairs)
    ctx.subjects.update({
        "reports_template_id": template.pk, "reports_taskforce_id": tf_id,
        "reports_day": (today - dt.timedelta(days=1)).isoformat(),
        "reports_month_from": (today - dt.timedelta(days=30)).isoformat(),
        "reports_month_to": (today - dt.timedelta(days=1)).isoformat(),
        "reports_office_username": ctx.person_username.get(director),
        "reports_liaison_username": ctx.person_username.get(liaison),
        "reports_field": "reports",
    })
