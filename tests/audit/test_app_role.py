"""The role web, worker and beat connect as cannot bypass or rewrite the audit trail.

The test run itself connects as the owner (it creates and flushes its database); these tests open a
second connection as the app role (`settings.DATABASE_APP`) to the same test database and try
what an attacker with the app's credentials would.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg2  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.db import connection
from psycopg2 import errors


@pytest.fixture
def app_role(django_db_setup) -> Iterator[psycopg2.extensions.connection]:
    """A connection to the test database as the role the running services use."""
    app = settings.DATABASE_APP
    params = {
        **app.get("OPTIONS", {}),  # the embedded server's socket directory and port are here
        **{key.lower(): app[key] for key in ("USER", "PASSWORD", "HOST", "PORT") if app.get(key)},
    }
    # The test database, not the developer's.
    conn = psycopg2.connect(dbname=connection.settings_dict["NAME"], **params)
    yield conn
    conn.close()


def refused(conn: psycopg2.extensions.connection, statement: str) -> str:
    """Run one statement in its own transaction, which is rolled back; return the refusal."""
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement)
    except (errors.InsufficientPrivilege, errors.RaiseException) as error:
        conn.rollback()
        return str(error)
    conn.rollback()
    pytest.fail(f"the app role was allowed: {statement}")


def test_the_app_role_is_not_the_owner_and_has_no_special_powers(app_role):
    with app_role.cursor() as cursor:
        cursor.execute(
            "SELECT rolname, rolsuper, rolreplication, rolbypassrls, rolcreaterole, rolcreatedb "
            "FROM pg_roles WHERE rolname = current_user"
        )
        name, superuser, replication, bypass_rls, create_role, create_db = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relowner = "
            "(SELECT oid FROM pg_roles WHERE rolname = current_user)"
        )
        (owned,) = cursor.fetchone()
    app_role.rollback()

    assert name == settings.DATABASE_APP["USER"]
    assert name != connection.settings_dict["USER"], "the app must not run as the owner"
    assert (superuser, replication, bypass_rls, create_role, create_db) == (
        False,
        False,
        False,
        False,
        False,
    )
    assert owned == 0, "the app role owns tables, so it could drop their triggers"


def test_the_app_role_cannot_truncate_any_table(app_role):
    for table in ("audit_auditevent", "patients_patient", "claims_claim"):
        message = refused(app_role, f"TRUNCATE {table}")
        assert "permission denied" in message


def test_the_app_role_cannot_disable_or_drop_the_audit_triggers(app_role):
    message = refused(app_role, "ALTER TABLE patients_patient DISABLE TRIGGER ALL")
    assert "must be owner" in message
    message = refused(app_role, "ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
    assert "must be owner" in message
    message = refused(app_role, "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent")
    assert "must be owner" in message


def test_the_app_role_cannot_switch_triggers_off_for_its_session(app_role):
    message = refused(app_role, "SET session_replication_role = replica")
    assert "permission denied" in message


def test_the_app_role_appends_to_the_trail_but_cannot_change_or_remove_a_row(app_role):
    with app_role.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (action, table_name, object_pk, via, changes) "
            "VALUES ('view', 'patients_patient', '1', 'test', '{}') RETURNING id"
        )
        (event_id,) = cursor.fetchone()
        cursor.execute("SAVEPOINT appended")
        for statement in (
            f"UPDATE audit_auditevent SET via = 'forged' WHERE id = {event_id}",
            f"DELETE FROM audit_auditevent WHERE id = {event_id}",
        ):
            with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
                cursor.execute(statement)
            cursor.execute("ROLLBACK TO SAVEPOINT appended")
        cursor.execute("SELECT via FROM audit_auditevent WHERE id = %s", [event_id])
        assert cursor.fetchone() == ("test",)
    app_role.rollback()


def test_the_app_role_reads_and_writes_the_tables_it_works_on(app_role):
    with app_role.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege('patients_patient', 'SELECT, INSERT, UPDATE, DELETE'), "
            "has_table_privilege('claims_claim', 'SELECT, INSERT, UPDATE, DELETE'), "
            "has_table_privilege('audit_auditevent', 'INSERT'), "
            "has_table_privilege('django_migrations', 'SELECT')"
        )
        assert cursor.fetchone() == (True, True, True, True)
    app_role.rollback()
