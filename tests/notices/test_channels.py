"""Channels against local receivers on loopback: DingTalk, WeCom and Feishu robots (an http.server in a
thread that checks the signature and the payload format the vendors document), e-mail through a real
SMTP server (aiosmtpd); retries with back-off, dead letters and replay; the SSRF guard."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from zhuanban.core.errors import Invalid
from zhuanban.notices import channels, services
from zhuanban.notices.models import Channel, Delivery, InboxItem

SECRET = "SEC0123456789abcdef"


class Receiver:
    def __init__(self, mode: str = "ok") -> None:
        self.mode, self.requests, self.errors = mode, [], []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # quiet
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode())
                outer.requests.append((self.path, body))
                if outer.mode == "5xx":
                    self.send_response(503)
                    self.end_headers()
                    return
                if outer.mode == "slow":
                    time.sleep(0.6)
                problem = outer.check(self.path, body)
                if problem:
                    outer.errors.append(problem)
                data = json.dumps({"errcode": 310000, "errmsg": problem} if problem else
                                  ({"code": 0} if "feishu" in self.path else {"errcode": 0})).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def check(self, path: str, body: dict) -> str:
        parsed = urllib.parse.urlsplit(path)
        q = dict(urllib.parse.parse_qsl(parsed.query))
        if parsed.path.startswith("/robot/send"):  # DingTalk
            ts, sign = q.get("timestamp", ""), q.get("sign", "")
            want = base64.b64encode(hmac.new(SECRET.encode(), f"{ts}\n{SECRET}".encode(), hashlib.sha256).digest())
            if sign != want.decode():
                return "bad dingtalk sign"
            if abs(int(ts) - time.time() * 1000) > 3600_000:
                return "stale timestamp"
            if body.get("msgtype") == "markdown":
                return "" if {"title", "text"} <= body["markdown"].keys() else "bad markdown"
            return "" if body.get("msgtype") == "text" and body["text"].get("content") else "bad text"
        if parsed.path.startswith("/cgi-bin/webhook/send"):  # WeCom
            if not q.get("key"):
                return "no key"
            return "" if body.get("msgtype") == "markdown" and body["markdown"].get("content") else "bad wecom"
        if parsed.path.startswith("/open-apis/bot/v2/hook/feishu"):  # Feishu
            ts = body.get("timestamp", "")
            want = base64.b64encode(hmac.new(f"{ts}\n{SECRET}".encode(), b"", hashlib.sha256).digest()).decode()
            if body.get("sign") != want:
                return "bad feishu sign"
            return "" if body.get("msg_type") == "text" and body["content"].get("text") else "bad feishu"
        return "unknown path"

    def url(self, kind: str) -> str:
        base = f"http://127.0.0.1:{self.port}"
        return {"dingtalk": f"{base}/robot/send?access_token=abc", "wecom": f"{base}/cgi-bin/webhook/send?key=k-1",
                "feishu": f"{base}/open-apis/bot/v2/hook/feishu-1"}[kind]

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def loopback(settings):
    settings.ZHUANBAN_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1", *channels.DEFAULT_ALLOWED_HOSTS]
    settings.ZHUANBAN_WEBHOOK_PRIVATE_HOSTS = ["127.0.0.1"]
    made = []

    def make(mode: str = "ok") -> Receiver:
        r = Receiver(mode)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def _deliveries(notice):
    return list(Delivery.objects.filter(notice=notice).order_by("id"))


@pytest.mark.parametrize("kind,msgtype", [("dingtalk", "markdown"), ("dingtalk", "text"), ("wecom", "markdown"),
                                          ("feishu", "text")])
def test_each_robot_gets_a_signed_payload_in_its_format(cast, send, loopback, kind, msgtype):
    rx = loopback()
    services.save_channel(cast.olivia, cast.tf, kind=kind, name=kind, url=rx.url(kind),
                          secret="" if kind == "wecom" else SECRET, msgtype=msgtype)
    notice = send(title="紧急：明早报送", body="请各单位报送", priority="urgent")
    (d,) = _deliveries(notice)
    assert d.status == Delivery.Status.SENT, d.last_error
    assert rx.requests and not rx.errors
    assert "紧急：明早报送" in json.dumps(rx.requests[0][1], ensure_ascii=False)


def test_a_wrong_secret_is_a_failed_attempt(cast, send, loopback):
    rx = loopback()
    ch = services.save_channel(cast.olivia, cast.tf, kind="dingtalk", name="d", url=rx.url("dingtalk"), secret="wrong")
    notice = send(priority="urgent")
    (d,) = _deliveries(notice)
    assert d.status == Delivery.Status.PENDING and d.attempts == 1 and "errcode" in d.last_error
    assert ch.pk


def test_email_through_a_real_smtp_server(cast, send, settings):
    from aiosmtpd.controller import Controller

    got = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            got.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ctl = Controller(Handler(), hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = False
        cast.bob.email = "bob@example.org"
        cast.bob.save()
        services.save_channel(cast.olivia, cast.tf, kind="email", name="邮件")
        notice = send(title="邮件通知", priority="urgent")
        (d,) = _deliveries(notice)
        assert d.status == Delivery.Status.SENT, d.last_error
        assert got and got[0][0] == ["bob@example.org"]
    finally:
        ctl.stop()


@pytest.mark.parametrize("mode", ["5xx", "slow"])
def test_failing_robot_is_retried_with_backoff_then_dead_lettered_and_replayed(cast, send, loopback, monkeypatch,
                                                                              mode):
    monkeypatch.setattr(channels, "TIMEOUT", 0.3)
    rx = loopback(mode)
    services.save_channel(cast.olivia, cast.tf, kind="wecom", name="w", url=rx.url("wecom"))
    notice = send(priority="urgent", requires_ack=True)
    # The in-app copy is delivered whatever the robot does.
    assert InboxItem.objects.filter(notice=notice, delivered_at__isnull=False).count() == 5
    (d,) = _deliveries(notice)
    assert d.status == Delivery.Status.PENDING and d.attempts == 1
    waits = [d.next_attempt_at - timezone.now()]
    now = timezone.now()
    for _ in range(channels.MAX_ATTEMPTS - 1):
        d.refresh_from_db()
        assert channels.attempt(d.pk, now=now - dt.timedelta(seconds=1)) == ""  # not due yet: not attempted
        now = d.next_attempt_at
        status = channels.attempt(d.pk, now=now)
        d.refresh_from_db()
        if status == Delivery.Status.PENDING:
            waits.append(d.next_attempt_at - now)
    assert d.status == Delivery.Status.DEAD and d.attempts == channels.MAX_ATTEMPTS
    assert all(b > a for a, b in zip(waits, waits[1:], strict=False))  # exponential back-off
    assert len(rx.requests) == channels.MAX_ATTEMPTS
    # The office sees the dead letter and replays it once the robot is back.
    rx.mode = "ok"
    services.replay(cast.olivia, d)
    channels.attempt(d.pk)
    d.refresh_from_db()
    assert d.status == Delivery.Status.SENT


@pytest.mark.parametrize("url,code", [
    ("https://evil.example.com/robot/send?access_token=x", "webhook_host_not_allowed"),
    ("http://169.254.169.254/latest/meta-data", "webhook_host_not_allowed"),
    ("https://oapi.dingtalk.com.evil.com/robot/send", "webhook_host_not_allowed"),
    ("ftp://oapi.dingtalk.com/robot/send", "invalid_webhook"),
    ("http://oapi.dingtalk.com/robot/send?access_token=x", "invalid_webhook"),
    ("https://user:pw@oapi.dingtalk.com/robot/send", "invalid_webhook"),
])
def test_webhook_outside_allowed_hosts_is_refused_at_configuration(cast, url, code):
    with pytest.raises(Invalid) as e:
        services.save_channel(cast.olivia, cast.tf, kind="dingtalk", name="x", url=url)
    assert e.value.code == code and "url" in e.value.fields
    assert not Channel.objects.exists()


def test_allowed_host_resolving_to_a_private_address_is_refused(cast, settings, monkeypatch):
    settings.ZHUANBAN_WEBHOOK_ALLOWED_HOSTS = ["robot.internal.example"]
    monkeypatch.setattr(channels.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("10.0.0.5", 443))])
    with pytest.raises(Invalid) as e:
        services.save_channel(cast.olivia, cast.tf, kind="dingtalk", name="x",
                              url="https://robot.internal.example/robot/send?access_token=x")
    assert e.value.code == "webhook_private_address"


def test_redirects_are_not_followed(cast, send, settings):
    settings.ZHUANBAN_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.ZHUANBAN_WEBHOOK_PRIVATE_HOSTS = ["127.0.0.1"]

    class Redirect(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/")
            self.end_headers()

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        services.save_channel(cast.olivia, cast.tf, kind="wecom", name="w",
                              url=f"http://127.0.0.1:{srv.server_address[1]}/cgi-bin/webhook/send?key=1")
        notice = send(priority="urgent")
        (d,) = _deliveries(notice)
        assert d.status == Delivery.Status.PENDING and d.last_error == "HTTP 302"
    finally:
        srv.shutdown()


def test_api_channel_configuration_refuses_outside_host_with_422(cast, client):
    client.force_login(cast.olivia)
    r = client.post("/api/v1/notice-channels", {"taskforce": cast.tf.pk, "kind": "feishu", "name": "x",
                                                "url": "https://attacker.example/hook"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "webhook_host_not_allowed"
    assert "url" in r.json()["fields"]
