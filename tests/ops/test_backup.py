"""scripts/backup.py: a restore into a fresh database matches its backup, table and file alike."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.db import connection

from rcm.files.models import Direction, FileKind
from rcm.files.services import stored_file_save
from tests.factories import ClaimFactory, CoverageFactory, PatientFactory

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees only committed rows


def run_backup(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own script, our own arguments)
        [sys.executable, str(REPO / "scripts" / "backup.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def owner_connection(dbname: str) -> psycopg2.extensions.connection:
    params = {**connection.settings_dict.get("OPTIONS", {})}
    for key in ("USER", "PASSWORD", "HOST", "PORT"):
        if connection.settings_dict.get(key):
            params[key.lower()] = connection.settings_dict[key]
    conn = psycopg2.connect(dbname=dbname, **params)
    conn.autocommit = True
    return conn


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    yield name
    conn = owner_connection("postgres")
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def test_a_restore_into_a_fresh_database_matches_the_backup(practice_a, tmp_path, fresh_database):
    patient = PatientFactory(practice=practice_a, last_name="O'Restored")
    CoverageFactory(patient=patient)
    ClaimFactory.create_batch(3, practice=practice_a)
    card = stored_file_save(
        kind=FileKind.CARD, direction=Direction.INBOUND, name="card.png", content=b"\x89PNG card"
    )
    stored_file_save(
        kind=FileKind.CLAIM_837P, direction=Direction.OUTBOUND, name="batch.x12", content=b"ISA*00~"
    )
    media = Path(settings.MEDIA_ROOT)
    test_db = connection.settings_dict["NAME"]

    made = run_backup(
        "create",
        "--out",
        str(tmp_path / "backups"),
        "--dbname",
        test_db,
        "--media-root",
        str(media),
    )
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().splitlines()[-1])
    assert {p.name for p in backup.iterdir()} == {"database.dump", "files.tar.gz", "manifest.json"}

    restored_media = tmp_path / "restored-files"
    restored = run_backup(
        "restore",
        str(backup),
        "--create-database",
        "--dbname",
        fresh_database,
        "--media-root",
        str(restored_media),
    )
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert "restore matches the backup" in restored.stdout

    # Compare for ourselves too: the same rows in the restored database, the same bytes on disk.
    conn = owner_connection(fresh_database)
    with conn.cursor() as cursor:
        cursor.execute("SELECT last_name FROM patients_patient WHERE id = %s", [patient.pk])
        assert cursor.fetchone() == ("O'Restored",)
        cursor.execute("SELECT count(*) FROM claims_claim")
        assert cursor.fetchone() == (3,)
        cursor.execute("SELECT content, sha256 FROM files_storedfile WHERE id = %s", [card.pk])
        path, sha256 = cursor.fetchone()
        # The app role is granted its rights again, and no more.
        app_role = settings.DATABASE_APP["USER"]
        cursor.execute(
            "SELECT has_table_privilege(%s, 'patients_patient', 'SELECT, INSERT'), "
            "has_table_privilege(%s, 'audit_auditevent', 'TRUNCATE, UPDATE, DELETE')",
            [app_role, app_role],
        )
        assert cursor.fetchone() == (True, False)
    assert (restored_media / path).read_bytes() == b"\x89PNG card"
    assert sha256 == card.sha256

    # A damaged restore is caught: a changed file, a lost row.
    (restored_media / path).write_bytes(b"not the card")
    with conn.cursor() as cursor:
        cursor.execute("DELETE FROM claims_claimline")
        cursor.execute("DELETE FROM claims_claimdiagnosis")
        cursor.execute("DELETE FROM claims_claimevent")
        cursor.execute("DELETE FROM claims_claim WHERE id = (SELECT min(id) FROM claims_claim)")
    conn.close()
    checked = run_backup(
        "verify", str(backup), "--dbname", fresh_database, "--media-root", str(restored_media)
    )
    assert checked.returncode == 1
    assert "table claims_claim: 2 rows, backup has 3" in checked.stdout
    assert f"stored file {path}: SHA-256 differs from the database's" in checked.stdout


def test_restore_refuses_a_database_that_already_has_tables(practice_a, tmp_path):
    test_db = connection.settings_dict["NAME"]
    made = run_backup(
        "create",
        "--out",
        str(tmp_path),
        "--dbname",
        test_db,
        "--media-root",
        str(settings.MEDIA_ROOT),
    )
    backup = made.stdout.strip().splitlines()[-1]

    refused = run_backup(
        "restore", backup, "--dbname", test_db, "--media-root", str(tmp_path / "m")
    )

    assert refused.returncode != 0
    assert f"database {test_db} already has tables: restore into an empty one" in refused.stderr
