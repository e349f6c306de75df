#!/usr/bin/env bash
# Streaming replica drill (docs/backup.md): a loopback primary with wal_level=replica and WAL archiving
# (archive_mode=on, archive_command copying into an archive folder); `pg_basebackup -R` with a replication
# slot makes a second cluster on another port a streaming hot standby.  The application writes on the
# primary (an audited unit) and reads it back from the standby through ZHUANBAN_REPLICA_URL and
# zhuanban.core.replica.reading_replica(), timing the lag; pg_stat_replication and pg_stat_archiver are
# shown; a write on the standby is refused; finally the standby is promoted (failover) and takes a write.
#
#   scripts/ops/replica-drill.sh           exit 0 when the standby streams and serves the application's reads
#   KEEP=1 scripts/ops/replica-drill.sh    keep the work folder (clusters stopped)
# Options: ZHUANBAN_BIN (default .venv/bin/zhuanban), PG_BIN (default the newest /usr/lib/postgresql/*/bin).
DRILL=replica CLUSTERS="standby primary"
. "$(dirname "$0")/drill-lib.sh"
ARCH="$WORK/wal-archive"
PRIMARY="postgres://zhuanban@127.0.0.1:$PORT"
STANDBY="postgres://zhuanban@127.0.0.1:$PORT2"

step "primary: initdb, wal_level=replica, WAL archiving, start on 127.0.0.1:$PORT ($("$PG_BIN/postgres" --version))"
pg initdb -D "$WORK/primary" -U zhuanban --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" mkdir -m 700 "$ARCH"
cat >> "$WORK/primary/postgresql.conf" <<EOF
# --- replica drill: streaming replication and continuous archiving (docs/backup.md) ---
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
hot_standby = on
archive_mode = on
archive_command = 'test ! -f $ARCH/%f && cp %p $ARCH/%f'
EOF
# fsync off: a drill's clusters are thrown away; it changes nothing in what is streamed or archived.
pg pg_ctl -D "$WORK/primary" -l "$WORK/primary.log" -w -o "-h 127.0.0.1 -p $PORT -k $WORK -c fsync=off" start >/dev/null
psql "$PRIMARY/postgres" -c "CREATE DATABASE zhuanban"

step "migrate (on the primary)"
ZHUANBAN_DATABASE_URL="$PRIMARY/zhuanban" "$ZB" migrate --noinput -v 0 --skip-checks

