"""The matrix's world: the cast (tests/conftest.py) plus the two other administrators of 三员分立 and one
object of every kind a URL can name, so every endpoint can be called with real ids."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest

from tests.conftest import build_cast
from tests.factories import UserFactory
from tests.io.conftest import PDF, upload
from zhuanban.core.tokens import ApiToken, issue_token

ROLES = ["anonymous", "erin", "bob", "liam", "alice", "olivia", "hank", "admin", "secadmin", "auditadmin",
         "charlie"]

# The rows of apps added later (tests/security_matrix/rows_<app>.py), one module per app so each app's
# rows and objects live beside each other.
ROW_MODULES = [importlib.import_module(f"tests.security_matrix.rows_{app}") for app in ("meetings", "reports", "notices", "accountability", "assessment", "funds", "insight")]


def _admin_user(username: str, role: str):
    user = UserFactory(username=username, is_staff=True)
    try:
        from zhuanban.security.models import AdminRole
    except ImportError:  # the separation-of-duties app is not installed: a plain staff account stands in
        return user
    AdminRole.objects.create(user=user, role=role)
    return user


@pytest.fixture(scope="module")
def _matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world is built once per test module (per xdist worker), not once per test: it is a few hundred
    rows written through the services, and the matrix has one test per endpoint.  It lives in an outer
    transaction that is rolled back when the module is done; each test's ``db`` fixture nests a savepoint
    inside it (and ``_each_role`` one more per role), so no test sees another's writes."""
    from django.db import transaction
    from django.test.utils import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world(build_cast())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_matrix_world, db):
    return _matrix_world


def _build_world(cast: SimpleNamespace) -> SimpleNamespace:
    from zhuanban.files import services as files
    from zhuanban.taskforces import services as tf_services
    from zhuanban.taskforces.models import Membership
    from zhuanban.tasks import services as tasks
    from zhuanban.tasks.models import Dispute

    users = {
        "erin": cast.erin, "bob": cast.bob, "liam": cast.liam, "alice": cast.alice, "olivia": cast.olivia,
        "hank": cast.hank, "admin": cast.admin, "charlie": cast.charlie,
        "secadmin": _admin_user("secadmin", "security"), "auditadmin": _admin_user("auditadmin", "audit"),
    }
    task = tasks.create_task(cast.olivia, cast.tf, title="矩阵任务")
    disputed = tasks.create_task(cast.olivia, cast.tf, title="有争议的任务")
    tasks.dispatch(cast.olivia, disputed, to_person=cast.people.bob)
    tasks.return_task(cast.bob, disputed, reason="不属本单位职责")
    tasks.dispatch(cast.olivia, disputed, to_person=cast.people.liam)
    tasks.return_task(cast.liam, disputed, reason="不属本单位职责")
    ids = {
        "tf_id": cast.tf.pk, "pk": cast.tf.pk, "unit_id": cast.units.zjw.pk,
        "person_id": cast.people.bob.pk, "user_id": cast.bob.pk,
        "membership_id": Membership.objects.get(taskforce=cast.tf, person=cast.people.bob).pk,
        "mid": Membership.objects.get(taskforce=cast.tf, person=cast.people.bob).pk,
        "mu_id": cast.mu.zjw.pk,
        "demand_id": tf_services.add_demand(cast.admin, cast.tf, title="矩阵需求").pk,
        "attachment_id": files.upload_attachment(cast.alice, cast.tf, upload("设立通知.pdf", PDF)).pk,
        "task_id": task.pk, "dispute_id": Dispute.objects.get(task=disputed).pk,
        "step": 4, "action": "suspend", "fmt": "csv",
    }
    ids["item_id"] = ids["demand_id"]
    for rows in ROW_MODULES:
        if hasattr(rows, "world"):
            rows.world(cast, ids)
    tokens = {name: issue_token(user) for name, user in users.items()}
    ids["token_pk"] = ApiToken.objects.filter(user=cast.bob).first().pk if ApiToken.objects.filter(
        user=cast.bob).exists() else 1
    return SimpleNamespace(cast=cast, users=users, tokens=tokens, ids=ids)
