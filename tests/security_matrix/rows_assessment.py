"""The authorization matrix's rows for the assessment app (merged by test_authorization_matrix.py); see
rows_notices.py for the format.

The world: a person scheme of ``tf`` (subjective indicators), bob its internal evaluator, a mark, and an
export job started (and run) by olivia.  Policies of its own:
- ``assessment_evaluator``: the scoring page exists only for the scheme's evaluators (bob); everyone else,
  administrators included, gets 404;
- ``assessment_submit``: the generated body of ``POST /evaluations`` names no subject of the scheme (a
  string like "矩阵测试"), so it is a 404 for everyone signed in — for an evaluator too; the real submission
  by an evaluator and the refusal of a non-evaluator are tested in tests/assessment/test_scoring.py;
- ``assessment_export_owner``: an export job is its creator's (olivia) and administrators'.
"""

from __future__ import annotations

from typing import Any

_SIGNED_IN = {"erin", "bob", "liam", "alice", "olivia", "hank", "admin", "charlie", "secadmin", "auditadmin"}
POLICIES: dict[str, dict[str, str]] = {
    "assessment_evaluator": {"anonymous": "anon", **{r: "ok" if r == "bob" else "404" for r in _SIGNED_IN}},
    "assessment_submit": {"anonymous": "anon", **{r: "404" for r in _SIGNED_IN}},
    "assessment_export_owner": {"anonymous": "anon",
                                **{r: "ok" if r in ("olivia", "admin") else "404" for r in _SIGNED_IN}},
}
API: dict[str, str] = {
    "GET /api/v1/assessment/schemes": "any_user",
    "POST /api/v1/assessment/schemes": "tf_manage",
    "GET /api/v1/assessment/schemes/{scheme_id}": "tf_read",
    "PUT /api/v1/assessment/schemes/{scheme_id}": "tf_manage",
    "GET /api/v1/assessment/schemes/{scheme_id}/evaluators": "tf_manage",
    "POST /api/v1/assessment/schemes/{scheme_id}/evaluators": "tf_manage",
    "POST /api/v1/assessment/schemes/{scheme_id}/forms": "tf_manage",
    "POST /api/v1/assessment/schemes/{scheme_id}/marks": "tf_manage",
    "POST /api/v1/assessment/schemes/{scheme_id}/exports": "tf_manage",
    "GET /api/v1/assessment/evaluations": "any_user",
    "POST /api/v1/assessment/evaluations": "assessment_submit",
    "GET /api/v1/assessment/results": "tf_manage",
    "GET /api/v1/assessment/exports/{export_id}": "assessment_export_owner",
    "GET /api/v1/assessment/exports/{export_id}/download": "assessment_export_owner",
}
API_QUERY: dict[str, dict[str, Any]] = {"GET /api/v1/assessment/results": {"scheme": "scheme_id"}}
WEB: dict[str, tuple[str, str]] = {
    "assessment_home": ("any_user", "GET"),
    "tf_assessment": ("tf_read_full_web", "GET"),
    "assessment_scheme_new": ("tf_manage", "GET"),
    "assessment_scheme": ("tf_manage", "GET"),
    "assessment_scheme_edit": ("tf_manage", "GET"),
    "assessment_scheme_evaluators": ("tf_manage", "POST"),
    "assessment_scheme_forms": ("tf_manage", "POST"),
    "assessment_scheme_mark": ("tf_manage", "POST"),
    "assessment_scheme_export": ("tf_manage", "POST"),
    "assessment_score": ("assessment_evaluator", "GET"),
    "assessment_results": ("tf_manage", "GET"),
    "assessment_export_status": ("assessment_export_owner", "GET"),
    "assessment_export_download": ("assessment_export_owner", "GET"),
}


def world(cast: Any, ids: dict[str, Any]) -> None:
    from zhuanban.assessment import services
    from zhuanban.assessment.tasks import run_export

    scheme = services.create_scheme(cast.olivia, cast.tf, {
        "name": "矩阵考核", "period_start": "2026-01-01", "period_end": "2026-12-31", "subject_kind": "person",
        "indicators": [{"name": "工作作风", "weight": 100, "kind": "subjective"}],
        "evaluator_weights": {"internal": 100}})
    services.add_evaluators(cast.olivia, scheme, "internal", [cast.people.bob.pk])
    ids["scheme_id"] = scheme.pk
    job = services.start_export(cast.olivia, scheme, unit_id=None, fmt="xlsx")
    run_export(job.pk)
    ids["export_id"] = job.pk
