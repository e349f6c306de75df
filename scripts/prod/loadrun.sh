#!/usr/bin/env bash
# A bounded load run against the production profile (scripts/prod/up.sh must be up): prepares N users
# (scripts/load/prepare.py), runs locust headless (scripts/load/locustfile.py: 80 % reads, 20 % writes)
# against the gunicorn port, then prints throughput, p50/p95/p99 and errors, writes summary.json, and checks
# that every acknowledged write is in the database.
#   scripts/prod/loadrun.sh                 (make loadrun)
# Environment: DURATION=5m  USERS=50  SPAWN_RATE=10  LOAD_WAIT_MIN=0.5 LOAD_WAIT_MAX=2 (think time, seconds)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${BIN:-$ROOT/.venv/bin}"
PROD="${PROD_DIR:-$ROOT/var/prod}"
DURATION="${DURATION:-5m}"
USERS="${USERS:-50}"
SPAWN_RATE="${SPAWN_RATE:-10}"

[ -f "$PROD/env" ] || { echo "the production profile is not up: make prod-up (scripts/prod/up.sh)" >&2; exit 1; }
# shellcheck disable=SC1091
. "$PROD/env"
export DJANGO_SETTINGS_MODULE=zhuanban.settings
[ -x "$BIN/locust" ] || { echo "locust is not installed in $BIN (pip install locust)" >&2; exit 1; }

OUT="$PROD/loadrun/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
echo "== preparing $USERS users" >&2
"$BIN/python" "$ROOT/scripts/load/prepare.py" --users "$USERS" --out "$OUT/load.json"

echo "== locust: $USERS users, $DURATION against $PROD_URL ($GUNICORN_WORKERS gunicorn workers)" >&2
rc=0
LOAD_SUBJECTS="$OUT/load.json" LOAD_ACK_LOG="$OUT/acks.jsonl" \
  "$BIN/locust" -f "$ROOT/scripts/load/locustfile.py" --host "$PROD_URL" --headless --only-summary \
  -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" --stop-timeout 10 --csv "$OUT/run" \
  --loglevel WARNING --logfile "$OUT/locust.log" >"$OUT/locust.out" 2>&1 || rc=$?

meta=$(printf '{"users": %s, "duration": "%s", "gunicorn_workers": %s, "url": "%s", "redis": %s, "data": "%s"}' \
  "$USERS" "$DURATION" "${GUNICORN_WORKERS:-0}" "$PROD_URL" "$([ -n "${ZHUANBAN_REDIS_URL:-}" ] && echo true || echo false)" \
  "${PROD_DATA:-}")
echo >&2
"$BIN/python" "$ROOT/scripts/load/report.py" "$OUT/run" --acks "$OUT/acks.jsonl" --meta "$meta" || rc=1
ln -sfn "$OUT" "$PROD/loadrun/latest"
rm -f "$OUT/load.json"  # sessions and tokens of the run: not kept
exit "$rc"
