#!/usr/bin/env bash
# Backup drill (docs/backup.md): on a throwaway loopback PostgreSQL cluster, build a database (migrate +
# the demo cases + one uploaded file), take `zhuanban backup`, restore it with `zhuanban restore` into a
# fresh database and an empty files folder, and check the copy: the restore command's own checks (row
# count of every table, audit checksum, audit chain, every attachment's SHA-256), then independently of
# the application: row counts of key tables side by side, the audit hashes, and the files' SHA-256.
#
#   scripts/ops/backup-drill.sh            exit 0 when everything matches; the cluster is removed
#   KEEP=1 scripts/ops/backup-drill.sh     keep the work folder (cluster stopped) for a look
# Options: ZHUANBAN_BIN (default .venv/bin/zhuanban), PG_BIN (default the newest /usr/lib/postgresql/*/bin).
DRILL=backup CLUSTERS="primary"
. "$(dirname "$0")/drill-lib.sh"
export ZHUANBAN_DEMO=1 ZHUANBAN_MEDIA_ROOT="$WORK/media"
URL="postgres://zhuanban@127.0.0.1:$PORT"
export ZHUANBAN_DATABASE_URL="$URL/zhuanban"

step "cluster: initdb + start on 127.0.0.1:$PORT ($("$PG_BIN/postgres" --version))"
"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$WORK/primary" -U zhuanban --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w \
  -o "-h 127.0.0.1 -p $PORT -k $WORK -c fsync=off -c full_page_writes=off" start >/dev/null
psql "$URL/postgres" -c "CREATE DATABASE zhuanban"

step "migrate"
"$ZB" migrate --noinput -v 0 --skip-checks
step "demo data (zhuanban demo)"
"$ZB" demo --no-progress --skip-checks | tail -n 1
step "upload an attachment (files service: stored under MEDIA_ROOT, SHA-256 in the row, audited)"
"$ZB" shell -v 0 -c '
from django.core.files.uploadedfile import SimpleUploadedFile
from zhuanban.files.services import upload_attachment
from zhuanban.org.models import User
from zhuanban.taskforces.access import CLOSED
from zhuanban.taskforces.models import TaskForce
tf = TaskForce.objects.exclude(status__in=CLOSED).order_by("id").first()
pdf = b"%PDF-1.4\n% backup drill\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
att = upload_attachment(User.objects.get(username="admin"), tf, SimpleUploadedFile("演练-设立通知.pdf", pdf),
                        kind="establishment")
print(f"attachment #{att.pk} {att.stored_name} sha256 {att.sha256[:16]}… for {tf.name}")'

step "zhuanban backup"
"$ZB" backup --out "$WORK/backups"
BACKUP="$(ls -d "$WORK"/backups/zhuanban-*)"

step "zhuanban restore into a fresh database (zhuanban_restored) and an empty files folder"
psql "$URL/postgres" -c "CREATE DATABASE zhuanban_restored"
"$ZB" restore "$BACKUP" --database-url "$URL/zhuanban_restored" --media-root "$WORK/media-restored"

step "independent checks on the copy (psql and sha256sum, not the application)"
printf '%-24s %10s %10s\n' table original restored
status=0
for t in org_unit org_person taskforces_taskforce taskforces_membership tasks_task files_attachment core_auditevent; do
  a="$(psql "$URL/zhuanban" -c "SELECT count(*) FROM $t")"
  b="$(psql "$URL/zhuanban_restored" -c "SELECT count(*) FROM $t")"
  printf '%-24s %10s %10s\n' "$t" "$a" "$b"
  [ "$a" = "$b" ] || status=1
done
a="$(psql "$URL/zhuanban" -c "SELECT md5(string_agg(hash, ',' ORDER BY id)) FROM core_auditevent")"
b="$(psql "$URL/zhuanban_restored" -c "SELECT md5(string_agg(hash, ',' ORDER BY id)) FROM core_auditevent")"
echo "audit hashes md5: original $a, restored $b"
[ "$a" = "$b" ] || status=1
(cd "$WORK/media" && find . -type f -exec sha256sum {} + | sort) > "$WORK/media.sums"
(cd "$WORK/media-restored" && sha256sum -c --quiet "$WORK/media.sums") && echo "uploaded files: $(wc -l < "$WORK/media.sums") identical" || status=1
du -sh "$BACKUP"/* | sed 's|'"$BACKUP"'/||'

if [ "$status" != 0 ]; then
  echo "BACKUP DRILL FAILED: the copy differs (see above)" >&2
  exit 1
fi
step "BACKUP DRILL OK in $(elapsed "$T0") s"
