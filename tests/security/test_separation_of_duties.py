"""三员分立: one administrative role per account, granted only by the security administrator; the audit
administrator reads and exports the trail and can change nothing else."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from tests.factories import UserFactory
from tests.spreadsheets import assert_no_formula_injection
from zhuanban.core import audit
from zhuanban.core.errors import Conflict, Forbidden
from zhuanban.core.models import AuditEvent
from zhuanban.core.tokens import issue_token
from zhuanban.security import services
from zhuanban.security.models import AdminRole


def test_each_administrator_holds_exactly_one_role(admins):
    assert services.role_of(admins.system) == "system" and admins.system.is_superuser
    assert services.role_of(admins.security) == "security" and not admins.security.is_superuser
    assert services.role_of(admins.audit) == "audit"
    assert not admins.audit.is_superuser and not admins.audit.is_staff


def test_the_database_refuses_a_second_role_for_one_account(admins):
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminRole.objects.create(user=admins.audit, role="system")


@pytest.mark.parametrize("holder", ["system", "security", "audit"])
def test_the_service_refuses_a_second_role(admins, holder):
    for role in ("system", "security", "audit"):
        with pytest.raises(Conflict):
            services.grant_role(admins.security if holder != "security" else None, getattr(admins, holder), role)


def test_the_audit_or_security_admin_can_never_become_superuser(admins):
    admins.audit.is_superuser = True
    with pytest.raises(ValueError, match="三员分立"):
        admins.audit.save()


def test_a_superuser_cannot_be_made_auditor(admins):
    root = UserFactory(username="root", is_superuser=True)
    with pytest.raises(Conflict):
        services.grant_role(admins.security, root, "audit")


@pytest.mark.parametrize("who", ["system", "audit"])
def test_only_the_security_administrator_grants_and_revokes(cast, admins, who):
    target = UserFactory(username="newbie")
    with pytest.raises(Forbidden):
        services.grant_role(getattr(admins, who), target, "audit")
    with pytest.raises(Forbidden):
        services.revoke_role(getattr(admins, who), admins.audit)
    with pytest.raises(Forbidden):
        services.grant_role(cast.alice, target, "system")


def test_grants_and_revocations_are_audited_and_revoking_system_drops_superuser(cast, admins):
    target = UserFactory(username="ops")
    services.grant_role(admins.security, target, "system")
    target.refresh_from_db()
    assert target.is_superuser
    services.revoke_role(admins.security, target)
    target.refresh_from_db()
    assert not target.is_superuser and services.role_of(target) is None
    actions = list(AuditEvent.objects.filter(actor=admins.security).values_list("action", flat=True))
    assert actions.count("security.role_grant") == 3 and "security.role_revoke" in actions
    with pytest.raises(Forbidden):
        services.revoke_role(admins.security, admins.security)


def test_the_roles_page_is_for_the_security_administrator(client, admins):
    for user, status in ((admins.audit, 403), (admins.system, 403), (admins.security, 200)):
        client.force_login(user)
        assert client.get("/security/roles/").status_code == status
    client.force_login(admins.security)
    newbie = UserFactory(username="newbie")
    response = client.post("/security/roles/grant/", {"username": "NEWBIE", "role": "audit"})
    assert response.status_code == 302
    assert services.role_of(newbie) == "audit"


# ---- the audit administrator's pages -------------------------------------------------------------


def login(user):
    c = Client()
    c.force_login(user)
    return c


def test_only_the_audit_administrator_reads_the_audit_trail(cast, admins):
    for user in (admins.system, admins.security, cast.alice, cast.erin):
        assert login(user).get("/security/audit/").status_code == 403
        assert login(user).get("/security/audit/export.csv").status_code == 403
    assert Client().get("/security/audit/").status_code == 302  # to the login page


def test_the_audit_administrator_searches_by_actor_action_object_date_and_task_force(cast, admins):
    c = login(admins.audit)
    audit.record(cast.bob, "taskforce.update", cast.other, note="他人专班", taskforce_id=cast.other.pk)
    page = c.get("/security/audit/", {"action": "membership.join", "taskforce": cast.tf.pk})
    assert page.status_code == 200
    rows = page.context["page"].object_list
    assert rows and all(e.action == "membership.join" and e.taskforce_id == cast.tf.pk for e in rows)
    assert [e.actor_name for e in c.get("/security/audit/", {"actor": "bob"}).context["page"]] == ["bob"]
    assert c.get("/security/audit/", {"object": "其他专班"}).context["page"].paginator.count >= 2
    assert c.get("/security/audit/", {"action": "membership."}).context["page"].paginator.count >= 5
    today = cast.tf.created_at.date().isoformat()
    assert c.get("/security/audit/", {"date_from": "2099-01-01"}).context["page"].paginator.count == 0
    assert c.get("/security/audit/", {"date_from": "2000-01-01", "date_to": "2099-01-01"}
                 ).context["page"].paginator.count == AuditEvent.objects.count()
    assert c.get("/security/audit/", {"date_to": "bad"}).context["page"].paginator.count == 0
    assert today


def test_exports_are_escaped_labelled_and_audited(cast, admins):
    audit.record(cast.alice, "taskforce.update", cast.tf, note='=HYPERLINK("http://evil","x")',
                 after={"name": "+cmd"})
    c = login(admins.audit)
    response = c.get("/security/audit/export.csv", {"action": "taskforce.update"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    assert_no_formula_injection(text)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0].startswith("【敏感】")
    assert rows[1][0] == "编号"
    assert any(r[14] == '\'=HYPERLINK("http://evil","x")' for r in rows[2:])

    xlsx = c.get("/security/audit/export.xlsx")
    assert xlsx.status_code == 200
    assert_no_formula_injection(xlsx.content)
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert str(ws["A1"].value).startswith("【敏感】")

    exports = AuditEvent.objects.filter(action="audit.export", actor=admins.audit).order_by("id")
    assert [json.loads(json.dumps(e.after))["format"] for e in exports] == ["csv", "xlsx"]
    assert exports[0].after["filters"] == {"action": "taskforce.update"}


def test_the_audit_administrator_cannot_manage_task_forces_or_the_directory(cast, admins):
    c = login(admins.audit)
    tf = cast.tf
    assert c.get(f"/tf/{tf.pk}/").status_code == 404
    assert c.get(f"/tf/{tf.pk}/edit/").status_code == 404
    assert c.post(f"/tf/{tf.pk}/action/suspend/", {"reason": "x"}).status_code == 404
    token = issue_token(admins.audit)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/v1/taskforces").json()["count"] == 0
    assert api.get(f"/api/v1/taskforces/{tf.pk}").status_code == 404
    assert api.patch(f"/api/v1/taskforces/{tf.pk}", json.dumps({"version": tf.version, "name": "x"}),
                     content_type="application/json").status_code == 404
    assert api.post("/api/v1/units", json.dumps({"name": "新单位", "kind": "party_gov"}),
                    content_type="application/json").status_code == 403
    assert api.post("/api/v1/people", json.dumps({"name": "新人", "home_unit": cast.units.gov.pk,
                                                  "staffing": "administrative"}),
                    content_type="application/json").status_code == 403
    assert api.get("/api/v1/people").json()["count"] == 0
