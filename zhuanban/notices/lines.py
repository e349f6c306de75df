"""The HTML of one inbox line, built in Python: a page of 50 lines through the template engine cost more
than the rest of the request (≈25 variable look-ups per line); this is one ``format_html`` per line.
Used by the inbox page, the task force's 通知 tab and the htmx answer to 确认接收 (one place for the markup).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .queries import Row


def _when(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%m-%d %H:%M")


def _cut(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def labels() -> dict[str, str]:
    """The words of a line, translated once per page."""
    return {"urgent": _("紧急"), "info": _("知悉"), "due": _("时限"), "acked": _("已确认"), "ack": _("确认接收")}


def line(i: Row, words: dict[str, str], csrf_token: str) -> SafeString:
    badge = ""
    if i.priority == 0:
        badge = format_html('<span class="badge text-bg-danger">{}</span>', words["urgent"])
    elif i.priority == 2:
        badge = format_html('<span class="badge text-bg-secondary">{}</span>', words["info"])
    body = format_html('<div class="small fw-normal text-body-secondary text-break">{}</div>', _cut(i.body)) \
        if i.body else ""
    if i.attachments:
        links = mark_safe(" ".join(  # each link built by format_html (escaped)
            format_html('<a class="me-2 text-break" href="{}"><i class="bi bi-paperclip"></i>{}</a>',
                        reverse("file_download", args=[a]), name) for a, name in i.attachments))
        body = format_html('{}<div class="small fw-normal" data-testid="inbox-attachments">{}</div>', body, links)
    due = format_html(' · {} <span{}>{}</span>', words["due"], mark_safe(' class="text-danger"') if i.overdue else "",
                      _when(i.due_at)) if i.due_at else ""
    action = ""
    if i.requires_ack:
        if i.acked_at:
            action = format_html('<span class="badge text-bg-success fw-normal flex-shrink-0" data-testid="acked">{} {}</span>',
                                 words["acked"], _when(i.acked_at))
        else:
            action = format_html(
                '<form method="post" action="{0}" hx-post="{0}" hx-target="#item-{1}" hx-swap="outerHTML" '
                'class="flex-shrink-0">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{2}">'
                '<button class="btn btn-sm btn-primary text-nowrap" data-testid="ack">{3}</button></form>',
                i.ack_url, i.id, csrf_token, words["ack"])
    return format_html(
        '<li class="list-group-item d-flex gap-2 align-items-start{}" id="item-{}" data-testid="inbox-item" '
        'data-kind="{}"><div class="flex-grow-1 min-w-0"><div class="d-flex flex-wrap gap-1 align-items-center">'
        '{}<span class="badge text-bg-light border">{}</span> <a href="{}" class="text-break">{}</a></div>{}'
        '<div class="small fw-normal text-body-secondary">{}{}{}</div></div>{}</li>',
        "" if i.read_at else " fw-bold", i.id, i.kind, badge, i.kind_label, i.open_url, i.title, body,
        format_html("{} · ", i.taskforce_name) if i.taskforce_name else "", _when(i.created_at), due, action)


def lines(rows: Iterable[Row], csrf_token: str) -> SafeString:
    words = labels()
    return mark_safe("\n".join(line(r, words, csrf_token) for r in rows))
