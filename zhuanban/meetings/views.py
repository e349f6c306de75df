"""Pages of 会商 · 值班 · 驻点 · 现场核验: the task force's tab, a meeting's page (agenda, attendance,
minutes, decisions and the new task list), "我的会商" and the forms behind them.

Views load objects through ``access`` (404 when invisible) and change state only through ``services``.
A refusal is shown as a message; a stale minutes save (409) renders the page again with the text the
user typed, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuanban.core.errors import DomainError, Invalid, NotFound
from zhuanban.org.models import Person, Unit
from zhuanban.taskforces import access as tf_access
from zhuanban.taskforces.models import Membership
from zhuanban.web.views.common import load_taskforce, tf_context

from . import access, agenda, api, feed, queries, services
from .exports import choose_fonts
from .models import Attendance, Decision, DutyShift, DutySwap, Kind, Meeting, MeetingSeries

ROSTER_DAYS = 14
LISTED = 10


def _members(tf: Any, *, names_only: bool = False) -> list[Any]:
    """The task force's active members by name: Person objects, or (id, name) pairs with ``names_only``."""
    ids = Membership.objects.filter(taskforce=tf, end_on__isnull=True).values("person_id")
    qs = Person.objects.filter(pk__in=ids).order_by("name")
    return list(qs.values_list("id", "name") if names_only else qs.only("id", "name"))


def _options(people: list[tuple[int, str]]) -> str:
    """``<option>``s of (id, name) pairs, rendered once for every picker of a page that lists them (a
    template loop per picker costs more than the rest of a long page)."""
    return format_html_join("", '<option value="{}">{}</option>', people)


def _link_tasks(tasks: Any) -> None:
    """Give each task of a long list its ``url`` from one ``reverse`` (a ``{% url %}`` per row is a good
    part of a long page's rendering time)."""
    marker = "2147483647"
    pattern = reverse("task_detail", args=[int(marker)])
    for t in tasks:
        t.url = pattern.replace(marker, str(t.pk))


def _date(p: Any, name: str, required: bool = True) -> dt.date | None:
    raw = (p.get(name) or "").strip()
    if not raw:
        if required:
            raise Invalid("invalid_date", "请填写日期", {name: "必填"})
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid("invalid_date", "日期格式应为 YYYY-MM-DD", {name: "日期格式无效"}) from None


