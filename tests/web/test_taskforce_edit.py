from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.web.conftest import field_errors, text
from zhuanban.core.models import AuditEvent
from zhuanban.taskforces.models import TaskForce
from zhuanban.web.forms import TaskForceEditForm


def edit_data(tf: TaskForce, **changes: Any) -> dict[str, Any]:
    """What the edit form posts when loaded now and saved with ``changes``."""
    data: dict[str, Any] = {}
    for name, value in TaskForceEditForm.initial_for(tf).items():
        if value is None or value is False:
            continue
        data[name] = value.pk if hasattr(value, "pk") else value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def url(tf: TaskForce) -> str:
    return reverse("tf_edit", args=[tf.pk])


def test_a_manager_edits_the_task_force(cast, as_user):
    response = as_user(cast.alice).post(url(cast.tf), edit_data(cast.tf, goals="三个月内完成草案"))
    assert response.status_code == 302
    cast.tf.refresh_from_db()
    assert cast.tf.goals == "三个月内完成草案" and cast.tf.version == 2
    event = AuditEvent.objects.filter(action="taskforce.update").get()
    assert set(event.after) == {"goals"}  # only what changed is recorded


def test_the_form_carries_the_version_in_a_hidden_field(cast, as_user):
    page = text(as_user(cast.alice).get(url(cast.tf)))
    assert 'type="hidden" name="version" value="1"' in page


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(cast, as_user):
    client = as_user(cast.alice)
    stale = edit_data(cast.tf, goals="爱丽丝的目标")
    fresh = edit_data(cast.tf, goals="奥利维亚的目标")
    as_user(cast.olivia).post(url(cast.tf), fresh)
    client = as_user(cast.alice)
    response = client.post(url(cast.tf), stale)
    assert response.status_code == 409
    page = text(response)
    assert "该记录已被他人修改" in page and 'data-testid="stale"' in page
    assert "爱丽丝的目标" in page  # the user's input is kept on screen
    cast.tf.refresh_from_db()
    assert cast.tf.goals == "奥利维亚的目标"


def test_planned_end_before_establishment_is_shown_next_to_the_field(cast, as_user):
    response = as_user(cast.alice).post(url(cast.tf), edit_data(cast.tf, planned_end="2025-01-01"))
    assert response.status_code == 422
    assert field_errors(response, "planned_end") == ["计划结束日期不能早于设立日期"]
    cast.tf.refresh_from_db()
    assert str(cast.tf.planned_end) == "2026-12-31"


def test_missing_values_get_chinese_messages_next_to_their_fields(cast, as_user):
    data = edit_data(cast.tf, name="", basis="notice", basis_document_no="", decision_mode="leading_core",
                     leading_body="")
    response = as_user(cast.alice).post(url(cast.tf), data)
    assert field_errors(response, "name") == ["请填写专班名称"]
    assert field_errors(response, "basis_document_no") == ["正式发文设立的专班须填写文号"]
    assert field_errors(response, "leading_body") == ["领导中枢决策模式须填写领导中枢机构"]
    response = as_user(cast.alice).post(url(cast.tf), edit_data(cast.tf, established_on="not a date"))
    assert field_errors(response, "established_on") == ["输入一个有效的日期。"]


def test_a_boundary_override_needs_a_reason(cast, as_user):
    response = as_user(cast.alice).post(url(cast.tf), edit_data(cast.tf, boundary_override="cross_department"))
    assert field_errors(response, "boundary_override_reason") == ["人工认定成员边界须说明理由"]


def test_members_who_do_not_manage_are_forbidden_and_outsiders_get_a_404(cast, as_user):
    assert as_user(cast.bob).get(url(cast.tf)).status_code == 403
    assert as_user(cast.bob).post(url(cast.tf), edit_data(cast.tf, goals="x")).status_code == 403
    assert as_user(cast.charlie).get(url(cast.tf)).status_code == 404


def test_the_edit_form_previews_types_through_htmx(cast, as_user):
    page = text(as_user(cast.alice).get(url(cast.tf)))
    assert f'hx-get="{reverse("typology_preview")}"' in page and 'name="tf"' in page
