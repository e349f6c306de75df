"""The dissolution summary (解散总结): goals against results, key figures, the ledger and the lessons,
frozen at dissolution, rendered as a page and a .docx, and shared with the home units.

What it holds: the positioning (core matter, goals, quantified targets, dates), the tasks of the period
(planned, done, done on time, overdue — the latter two by ``accountability.metrics``, never counted
here), the key figures of ``metrics.taskforce_figures`` over the period, the funds ledger
(``funds.queries.ledger_summary``), who was seconded from which home unit, and the summary and lessons
text written at dissolution.  Who gets it (知识回流 to the home units): the liaisons the task force had on
its last day and the leaders (``is_unit_leader``) of every home unit that seconded someone.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q

from zhuanban.core.exports import safe_cell
from zhuanban.org.models import Person
from zhuanban.taskforces.models import Membership, TaskForce

from .dashboards import metrics_module

FIGURE_LABELS = [
    ("tasks_owned", "任务数"), ("tasks_done", "已完成"), ("done_on_time", "按时完成"), ("overdue", "逾期"),
    ("returned", "退回"), ("disputes_caused", "推诿争议"), ("disputes_resolved", "争议已裁定"),
    ("reports_due", "应报"), ("reports_on_time", "按时报送"), ("meetings_expected", "应参会人次"),
    ("meetings_attended", "实参会人次"), ("acks_required", "须确认通知"), ("acks_done", "已确认"),
    ("ack_latency_hours_median", "确认用时中位数（小时）"),
]


def _plain(value: Any) -> Any:
    """JSON-safe (Decimal → text, dates → ISO) so the archive never changes when the models do."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _period(tf: TaskForce) -> tuple[int, dt.date]:
    p = tf.periods.order_by("-number").first()
    return (p.number, p.started_on) if p else (1, tf.established_on)


def recipients(tf: TaskForce) -> list[int]:
    """The liaisons on the last day and the leaders of every home unit that seconded someone."""
    last = Membership.objects.filter(taskforce=tf)
    if tf.dissolved_on:
        last = last.filter(Q(end_on__isnull=True) | Q(end_on=tf.dissolved_on))
    liaisons = set(last.filter(role=Membership.Role.LIAISON).values_list("person_id", flat=True))
    units = set(Membership.objects.filter(taskforce=tf).values_list("dispatching_unit_id", flat=True))
    heads = set(Person.objects.filter(home_unit_id__in=units, is_unit_leader=True).values_list("id", flat=True))
    return sorted(liaisons | heads)


def build(tf: TaskForce) -> dict[str, Any]:
    from zhuanban.tasks.models import Task

    number, started = _period(tf)
    end = tf.dissolved_on or dt.date.today()
    tasks = Task.objects.filter(taskforce=tf).aggregate(
        planned=Count("id"), done=Count("id", filter=Q(status__in=Task.CLOSED)))
    m = metrics_module()
    figures: dict[str, Any] | None = None
    if m is not None:
        f = m.taskforce_figures([tf.pk]).get(tf.pk)
        if f is not None:
            figures = {k: getattr(f, k) for k, _ in FIGURE_LABELS}
            figures.update(on_time_rate=f.on_time_rate, report_timeliness=f.report_timeliness,
                           attendance_rate=f.attendance_rate, ack_rate=f.ack_rate)
    ledger = None
    try:
        from zhuanban.funds.queries import ledger_summary
    except ImportError:
        ledger_summary = None
    if ledger_summary is not None:
        ledger = ledger_summary(tf)
    seconded = Counter(Membership.objects.filter(taskforce=tf).values_list("dispatching_unit__name", flat=True))
    targets = [{"description": t.description, "metric": t.metric, "target_value": t.target_value,
                "unit": t.unit_of_measure, "due_on": t.due_on} for t in tf.targets.all()]
    return _plain({
        "name": tf.name, "period": number, "started_on": started, "dissolved_on": end,
        "established_on": tf.established_on, "planned_end": tf.planned_end,
        "core_matter": tf.core_matter, "goals": tf.goals, "targets": targets,
        "dissolution_conditions": tf.dissolution_conditions,
        "tasks": {"planned": tasks["planned"], "done": tasks["done"],
                  "done_on_time": figures["done_on_time"] if figures else None,
                  "overdue": figures["overdue"] if figures else None},
        "figures": figures, "ledger": ledger,
        "seconded": [{"unit": u, "people": n} for u, n in seconded.most_common()],
        "summary": tf.summary, "lessons": tf.lessons,
    })


