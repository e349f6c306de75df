"""gunicorn settings for Zhuanban: ``gunicorn -c deploy/gunicorn.conf.py zhuanban.wsgi:application``.

Every value can be changed from the environment (deploy/zhuanban.env.example); the defaults suit a
2–4 core machine behind nginx on the same host.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


# Loopback only: nginx (deploy/nginx.conf.example) is the one that faces the network.
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_int('ZHUANBAN_PORT', _int('PORT', 8000))}"
# Synchronous workers: the app is CPU and database bound; (2 × cores) + 1 is gunicorn's rule of thumb.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# A request longer than this is killed (and logged); uploads and exports finish well within it.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM/SIGHUP a worker finishes the request it is serving for up to this long before it is killed.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle each worker after about this many requests (jitter spreads the restarts), bounding slow leaks.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Off by default so that `kill -HUP <master>` reloads the code (new workers import it afresh); on, the
# workers share the loaded app's memory, and a code change needs a full restart (or USR2 + WINCH + QUIT).
preload_app = os.environ.get("GUNICORN_PRELOAD", "0") in ("1", "true", "yes")
# nginx on the same host sets X-Forwarded-For / X-Forwarded-Proto; trust them only from loopback.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
# Worker heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or ("/dev/shm" if os.path.isdir("/dev/shm") else None)
limit_request_line = 8190
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or "-"
errorlog = os.environ.get("GUNICORN_ERROR_LOG") or "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The app logs to stderr (settings.LOGGING): into the error log too, also when daemonised.
capture_output = True
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "zhuanban"
# gunicorn's control socket (gunicornc) defaults to one path per user, which two instances on a host would
# share: off unless a path is given.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
if control_socket_disable:
    del control_socket


def pre_fork(server, worker):  # noqa: ARG001
    # With preload_app the master may have opened a database connection while loading the app: close it
    # in the master before forking, so no worker inherits (and shares) its socket.
    if preload_app:
        from django.db import connections

        for conn in connections.all(initialized_only=True):
            conn.close()
