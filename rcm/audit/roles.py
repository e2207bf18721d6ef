"""The database roles: an owner that migrates, and an app role that cannot bypass the audit trail.

Row triggers do not fire on TRUNCATE, a table's owner can disable or drop its triggers, and a
superuser can switch every trigger off with `session_replication_role = replica`. So web, worker
and beat connect as a role that is none of these: no superuser, no REPLICATION, owns nothing, and
holds only SELECT, INSERT, UPDATE and DELETE on the tables (INSERT and SELECT on the audit trail).
The owner (the role that runs `manage.py migrate`) creates every table, and its default privileges
hand the app role the same grants on tables that later migrations create.

Plain SQL, no Django import: `rcm.embedded` runs it through psql before Django starts, the audit
migration and `manage.py db_app_role` run it through Django's connection.
"""

from __future__ import annotations

import re

DEFAULT_APP_ROLE = "rcm_app"
AUDIT_TABLE = "audit_auditevent"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _checked(role: str) -> str:
    # Role names go into SQL as identifiers: accept only plain lower-case names.
    if not _ROLE_NAME.match(role):
        raise ValueError(f"not a plain role name: {role!r}")
    return role


def create_role_sql(role: str, password: str | None = None) -> str:
    """Create the app role if it is missing and strip it of every special power (idempotent)."""
    role = _checked(role)
    powers = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    password_clause = ""
    if password is not None:
        quoted = password.replace("'", "''")
        password_clause = f" PASSWORD '{quoted}'"
    return f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
        CREATE ROLE {role} {powers};
    END IF;
END
$$;
ALTER ROLE {role} {powers}{password_clause};
"""


def grants_sql(role: str) -> str:
    """Give the app role exactly what the running services need, in the current database.

    Run by the owner (the role that creates the tables): its default privileges then cover the
    tables later migrations add. Does nothing when the role does not exist (a single-role setup).
    """
    role = _checked(role)
    return f"""
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO {role}', current_database());
        GRANT USAGE ON SCHEMA public TO {role};
        REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role};
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role};
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role};
        IF to_regclass('{AUDIT_TABLE}') IS NOT NULL THEN
            -- The trail: read and append only (the capture trigger inserts as the writer).
            REVOKE UPDATE, DELETE, TRUNCATE ON {AUDIT_TABLE} FROM {role}, PUBLIC;
        END IF;
    END IF;
END
$$;
"""
