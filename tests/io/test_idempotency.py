"""Idempotency-Key on POST: the same request replays, a different one with the same key is a 422."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from tests.api.conftest import Api, error
from tests.io.conftest import SAMPLES, upload
from zhuanban.files.models import Attachment
from zhuanban.idempotency.models import IdempotencyRecord
from zhuanban.taskforces.models import DemandItem


def post(api: Api, path: str, data: dict, key: str | None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api.client.post("/api/v1" + path, json.dumps(data), content_type="application/json", **headers)


def test_the_same_key_and_body_replays_the_first_response_without_running_again(cast):
    api = Api(cast.alice)
    first = post(api, f"/taskforces/{cast.tf.pk}/demands", {"title": "调研需求"}, "k-1")
    assert first.status_code == 201
    again = post(api, f"/taskforces/{cast.tf.pk}/demands", {"title": "调研需求"}, "k-1")
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert DemandItem.objects.filter(title="调研需求").count() == 1


def test_the_same_key_with_a_different_body_is_a_422(cast):
    api = Api(cast.alice)
    assert post(api, f"/taskforces/{cast.tf.pk}/demands", {"title": "一"}, "k-2").status_code == 201
    body = error(post(api, f"/taskforces/{cast.tf.pk}/demands", {"title": "二"}, "k-2"), 422,
                 "idempotency_key_reused")
    assert "Idempotency-Key" in body["fields"]
    assert not DemandItem.objects.filter(title="二").exists()
    # ...and on another path too: the key names one request.
    error(post(api, f"/taskforces/{cast.tf.pk}/targets", {"description": "一"}, "k-2"), 422,
          "idempotency_key_reused")


def test_keys_are_per_user(cast):
    path = f"/taskforces/{cast.tf.pk}/demands"
    assert post(Api(cast.alice), path, {"title": "甲"}, "shared").status_code == 201
    assert post(Api(cast.olivia), path, {"title": "乙"}, "shared").status_code == 201


def test_without_a_key_every_post_runs(cast):
    api = Api(cast.alice)
    for _ in range(2):
        assert post(api, f"/taskforces/{cast.tf.pk}/demands", {"title": "重复"}, None).status_code == 201
    assert DemandItem.objects.filter(title="重复").count() == 2


def test_errors_are_replayed_too_but_not_401(cast):
    api = Api(cast.alice)
    first = post(api, f"/taskforces/{cast.tf.pk}/demands", {"title": ""}, "k-err")
    assert first.status_code == 422
    assert post(api, f"/taskforces/{cast.tf.pk}/demands", {"title": ""}, "k-err")["Idempotent-Replayed"] == "true"
    anon = Api(token="zb_wrong")
    assert post(anon, f"/taskforces/{cast.tf.pk}/demands", {"title": "x"}, "k-anon").status_code == 401
    assert not IdempotencyRecord.objects.filter(key="k-anon").exists()


def test_keys_expire_after_24_hours(cast):
    api = Api(cast.alice)
    assert post(api, f"/taskforces/{cast.tf.pk}/demands", {"title": "旧"}, "k-old").status_code == 201
    IdempotencyRecord.objects.filter(key="k-old").update(created_at=timezone.now() - timedelta(hours=25))
    assert post(api, f"/taskforces/{cast.tf.pk}/demands", {"title": "新"}, "k-old").status_code == 201


def test_a_request_still_running_under_the_key_is_a_409(cast):
    api = Api(cast.alice)
    path = f"/taskforces/{cast.tf.pk}/demands"
    first = post(api, path, {"title": "进行中"}, "k-run")
    IdempotencyRecord.objects.filter(key="k-run").update(status_code=None)
    error(post(api, path, {"title": "进行中"}, "k-run"), 409, "idempotency_request_in_progress")
    assert first.status_code == 201


def test_a_malformed_key_is_a_400(cast):
    error(post(Api(cast.alice), f"/taskforces/{cast.tf.pk}/demands", {"title": "x"}, "x" * 300), 400,
          "invalid_idempotency_key")


def test_multipart_uploads_replay_even_with_a_new_boundary(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    api = Api(cast.alice)
    url = f"/api/v1/taskforces/{cast.tf.pk}/attachments"
    first = api.client.post(url, {"file": upload(*SAMPLES["pdf"])}, HTTP_IDEMPOTENCY_KEY="k-file")
    assert first.status_code == 201
    # The test client uses a fixed boundary; send one of our own to prove it is not part of the hash.
    from django.test.client import encode_multipart

    body = encode_multipart("OtherBoundary123", {"file": upload(*SAMPLES["pdf"])})
    again = api.client.post(url, body, content_type="multipart/form-data; boundary=OtherBoundary123",
                            HTTP_IDEMPOTENCY_KEY="k-file")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Attachment.objects.count() == 1


def test_session_requests_need_a_valid_csrf_token_for_the_key_to_count(cast, client):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(cast.alice)
    response = c.post(f"/api/v1/taskforces/{cast.tf.pk}/demands", json.dumps({"title": "x"}),
                      content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-csrf")
    assert response.status_code == 403 and not IdempotencyRecord.objects.exists()
