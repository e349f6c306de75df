#!/usr/bin/env bash
# The production profile on loopback, under var/prod/ (docs/operations.md "Production profile"):
# a throwaway PostgreSQL cluster, redis-server, gunicorn (several workers behind one port), the RQ worker
# and `zhuanban scheduler`.  Writes var/prod/env (source it to reach the same services) and var/prod/run/*.pid.
#   scripts/prod/up.sh            (make prod-up)          stop with scripts/prod/down.sh (make prod-down)
# Environment:
#   DATA=demo|none|scale   what to load after migrating (default demo; scale runs `zhuanban generate --scale $SCALE`)
#   WORKERS=4              gunicorn workers           PORT=<free>     the gunicorn port (127.0.0.1)
#   REDIS=auto|0           use redis-server when installed (auto), or run without it (database queue, local cache)
#   PROD_DATABASE_URL=...  use this database instead of a throwaway cluster (e.g. scripts/bench-postgres.sh start)
#   PG_FAST=1              fsync off in the throwaway cluster (tests; never for figures you quote)
#   COLLECTSTATIC=0        skip collectstatic (API-only use, e.g. tests: pages would fail without the manifest)
#   PROD_DIR=var/prod      where everything lives (tests use a temporary directory)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${BIN:-$ROOT/.venv/bin}"
PROD="${PROD_DIR:-$ROOT/var/prod}"
DATA="${DATA:-demo}"
WORKERS="${WORKERS:-4}"
REDIS="${REDIS:-auto}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"

