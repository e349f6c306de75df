"""The HTML of one responsibility-list row, built in Python (as notices/lines.py does for the inbox): 100
rows through the template engine — a dozen look-ups, three URL reversals and translated words per row —
cost more than the rest of the request at the province's largest task force."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def rows_html(rows: Iterable[dict[str, Any]], *, tf_id: int, manage: bool, closed: bool) -> SafeString:
    """``<tr>`` of every row; the URLs are reversed once and filled per row."""
    task_url = reverse("task_detail", args=[999999999]).replace("999999999", "{}")
    portrait_url = reverse("person_portrait", args=[999999999]).replace("999999999", "{}")
    supervise_url = reverse("tf_supervise", args=[tf_id]) + "?task={}"
    w = {"parent": _("上级："), "sup": _("督办"), "sup_title": _("督办次数"), "none": _("未落实")}
    out = []
    for r in rows:
        short, css = r["light_short"] or ("", "")
        light = format_html('<span class="badge zb-light zb-light-{} {}" data-light="{}" title="{}">{}</span>',
                            r["light"], css, r["light"], r["light_label"], short)
        title = format_html('{} <a href="{}">{}</a>', light, task_url.format(r["id"]), r["title"])
        if r["parent"]:
            title = format_html('{}<div class="text-body-secondary">{}{}</div>', title, w["parent"], r["parent"])
        if r["supervisions"]:
            title = format_html('{} <span class="badge text-bg-warning" title="{}">{} {}</span>', title,
                                w["sup_title"], w["sup"], r["supervisions"])
        decision = (format_html('<a href="{}">{}</a>', portrait_url.format(r["decision_owner_id"]), r["decision_owner"])
                    if r["decision_owner_id"] else mark_safe('<span class="text-body-secondary">—</span>'))
        execution = (format_html('<a href="{}" data-testid="portrait-{}">{}</a>',
                                 portrait_url.format(r["execution_owner_id"]), r["execution_owner_id"],
                                 r["execution_owner"])
                     if r["execution_owner_id"] else format_html('<span class="text-danger">{}</span>', w["none"]))
        due = timezone.localtime(r["due_at"]).strftime("%Y-%m-%d") if r["due_at"] else "—"
        action = ""
        if manage:
            action = format_html('<td>{}</td>', format_html(
                '<a class="btn btn-sm btn-outline-warning py-0" href="{}">{}</a>', supervise_url.format(r["id"]),
                w["sup"]) if not closed else "")
        out.append(format_html(
            '<tr data-task="{}"><td>{}</td><td>{}<div class="text-body-secondary">{}</div></td>'
            '<td>{}<div class="text-body-secondary">{}</div></td><td>{}</td><td class="text-body-secondary">{}</td>'
            '<td class="text-nowrap">{}</td><td class="text-nowrap">{}</td>{}</tr>',
            r["id"], title, decision, r["decision_unit"], execution, r["execution_unit"],
            "、".join(r["cooperating_units"]) or "—", r["dispatcher"] or "—", due, r["status_label"], action))
    return format_html_join("", "{}", ((row,) for row in out))
