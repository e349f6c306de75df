"""Attachment fields: the filer of a submission uploads the file from the filing form (through HTTP); the
files app's type and size limits apply; someone who does not file the template cannot attach files."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.io.conftest import PDF, upload
from zhuanban.core.errors import Forbidden, Invalid
from zhuanban.files.models import Attachment
from zhuanban.reports import services
from zhuanban.reports.models import Submission


@pytest.fixture
def with_file(cast):
    return services.create_template(cast.olivia, cast.tf, {
        "name": "周报材料", "cadence": "daily", "every_day": True, "due_time": "23:59",
        "fields": [{"key": "cases", "label": "件数", "kind": "integer", "required": True},
                   {"key": "scan", "label": "盖章扫描件", "kind": "attachment", "required": True}]})


def _post(client, t, data):
    return client.post(reverse("report_fill", args=[t.pk]), {"period": timezone.localdate().isoformat(),
                                                              "action": "submit", **data})


def test_the_liaison_uploads_the_file_from_the_form(client, cast, with_file):
    client.force_login(cast.liam)
    assert 'type="file"' in client.get(reverse("report_fill", args=[with_file.pk])).content.decode()
    r = _post(client, with_file, {"cases": "3", "scan": upload("盖章件.pdf", PDF)})
    assert r.status_code == 302
    sub = Submission.objects.get()
    att = Attachment.objects.get()
    assert sub.status == "submitted" and sub.values["scan"] == att.pk
    assert att.taskforce_id == cast.tf.pk and att.uploaded_by == cast.liam and att.original_name == "盖章件.pdf"
    page = client.get(r["Location"]).content.decode()
    assert "盖章件.pdf" in page
    # a resubmission without a new file keeps the attachment
    r = _post(client, with_file, {"cases": "4", "version": str(sub.version)})
    sub.refresh_from_db()
    assert r.status_code == 302 and sub.values == {"cases": 4, "scan": att.pk}


def test_a_file_of_the_wrong_type_is_refused_next_to_its_field(client, cast, with_file):
    client.force_login(cast.liam)
    r = _post(client, with_file, {"cases": "3", "scan": upload("tool.exe", b"MZ\x90\x00" * 50)})
    assert r.status_code == 422 and 'data-testid="error-scan"' in r.content.decode()
    assert not Attachment.objects.exists() and not Submission.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, cast, with_file, settings):
    settings.ZHUANBAN_MAX_UPLOAD_BYTES = 100
    client.force_login(cast.liam)
    r = _post(client, with_file, {"cases": "3", "scan": upload("big.pdf", PDF + b"0" * 200)})
    assert r.status_code in (413, 422) and not Attachment.objects.exists()


def test_only_a_filer_attaches_a_file(client, cast, with_file):
    client.force_login(cast.bob)  # sees the template, files for no unit: the form does not exist for him
    assert _post(client, with_file, {"cases": "3", "scan": upload("x.pdf", PDF)}).status_code == 404
    with pytest.raises(Forbidden):  # the office manages the template but is not its filer
        services.upload_field_attachment(cast.olivia, with_file, "scan", upload("x.pdf", PDF))
    with pytest.raises(Invalid):  # not an attachment field
        services.upload_field_attachment(cast.liam, with_file, "cases", upload("x.pdf", PDF))
    assert not Attachment.objects.exists()
