"""Authentication and the API's envelope: Bearer tokens and their scope, sessions with CSRF, error shape,
the ``zhuanban token`` command and the OpenAPI document."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from tests.api.conftest import BASE, Api, error
from zhuanban.core.models import AuditEvent
from zhuanban.core.tokens import ApiToken

GROUP = {"name": "宣传组"}


def test_a_bearer_token_authenticates_its_user_and_stamps_last_use(cast, api):
    client = api(cast.alice)
    assert client.get("/taskforces").status_code == 200
    token = ApiToken.objects.get(user=cast.alice)
    assert token.last_used_at is not None and token.hint == client.token[:8]


def test_a_request_without_credentials_is_a_401(cast):
    error(Client().get(f"{BASE}/taskforces"), 401, "unauthenticated")
    error(Api(token="zb_not-a-token").get("/taskforces"), 401, "unauthenticated")


def test_a_revoked_token_is_a_401(cast, api):
    client = api(cast.alice)
    ApiToken.objects.filter(user=cast.alice).update(revoked_at=timezone.now())
    error(client.get("/taskforces"), 401, "unauthenticated")


def test_an_expired_token_is_a_401(cast, api):
    client = api(cast.alice)
    ApiToken.objects.filter(user=cast.alice).update(expires_at=timezone.now() - timedelta(seconds=1))
    error(client.get("/taskforces"), 401, "unauthenticated")


def test_a_token_of_a_deactivated_user_is_a_401(cast, api):
    client = api(cast.alice)
    cast.alice.is_active = False
    cast.alice.save()
    error(client.get("/taskforces"), 401, "unauthenticated")


def test_a_read_scoped_token_reads_but_is_refused_on_writes(cast, api):
    client = api(cast.alice, scope="read")
    assert client.get(f"/taskforces/{cast.tf.pk}").status_code == 200
    error(client.post(f"/taskforces/{cast.tf.pk}/groups", GROUP), 403, "insufficient_scope")
    error(client.patch(f"/taskforces/{cast.tf.pk}", {"version": cast.tf.version, "goals": "x"}), 403,
          "insufficient_scope")
    assert not cast.tf.groups.exists()


def test_a_failed_token_on_a_write_is_a_401_not_a_csrf_complaint(cast, api):
    client = Client(enforce_csrf_checks=True, headers={"Authorization": "Bearer zb_revoked"})
    r = client.post(f"{BASE}/taskforces/{cast.tf.pk}/groups", GROUP, content_type="application/json")
    error(r, 401, "unauthenticated")


def test_a_logged_in_browser_session_reads_and_writes_with_its_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="alice", password=cast.password)
    assert client.get(f"{BASE}/taskforces").json()["count"] == 1
    url = f"{BASE}/taskforces/{cast.tf.pk}/groups"
    error(client.post(url, GROUP, content_type="application/json"), 403, "csrf_failed")
    csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = csrf
    r = client.post(url, GROUP, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert r.status_code == 201, r.content


def test_malformed_json_is_a_400_with_a_code(cast, api):
    client = api(cast.alice)
    r = client.client.post(f"{BASE}/taskforces/{cast.tf.pk}/groups", "{name: 宣传组", content_type="application/json")
    body = error(r, 400, "malformed_json")
    assert "body" in body["fields"]
    assert not cast.tf.groups.exists()


def test_json_of_the_wrong_shape_is_a_422_naming_the_field(cast, api):
    body = error(api(cast.alice).post(f"/taskforces/{cast.tf.pk}/groups", {"name": ["x"]}), 422, "validation_error")
    assert set(body["fields"]) == {"name"}


def test_api_writes_are_audited_with_the_api_channel_and_source_address(cast, api):
    api(cast.alice).post(f"/taskforces/{cast.tf.pk}/groups", GROUP)
    event = AuditEvent.objects.get(action="taskforce.group_add")
    assert event.actor == cast.alice and event.channel == "api" and event.ip == "127.0.0.1"


# ---- the token command ---------------------------------------------------------------------------


def test_the_token_command_prints_a_working_token_with_the_chosen_scope_and_expiry(cast):
    out = io.StringIO()
    call_command("token", "ALICE", "--scope", "read", "--days", "7", "--name", "报表脚本", stdout=out,
                 stderr=io.StringIO())
    raw = out.getvalue().strip()
    assert raw.startswith("zb_")
    token = ApiToken.objects.get(user=cast.alice, name="报表脚本")
    assert token.scope == "read"
    assert timedelta(days=6) < token.expires_at - timezone.now() <= timedelta(days=7)
    client = Api(token=raw)
    assert client.get("/taskforces").status_code == 200
    error(client.post(f"/taskforces/{cast.tf.pk}/groups", GROUP), 403, "insufficient_scope")


def test_the_token_command_can_issue_a_token_that_never_expires(cast):
    call_command("token", "admin", "--days", "0", stdout=io.StringIO(), stderr=io.StringIO())
    token = ApiToken.objects.get(user=cast.admin)
    assert token.expires_at is None and token.scope == "write"


def test_the_token_command_refuses_an_unknown_user(cast):
    with pytest.raises(CommandError, match="不存在"):
        call_command("token", "nobody", stdout=io.StringIO(), stderr=io.StringIO())


# ---- OpenAPI -------------------------------------------------------------------------------------


def test_the_openapi_document_and_docs_are_served(cast):
    spec = Client().get(f"{BASE}/openapi.json").json()
    assert spec["info"]["title"].startswith("Zhuanban")
    docs = Client().get(f"{BASE}/docs")
    assert docs.status_code == 200
    # government intranets have no internet: the Swagger UI comes from our own static files
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content and b"https://" not in docs.content
    paths = spec["paths"]
    for path in ("/taskforces", "/taskforces/{tf_id}", "/taskforces/{tf_id}/dissolve", "/taskforces/{tf_id}/history",
                 "/memberships", "/memberships/{membership_id}/replace", "/units", "/people/{person_id}"):
        assert f"{BASE}{path}" in paths


def test_every_operation_documents_its_success_and_error_responses(cast):
    spec = Client().get(f"{BASE}/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["ErrorOut"]["properties"]) == {"code", "message", "fields"}
    assert "blockers" in schemas["ConflictOut"]["properties"]
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            codes = set(op["responses"])
            # 202: accepted for a background job (an export, a notice's receipts); 204: deleted
            success = {"200", "201", "202", "204"}
            assert codes & success, (method, path)
            # The calendar feed is for calendar programs: its token is in the URL (a wrong one is a 404), no 401.
            required = {"404", "422"} if path.endswith(".ics") else {"401", "404", "422"}
            assert required <= codes, (method, path, codes)
            if method != "get":
                assert {"400", "403", "409"} <= codes, (method, path, codes)
            for code in codes - success:
                ref = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith(("/ErrorOut", "/ConflictOut")), (method, path, code, ref)
