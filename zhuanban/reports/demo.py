"""Demo data of reporting, loaded by ``zhuanban.demo.loader`` once every demo task force and its tasks
exist: the 杭州亚运 L区 case — ``ya_office`` collects the daily information report (每日信息报送) from each
member unit's liaison and shares it with ``ya_news`` and ``ya_online`` (一次采集、多方共享); ``brain`` has a
weekly report.  Three weeks of submissions filed through the services (some late, one returned, some
missing today)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from zhuanban.taskforces.models import TaskForce

from . import access, periods, services
from .models import ReportTemplate

DAILY_FIELDS = [
    {"key": "opinion", "label": "舆情信息条数", "kind": "integer", "required": True, "min_value": 0},
    {"key": "incidents", "label": "处置事件数", "kind": "integer", "required": True, "min_value": 0},
    {"key": "on_duty", "label": "在岗人数", "kind": "integer", "min_value": 0},
    {"key": "risk", "label": "风险等级", "kind": "choice", "options": ["低", "中", "高"], "required": True},
    {"key": "done", "label": "本日完成任务", "kind": "integer", "prefill": "tasks_done"},
    {"key": "note", "label": "情况说明", "kind": "text"},
]
WEEKLY_FIELDS = [
    {"key": "progress", "label": "本周完成事项数", "kind": "integer", "required": True, "min_value": 0},
    {"key": "overdue", "label": "逾期（红灯）任务数", "kind": "integer", "prefill": "tasks_overdue"},
    {"key": "invest", "label": "本周投入（万元）", "kind": "number", "min_value": 0},
    {"key": "plan", "label": "下周计划", "kind": "text", "required": True},
]


def _at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hh, mm)))


def _file_history(admin: Any, template: ReportTemplate, starts: list[dt.date], values: Any, rng: random.Random,
                  today: dt.date) -> None:
    users = get_user_model().objects.in_bulk([f.user_id for f in access.filers(template) if f.user_id])
    returned = False
    for start in starts:
        info = periods.info(template, start)
        if info is None:
            continue
        for f in access.filers(template):
            user = users.get(f.user_id)
            if user is None or (start == starts[-1] and rng.random() < 0.4):
                continue  # some are missing today
            r = rng.random()
            hh = 18 if r < 0.12 else rng.randint(9, 16)
            due = info.due_at.date()
            now = _at(due, hh, rng.randint(0, 59))
            if start == starts[-1]:
                now = min(now, timezone.now())
            sub = services.file_report(user, template, start, values(rng), submit=True,
                                       unit_id=f.unit_id, now=now)
            if not returned and start != starts[-1] and r > 0.9:
                services.return_submission(admin, sub, "数据与台账不一致，请核实后重报")
                returned = True


def load(admin: Any, taskforces: dict[str, TaskForce]) -> None:
    """Idempotent: a second run finds what the first made and adds nothing."""
    rng = random.Random(7)
    today = timezone.localdate()
    office = taskforces.get("ya_office")
    if office is not None and not ReportTemplate.objects.filter(taskforce=office, name="每日信息报送").exists():
        shared = [taskforces[k].pk for k in ("ya_news", "ya_online") if k in taskforces]
        daily = services.create_template(admin, office, {
            "name": "每日信息报送", "cadence": "daily", "every_day": True, "due_time": "17:00",
            "description": "赛时各成员单位联络员每日 17:00 前报送本单位舆情、处置事件和在岗情况",
            "fields": DAILY_FIELDS})
        services.share_template(admin, daily, shared)
        starts = [today - dt.timedelta(days=d) for d in range(20, -1, -1)]
        _file_history(admin, daily, starts, lambda r: {
            "opinion": r.randint(0, 25), "incidents": r.randint(0, 4), "on_duty": r.randint(3, 20),
            "risk": r.choice("低低低中高"), "note": r.choice(["运行平稳", "已妥善处置", "持续关注"])}, rng, today)
    brain = taskforces.get("brain")
    if brain is not None and not ReportTemplate.objects.filter(taskforce=brain, name="周工作进展").exists():
        weekly = services.create_template(admin, brain, {
            "name": "周工作进展", "cadence": "weekly", "due_time": "17:00", "grace_workdays": 2,
            "description": "各成员单位每周最后一个工作日 17:00 前报送", "fields": WEEKLY_FIELDS})
        this_week = today - dt.timedelta(days=today.weekday())
        starts = [this_week - dt.timedelta(weeks=w) for w in range(3, 0, -1)]
        _file_history(admin, weekly, starts, lambda r: {
            "progress": r.randint(1, 8), "invest": f"{r.randint(0, 500) / 10:.1f}",
            "plan": r.choice(["推进场景建设", "完成数据对接", "组织专题调度"])}, rng, today)
