"""On PostgreSQL, make the audit trail append-only in the database itself.

A row trigger refuses UPDATE and DELETE on ``core_auditevent``, whoever issues them (the application,
a shell, a SQL client with the application's role).  The one exception is the archive procedure
(``core.auditchain.archive``): it sets the transaction-local ``zhuanban.audit_archive`` to ``on`` and
may then DELETE rows whose id lies inside an ``AuditArchive`` range recorded in the same transaction —
after the archive file was written.  ``core_auditarchive`` itself refuses UPDATE and DELETE outright.
A database superuser can still disable triggers; the HMAC chain (``zhuanban audit verify``) is what
detects that.  SQLite has no such trigger: the ORM refuses, and the chain detects the rest.
"""

from django.db import migrations

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE'
           AND coalesce(current_setting('zhuanban.audit_archive', true), '') = 'on'
           AND EXISTS (SELECT 1 FROM core_auditarchive a
                       WHERE OLD.id BETWEEN a.first_event_id AND a.last_event_id) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'core_auditevent is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only()
    """,
    """
    CREATE OR REPLACE FUNCTION core_auditarchive_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'core_auditarchive is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER core_auditarchive_append_only
    BEFORE UPDATE OR DELETE ON core_auditarchive
    FOR EACH ROW EXECUTE FUNCTION core_auditarchive_append_only()
    """,
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS core_auditarchive_append_only ON core_auditarchive",
    "DROP FUNCTION IF EXISTS core_auditarchive_append_only()",
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
    "DROP FUNCTION IF EXISTS core_auditevent_append_only()",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_chain")]

    operations = [migrations.RunPython(forward, backward)]
