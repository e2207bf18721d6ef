"""Writes to the audit trail that no trigger can see: views of a patient's chart."""

from __future__ import annotations

from django.db import connection


def audit_record_view(
    *,
    table_name: str,
    object_pk: int | str,
    practice_id: int | None,
    actor_id: int | None,
    detail: str = "",
) -> None:
    """Record that `actor_id` looked at a record; the address comes from the audit context."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO audit_auditevent
                (at, action, table_name, object_pk, practice_id, actor_id, client_ip, via, changes)
            VALUES (clock_timestamp(), 'view', %s, %s, %s, %s,
                    nullif(current_setting('rcm.client_ip', true), '')::inet,
                    coalesce(nullif(current_setting('rcm.via', true), ''), 'database'),
                    jsonb_build_object('detail', %s::text))
            """,
            [table_name, str(object_pk), practice_id, actor_id, detail],
        )
