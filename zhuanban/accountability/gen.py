"""Generator phase "accountability" (after "tasks"): supervision records (督办) at scale, for the portrait
benchmark, and the benchmark's portrait subject.

- Supervision records on overdue open tasks (a quarter of them talks, a tenth circulars, half followed up,
  a third closed): demo 200, city 2,000, province 10,000, each linked to its task.  Rows go in through
  ``gen_common.Buffer`` (COPY on PostgreSQL); no notices, no audit events (synthetic data).
- The portrait subject: the busy worker of the data set when they own tasks in three task forces or more,
  else the person owning tasks in the most task forces (one aggregate query).  They get a few records.

Bench subjects: ``portrait_person_id``, ``portrait_username`` (the subject: they see their own portrait),
``portrait_taskforces`` (how many task forces their tasks are in), ``supervisions``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from zhuanban.scale.gen_common import Buffer, Context, reset_sequences

from .models import Supervision

SIZES = {"demo": 200, "city": 2000, "province": 10000}
REASONS = ["任务已超过完成时限，进展滞后", "多次催办未反馈进展", "推诿扯皮，影响整体进度", "报送材料不及时、不完整"]


def _subject(ctx: Context) -> tuple[int | None, int]:
    from zhuanban.tasks.models import Task

    busy = ctx.extra.get("busy_person")
    if busy is not None:
        n = Task.objects.filter(responsible_id=busy).values("taskforce_id").distinct().count()
        if n >= 3:
            return busy, n
    row = (Task.objects.filter(responsible__isnull=False, responsible__user__isnull=False).values("responsible_id")
           .annotate(n=Count("taskforce_id", distinct=True)).order_by("-n", "responsible_id").first())
    return (row["responsible_id"], row["n"]) if row else (None, 0)


def run(ctx: Context) -> None:
    from zhuanban.tasks.models import Task

    n = SIZES.get(ctx.spec.name, SIZES["demo"])
    rng = ctx.rng("accountability")
    subject, n_tfs = _subject(ctx)
    overdue = list(Task.objects.filter(responsible__isnull=False, due_at__lt=ctx.now).exclude(
        status__in=Task.CLOSED).order_by("id").values_list("id", "taskforce_id", "responsible_id", "title")[:n])
    if subject is not None:
        overdue += list(Task.objects.filter(responsible_id=subject).order_by("-due_at").values_list(
            "id", "taskforce_id", "responsible_id", "title")[:5])
    if not overdue:
        return
    ids = iter(ctx.ids(Supervision, len(overdue)))
    bar = ctx.bar("督办记录", len(overdue) * 2)
    buf = Buffer(bar)
    link = Supervision.tasks.through
    for task_id, tf_id, pid, title in overdue:
        sid = next(ids)
        r = rng.random()
        kind = Supervision.Kind.TALK if r < 0.25 else Supervision.Kind.CIRCULAR if r < 0.35 else Supervision.Kind.NOTICE
        created = ctx.now - dt.timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 9))
        status = rng.choices(list(Supervision.Status.values), [2, 1, 1])[0]
        responded = status != Supervision.Status.OPEN
        unit = ctx.units[ctx.person_unit[pid]].id if pid in ctx.person_unit else None
        buf.add(Supervision, id=sid, taskforce_id=tf_id, kind=kind, person_id=pid, unit_id=unit,
                title=f"关于“{title[:60]}”的{Supervision.Kind(kind).label}", reason=rng.choice(REASONS),
                talk_at=created + dt.timedelta(days=2) if kind == Supervision.Kind.TALK else None, location="",
                follow_up_due=(created + dt.timedelta(days=7)).date(), status=status,
                response="已制定整改措施，落实专人推进" if responded else "",
                responded_at=created + dt.timedelta(days=3) if responded else None, responded_by_id=None,
                closing_note="整改到位" if status == Supervision.Status.CLOSED else "",
                closed_at=created + dt.timedelta(days=5) if status == Supervision.Status.CLOSED else None,
                closed_by_id=None, notice_id=None, created_by_id=None, version=1, created_at=created,
                updated_at=created)
        buf.add(link, supervision_id=sid, task_id=task_id)
    buf.flush()
    bar.close()
    reset_sequences([Supervision])
    ctx.counts["supervisions"] = len(overdue)
    if subject is not None:
        ctx.ensure_accounts([subject])
        ctx.subjects["portrait_person_id"] = subject
        ctx.subjects["portrait_username"] = ctx.person_username.get(subject, "")
        ctx.subjects["portrait_taskforces"] = n_tfs
