#!/usr/bin/env bash
# Stop the production profile started by scripts/prod/up.sh and remove its throwaway database and Redis
# data.  Logs (var/prod/log/) and load-run results (var/prod/loadrun/) are kept; KEEP=0 removes everything.
#   scripts/prod/down.sh          (make prod-down)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PROD="${PROD_DIR:-$ROOT/var/prod}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"

say() { printf '[prod-down] %s\n' "$*" >&2; }

PROD_PG_DATA=""
if [ -f "$PROD/run/pgdata" ]; then
  PROD_PG_DATA="$(cat "$PROD/run/pgdata")"
elif [ -f "$PROD/env" ]; then
  PROD_PG_DATA="$(sed -n 's/^export PROD_PG_DATA=//p' "$PROD/env")"
fi

# Stop a process by its pid file: TERM, wait up to $2 seconds, then KILL.  Only the pid in the file.
stop() {
  local pidfile="$PROD/run/$1.pid" wait="${2:-30}" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    say "stopping $1 (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq $((wait * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "$1 did not stop within ${wait}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

# Web first (no new requests), then the scheduler, the worker (finishes its job: warm shutdown), then Redis.
stop gunicorn 40
stop scheduler 15
stop worker 60
stop redis 15

if [ -n "$PROD_PG_DATA" ] && [ -f "$PROD_PG_DATA/db/PG_VERSION" ]; then
  say "stopping PostgreSQL and removing $PROD_PG_DATA"
  RUN_AS=()
  [ "$(id -u)" = "0" ] && RUN_AS=(runuser -u postgres --)
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PROD_PG_DATA/db" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PROD_PG_DATA"
fi
rm -rf "$PROD/redis" "$PROD/env" "$PROD/run" "$PROD/media" "$PROD/static" "$PROD/load.json"
if [ "${KEEP:-1}" = "0" ]; then
  rm -rf "$PROD"
fi
say "down"
