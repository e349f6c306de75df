"""/healthz (zhuanban.core.health) and the production-profile settings (ZHUANBAN_REDIS_URL,
ZHUANBAN_TASKS_BACKEND)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from zhuanban.core import health

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_ok_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "queue"}
    assert all(c["status"] == "ok" for c in body["checks"].values())
    assert body["checks"]["queue"]["backend"] == "database"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_healthz_is_a_503_naming_only_the_failing_check(client, db, monkeypatch):
    def broken() -> dict:
        raise ConnectionError("redis://:secret@10.0.0.5:6379 refused")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["cache"] == {"status": "fail", "error": "ConnectionError", "ms": body["checks"]["cache"]["ms"]}
    assert body["checks"]["database"]["status"] == "ok"
    assert b"secret" not in response.content and b"10.0.0.5" not in response.content


def test_healthz_refuses_writes(client, db):
    assert client.post("/healthz").status_code == 405


# ---- the settings, read in a fresh interpreter per environment ---------------------------------------------


def _settings(**env: str) -> dict:
    code = ("import json; from django.conf import settings as s; "
            "print(json.dumps({'cache': s.CACHES['default']['BACKEND'], 'location': s.CACHES['default'].get('LOCATION'),"
            " 'tasks': s.TASKS['default']['BACKEND'], 'rq': getattr(s, 'RQ_QUEUES', None),"
            " 'apps': [a for a in s.INSTALLED_APPS if 'rq' in a], 'sessions': s.SESSION_ENGINE}))")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZHUANBAN_")}
    clean.update(DJANGO_SETTINGS_MODULE="zhuanban.settings_test", **env)
    out = subprocess.run([sys.executable, "-c", code], env=clean, cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1]}
    return json.loads(out.stdout)


def test_no_environment_keeps_the_development_defaults():
    got = _settings()
    assert got["cache"].endswith("LocMemCache")
    assert got["tasks"] == "django_tasks_db.DatabaseBackend"
    assert got["rq"] is None and got["apps"] == []
    assert got["sessions"] == "django.contrib.sessions.backends.db"


def test_redis_url_moves_the_cache_and_rq_moves_the_queue():
    url = "redis://127.0.0.1:6399/2"
    got = _settings(ZHUANBAN_REDIS_URL=url)
    assert got["cache"] == "django.core.cache.backends.redis.RedisCache" and got["location"] == url
    assert got["tasks"] == "django_tasks_db.DatabaseBackend"
    got = _settings(ZHUANBAN_REDIS_URL=url, ZHUANBAN_TASKS_BACKEND="rq")
    assert got["tasks"] == "django_tasks_rq.RQBackend"
    assert got["rq"]["default"]["URL"] == url
    assert got["apps"] == ["django_rq", "django_tasks_rq"]


def test_rq_without_redis_or_an_unknown_backend_is_refused():
    assert "ZHUANBAN_REDIS_URL" in _settings(ZHUANBAN_TASKS_BACKEND="rq")["error"]
    assert "database or rq" in _settings(ZHUANBAN_TASKS_BACKEND="celery")["error"]


# ---- against a real Redis (tests/ops/conftest.py starts one when redis-server is installed) ----------------


def test_healthz_with_redis_cache_and_rq_queue(client, db, settings, redis_url):
    # The settings fixture resets Django's cache handler and django-tasks' backends (setting_changed).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    from zhuanban.core import scheduler

    scheduler.recompute_lights_sweep.enqueue()
    body = client.get("/healthz").json()
    assert body["status"] == "ok", body
    assert body["checks"]["cache"]["backend"] == "RedisCache"
    assert body["checks"]["queue"]["backend"] == "rq" and body["checks"]["queue"]["queued"] == 1
