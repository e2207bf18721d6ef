"""Database side of the audit trail: the capture trigger and the migration operation to attach it.

Writes are captured by a PostgreSQL trigger, not by Python code, so that nothing (a service, the
admin, a shell, a bulk update) can change patient data without leaving a row. Who did it comes
from session settings that `rcm.audit.context` sets per request, task or command.
"""

from __future__ import annotations

from django.db import migrations

CAPTURE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION audit_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    row_data jsonb := coalesce(new_row, old_row);
    changed jsonb;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(jsonb_object_agg(n.key, jsonb_build_array(old_row -> n.key, n.value)),
                        '{}'::jsonb)
          INTO changed
          FROM jsonb_each(new_row) AS n
         WHERE n.value IS DISTINCT FROM old_row -> n.key;
        IF changed = '{}'::jsonb THEN
            RETURN NULL;  -- a save that changed nothing is not an event
        END IF;
    ELSE
        changed := row_data;
    END IF;
    INSERT INTO audit_auditevent
        (at, action, table_name, object_pk, practice_id, actor_id, client_ip, via, changes)
    VALUES (
        clock_timestamp(), lower(TG_OP), TG_TABLE_NAME, row_data ->> 'id',
        (row_data ->> 'practice_id')::bigint,
        nullif(current_setting('rcm.actor_id', true), '')::bigint,
        nullif(current_setting('rcm.client_ip', true), '')::inet,
        coalesce(nullif(current_setting('rcm.via', true), ''), 'database'),
        changed
    );
    RETURN NULL;
END
$$;
"""

APPEND_ONLY = r"""
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on audit_auditevent is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""

APPEND_ONLY_REVERSE = r"""
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_refuse_change();
"""


def trigger_name(table: str) -> str:
    return f"{table}_audit"


def AttachAuditTrigger(table: str) -> migrations.RunSQL:  # noqa: N802 (reads as an operation)
    """A migration operation: audit every insert, update and delete on `table`."""
    name = trigger_name(table)
    return migrations.RunSQL(
        sql=(
            f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION audit_capture();"
        ),
        reverse_sql=f"DROP TRIGGER IF EXISTS {name} ON {table};",
    )
