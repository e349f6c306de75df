"""The authorization matrix's rows for the reports app (merged by test_authorization_matrix.py).

POLICIES: extra named policies (see ``policy`` there); API: "METHOD /api/v1/path" -> policy name;
API_QUERY: "METHOD path" -> {query param: ids key}; WEB: URL name -> (policy name, method);
world(cast, ids): create the objects the URLs name and put their ids into ``ids`` (keys = the path
parameter names, e.g. "meeting_id"; they must not clash with other apps').

Who gets what (zhuanban/reports/access.py): a template is seen by whoever sees its task force (erin
included: she reads the definition); its submissions in full (aggregate, trend, export, the list) are
read by the task force's managers — a viewer who is not one gets a 403; the office defines, reminds and
returns; liam, the liaison of 市住建委, files and reads his own submission (a manager who is not a filer
gets a 403 when filing); an export job belongs to whoever started it (olivia here): a 404 for anyone else.

The generated body of ``POST /submissions`` names template 1: the world's template is the first one made
on a fresh database, so that is liam's template.  The policies are plain dicts: importing ``policy`` from
the matrix module here would be circular (that module imports these rows).
"""

from __future__ import annotations

from typing import Any

_SIGNED_IN = {"erin", "bob", "liam", "alice", "olivia", "hank", "admin", "charlie", "secadmin", "auditadmin"}
_VIEWERS = {"erin", "bob", "liam", "alice", "olivia", "hank", "admin"}
_MANAGERS = {"alice", "olivia", "admin"}


def _policy(ok: set[str], forbidden: set[str] = frozenset()) -> dict[str, str]:
    """``ok`` get ok, ``forbidden`` 403, every other signed-in role 404; anonymous: not signed in."""
    return {"anonymous": "anon",
            **{r: "ok" if r in ok else "403" if r in forbidden else "404" for r in _SIGNED_IN}}


POLICIES: dict[str, dict[str, str]] = {
    "report_read": _policy(_VIEWERS),
    # aggregate, trend, export, define, remind, return: the task force's managers; other viewers 403
    "report_manage": _policy(_MANAGERS, forbidden=_VIEWERS - _MANAGERS),
    # filing: liam (the liaison of 市住建委); every other viewer sees the template but files for no one
    "report_file": _policy({"liam"}, forbidden=_VIEWERS - {"liam"}),
    # liam's submission: he and those who read the template in full
    "report_submission_read": _policy(_MANAGERS | {"liam"}),
    # changing liam's submission: liam (and the administrator, who may file for any unit); the managers
    # read it but file for no one
    "report_submission_write": _policy({"liam", "admin"}, forbidden={"alice", "olivia"}),
    # returning liam's submission: the managers; liam reads it but may not return it
    "report_submission_return": _policy(_MANAGERS, forbidden={"liam"}),
    # the filing form exists only for a filer
    "report_fill_web": _policy({"liam"}),
    # olivia's export job (and the administrator)
    "report_export_owner": _policy({"olivia", "admin"}),
}
API: dict[str, str] = {
    "GET /api/v1/report-templates": "any_user",
    "POST /api/v1/report-templates": "tf_manage",
    "GET /api/v1/report-templates/{template_id}": "report_read",
    "PUT /api/v1/report-templates/{template_id}": "report_manage",
    "GET /api/v1/reports/{template_id}/periods/{period}": "report_manage",
    "GET /api/v1/reports/{template_id}/trend": "report_manage",
    "POST /api/v1/reports/{template_id}/remind": "report_manage",
    "POST /api/v1/reports/{template_id}/exports": "report_manage",
    "GET /api/v1/report-exports/{job_id}": "report_export_owner",
    "GET /api/v1/report-exports/{job_id}/download": "report_export_owner",
    "GET /api/v1/submissions": "any_user",
    "POST /api/v1/submissions": "report_file",
    "GET /api/v1/submissions/{submission_id}": "report_submission_read",
    "PUT /api/v1/submissions/{submission_id}": "report_submission_write",
    "POST /api/v1/submissions/{submission_id}/submit": "report_submission_write",
    "POST /api/v1/submissions/{submission_id}/return": "report_submission_return",
}
API_QUERY: dict[str, dict[str, Any]] = {
    "GET /api/v1/reports/{template_id}/trend": {"field": "report_field"},
    "GET /api/v1/submissions": {"template": "template_id"},
}
WEB: dict[str, tuple[str, str]] = {
    "tf_reports": ("tf_read_full_web", "GET"), "my_reports": ("any_user", "GET"),
    "report_template_new": ("tf_manage", "GET"),
    "report_aggregate": ("report_manage", "GET"),
    "report_fill": ("report_fill_web", "GET"),
    "report_remind": ("report_manage", "POST"), "report_share": ("report_manage", "POST"),
    "report_export": ("report_manage", "POST"),
    "report_submission_return": ("report_submission_return", "POST"),
    "report_export_job": ("report_export_owner", "GET"), "report_export_progress": ("report_export_owner", "GET"),
    "report_export_download": ("report_export_owner", "GET"),
}


def world(cast: Any, ids: dict[str, Any]) -> None:
    """A daily (every day) template of tf with a numeric and a text field, liam's submitted report for
    today, olivia's 催报 of today (to nobody missing: one of yesterday) and olivia's finished export."""
    import datetime as dt

    from django.utils import timezone

    from zhuanban.reports import services
    from zhuanban.reports.tasks import run_export

    today = timezone.localdate()
    template = services.create_template(cast.olivia, cast.tf, {
        "name": "矩阵日报", "cadence": "daily", "every_day": True, "due_time": "23:59", "grace_workdays": 30,
        "fields": [{"key": "cases", "label": "受理件数", "kind": "number", "required": True},
                   {"key": "note", "label": "情况说明", "kind": "text"}]})
    ids["template_id"] = template.pk
    ids["report_field"] = "cases"
    ids["period"] = today.isoformat()
    sub = services.file_report(cast.liam, template, today, {"cases": "3", "note": "=cmd"}, submit=True)
    ids["submission_id"] = sub.pk
    services.remind_missing(cast.olivia, template, today - dt.timedelta(days=1))
    job = services.start_export(cast.olivia, template, today - dt.timedelta(days=1), today)
    run_export(job.pk)
    ids["job_id"] = job.pk
