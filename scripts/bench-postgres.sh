#!/usr/bin/env bash
# A PostgreSQL cluster on loopback for `zhuanban generate/bench --db postgres`, kept between runs under
# var/bench-pg so a province-scale data set is generated once.
#   scripts/bench-postgres.sh start [DB]   initialise (first time) and start, create database DB
#                                          (default zhuanban_bench) if missing; prints its URL
#   scripts/bench-postgres.sh stop    stop it
#   scripts/bench-postgres.sh drop    stop it and delete the cluster
# The server settings are those docs/operations.md recommends for a modest 2-core / 8 GB+ server.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
PORT="${ZHUANBAN_BENCH_PG_PORT:-55432}"
DATA="$ROOT/var/bench-pg"
NAME="${2:-zhuanban_bench}"
URL="postgres://zhuanban@127.0.0.1:$PORT/$NAME"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL server binaries not found (install Debian's postgresql package)" >&2
  exit 1
fi
RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  RUN_AS=(runuser -u postgres --)  # PostgreSQL refuses to run as root
fi

case "${1:-start}" in
  start)
    if [ ! -f "$DATA/db/PG_VERSION" ]; then
      mkdir -p "$DATA"
      [ "$(id -u)" = "0" ] && chown postgres: "$DATA"
      "${RUN_AS[@]}" "$PG_BIN/initdb" -D "$DATA/db" -U zhuanban --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      cat >> "$DATA/db/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
shared_buffers = 1GB
effective_cache_size = 4GB
work_mem = 16MB
maintenance_work_mem = 256MB
random_page_cost = 1.1
jit = off
max_wal_size = 4GB
CONF
    fi
    if ! "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA/db" status >/dev/null 2>&1; then
      "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA/db" -l "$DATA/log" -w -o "-p $PORT -k $DATA" start >/dev/null
    fi
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U zhuanban -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$NAME'" | grep -q 1 \
      || "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U zhuanban "$NAME"
    echo "$URL"
    ;;
  stop)
    "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA/db" -m fast stop >/dev/null 2>&1 || true
    ;;
  drop)
    "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA/db" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$DATA"
    ;;
  *) echo "usage: $0 start|stop|drop" >&2; exit 2 ;;
esac
