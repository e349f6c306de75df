"""Task-force attachments: managers upload, whoever sees the task force downloads, nobody else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api.conftest import Api, error
from tests.io.conftest import DISGUISED, PDF, SAMPLES, upload
from zhuanban.core.models import AuditEvent
from zhuanban.files import services
from zhuanban.files.models import Attachment


def _upload_as(client, tf, name="设立通知.pdf", data=PDF, kind="establishment"):
    return client.post(reverse("tf_file_upload", args=[tf.pk]), {"kind": kind, "file": upload(name, data)})


def test_a_manager_uploads_the_establishment_notice_on_the_task_force_page(cast, client):
    client.force_login(cast.alice)
    response = _upload_as(client, cast.tf)
    assert response.status_code == 302 and response["Location"].endswith("#attachments")
    att = Attachment.objects.get()
    assert (att.original_name, att.kind, att.content_type, att.size) == ("设立通知.pdf", "establishment",
                                                                         "application/pdf", len(PDF))
    assert att.uploaded_by == cast.alice and "设立通知" not in att.stored_name
    assert AuditEvent.objects.filter(action="attachment.upload", taskforce_id=cast.tf.pk).exists()
    page = client.get(reverse("tf_detail", args=[cast.tf.pk])).content.decode()
    assert reverse("file_download", args=[att.pk]) in page and "设立通知.pdf" in page


def test_a_disguised_file_is_refused_with_a_message_and_nothing_is_stored(cast, client, media_root):
    client.force_login(cast.alice)
    name, data = DISGUISED["html_as_pdf"]
    response = _upload_as(client, cast.tf, name, data)
    assert response.status_code == 302 and not Attachment.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "文件内容不是允许的类型" in page
    assert not list(media_root.rglob("*.*")) if media_root.exists() else True


@pytest.mark.parametrize("who,status", [("bob", 403), ("erin", 403), ("hank", 403), ("charlie", 404)])
def test_only_managers_may_upload(cast, client, who, status):
    client.force_login(getattr(cast, who))
    assert _upload_as(client, cast.tf).status_code == status
    assert not Attachment.objects.exists()


def test_upload_form_shows_only_for_managers(cast, client):
    services.upload_attachment(cast.alice, cast.tf, upload(*SAMPLES["pdf"]))
    client.force_login(cast.bob)
    page = client.get(reverse("tf_detail", args=[cast.tf.pk])).content.decode()
    assert "data-testid=\"attachment-link\"" in page and reverse("tf_file_upload", args=[cast.tf.pk]) not in page


@pytest.mark.parametrize("who", ["alice", "olivia", "liam", "bob", "hank", "admin"])
def test_whoever_sees_the_task_force_downloads_it_as_an_attachment(cast, client, who):
    att = services.upload_attachment(cast.alice, cast.tf, upload(*SAMPLES["pdf"]))
    client.force_login(getattr(cast, who))
    response = client.get(reverse("file_download", args=[att.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_an_external_member_gets_only_public_attachments(cast, client):
    internal = services.upload_attachment(cast.alice, cast.tf, upload(*SAMPLES["pdf"]))
    public = services.upload_attachment(cast.alice, cast.tf, upload(*SAMPLES["pdf"]), security_label="public")
    client.force_login(cast.erin)
    assert client.get(reverse("file_download", args=[internal.pk])).status_code == 404
    assert client.get(reverse("file_download", args=[public.pk])).status_code == 200


def test_others_get_a_404_and_anonymous_users_the_login_page(cast, client):
    att = services.upload_attachment(cast.alice, cast.tf, upload(*SAMPLES["pdf"]))
    url = reverse("file_download", args=[att.pk])
    assert client.get(url).status_code == 302
    client.force_login(cast.charlie)
    assert client.get(url).status_code == 404
    assert client.get(reverse("file_download", args=[att.pk + 999])).status_code == 404


@pytest.mark.parametrize("path", [
    "/files/../../var/secret_key/download", "/files/..%2f..%2fsettings.py/download",
    "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd/download", "/files/1/download/../../../etc/passwd",
    "/api/v1/attachments/..%2f..%2fsecret_key/download", "/api/v1/attachments/../../etc/passwd/download",
    "/files/attachments%2f..%2f..%2fsecret_key/download",
])
def test_path_traversal_in_download_names_is_a_404(cast, client, path):
    services.upload_attachment(cast.alice, cast.tf, upload(*SAMPLES["pdf"]))
    client.force_login(cast.admin)
    response = client.get(path)
    assert response.status_code == 404, (path, response.status_code)


def test_a_row_pointing_outside_media_root_is_never_served(cast, client):
    att = services.upload_attachment(cast.alice, cast.tf, upload(*SAMPLES["pdf"]))
    Attachment.objects.filter(pk=att.pk).update(stored_name="../../../../etc/passwd")
    client.force_login(cast.admin)
    assert client.get(reverse("file_download", args=[att.pk])).status_code == 404
    error(Api(cast.admin).get(f"/attachments/{att.pk}/download"), 404, "not_found")


def test_closed_task_forces_take_no_new_files(cast):
    from zhuanban.core.errors import Conflict
    from zhuanban.taskforces.models import TaskForce

    TaskForce.objects.filter(pk=cast.tf.pk).update(status="dissolved")
    cast.tf.refresh_from_db()
    with pytest.raises(Conflict):
        services.upload_attachment(cast.alice, cast.tf, upload(*SAMPLES["pdf"]))


# ---- API ---------------------------------------------------------------------------------------------


def _api_upload(api: Api, tf_id: int, name: str, data: bytes, **extra):
    return api.client.post(f"/api/v1/taskforces/{tf_id}/attachments",
                           {"file": upload(name, data), "kind": "plan"}, **extra)


def test_api_upload_list_and_download(cast):
    alice = Api(cast.alice)
    response = _api_upload(alice, cast.tf.pk, "方案.docx", SAMPLES["docx"][1])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "方案.docx" and body["kind"] == "plan" and body["content_type"].endswith("document")
    listed = Api(cast.bob).get(f"/taskforces/{cast.tf.pk}/attachments").json()
    assert [a["id"] for a in listed] == [body["id"]]
    download = Api(cast.hank).get(body["download_url"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_api_refuses_disguised_files_members_and_outsiders(cast):
    name, data = DISGUISED["exe_as_docx"]
    body = error(_api_upload(Api(cast.alice), cast.tf.pk, name, data), 422, "upload_type_not_allowed")
    assert "file" in body["fields"]
    error(_api_upload(Api(cast.bob), cast.tf.pk, *SAMPLES["pdf"]), 403, "forbidden")
    error(_api_upload(Api(cast.charlie), cast.tf.pk, *SAMPLES["pdf"]), 404, "not_found")
    error(Api(cast.charlie).get(f"/taskforces/{cast.tf.pk}/attachments"), 404, "not_found")
    att = services.upload_attachment(cast.alice, cast.tf, upload(*SAMPLES["pdf"]))
    error(Api(cast.charlie).get(f"/attachments/{att.pk}/download"), 404, "not_found")
    error(Api().get(f"/attachments/{att.pk}/download"), 401, "unauthenticated")
    error(Api(cast.alice, scope="read").client.post(f"/api/v1/taskforces/{cast.tf.pk}/attachments",
                                                   {"file": upload(*SAMPLES["pdf"])}), 403, "insufficient_scope")