step "standby: pg_basebackup -R with replication slot zb_standby, start on 127.0.0.1:$PORT2"
pg pg_basebackup -h 127.0.0.1 -p "$PORT" -U zhuanban -D "$WORK/standby" -R -X stream -C -S zb_standby -c fast --no-sync
grep -E "primary_conninfo|primary_slot_name" "$WORK/standby/postgresql.auto.conf" | sed 's/password=[^ ]*/password=…/'
pg pg_ctl -D "$WORK/standby" -l "$WORK/standby.log" -w -o "-h 127.0.0.1 -p $PORT2 -k $WORK -c fsync=off" start >/dev/null
for _ in $(seq 100); do
  [ "$(psql "$PRIMARY/postgres" -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = "1" ] && break
  sleep 0.1
done
echo "standby in recovery: $(psql "$STANDBY/postgres" -c "SELECT pg_is_in_recovery()")"

step "write on the primary, read on the standby (ZHUANBAN_REPLICA_URL + reading_replica())"
ZHUANBAN_DATABASE_URL="$PRIMARY/zhuanban" ZHUANBAN_REPLICA_URL="$STANDBY/zhuanban" "$ZB" shell -v 0 -c '
import time
from django.db import connections
from zhuanban.core import auditchain
from zhuanban.core.replica import reading_replica
from zhuanban.org import services
from zhuanban.org.models import Unit, User
admin = User.objects.create_superuser("drill", password=None)
connections["replica"].ensure_connection()  # time the replication, not the connection set-up
start = time.monotonic()
unit = services.create_unit(admin, name="演练单位R1", kind=Unit.Kind.PARTY_GOV)  # committed on the primary
with reading_replica() as alias:
    while not Unit.objects.filter(name="演练单位R1").exists():
        if time.monotonic() - start > 10:
            raise SystemExit("not on the standby after 10 s")
        time.sleep(0.005)
    lag = (time.monotonic() - start) * 1000
    print(f"unit #{unit.pk} written on the primary, read from {alias!r} after {lag:.0f} ms")
    print("reads inside reading_replica() use:", Unit.objects.all().db)
    with connections["replica"].cursor() as c:
        c.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        print("that connection: pg_is_in_recovery=%s, port %s" % c.fetchone())
    print("audit chain read from the standby:", auditchain.verify_db().message())
    services.create_unit(admin, name="演练单位R2", kind=Unit.Kind.PARTY_GOV)  # a write inside the block
print("the write inside the block went to the primary:",
      Unit.objects.using("default").filter(name="演练单位R2").exists())' | tee "$WORK/app.txt"
grep -q "read from 'replica'" "$WORK/app.txt"
grep -q "pg_is_in_recovery=True" "$WORK/app.txt"
grep -q "went to the primary: True" "$WORK/app.txt"

step "psql: a row inserted on the primary, polled on the standby"
psql "$PRIMARY/zhuanban" -c "CREATE TABLE drill_ping (at timestamptz DEFAULT clock_timestamp())"
psql "$PRIMARY/zhuanban" -c "INSERT INTO drill_ping DEFAULT VALUES"
S=$(date +%s.%N)
for _ in $(seq 1000); do
  [ "$(psql "$STANDBY/zhuanban" -c "SELECT count(*) FROM drill_ping" 2>/dev/null)" = "1" ] && break
  sleep 0.01
done
[ "$(psql "$STANDBY/zhuanban" -c "SELECT count(*) FROM drill_ping")" = "1" ]
echo "visible on the standby after $(elapsed "$S") s"
psql "$PRIMARY/postgres" -P pager=off -F ' | ' -c "SELECT 'pg_stat_replication:', application_name, client_addr, state, sync_state,
  sent_lsn, replay_lsn, coalesce(replay_lag::text, '0') AS replay_lag FROM pg_stat_replication"
psql "$PRIMARY/postgres" -c "SELECT 'replication slot ' || slot_name || ' active=' || active FROM pg_replication_slots"
SEG="$(psql "$PRIMARY/postgres" -c "SELECT pg_walfile_name(pg_switch_wal())")"
for _ in $(seq 100); do [ -f "$ARCH/$SEG" ] && break; sleep 0.1; done
[ -f "$ARCH/$SEG" ] || { echo "segment $SEG was not archived" >&2; exit 1; }
sleep 0.5  # the archiver's statistics are published asynchronously
psql "$PRIMARY/postgres" -c "SELECT 'pg_stat_archiver: archived_count=' || archived_count || ', last_archived_wal=' || last_archived_wal || ', failed_count=' || failed_count FROM pg_stat_archiver"
echo "archive folder: $(ls "$ARCH" | wc -l) files, the newest segment $SEG"

step "a write on the standby is refused"
if out="$(psql "$STANDBY/zhuanban" -c "INSERT INTO drill_ping DEFAULT VALUES" 2>&1)"; then
  echo "the standby accepted a write" >&2
  exit 1
fi
echo "refused: ${out#psql:*ERROR:  }"

step "failover: stop the primary, promote the standby, write on it"
pg pg_ctl -D "$WORK/primary" -m fast stop >/dev/null
pg pg_ctl -D "$WORK/standby" -w promote >/dev/null
psql "$STANDBY/zhuanban" -c "INSERT INTO drill_ping DEFAULT VALUES"
echo "promoted: pg_is_in_recovery=$(psql "$STANDBY/postgres" -c "SELECT pg_is_in_recovery()"), rows $(psql "$STANDBY/zhuanban" -c "SELECT count(*) FROM drill_ping")"
grep -E "received promote request|selected new timeline|database system is ready" "$WORK/standby.log" | tail -n 3 | sed 's/^[^ ]* [^ ]* [^ ]* //' 

step "REPLICA DRILL OK in $(elapsed "$T0") s"
