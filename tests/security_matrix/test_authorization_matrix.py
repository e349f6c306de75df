"""The authorization matrix: every API operation and every page × every role → the expected outcome.

The operations are read from the app's own OpenAPI document and the pages from the URL resolver, so a new
endpoint or page without a row below fails ``test_every_*_has_a_row``.  Each row names a **policy**; a
policy says once what each role gets.  Outcomes:

- ``ok``    allowed: the view ran (2xx, a redirect elsewhere, or a 4xx about the input or a domain rule)
- ``anon``  not signed in: 401 from the API, a redirect to the login page from the web
- ``403``   may see it but not do it
- ``404``   may not know it exists

Every role's request runs in a savepoint that is rolled back, so one role's write never changes what the
next sees.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.io.conftest import PDF, upload
from tests.security_matrix.conftest import ROLES, ROW_MODULES
from zhuanban.api import api

EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
TF_VIEWERS = {"erin", "bob", "liam", "alice", "olivia", "hank", "admin"}
TF_MANAGERS = {"alice", "olivia", "admin"}
NOT_IN_TF = {"charlie", "secadmin", "auditadmin"}


def policy(ok: set[str], *, forbidden: set[str] = frozenset(), hidden: set[str] = frozenset(),
           anonymous: str = "anon") -> dict[str, str]:
    """Expected outcome per role: ``ok`` for ``ok``, 403 for ``forbidden``, 404 for ``hidden``."""
    table = {"anonymous": anonymous}
    for role in SIGNED_IN:
        table[role] = "ok" if role in ok else "403" if role in forbidden else "404" if role in hidden else "?"
    missing = [r for r, v in table.items() if v == "?"]
    assert not missing, f"policy leaves roles undecided: {missing}"
    return table


POLICIES: dict[str, dict[str, str]] = {
    "public": policy(SIGNED_IN, anonymous="ok"),
    "any_user": policy(SIGNED_IN),
    # the directory of people: internal users; external members see only themselves and their contacts
    "internal_directory": policy(SIGNED_IN - {"erin"}, hidden={"erin"}),
    "tf_read": policy(TF_VIEWERS, hidden=NOT_IN_TF),
    # an 内部 attachment: every internal viewer of the task force; external members get only 公开 ones
    "attachment_read": policy(TF_VIEWERS - {"erin"}, hidden=NOT_IN_TF | {"erin"}),
    # tabs an external member does not get (web: 404, the page does not exist for them; API: 403)
    "tf_read_full_web": policy(TF_VIEWERS - {"erin"}, hidden=NOT_IN_TF | {"erin"}),
    "tf_read_full_api": policy(TF_VIEWERS - {"erin"}, forbidden={"erin"}, hidden=NOT_IN_TF),
    # bob's membership record: an external member sees only herself and her contacts
    "membership_read": policy(TF_VIEWERS - {"erin"}, hidden=NOT_IN_TF | {"erin"}),
    "tf_manage": policy(TF_MANAGERS, forbidden=TF_VIEWERS - TF_MANAGERS, hidden=NOT_IN_TF),
    # the membership action (exit/replace) looks the membership up first: erin cannot see bob's
    "membership_manage": policy(TF_MANAGERS, forbidden={"bob", "liam", "hank"}, hidden=NOT_IN_TF | {"erin"}),
    # setting up a task force: unit leaders (alice, hank), office staff (olivia), administrators
    "tf_create": policy({"alice", "olivia", "hank", "admin"}, forbidden=SIGNED_IN - {"alice", "olivia", "hank",
                                                                                    "admin"}),
    "tf_create_web": policy({"alice", "olivia", "hank", "admin"}, forbidden=SIGNED_IN - {"alice", "olivia",
                                                                                        "hank", "admin"}),
    "directory_admin": policy({"admin"}, forbidden=SIGNED_IN - {"admin"}),
    "directory_admin_web": policy({"admin"}, hidden=SIGNED_IN - {"admin"}),
    "security_admin_web": policy({"secadmin"}, forbidden=SIGNED_IN - {"secadmin"}),
    "audit_admin_web": policy({"auditadmin"}, forbidden=SIGNED_IN - {"auditadmin"}),
    "self": policy(SIGNED_IN),
    # the token endpoint takes a username and password: without valid ones it is a 401 for anyone
    "credentials": {role: "anon" for role in ROLES},
    # a person's unmasked personal data: the person, their home-unit leader, the system administrator
    "person_unmasked": policy({"bob", "hank", "admin"}, hidden={"erin"},
                              forbidden=SIGNED_IN - {"bob", "hank", "admin", "erin"}),
    # tasks: an external member sees only tasks assigned to her (this one is not)
    "task_read": policy(TF_VIEWERS - {"erin"}, hidden=NOT_IN_TF | {"erin"}),
    "task_manage": policy(TF_MANAGERS, forbidden={"bob", "liam", "hank"}, hidden=NOT_IN_TF | {"erin"}),
    # a task action the matrix's ``action`` id (a task-force action) does not name: 404 for everyone signed in
    "unknown_task_action": policy(set(), hidden=SIGNED_IN),
}

# ---- the API: one row per operation of /api/v1/openapi.json ------------------------------------------

API: dict[str, str] = {
    "POST /api/v1/auth/token": "credentials",
    "GET /api/v1/units": "any_user",
    "POST /api/v1/units": "directory_admin",
    "GET /api/v1/units/{unit_id}": "any_user",
    "GET /api/v1/people": "any_user",
    "POST /api/v1/people": "directory_admin",
    "GET /api/v1/people/{person_id}": "internal_directory",
    "GET /api/v1/people/{person_id}/unmasked": "person_unmasked",
    "GET /api/v1/taskforces/{tf_id}/attachments": "tf_read",
    "POST /api/v1/taskforces/{tf_id}/attachments": "tf_manage",
    "GET /api/v1/attachments/{attachment_id}/download": "attachment_read",
    "GET /api/v1/taskforces": "any_user",
    "POST /api/v1/taskforces": "tf_create",
    "GET /api/v1/taskforces/{tf_id}": "tf_read",
    "PATCH /api/v1/taskforces/{tf_id}": "tf_manage",
    "POST /api/v1/taskforces/{tf_id}/activate": "tf_manage",
    "POST /api/v1/taskforces/{tf_id}/suspend": "tf_manage",
    "POST /api/v1/taskforces/{tf_id}/resume": "tf_manage",
    "POST /api/v1/taskforces/{tf_id}/dissolve": "tf_manage",
    "POST /api/v1/taskforces/{tf_id}/restart": "tf_manage",
    "POST /api/v1/taskforces/{tf_id}/merge": "tf_manage",
    "GET /api/v1/taskforces/{tf_id}/history": "tf_read_full_api",
    "GET /api/v1/taskforces/{tf_id}/member-units": "tf_read",
    "POST /api/v1/taskforces/{tf_id}/member-units": "tf_manage",
    "GET /api/v1/taskforces/{tf_id}/groups": "tf_read",
    "POST /api/v1/taskforces/{tf_id}/groups": "tf_manage",
    "GET /api/v1/taskforces/{tf_id}/demands": "tf_read",
    "POST /api/v1/taskforces/{tf_id}/demands": "tf_manage",
    "PATCH /api/v1/taskforces/{tf_id}/demands/{demand_id}": "tf_manage",
    "GET /api/v1/taskforces/{tf_id}/targets": "tf_read",
    "POST /api/v1/taskforces/{tf_id}/targets": "tf_manage",
    "GET /api/v1/memberships": "tf_read",
    "POST /api/v1/memberships": "tf_manage",
    "GET /api/v1/memberships/{membership_id}": "membership_read",
    "POST /api/v1/memberships/{membership_id}/exit": "membership_manage",
    "POST /api/v1/memberships/{membership_id}/replace": "membership_manage",
    "GET /api/v1/tasks": "any_user",
    "POST /api/v1/tasks": "tf_manage",
    "GET /api/v1/my-tasks": "any_user",
    "GET /api/v1/tasks/light-counts": "any_user",
    "GET /api/v1/tasks/{task_id}": "task_read",
    "PATCH /api/v1/tasks/{task_id}": "task_manage",
    "POST /api/v1/tasks/{task_id}/dispatch": "task_manage",
    "POST /api/v1/tasks/{task_id}/sign": "task_read",
    "POST /api/v1/tasks/{task_id}/return": "task_read",
    "POST /api/v1/tasks/{task_id}/progress": "task_manage",
    "POST /api/v1/tasks/{task_id}/complete": "task_manage",
    "POST /api/v1/tasks/{task_id}/confirm": "task_manage",
    "POST /api/v1/tasks/{task_id}/verify": "task_manage",
    "POST /api/v1/tasks/{task_id}/reopen": "task_manage",
    "POST /api/v1/tasks/{task_id}/reassign": "task_manage",
    "GET /api/v1/disputes": "any_user",
    "POST /api/v1/disputes/{dispute_id}/rule": "task_manage",
}
# Query parameters an operation needs to mean anything (else it is a 422 for everyone).
API_QUERY: dict[str, dict[str, Any]] = {"GET /api/v1/memberships": {"taskforce": "tf_id"},
                                        "GET /api/v1/tasks": {"taskforce": "tf_id"}}

# ---- the pages: one row per named URL (admin, the API and static files excluded) ---------------------

WEB: dict[str, tuple[str, str]] = {  # name → (policy, method)
    "login": ("public", "GET"), "login_otp": ("public", "GET"), "healthz": ("public", "GET"),
    "set_language": ("public", "POST"), "logout": ("public", "POST"),
    "home": ("any_user", "GET"), "taskforce_list": ("any_user", "GET"), "typology_preview": ("any_user", "GET"),
    "me": ("any_user", "GET"),
    "help": ("any_user", "GET"),
    "directory_units": ("any_user", "GET"), "unit_detail": ("any_user", "GET"),
    "directory_people": ("any_user", "GET"), "person_detail": ("internal_directory", "GET"),
    "tf_new": ("tf_create_web", "GET"), "tf_new_step": ("tf_create_web", "GET"),
    "tf_new_cancel": ("any_user", "POST"),  # drops the caller's own draft from their session
    "tf_detail": ("tf_read", "GET"), "tf_members": ("tf_read", "GET"), "file_download": ("attachment_read", "GET"),
    "tf_type": ("tf_read_full_web", "GET"), "tf_structure": ("tf_read_full_web", "GET"),
    "tf_history": ("tf_read_full_web", "GET"),
    **{name: ("tf_manage", "GET") for name in (
        "tf_edit", "tf_setup", "tf_unit_add", "tf_unit_exit", "tf_member_add", "tf_group_add", "tf_target_add",
        "tf_demand_add", "tf_demand_status")},
    "tf_member_exit": ("tf_manage", "GET"), "tf_member_replace": ("tf_manage", "GET"),
    "tf_action": ("tf_manage", "GET"), "tf_file_upload": ("tf_manage", "POST"),
    "org_import": ("directory_admin_web", "GET"), "org_import_template": ("directory_admin_web", "GET"),
    "org_import_job": ("directory_admin_web", "GET"), "org_import_progress": ("directory_admin_web", "GET"),
    "security_audit": ("audit_admin_web", "GET"), "security_audit_export": ("audit_admin_web", "GET"),
    "security_roles": ("security_admin_web", "GET"), "security_role_grant": ("security_admin_web", "POST"),
    "security_role_revoke": ("security_admin_web", "POST"),
    "account": ("self", "GET"), "account_reauth": ("self", "GET"), "account_password": ("self", "POST"),
    "account_password_required": ("self", "GET"), "account_2fa_setup": ("self", "GET"),
    "account_2fa_disable": ("self", "POST"), "account_recovery_codes": ("self", "POST"),
    "account_token_create": ("self", "POST"),
    # Revoking is scoped to the caller's own sessions and tokens: anyone may post, only their own go
    # (test_page_by_role checks that bob's token survives everyone else's attempt).
    "account_session_revoke": ("self", "POST"), "account_token_revoke": ("self", "POST"),
    "tf_tasks": ("tf_read", "GET"), "task_export": ("tf_read", "GET"), "my_tasks": ("any_user", "GET"),
    "task_new": ("tf_manage", "GET"), "task_import": ("tf_manage", "GET"), "task_reassign": ("tf_manage", "GET"),
    "task_detail": ("task_read", "GET"), "task_action": ("unknown_task_action", "POST"),
}
# Apps added later keep their rows beside this file, in rows_<app>.py (see ROW_MODULES in conftest.py):
# optional POLICIES, API, API_QUERY and WEB dicts merged here, and world(cast, ids) for their objects.
for _rows in ROW_MODULES:
    POLICIES.update(getattr(_rows, "POLICIES", {}))
    API.update(getattr(_rows, "API", {}))
    API_QUERY.update(getattr(_rows, "API_QUERY", {}))
    WEB.update(getattr(_rows, "WEB", {}))
EXCLUDED_NAMESPACES = {"admin", "api"}
EXCLUDED_PREFIXES = ("admin/", "api/", "static/")


def api_operations() -> set[str]:
    doc = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in doc["paths"].items() for method in ops}


def _walk(patterns: list[Any], prefix: str = "", ns: str | None = None):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern), p.namespace or ns)
        elif isinstance(p, URLPattern):
            yield ns, p.name, prefix + str(p.pattern)


def web_pages() -> dict[str, str]:
    return {name: route for ns, name, route in _walk(get_resolver().url_patterns)
            if ns not in EXCLUDED_NAMESPACES and not route.startswith(EXCLUDED_PREFIXES)
            and not route.startswith("i18n/") or name == "set_language"}


def test_every_api_operation_has_a_row():
    ops = api_operations()
    assert not ops - API.keys(), f"API operations without a row in the matrix: {sorted(ops - API.keys())}"
    assert not API.keys() - ops, f"rows for operations that no longer exist: {sorted(API.keys() - ops)}"


def test_every_page_has_a_row():
    pages = web_pages()
    unnamed = [route for route, in [(r,) for n, r in pages.items() if n is None]]
    assert not unnamed, f"pages without a name cannot be in the matrix: {unnamed}"
    assert not pages.keys() - WEB.keys(), f"pages without a row in the matrix: {sorted(pages.keys() - WEB.keys())}"
    assert not WEB.keys() - pages.keys(), f"rows for pages that no longer exist: {sorted(WEB.keys() - pages.keys())}"


def test_every_row_names_a_known_policy():
    assert {p for p in API.values()} | {p for p, _ in WEB.values()} <= POLICIES.keys()


# ---- running a row --------------------------------------------------------------------------------------


def _schema_example(schema: dict[str, Any], components: dict[str, Any], ids: dict[str, int], name: str = "") -> Any:
    """A minimal value that passes ``schema``: required fields only, ids pointing at the world's objects."""
    if "$ref" in schema:
        return _schema_example(components[schema["$ref"].split("/")[-1]], components, ids, name)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _schema_example(options[0], components, ids, name) if options else None
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {k: _schema_example(v, components, ids, k) for k, v in schema.get("properties", {}).items()
                if k in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        by_name = {"taskforce": ids["tf_id"], "version": 1, "person": ids["person_id"], "unit": ids["unit_id"],
                   "successor": ids["person_id"], "into": ids["tf_id"], "home_unit": ids["unit_id"]}
        # The report template a submission names is the world's, not "1": PostgreSQL's sequences run on
        # between tests, so a fixed id would name nothing there.
        if name == "template" and "template_id" in ids:
            return ids["template_id"]
        return by_name.get(name, max(schema.get("minimum", 1), 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2026-02-02"
    if schema.get("format") == "date-time":
        return "2026-02-02T10:00:00+08:00"
    return "矩阵测试"[: max(schema.get("maxLength", 8), 1)]


def _api_request(op: str, ids: dict[str, int]) -> tuple[str, str, dict[str, Any]]:
    method, path = op.split(" ", 1)
    doc = api.get_openapi_schema()
    spec = doc["paths"][path][method.lower()]
    url = path
    for key, value in ids.items():
        url = url.replace("{" + key + "}", str(value))
    assert "{" not in url, f"no object for a parameter of {op}"
    kwargs: dict[str, Any] = {}
    query = {k: ids[v] for k, v in API_QUERY.get(op, {}).items()}
    content = spec.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        kwargs["data"] = {"file": upload("矩阵.pdf", PDF)}
    elif "application/json" in content:
        body = _schema_example(content["application/json"]["schema"], doc["components"]["schemas"], ids)
        import json

        kwargs.update(data=json.dumps(body if body is not None else {}), content_type="application/json")
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return method, url, kwargs


def _api_outcome(response: Any) -> str:
    assert response.status_code < 500, response.content[:500]
    return {401: "anon", 403: "403", 404: "404"}.get(response.status_code, "ok")


def _web_outcome(response: Any) -> str:
    assert response.status_code < 500, response.content[:500]
    if response.status_code in (301, 302) and response["Location"].startswith(reverse(settings.LOGIN_URL)) \
            and "next=" in response["Location"]:
        return "anon"
    return {403: "403", 404: "404", 405: "405"}.get(response.status_code, "ok")


def _each_role(world: Any, call) -> dict[str, str]:
    got: dict[str, str] = {}
    for role in ROLES:
        with transaction.atomic():
            got[role] = call(role)
            transaction.set_rollback(True)
    return got


def _diff(expected: dict[str, str], got: dict[str, str]) -> dict[str, str]:
    return {r: f"expected {expected[r]}, got {got[r]}" for r in ROLES if expected[r] != got[r]}


@pytest.mark.parametrize("op", sorted(API))
def test_api_operation_by_role(world, op):
    method, url, kwargs = _api_request(op, world.ids)

    def call(role: str) -> str:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[role]}"} if role != "anonymous" else {}
        return _api_outcome(getattr(Client(), method.lower())(url, **kwargs, **headers))

    got = _each_role(world, call)
    assert not _diff(POLICIES[API[op]], got), f"{op} ({API[op]}): {_diff(POLICIES[API[op]], got)}"


def _web_url(name: str, route: str, ids: dict[str, Any]) -> str:
    import re

    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    values = {p: ids["token_pk"] if name == "account_token_revoke" and p == "pk" else ids[p] for p in params}
    if name == "person_detail":
        values["pk"] = ids["person_id"]  # bob: an external member does not see him
    if name == "unit_detail":
        values["pk"] = ids["unit_id"]
    if name in ("org_import_job", "org_import_progress"):
        values["pk"] = ids.get("import_job", 1)
    if name == "account_session_revoke":
        values["pk"] = ids.get("session_pk", 1)
    return reverse(name, kwargs=values) if values else reverse(name)


@pytest.mark.parametrize("name", sorted(WEB))
def test_page_by_role(world, name):
    policy_name, method = WEB[name]
    pages = web_pages()
    if name == "org_import_job" or name == "org_import_progress":
        from zhuanban.org.models import ImportJob

        world.ids["import_job"] = ImportJob.objects.create(created_by=world.cast.admin, original_name="x.xlsx").pk
    url = _web_url(name, pages[name], world.ids)

    def call(role: str) -> str:
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[role])
        response = client.post(url, {}) if method == "POST" else client.get(url)
        outcome = _web_outcome(response)
        if name == "account_token_revoke" and role != "bob":
            from zhuanban.core.tokens import ApiToken

            if ApiToken.objects.filter(pk=world.ids["token_pk"], revoked_at__isnull=False).exists():
                outcome = "revoked another user's token"
        return outcome

    got = _each_role(world, call)
    assert not _diff(POLICIES[policy_name], got), f"{name} ({policy_name}): {_diff(POLICIES[policy_name], got)}"
