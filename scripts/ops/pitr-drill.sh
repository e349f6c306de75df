#!/usr/bin/env bash
# Point-in-time recovery drill (docs/backup.md): a loopback primary archives its WAL (archive_mode=on,
# archive_command copying into an archive folder); after a base backup the application writes rows A
# (audited units), the moment T is recorded, then rows B are written.  The base backup is restored into a
# new cluster that replays the archive up to recovery_target_time = T (restore_command copying back from
# the archive), with the primary stopped.  Checks: A present, B absent, the audit chain verifies and its
# checksum equals the one taken at T.
#
#   scripts/ops/pitr-drill.sh              exit 0 when the recovered database is exactly the one at T
#   KEEP=1 scripts/ops/pitr-drill.sh       keep the work folder (clusters stopped)
# Options: ZHUANBAN_BIN (default .venv/bin/zhuanban), PG_BIN (default the newest /usr/lib/postgresql/*/bin).
DRILL=pitr CLUSTERS="primary pitr"
. "$(dirname "$0")/drill-lib.sh"
ARCH="$WORK/wal-archive"
PRIMARY="postgres://zhuanban@127.0.0.1:$PORT"
RECOVERED="postgres://zhuanban@127.0.0.1:$PORT2"

step "primary: initdb, WAL archiving on, start on 127.0.0.1:$PORT ($("$PG_BIN/postgres" --version))"
pg initdb -D "$WORK/primary" -U zhuanban --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" mkdir -m 700 "$ARCH"
cat >> "$WORK/primary/postgresql.conf" <<EOF
# --- pitr drill: continuous archiving (docs/backup.md) ---
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $ARCH/%f && cp %p $ARCH/%f'
EOF
# fsync off: a drill's clusters are thrown away; it changes nothing in what is archived or replayed.
pg pg_ctl -D "$WORK/primary" -l "$WORK/primary.log" -w -o "-h 127.0.0.1 -p $PORT -k $WORK -c fsync=off" start >/dev/null
psql "$PRIMARY/postgres" -c "CREATE DATABASE zhuanban"

step "migrate"
ZHUANBAN_DATABASE_URL="$PRIMARY/zhuanban" "$ZB" migrate --noinput -v 0 --skip-checks

step "base backup (pg_basebackup, before A)"
pg pg_basebackup -h 127.0.0.1 -p "$PORT" -U zhuanban -D "$WORK/base" -X stream -c fast --no-sync
echo "base backup: $(du -sh "$WORK/base" | cut -f1)"

step "write rows A, record the moment T, write rows B (units created through the audited service)"
ZHUANBAN_DATABASE_URL="$PRIMARY/zhuanban" "$ZB" shell -v 0 -c '
import time
from django.db import connection
from zhuanban.core import audit
from zhuanban.org import services
from zhuanban.org.models import Unit, User
admin = User.objects.create_superuser("drill", password=None)
for i in (1, 2, 3):
    services.create_unit(admin, name=f"演练单位A{i}", kind=Unit.Kind.PARTY_GOV)
with connection.cursor() as c:
    c.execute("SELECT clock_timestamp()::text")
    moment = c.fetchone()[0]
count, digest = audit.checksum()
print(f"T={moment}")
print(f"AUDIT_AT_T={digest} {count}")
time.sleep(0.5)
for i in (1, 2, 3):
    services.create_unit(admin, name=f"演练单位B{i}", kind=Unit.Kind.PARTY_GOV)
print("after B: %s events, checksum %s" % audit.checksum())' | tee "$WORK/moment.txt"
T="$(sed -n 's/^T=//p' "$WORK/moment.txt")"
AUDIT_AT_T="$(sed -n 's/^AUDIT_AT_T=//p' "$WORK/moment.txt")"

step "switch WAL and wait until the segment holding B is archived"
SEG="$(psql "$PRIMARY/postgres" -c "SELECT pg_walfile_name(pg_switch_wal())")"
for _ in $(seq 100); do [ -f "$ARCH/$SEG" ] && break; sleep 0.1; done
[ -f "$ARCH/$SEG" ] || { echo "segment $SEG was not archived" >&2; tail "$WORK/primary.log" >&2; exit 1; }
echo "archived: $(ls "$ARCH" | grep -vc '\.') segments, the last $SEG; $(psql "$PRIMARY/postgres" -c "SELECT 'pg_stat_archiver: archived_count=' || archived_count || ', failed_count=' || failed_count FROM pg_stat_archiver")"
pg pg_ctl -D "$WORK/primary" -m fast stop >/dev/null
echo "primary stopped: recovery uses only the base backup and the archive"

step "recover the base backup into a new cluster (127.0.0.1:$PORT2) to recovery_target_time = '$T'"
"${RUN_AS[@]}" cp -a "$WORK/base" "$WORK/pitr"
cat >> "$WORK/pitr/postgresql.conf" <<EOF
# --- pitr drill: recovery to a chosen moment ---
archive_mode = off
restore_command = 'cp $ARCH/%f %p'
recovery_target_time = '$T'
recovery_target_action = 'promote'
EOF
"${RUN_AS[@]}" touch "$WORK/pitr/recovery.signal"
pg pg_ctl -D "$WORK/pitr" -l "$WORK/pitr.log" -w -t 60 -o "-h 127.0.0.1 -p $PORT2 -k $WORK -c fsync=off" start >/dev/null
for _ in $(seq 300); do
  [ "$(psql "$RECOVERED/postgres" -c "SELECT pg_is_in_recovery()" 2>/dev/null)" = "f" ] && break
  sleep 0.1
done
grep -E "starting point-in-time recovery|recovery stopping|last completed transaction|selected new timeline" \
  "$WORK/pitr.log" | sed 's/^[^ ]* [^ ]* [^ ]* //' || true

step "check the recovered database"
status=0
UNITS="$(psql "$RECOVERED/zhuanban" -c "SELECT string_agg(name, ' ' ORDER BY name) FROM org_unit WHERE name LIKE '演练单位%'")"
echo "units: $UNITS"
[ "$UNITS" = "演练单位A1 演练单位A2 演练单位A3" ] || { echo "expected A1..A3 and no B" >&2; status=1; }
ZHUANBAN_DATABASE_URL="$RECOVERED/zhuanban" "$ZB" shell -v 0 -c '
from zhuanban.core import audit, auditchain
print(auditchain.verify_db().message())
count, digest = audit.checksum()
print(f"AUDIT_NOW={digest} {count}")' | tee "$WORK/check.txt"
grep -q "^审计链完整" "$WORK/check.txt" || status=1
NOW="$(sed -n 's/^AUDIT_NOW=//p' "$WORK/check.txt")"
echo "audit checksum at T: $AUDIT_AT_T; recovered: $NOW"
[ "$NOW" = "$AUDIT_AT_T" ] || status=1

if [ "$status" != 0 ]; then
  echo "PITR DRILL FAILED" >&2
  exit 1
fi
step "PITR DRILL OK in $(elapsed "$T0") s"
