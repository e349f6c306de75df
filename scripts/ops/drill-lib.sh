# Shared prologue of the drills in scripts/ops (sourced, not run): PostgreSQL binaries, timing, a work
# folder owned by postgres when run as root, clean-up of the drill's clusters, and an application
# environment that inherits nothing.
#   DRILL=<name> CLUSTERS="<data dirs under the work folder>" . "$(dirname "$0")/drill-lib.sh"
# Defines ROOT ZB PG_BIN WORK RUN_AS PORT PORT2 and step, free_port, psql, pg.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ZB="${ZHUANBAN_BIN:-$ROOT/.venv/bin/zhuanban}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "PostgreSQL server binaries not found (install Debian's postgresql package)" >&2
  exit 2
fi
T0=$(date +%s.%N)
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(date +%s.%N)"; }
step() { echo "== $* (t+$(elapsed "$T0") s)"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

WORK="$(mktemp -d "/tmp/zhuanban-$DRILL-drill.XXXXXX")"
RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  chown postgres: "$WORK"          # PostgreSQL refuses to run as root: the clusters belong to postgres
  RUN_AS=(runuser -u postgres --)
fi
PORT="$(free_port)"
PORT2="$(free_port)"
cleanup() {
  for c in $CLUSTERS; do
    "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/$c" -m immediate stop >/dev/null 2>&1 || true
  done
  if [ "${KEEP:-0}" = "1" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# The application's environment: nothing inherited (a test run's settings, a real deployment's URL).
for v in $(compgen -e | grep '^ZHUANBAN_' || true); do unset "$v"; done
export DJANGO_SETTINGS_MODULE=zhuanban.settings ZHUANBAN_PG_BIN="$PG_BIN"
export ZHUANBAN_SECRET_KEY="drill-$(python3 -c 'import secrets; print(secrets.token_urlsafe(40))')"
export ZHUANBAN_CRYPTO_KEYS="k1:$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
export ZHUANBAN_HTTPS=0 ZHUANBAN_VAR_DIR="$WORK/var"
psql() { "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
pg() { "${RUN_AS[@]}" "$PG_BIN/$1" "${@:2}"; }
