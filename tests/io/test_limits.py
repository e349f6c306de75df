"""Oversized bodies are refused with 413 before they are read."""

from __future__ import annotations

import json

from django.core.exceptions import RequestDataTooBig
from django.test import RequestFactory
from django.urls import reverse

from tests.api.conftest import Api
from tests.io.conftest import PDF, upload
from zhuanban.core.limits import bad_request


def test_an_api_body_over_the_limit_is_a_413_with_a_code(cast, settings):
    settings.ZHUANBAN_MAX_UPLOAD_BYTES = 1000
    api = Api(cast.alice)
    response = api.post("/taskforces", {"name": "x" * 2000})
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "payload_too_large" and "上限" in body["message"] and body["fields"] == {}


def test_a_page_body_over_the_limit_is_a_413_page_in_chinese(cast, client, settings):
    settings.ZHUANBAN_MAX_UPLOAD_BYTES = 1000
    client.force_login(cast.alice)
    response = client.post(reverse("tf_file_upload", args=[cast.tf.pk]),
                           {"kind": "other", "file": upload("big.pdf", PDF + b"0" * 5000)})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html") and "文件或内容过大" in response.content.decode()


def test_the_limit_applies_before_authentication(client, settings, db):
    settings.ZHUANBAN_MAX_UPLOAD_BYTES = 10
    response = client.post("/login/", {"username": "x" * 100, "password": "y"})
    assert response.status_code == 413


def test_a_body_within_the_limit_passes(cast, settings):
    settings.ZHUANBAN_MAX_UPLOAD_BYTES = 100_000
    assert Api(cast.alice).post(f"/taskforces/{cast.tf.pk}/demands", {"title": "需求" * 100}).status_code == 201


def test_request_data_too_big_found_while_reading_is_mapped_to_413():
    rf = RequestFactory()
    api = bad_request(rf.post("/api/v1/taskforces"), RequestDataTooBig("too big"))
    assert api.status_code == 413 and json.loads(api.content)["code"] == "payload_too_large"
    page = bad_request(rf.post("/tf/1/edit/"), RequestDataTooBig("too big"))
    assert page.status_code == 413 and "文件或内容过大" in page.content.decode()
    assert bad_request(rf.get("/"), ValueError("other")).status_code == 400


def test_django_reading_an_oversized_form_body_gives_413(cast, client, settings):
    # Content-Length within the middleware's limit, but Django's own form limit lower: RequestDataTooBig.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50
    client.force_login(cast.alice)
    response = client.post(reverse("tf_edit", args=[cast.tf.pk]), {"name": "x" * 500})
    assert response.status_code == 413
