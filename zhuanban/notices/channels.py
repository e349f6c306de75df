"""Delivery channels: e-mail (Django's mail backend, SMTP in production) and group-robot webhooks.

Payloads and signing, per the vendors' documentation:

- **DingTalk / 浙政钉** custom robot: ``POST <webhook>&timestamp=<ms>&sign=<urlencoded base64(HMAC-SHA256(
  key=secret, msg="<ms>\\n<secret>"))>``; body ``{"msgtype": "text", "text": {"content": …}}`` or
  ``{"msgtype": "markdown", "markdown": {"title": …, "text": …}}``; success is ``{"errcode": 0}``.
- **WeCom (企业微信)** group robot: ``POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<key>`` (the key
  is in the URL, no signature); body ``{"msgtype": "markdown", "markdown": {"content": …}}``; ``errcode 0``.
- **Feishu (飞书)** custom bot with signature check: body ``{"timestamp": "<s>", "sign": base64(HMAC-SHA256(
  key="<s>\\n<secret>", msg=b"")), "msg_type": "text", "content": {"text": …}}``; success ``{"code": 0}``.

SSRF guard (both at configuration time and before every request): the URL's host must be in
``ZHUANBAN_WEBHOOK_ALLOWED_HOSTS`` (default the three vendors' API hosts); every address it resolves to
must be public unless the host is also in ``ZHUANBAN_WEBHOOK_PRIVATE_HOSTS`` (an intranet 浙政钉 gateway;
the tests' 127.0.0.1); redirects are never followed.

Retries: an attempt that fails (timeout, connection error, 5xx, a vendor error code) is retried with
exponential back-off (``BACKOFF_BASE`` × 2^(attempt−1), capped) up to ``MAX_ATTEMPTS``; then the delivery is
a dead letter (``status=dead``) that the office sees and may replay.  The in-app item never depends on a
push: it exists before any delivery is attempted.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import os
import socket
import time
import urllib.parse
from typing import Any

import requests
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from zhuanban.core.errors import Invalid

from .models import Channel, Delivery

DEFAULT_ALLOWED_HOSTS = ("oapi.dingtalk.com", "qyapi.weixin.qq.com", "open.feishu.cn")
MAX_ATTEMPTS = 5
BACKOFF_BASE = dt.timedelta(seconds=30)
BACKOFF_CAP = dt.timedelta(hours=1)
TIMEOUT = 5.0


def _setting_list(name: str, default: tuple[str, ...]) -> list[str]:
    value = getattr(settings, name, None)
    if value is None:
        env = os.environ.get(name)
        value = [h for h in (env.split(",") if env is not None else default)]
    return [h.strip().lower() for h in value if h.strip()]


def allowed_hosts() -> list[str]:
    return _setting_list("ZHUANBAN_WEBHOOK_ALLOWED_HOSTS", DEFAULT_ALLOWED_HOSTS)


def private_hosts() -> list[str]:
    return _setting_list("ZHUANBAN_WEBHOOK_PRIVATE_HOSTS", ())


def check_url(url: str, *, resolve: bool = True) -> urllib.parse.SplitResult:
    """Refuse a webhook target outside the allowed hosts (422 ``webhook_host_not_allowed``)."""
    parts = urllib.parse.urlsplit(url or "")
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise Invalid("invalid_webhook", "机器人地址须为 http(s) 网址", {"url": "请填写完整的机器人 Webhook 地址"})
    if parts.username or parts.password:
        raise Invalid("invalid_webhook", "机器人地址不能包含用户名或密码", {"url": "不能包含用户名或密码"})
    if host not in allowed_hosts():
        raise Invalid("webhook_host_not_allowed", f"机器人地址的主机 {host} 不在允许范围内",
                      {"url": "只允许钉钉、企业微信、飞书等已配置的主机"})
    if parts.scheme == "http" and host not in private_hosts():
        raise Invalid("invalid_webhook", "机器人地址须使用 https", {"url": "请使用 https"})
    if resolve:
        _check_addresses(host, parts.port or (443 if parts.scheme == "https" else 80))
    return parts


def _check_addresses(host: str, port: int) -> None:
    if host in private_hosts():
        return
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError:
        return  # unresolvable now (an offline intranet at configuration time): checked again at send time
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if not addr.is_global:
            raise Invalid("webhook_private_address", f"机器人地址 {host} 解析到内部地址 {addr}",
                          {"url": "不允许指向内部网络地址"})


# ---- payloads and signing ---------------------------------------------------------------------------


def hmac_b64(key: bytes, msg: bytes) -> str:
    return base64.b64encode(hmac.new(key, msg, digestmod=hashlib.sha256).digest()).decode()


def dingtalk_request(channel: Channel, title: str, text: str, now_ms: int | None = None) -> tuple[str, dict]:
    url = channel.url
    if channel.secret:
        ts = str(now_ms if now_ms is not None else int(time.time() * 1000))
        sign = hmac_b64(channel.secret.encode(), f"{ts}\n{channel.secret}".encode())
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"timestamp": ts, "sign": sign})
    if channel.msgtype == "text":
        body: dict[str, Any] = {"msgtype": "text", "text": {"content": f"{title}\n{text}"}}
    else:
        body = {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n\n{text}"}}
    return url, body


def wecom_request(channel: Channel, title: str, text: str) -> tuple[str, dict]:
    return channel.url, {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n{text}"}}


def feishu_request(channel: Channel, title: str, text: str, now_s: int | None = None) -> tuple[str, dict]:
    body: dict[str, Any] = {"msg_type": "text", "content": {"text": f"{title}\n{text}"}}
    if channel.secret:
        ts = str(now_s if now_s is not None else int(time.time()))
        body = {"timestamp": ts, "sign": hmac_b64(f"{ts}\n{channel.secret}".encode(), b""), **body}
    return channel.url, body


BUILDERS = {Channel.Kind.DINGTALK: dingtalk_request, Channel.Kind.WECOM: wecom_request,
            Channel.Kind.FEISHU: feishu_request}


class DeliveryFailed(Exception):
    pass


def _post(url: str, body: dict[str, Any]) -> None:
    check_url(url)
    try:
        resp = requests.post(url, data=json.dumps(body, ensure_ascii=False).encode(), timeout=TIMEOUT,
                             headers={"Content-Type": "application/json; charset=utf-8"}, allow_redirects=False)
    except requests.RequestException as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}"[:300]) from exc
    if resp.status_code != 200:
        raise DeliveryFailed(f"HTTP {resp.status_code}")
    try:
        data = resp.json()
    except ValueError:
        data = {}
    code = data.get("errcode", data.get("code", 0))
    if code not in (0, None):
        raise DeliveryFailed(f"errcode {code}: {data.get('errmsg') or data.get('msg') or ''}"[:300])


def send(delivery: Delivery) -> None:
    """One attempt; raises :class:`DeliveryFailed`."""
    if delivery.kind == Channel.Kind.EMAIL:
        try:
            send_mail(delivery.subject, delivery.text, None, [delivery.target], fail_silently=False)
        except Exception as exc:  # smtplib / socket errors
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}"[:300]) from exc
        return
    channel = delivery.channel
    if channel is None or not channel.enabled:
        raise DeliveryFailed("渠道已删除或停用")
    url, body = BUILDERS[Channel.Kind(channel.kind)](channel, delivery.subject, delivery.text)
    try:
        _post(url, body)
    except Invalid as exc:
        raise DeliveryFailed(exc.message) from exc


def backoff(attempts: int) -> dt.timedelta:
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def attempt(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Claim a due delivery (a conditional UPDATE: two workers never send one twice) and try it once.

    Returns the new status ("" when it was not claimable: sent, dead, not yet due, or another worker's)."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING,
                                      next_attempt_at__lte=now).update(status=Delivery.Status.SENDING)
    if not claimed:
        return ""
    d = Delivery.objects.select_related("channel").get(pk=delivery_id)
    d.attempts += 1
    try:
        send(d)
    except DeliveryFailed as exc:
        d.last_error = str(exc)[:300]
        if d.attempts >= MAX_ATTEMPTS:
            d.status = Delivery.Status.DEAD
        else:
            d.status, d.next_attempt_at = Delivery.Status.PENDING, now + backoff(d.attempts)
        d.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        if d.status == Delivery.Status.PENDING:
            from .tasks import schedule_retry

            schedule_retry(d)
        return d.status
    d.status, d.sent_at, d.last_error = Delivery.Status.SENT, timezone.now(), ""
    d.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return d.status


def process_due(*, now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Attempt every due pending delivery (the deliveries sweep and the worker's batch task).  A delivery
    left "sending" by a killed worker for 10 minutes goes back to pending first."""
    now = now or timezone.now()
    Delivery.objects.filter(status=Delivery.Status.SENDING,
                            next_attempt_at__lt=now - dt.timedelta(minutes=10)).update(
        status=Delivery.Status.PENDING)
    ids = list(Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit])
    counts: dict[str, int] = {}
    for pk in ids:
        status = attempt(pk, now=now)
        if status:
            counts[status] = counts.get(status, 0) + 1
    return counts