say() { printf '[prod-up] %s\n' "$*" >&2; }
trap 'say "failed (line $LINENO): what started is stopped by scripts/prod/down.sh"' ERR
die() { say "$*"; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

for pidfile in "$PROD"/run/*.pid; do
  if alive "$pidfile"; then
    die "already up ($pidfile is running): scripts/prod/down.sh first, or source $PROD/env"
  fi
done
[ -f "$PROD/run/pgdata" ] && die "a previous profile's database is still recorded in $PROD/run/pgdata: scripts/prod/down.sh first"
[ -x "$BIN/zhuanban" ] || die "$BIN/zhuanban not found: run make deps first"

mkdir -p "$PROD"/{run,log,media,static}
chmod 700 "$PROD"
rm -f "$PROD"/run/*.pid "$PROD/env"
RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  RUN_AS=(runuser -u postgres --)  # PostgreSQL refuses to run as root: the cluster belongs to postgres
fi

# Secrets of this throwaway profile: made once per directory, never printed.
[ -s "$PROD/secret_key" ] || python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > "$PROD/secret_key"
[ -s "$PROD/crypto_keys" ] || python3 -c 'import base64, os; print("k1:" + base64.b64encode(os.urandom(32)).decode())' \
  > "$PROD/crypto_keys"
chmod 600 "$PROD/secret_key" "$PROD/crypto_keys"

# ---- PostgreSQL ---------------------------------------------------------------------------------------
PG_PORT="" PG_DATA=""
if [ -n "${PROD_DATABASE_URL:-}" ]; then
  DATABASE_URL="$PROD_DATABASE_URL"
  say "database: $DATABASE_URL (given; not managed by these scripts)"
else
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    die "PostgreSQL server binaries not found (install Debian's postgresql package)"
  fi
  PG_PORT="${PG_PORT_WANTED:-$(free_port)}"
  PG_DATA="$PROD/pg"
  rm -rf "$PG_DATA"
  mkdir -p "$PG_DATA"
  chmod 755 "$PROD"  # the postgres account must reach $PROD/pg (the secrets stay 600)
  if [ "$(id -u)" = "0" ]; then
    chown postgres: "$PG_DATA"
    if ! runuser -u postgres -- test -w "$PG_DATA"; then
      # The checkout is somewhere the postgres account cannot reach (a home directory): use /tmp.
      rmdir "$PG_DATA"
      PG_DATA="$(mktemp -d /tmp/zhuanban-prod-pg.XXXXXX)"
      chown postgres: "$PG_DATA"
    fi
  fi
  echo "$PG_DATA" > "$PROD/run/pgdata"  # for down.sh, even if this script fails further on
  say "PostgreSQL: initdb in $PG_DATA, port $PG_PORT"
  "${RUN_AS[@]}" "$PG_BIN/initdb" -D "$PG_DATA/db" -U zhuanban --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$PG_DATA/db/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DATA'
max_connections = 200
shared_buffers = 256MB
work_mem = 8MB
jit = off
CONF
  if [ "${PG_FAST:-0}" = "1" ]; then
    printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >> "$PG_DATA/db/postgresql.conf"
  fi
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA/db" -l "$PG_DATA/log" -w start >/dev/null
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U zhuanban zhuanban
  DATABASE_URL="postgres://zhuanban@127.0.0.1:$PG_PORT/zhuanban"
fi

# ---- Redis --------------------------------------------------------------------------------------------
REDIS_PORT="" REDIS_URL=""
if [ "$REDIS" != "0" ] && command -v redis-server >/dev/null 2>&1; then
  REDIS_PORT="${REDIS_PORT_WANTED:-$(free_port)}"
  mkdir -p "$PROD/redis"
  # A cache and a job queue, both rebuilt on restart: no snapshots, no append-only file.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$PROD/redis" \
    --pidfile "$PROD/run/redis.pid" --logfile "$PROD/log/redis.log" --save "" --appendonly no \
    --maxmemory 256mb --maxmemory-policy noeviction >/dev/null
  for _ in $(seq 50); do [ -s "$PROD/run/redis.pid" ] && break; sleep 0.1; done
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  say "Redis on 127.0.0.1:$REDIS_PORT (cache and RQ queue)"
elif [ "$REDIS" != "0" ]; then
  say "redis-server not installed: local-memory cache and the database task queue instead"
fi

# ---- the environment every process of the profile shares ------------------------------------------------
PORT="${PORT:-$(free_port)}"
DEMO=0
{ [ "$DATA" = "demo" ] || [ "$DATA" = "scale" ]; } && DEMO=1  # generated accounts are demo accounts too
umask 077
{
  echo "# written by scripts/prod/up.sh on $(date -Is); source it: . $PROD/env"
  echo "export ZHUANBAN_SECRET_KEY=$(cat "$PROD/secret_key")"
  echo "export ZHUANBAN_CRYPTO_KEY_FILE=$PROD/crypto_keys"
  echo "export ZHUANBAN_DATABASE_URL=$DATABASE_URL"
  echo "export ZHUANBAN_VAR_DIR=$PROD"
  echo "export ZHUANBAN_STATIC_ROOT=$PROD/static"
  echo "export ZHUANBAN_MEDIA_ROOT=$PROD/media"
  echo "export ZHUANBAN_ALLOWED_HOSTS=127.0.0.1,localhost"
  # Plain HTTP on loopback (no nginx in front here): no Secure cookies, no HTTPS redirect.
  echo "export ZHUANBAN_HTTPS=0"
  echo "export ZHUANBAN_DEMO=$DEMO"
  echo "export ZHUANBAN_LOADRUN=1"
  echo "export ZHUANBAN_PORT=$PORT"
  echo "export GUNICORN_WORKERS=$WORKERS"
  if [ -n "$REDIS_URL" ]; then
    echo "export ZHUANBAN_REDIS_URL=$REDIS_URL"
    echo "export ZHUANBAN_TASKS_BACKEND=rq"
  fi
  echo "export PROD_DIR=$PROD"
  echo "export PROD_URL=http://127.0.0.1:$PORT"
  echo "export PROD_PG_PORT=$PG_PORT"
  echo "export PROD_PG_DATA=$PG_DATA"
  echo "export PROD_REDIS_PORT=$REDIS_PORT"
  echo "export PROD_DATA=$DATA"
} > "$PROD/env"
umask 022
# shellcheck disable=SC1091
. "$PROD/env"
export DJANGO_SETTINGS_MODULE=zhuanban.settings

# ---- schema, static files, data ---------------------------------------------------------------------------
say "migrate"
"$BIN/zhuanban" migrate --noinput -v 0
if [ "${COLLECTSTATIC:-1}" != "0" ]; then
  # WhiteNoise compresses every file (gzip and Brotli): about a minute of CPU.
  say "collectstatic → $PROD/static"
  "$BIN/zhuanban" collectstatic --noinput -v 0
fi
case "$DATA" in
  demo) say "loading the demo data"; "$BIN/zhuanban" demo --no-progress >"$PROD/log/demo.log" ;;
  scale) say "generating data: --scale ${SCALE:?set SCALE for DATA=scale}"; "$BIN/zhuanban" generate --scale "$SCALE" ;;
  none) ;;
  *) die "DATA must be demo, scale or none" ;;
esac

# ---- the processes ----------------------------------------------------------------------------------------
say "gunicorn: $WORKERS workers on 127.0.0.1:$PORT"
"$BIN/gunicorn" -c "$ROOT/deploy/gunicorn.conf.py" --chdir "$ROOT" --pid "$PROD/run/gunicorn.pid" \
  --access-logfile "$PROD/log/access.log" --error-logfile "$PROD/log/gunicorn.log" --daemon \
  zhuanban.wsgi:application

if [ -n "$REDIS_URL" ]; then
  say "RQ worker (django-tasks-rq job class)"
  nohup "$BIN/zhuanban" rqworker --job-class django_tasks_rq.Job --name "zhuanban-$PORT" default \
    >"$PROD/log/worker.log" 2>&1 &
else
  say "database task worker (zhuanban db_worker)"
  nohup "$BIN/zhuanban" db_worker >"$PROD/log/worker.log" 2>&1 &
fi
echo $! > "$PROD/run/worker.pid"

say "scheduler"
nohup "$BIN/zhuanban" scheduler >"$PROD/log/scheduler.log" 2>&1 &
echo $! > "$PROD/run/scheduler.pid"

# ---- wait until it answers -----------------------------------------------------------------------------------
for _ in $(seq 120); do
  if body="$("$BIN/python" -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())' \
             "$PROD_URL/healthz" 2>/dev/null)"; then
    say "up: $PROD_URL  (healthz: $body)"
    say "environment: . $PROD/env    logs: $PROD/log/    stop: scripts/prod/down.sh"
    exit 0
  fi
  sleep 0.5
done
say "gunicorn did not answer /healthz within 60 s; see $PROD/log/gunicorn.log"
tail -20 "$PROD/log/gunicorn.log" >&2 || true
exit 1
