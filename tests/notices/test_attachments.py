"""Notices carry attachments: picked from the task force's files or uploaded in the send form, listed on
each recipient's inbox line and in the inbox API, downloadable by the recipient."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.io.conftest import PDF, upload
from zhuanban.files import services as files
from zhuanban.files.models import Attachment
from zhuanban.notices.models import Notice
from zhuanban.taskforces import services as tf_services


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def active(cast):
    tf_services.activate(cast.admin, cast.tf)
    return cast.tf


def test_the_office_sends_a_picked_file_and_a_new_upload_and_the_recipient_downloads_both(
        client, cast, active, django_capture_on_commit_callbacks):
    existing = files.upload_attachment(cast.alice, active, upload("设立通知.pdf", PDF))
    client.force_login(cast.olivia)
    form = client.get(reverse("tf_notices", args=[active.pk])).content.decode()
    assert f'name="attachments" value="{existing.pk}"' in form and 'name="files"' in form
    with django_capture_on_commit_callbacks(execute=True):  # the fan-out to the receipts runs after commit
        response = client.post(reverse("tf_notices", args=[active.pk]), {
            "title": "关于报送材料的通知", "body": "见附件", "priority": "normal", "people": [cast.people.bob.pk],
            "attachments": [str(existing.pk)], "files": [upload("报送模板.pdf", PDF)]})
    assert response.status_code == 302
    notice = Notice.objects.get(title="关于报送材料的通知")
    names = sorted(a.original_name for a in notice.attachments.all())
    assert names == ["报送模板.pdf", "设立通知.pdf"]

    client.force_login(cast.bob)
    inbox = client.get(reverse("inbox")).content.decode()
    for a in notice.attachments.all():
        assert reverse("file_download", args=[a.pk]) in inbox
        assert client.get(reverse("file_download", args=[a.pk])).status_code == 200
    item = client.get("/api/v1/inbox").json()["items"][0]
    assert sorted(a["name"] for a in item["attachments"]) == names


def test_a_refused_notice_keeps_no_uploaded_file(client, cast, active):
    client.force_login(cast.olivia)
    before = Attachment.objects.count()
    response = client.post(reverse("tf_notices", args=[active.pk]), {
        "title": "", "body": "缺标题", "priority": "normal", "people": [cast.people.bob.pk],
        "files": [upload("报送模板.pdf", PDF)]})
    assert response.status_code in (200, 422)
    assert Attachment.objects.count() == before and not Notice.objects.filter(body="缺标题").exists()