def _money(value: Any) -> str:
    return f"{value} 元" if value not in (None, "") else "—"


def to_docx(data: dict[str, Any]) -> bytes:
    """The archived summary as a Word document (text through ``safe_cell``: no formula from user text)."""
    from docx import Document

    doc = Document()
    doc.add_heading(f"{data.get('name', '')} 第{data.get('period', '')}期工作总结", level=1)
    doc.add_paragraph(f"设立 {data.get('established_on', '—')}；本期 {data.get('started_on', '—')} 至 "
                      f"{data.get('dissolved_on', '—')}"
                      + (f"；计划结束 {data['planned_end']}" if data.get("planned_end") else ""))
    doc.add_heading("一、目标与结果", level=2)
    doc.add_paragraph(safe_cell(f"核心事务：{_text(data.get('core_matter'))}"))
    if data.get("goals"):
        doc.add_paragraph(safe_cell(f"工作目标：{_text(data['goals'])}"))
    for t in data.get("targets") or []:
        doc.add_paragraph(safe_cell(f"{t['description']}：目标 {t['target_value'] or '—'}{t['unit'] or ''}"
                                    + (f"，时限 {t['due_on']}" if t.get("due_on") else "")), style="List Bullet")
    tasks = {"planned": None, "done": None, "done_on_time": None, "overdue": None, **(data.get("tasks") or {})}
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["计划任务", "已完成", "按时完成", "逾期"], strict=True):
        cell.text = text
    row = table.add_row().cells
    for cell, value in zip(row, [tasks["planned"], tasks["done"], tasks["done_on_time"], tasks["overdue"]],
                           strict=True):
        cell.text = "—" if value is None else str(value)
    if data.get("figures"):
        doc.add_heading("二、主要指标", level=2)
        ft = doc.add_table(rows=0, cols=2)
        ft.style = "Table Grid"
        for key, label in FIGURE_LABELS:
            cells = ft.add_row().cells
            cells[0].text, cells[1].text = label, "—" if data["figures"].get(key) is None else str(data["figures"][key])
    ledger = data.get("ledger")
    if ledger:
        doc.add_heading("三、经费与资产", level=2)
        totals = ledger.get("totals") or {}
        doc.add_paragraph(f"预算 {_money(totals.get('budget'))}；支出 {_money(totals.get('spent'))}；"
                          f"结余 {_money(totals.get('remaining'))}；支出笔数 {ledger.get('expenses', 0)}")
        lt = doc.add_table(rows=1, cols=4)
        lt.style = "Table Grid"
        for cell, text in zip(lt.rows[0].cells, ["预算科目", "预算", "已支出", "结余"], strict=True):
            cell.text = text
        for ln in ledger.get("lines") or []:
            cells = lt.add_row().cells
            for cell, value in zip(cells, [ln.get("name"), ln.get("budget"), ln.get("spent"), ln.get("remaining")],
                                   strict=True):
                cell.text = safe_cell(str(value))
        for r in ledger.get("resources") or []:
            doc.add_paragraph(safe_cell(f"{r.get('name')}（{r.get('lent_by') or r.get('origin_label')}）："
                                        + ("已归还" if r.get("returned") else "未归还")), style="List Bullet")
    doc.add_heading("四、抽调人员来源", level=2)
    for s in data.get("seconded") or []:
        doc.add_paragraph(safe_cell(f"{s['unit']}：{s['people']} 人"), style="List Bullet")
    doc.add_heading("五、工作总结", level=2)
    doc.add_paragraph(safe_cell(_text(data.get("summary"))))
    doc.add_heading("六、经验做法（供派出单位共享）", level=2)
    doc.add_paragraph(safe_cell(_text(data.get("lessons"))))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _text(markdown: str | None) -> str:
    """Plain text of a sanitised Markdown field for Word (tags dropped)."""
    import re

    return re.sub(r"<[^>]+>", "", markdown or "").strip()
