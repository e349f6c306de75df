"""安全标签 on attachments, and every download audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhuanban.core.models import AuditEvent
from zhuanban.files import queries, services
from zhuanban.taskforces import access

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def files(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    def upload(label):
        return services.upload_attachment(cast.olivia, cast.tf, SimpleUploadedFile("通知.pdf", PDF),
                                          security_label=label)
    return upload("internal"), upload("sensitive")


@pytest.mark.parametrize(("role", "sees_sensitive"), [("olivia", True), ("alice", True), ("bob", False),
                                                      ("liam", False), ("admin", True)])
def test_a_sensitive_attachment_is_seen_only_by_the_managers(cast, files, role, sees_sensitive):
    internal, sensitive = files
    user = getattr(cast, role)
    acc = access.get_access(user, cast.tf)
    seen = set(queries.attachments_of(user, cast.tf, acc).values_list("pk", flat=True))
    assert internal.pk in seen
    assert (sensitive.pk in seen) is sees_sensitive


def test_downloading_is_audited_and_a_hidden_attachment_is_a_404(cast, files, client):
    internal, sensitive = files
    client.force_login(cast.bob)
    response = client.get(reverse("file_download", args=[internal.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")
    event = AuditEvent.objects.filter(action="attachment.download").first()
    assert event.actor == cast.bob and event.object_id == str(internal.pk)
    assert client.get(reverse("file_download", args=[sensitive.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="attachment.download", object_id=str(sensitive.pk)).exists()
