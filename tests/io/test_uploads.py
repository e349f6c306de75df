"""Uploads: size limit, type by content, stored outside the web root under random names."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404

from tests.io.conftest import DISGUISED, PDF, SAMPLES, upload
from zhuanban.core import uploads
from zhuanban.core.errors import Invalid


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_allowed_types_are_recognised_by_content(kind):
    name, data = SAMPLES[kind]
    assert uploads.sniff(io.BytesIO(data)) == kind
    assert uploads.validate_upload(upload(name, data)).name == kind


@pytest.mark.parametrize("case", sorted(DISGUISED))
def test_a_file_whose_bytes_are_not_an_allowed_type_is_refused_whatever_its_name(case):
    name, data = DISGUISED[case]
    with pytest.raises(Invalid) as exc:
        uploads.validate_upload(upload(name, data, "application/pdf"))
    assert exc.value.code == "upload_type_not_allowed" and "file" in exc.value.fields


def test_the_extension_does_not_decide_the_type():
    _, data = SAMPLES["pdf"]
    assert uploads.validate_upload(upload("report.xlsx", data)).name == "pdf"
    assert uploads.clean_original_name("report.xlsx", uploads.KINDS["pdf"]) == "report.pdf"


def test_allowed_kinds_can_be_narrowed():
    with pytest.raises(Invalid):
        uploads.validate_upload(upload(*SAMPLES["pdf"]), allowed=("xlsx",))


def test_too_large_and_empty_files_are_refused(settings):
    settings.ZHUANBAN_MAX_UPLOAD_BYTES = 100
    with pytest.raises(Invalid) as exc:
        uploads.validate_upload(upload("big.pdf", PDF + b"0" * 200))
    assert exc.value.code == "upload_too_large"
    with pytest.raises(Invalid) as exc:
        uploads.validate_upload(upload("empty.pdf", b""))
    assert exc.value.code == "upload_empty"


def test_files_are_stored_under_random_names_outside_the_web_root(media_root):
    f = upload("../../../etc/passwd.pdf", PDF)
    kind = uploads.validate_upload(f)
    stored, digest = uploads.store(f, area="attachments", kind=kind)
    path = uploads.stored_path(stored)
    assert path.read_bytes() == PDF and len(digest) == 64
    assert "passwd" not in stored and stored.startswith("attachments/") and stored.endswith(".pdf")
    assert Path(media_root).resolve() in path.parents
    # Two uploads of the same name never share a file.
    assert uploads.store(upload("a.pdf", PDF), area="attachments", kind=kind)[0] != stored


def test_media_root_is_not_inside_any_static_directory():
    media = Path(settings.MEDIA_ROOT).resolve()
    static_dirs = [Path(settings.STATIC_ROOT).resolve(), Path(settings.BASE_DIR, "zhuanban").resolve()]
    assert not any(media == s or s in media.parents for s in static_dirs[:1])
    assert not str(media).startswith(str(static_dirs[1]))  # never inside the package (app static/templates)
    # Nothing serves MEDIA_ROOT directly: a stored file's path is not a URL of the app.
    from django.urls import Resolver404, resolve

    for candidate in ("/attachments/0123456789abcdef0123456789abcdef.pdf", "/media/attachments/x.pdf"):
        with pytest.raises(Resolver404):
            resolve(candidate)


@pytest.mark.parametrize("name", [
    "../secret_key", "attachments/../../secret_key", "/etc/passwd", "attachments/%2e%2e/x.pdf",
    "attachments/0123456789abcdef0123456789abcdef.pdf/../../x", "attachments\\..\\x.pdf", "",
    "attachments/0123456789abcdef0123456789abcdef.exe",
])
def test_stored_names_that_are_not_ours_are_a_404(name):
    with pytest.raises(Http404):
        uploads.stored_path(name)


def test_the_original_name_loses_folders_and_control_characters():
    kind = uploads.KINDS["docx"]
    assert uploads.clean_original_name("..\\..\\evil\r\n\".docx", kind) == "evil\".docx"
    assert uploads.clean_original_name("", kind) == "附件.docx"


def test_download_response_is_an_attachment_with_nosniff(media_root):
    f = upload("设立通知.pdf", PDF)
    stored, _ = uploads.store(f, area="attachments", kind=uploads.KINDS["pdf"])
    response = uploads.download_response(stored, "设立通知.pdf", "application/pdf")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E8%AE%BE" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