def _datetime(p: Any, name: str) -> dt.datetime:
    raw = (p.get(name) or "").strip()
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise Invalid("invalid_datetime", "请填写有效的日期和时间", {name: "日期时间格式无效"}) from None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _time(p: Any, name: str) -> dt.time | None:
    raw = (p.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.time.fromisoformat(raw)
    except ValueError:
        raise Invalid("invalid_time", "时间格式应为 HH:MM", {name: "时间格式无效"}) from None


def _int(p: Any, name: str) -> int | None:
    raw = (p.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Invalid("invalid_number", "须为整数", {name: "须为整数"})
    return int(raw)


def _pick(qs: Any, p: Any, name: str, required: bool = False) -> Any:
    pk = _int(p, name)
    if pk is None:
        if required:
            raise Invalid("required", "请选择", {name: "必填"})
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Invalid("invalid_reference", "引用的对象不存在或无权查看", {name: "不存在或无权查看"})
    return obj


def _act(request: HttpRequest, back: str, fn: Callable[[], str | None]) -> HttpResponse:
    """Run one form's use case: success message and back; a refusal as an error message and back."""
    try:
        done = fn()
    except DomainError as exc:
        fields = "；".join(f"{v}" for v in exc.fields.values())
        messages.error(request, exc.message + (f"（{fields}）" if fields and fields not in exc.message else ""))
    else:
        if done:
            messages.success(request, done)
    return redirect(back)


def _meeting(request: HttpRequest, meeting_id: int, *, manage: bool = False) -> tuple[Meeting, Any]:
    try:
        m, acc = access.get_visible_meeting(request.user, meeting_id)
    except NotFound:
        raise Http404 from None
    if manage and not acc.manage:
        raise PermissionDenied(access.MANAGE_DENIED)
    return m, acc


# ---- the task force's tab ---------------------------------------------------------------------------


@login_required
def tf_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    from zhuanban.tasks.access import visible_tasks

    tf, acc = load_taskforce(request, pk, full_view=True)
    today = timezone.localdate()
    upcoming, past = queries.upcoming_and_past(tf, upcoming=LISTED, past=LISTED)
    series = list(tf.meeting_series.select_related("follows__taskforce").order_by("id"))
    context = tf_context(tf, acc, "meetings") | {
        "series": series, "upcoming": upcoming, "past": past, "today": today,
        "on_duty": [queries.shift_row(s) for s in queries.on_duty_today([tf.pk], today)],
        "roster": [queries.shift_row(s) for s in queries.roster([tf.pk], today, today + dt.timedelta(days=ROSTER_DAYS - 1))],
        "swaps": list(queries.pending_swaps([tf.pk])),
        "stations": list(queries.stations(tf)),
        "verifications": list(queries.verifications([tf.pk])[:LISTED]),
        "kinds": Kind.choices, "recurrences": MeetingSeries.Recurrence.choices,
        "invitee_scopes": MeetingSeries.Invitees.choices,
        "me": access.person_of(request.user),
        "weekdays": list(enumerate(["周一", "周二", "周三", "周四", "周五", "周六", "周日"])),
    }
    if acc.manage:
        context |= {
            "members": _members(tf),
            "member_units": list(tf.member_units.filter(left_on__isnull=True).select_related("unit")),
            "upper_series": list(MeetingSeries.objects.filter(
                taskforce_id__in=[i for i in (tf.parent_id, tf.pk) if i]).exclude(follows__isnull=False)
                .select_related("taskforce")),
            "tasks": list(visible_tasks(request.user).filter(taskforce=tf).order_by("-id").values("id", "title")[:200]),
            "upper_meetings": list(Meeting.objects.filter(taskforce_id__in=[i for i in (tf.parent_id,) if i],
                                                          starts_at__gte=timezone.now() - dt.timedelta(days=14))
                                   .order_by("starts_at")[:30]),
        }
    elif context["me"] is not None:
        context["members"] = _members(tf)
    return render(request, "meetings/tab.html", context)


def _tab(pk: int) -> str:
    return reverse("tf_meetings", args=[pk])


@login_required
@require_POST
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    p = request.POST
    holder: dict[str, Meeting] = {}

    def run() -> str:
        upper = _pick(access.visible_meetings(request.user), p, "upper")
        starts = _datetime(p, "starts_at")
        minutes = _int(p, "duration_minutes") or 90
        holder["m"] = services.create_meeting(
            request.user, tf, title=p.get("title", ""), kind=p.get("kind") or Kind.TOPIC, starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=minutes), location=p.get("location", ""), upper=upper,
            invitees=p.get("invitees") or MeetingSeries.Invitees.ALL)
        return _("已安排会议“%(t)s”") % {"t": holder["m"].title}

    response = _act(request, _tab(tf.pk), run)
    if "m" in holder:
        return redirect("meeting_detail", holder["m"].pk)
    return response


@login_required
@require_POST
def series_new(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    p = request.POST

    def run() -> str:
        follows = _pick(MeetingSeries.objects.filter(taskforce_id__in=access.full_taskforce_ids(request.user))
                        if not tf_access.is_admin(request.user) else MeetingSeries.objects.all(), p, "follows")
        s = services.create_series(
            request.user, tf, title=p.get("title", ""), kind=p.get("kind") or Kind.WEEKLY,
            recurrence=p.get("recurrence") or MeetingSeries.Recurrence.WEEKLY, weekday=_int(p, "weekday"),
            nth_workday=_int(p, "nth_workday"), time_of_day=_time(p, "time_of_day") or dt.time(9, 0),
            duration_minutes=_int(p, "duration_minutes") or 90, location=p.get("location", ""),
            invitees=p.get("invitees") or MeetingSeries.Invitees.ALL, follows=follows,
            follow_within_workdays=_int(p, "follow_within_workdays") or 2)
        return _("已新建会议系列“%(t)s”") % {"t": s.title}

    return _act(request, _tab(tf.pk), run)


@login_required
@require_POST
def series_schedule(request: HttpRequest, series_id: int) -> HttpResponse:
    try:
        series, acc = access.get_visible_series(request.user, series_id)
    except NotFound:
        raise Http404 from None
    if not acc.manage:
        raise PermissionDenied(access.MANAGE_DENIED)

    def run() -> str:
        until = _date(request.POST, "until")
        made = services.schedule_series(request.user, series, until=until)
        return _("已生成 %(n)d 次会议") % {"n": len(made)}

    return _act(request, _tab(series.taskforce_id), run)


# ---- a meeting's page --------------------------------------------------------------------------------


def _meeting_context(request: HttpRequest, m: Meeting, acc: Any) -> dict[str, Any]:
    rows = api.attendance_rows(m)
    day = timezone.localtime(m.starts_at).date()
    # The page lists the most urgent flagged tasks; "?agenda=all" lists them all (up to FLAGGED_LISTED).
    full = request.GET.get("agenda") == "all"
    ctx = tf_context(m.taskforce, acc, "meetings") | {
        "meeting": m, "agenda_full": full, "attendance": rows,
        "agenda": agenda.build(request.user, m.taskforce, day,
                               listed=agenda.FLAGGED_LISTED if full else agenda.PAGE_LISTED, acc=acc),
        "attendance_rate": api.meeting_rate(rows), "decisions": api.decisions_of(m),
        "new_tasks": list(services.new_tasks(m)), "statuses": Attendance.Status.choices,
        "minutes_text": m.minutes, "minutes_version": m.version, "docx_fonts": choose_fonts().describe(),
    }
    _link_tasks([t for s in ctx["agenda"]["units"] for t in s["flagged"]] + ctx["agenda"]["overdue"])
    if acc.manage:
        from zhuanban.tasks.queries import pickers

        # One list of the active members serves the responsible-person picker and the substitutes (the
        # decision form's choice is checked again against the people the user may see).
        _people, units = pickers(request.user, m.taskforce)
        ctx |= {"units": units, "member_options": _options(_members(m.taskforce, names_only=True))}
    return ctx


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    m, acc = _meeting(request, meeting_id)
    return render(request, "meetings/meeting.html", _meeting_context(request, m, acc))


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    m, acc = _meeting(request, meeting_id, manage=True)
    p = request.POST
    people = {str(x.pk): x for x in tf_access.visible_people(request.user).filter(
        pk__in=[v for k, v in p.items() if (k.startswith("person_") or k.startswith("substitute_")) and v.isdigit()])}

    def run() -> str:
        entries = []
        for key in p:
            if not key.startswith("status_"):
                continue
            pid = key.removeprefix("status_")
            if pid not in people:
                raise Invalid("invalid_reference", "参会人不存在或无权查看", {"person": "不存在"})
            sub = p.get(f"substitute_{pid}") or ""
            entries.append({"person": people[pid], "status": p[key], "reason": p.get(f"reason_{pid}", ""),
                            "substitute": people.get(sub) if sub else None})
        services.record_attendance(request.user, m, entries)
        return _("出席情况已保存")

    return _act(request, reverse("meeting_detail", args=[m.pk]), run)


@login_required
@require_POST
def meeting_minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    m, acc = _meeting(request, meeting_id, manage=True)
    text = request.POST.get("minutes", "")
    try:
        version = _int(request.POST, "version")
        services.save_minutes(request.user, m, version=version, minutes=text)
    except DomainError as exc:
        messages.error(request, exc.message)
        fresh, _acc = _meeting(request, meeting_id)
        ctx = _meeting_context(request, fresh, acc) | {
            # The user's text stays in the editor; the saved text is shown next to it.
            "minutes_text": text, "minutes_version": fresh.version, "minutes_conflict": fresh.minutes
            if exc.status == 409 else None}
        return render(request, "meetings/meeting.html", ctx, status=exc.status)
    messages.success(request, _("会议纪要已保存"))
    return redirect("meeting_detail", m.pk)


@login_required
@require_POST
def decision_new(request: HttpRequest, meeting_id: int) -> HttpResponse:
    m, acc = _meeting(request, meeting_id, manage=True)
    p = request.POST

    def run() -> str:
        d = services.add_decision(
            request.user, m, text=p.get("text", ""),
            lead_unit=_pick(tf_access.visible_units(request.user), p, "lead_unit"),
            responsible=_pick(tf_access.visible_people(request.user), p, "responsible"),
            due_on=_date(p, "due_on", required=False))
        return _("已新增议定事项") if d else ""

    return _act(request, reverse("meeting_detail", args=[m.pk]), run)


@login_required
@require_POST
def decision_to_task(request: HttpRequest, meeting_id: int, decision_id: int) -> HttpResponse:
    m, acc = _meeting(request, meeting_id, manage=True)
    d = Decision.objects.filter(meeting=m, pk=decision_id).first()
    if d is None:
        raise Http404

    def run() -> str:
        task = services.decision_to_task(request.user, d)
        return _("已转为任务“%(t)s”，见新任务清单") % {"t": task.title}

    return _act(request, reverse("meeting_detail", args=[m.pk]) + "#new-tasks", run)


@login_required
@require_POST
def meeting_dispatch(request: HttpRequest, meeting_id: int) -> HttpResponse:
    m, acc = _meeting(request, meeting_id, manage=True)

    def run() -> str:
        out = services.dispatch_meeting_tasks(request.user, m)
        msg = _("已派发 %(n)d 项任务") % {"n": len(out["dispatched"])}
        if out["skipped"]:
            msg += _("；%(n)d 项未指定牵头单位或责任人，未派发") % {"n": len(out["skipped"])}
        return msg

    return _act(request, reverse("meeting_detail", args=[m.pk]) + "#new-tasks", run)


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    m, acc = _meeting(request, meeting_id, manage=True)
    return _act(request, reverse("meeting_detail", args=[m.pk]), lambda: (
        services.cancel_meeting(request.user, m, version=_int(request.POST, "version"),
                                reason=request.POST.get("reason", "")) and _("会议已取消")))


@login_required
def meeting_docx(request: HttpRequest, meeting_id: int) -> HttpResponse:
    m, acc = _meeting(request, meeting_id)
    resp = api.docx_response(m)
    messages.info(request, _("纪要已按 GB/T 9704 版式导出。%(fonts)s") % {"fonts": choose_fonts().describe()})
    return resp


# ---- duty, stations, verifications --------------------------------------------------------------


@login_required
@require_POST
def shift_new(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    p = request.POST

    def run() -> str:
        person = _pick(Person.objects.all(), p, "person", required=True)
        first = _date(p, "date")
        days = min(_int(p, "days") or 1, 31)
        for i in range(days):
            services.add_shift(request.user, tf, date=first + dt.timedelta(days=i), person=person,
                               start_time=_time(p, "start_time"), end_time=_time(p, "end_time"), note=p.get("note", ""))
        return _("已安排值班 %(n)d 天") % {"n": days}

    return _act(request, _tab(tf.pk), run)


@login_required
@require_POST
def swap_new(request: HttpRequest) -> HttpResponse:
    shift_id = _int(request.POST, "shift") if (request.POST.get("shift") or "").isdigit() else None
    shift = DutyShift.objects.select_related("taskforce").filter(pk=shift_id).first() if shift_id else None
    if shift is None:
        raise Http404
    try:
        access.full_access(request.user, shift.taskforce_id)
    except NotFound:
        raise Http404 from None

    def run() -> str:
        to = _pick(Person.objects.all(), request.POST, "to_person", required=True)
        services.request_swap(request.user, shift, to_person=to, reason=request.POST.get("reason", ""))
        return _("换班申请已提交，待办公室审批")

    return _act(request, _tab(shift.taskforce_id), run)


@login_required
@require_POST
def swap_decide(request: HttpRequest, swap_id: int, decision: str) -> HttpResponse:
    swap = DutySwap.objects.select_related("shift__taskforce").filter(pk=swap_id).first()
    if swap is None or decision not in ("approve", "reject"):
        raise Http404
    try:
        acc = access.full_access(request.user, swap.shift.taskforce_id)
    except NotFound:
        raise Http404 from None
    if not acc.manage:
        raise PermissionDenied(access.MANAGE_DENIED)
    fn = services.approve_swap if decision == "approve" else services.reject_swap

    def run() -> str:
        fn(request.user, swap, note=request.POST.get("note", ""))
        return _("已同意换班") if decision == "approve" else _("已驳回换班")

    return _act(request, _tab(swap.shift.taskforce_id), run)


@login_required
@require_POST
def station_new(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    p = request.POST

    def run() -> str:
        units = list(Unit.objects.filter(pk__in=[u for u in p.getlist("units") if u.isdigit()]))
        services.add_station(request.user, tf, place=p.get("place", ""), units=units,
                             from_on=_date(p, "from_on"), to_on=_date(p, "to_on", required=False),
                             note=p.get("note", ""))
        return _("已新增驻点")

    return _act(request, _tab(tf.pk), run)


@login_required
@require_POST
def verification_new(request: HttpRequest, pk: int) -> HttpResponse:
    tf, acc = load_taskforce(request, pk, manage=True)
    p = request.POST

    def run() -> str:
        verifier = _pick(Person.objects.all(), p, "verifier", required=True)
        from zhuanban.tasks.access import visible_tasks

        tasks = list(visible_tasks(request.user).filter(taskforce=tf, pk__in=[t for t in p.getlist("tasks")
                                                                              if t.isdigit()]))
        services.record_verification(request.user, tf, verifier=verifier, at=_datetime(p, "at"),
                                     place=p.get("place", ""), findings=p.get("findings", ""), tasks=tasks,
                                     uploads=request.FILES.getlist("photos"))
        return _("已登记现场核验")

    return _act(request, _tab(tf.pk), run)


# ---- my meetings ----------------------------------------------------------------------------------


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    me = access.person_of(request.user)
    today = timezone.localdate()
    context: dict[str, Any] = {"section": "my_meetings", "me": me, "today": today}
    if me is not None:
        tf_ids = list(Membership.objects.filter(person=me, end_on__isnull=True).values_list("taskforce_id", flat=True))
        context |= {
            "meetings": queries.my_meetings(request.user, me.pk),
            "shifts": list(DutyShift.objects.filter(person=me, date__gte=today).select_related("taskforce")
                           .order_by("date", "start_time")[:30]),
            "on_duty": [queries.shift_row(s) for s in queries.on_duty_today(tf_ids, today)],
            "feed_url": request.build_absolute_uri(feed.feed_path(me.pk)),
        }
    return render(request, "meetings/my.html", context)
