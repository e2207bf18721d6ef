"""Load test: gunicorn on this machine (127.0.0.1 only) with the demo data, locust headless.

    make load                                  # or:
    .venv/bin/python bench/load/run.py [--users 50] [--duration 60] [--workers 4]

Starts gunicorn on a free loopback port (the app role, the embedded or configured database: run
`make data` first for the demo practices), runs bench/load/locustfile.py for the given time with
that many simulated people (billers' queues, front-desk patient search, coders' code search),
stops both, and prints throughput, p50/p95/p99 and errors per page. Needs requirements-bench.txt.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            probe.settimeout(0.2)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


def demo_data_present() -> bool:
    probe = (
        "from rcm.practice.models import User; "
        "print(User.objects.filter(username='agency').exists())"
    )
    check = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", probe],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return check.stdout.strip().endswith("True")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    args = parser.parse_args()

    out = REPO / "var" / "load"
    out.mkdir(parents=True, exist_ok=True)
    if not demo_data_present():
        print("No demo data: run `make data` (or manage.py load_demo) first.")
        return 2
    port = free_port()
    with open(out / "gunicorn.log", "w") as log:
        web = subprocess.Popen(
            [str(BIN / "gunicorn"), "rcm.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--timeout", "60"],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_for_port(port, 60)
        print(f"gunicorn: {args.workers} workers on 127.0.0.1:{port}; locust: {args.users} users,"
              f" {args.duration} s")  # fmt: skip
        subprocess.run(
            [str(BIN / "locust"), "-f", str(REPO / "bench" / "load" / "locustfile.py"),
             "--headless", "--host", f"http://127.0.0.1:{port}", "--users", str(args.users),
             "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.duration}s",
             "--stop-timeout", "5", "--csv", str(out / "run"), "--only-summary",
             "--loglevel", "WARNING"],
            cwd=REPO, check=False, timeout=args.duration + 120,
            env={**os.environ, "RCM_LOAD_SUMMARY": str(out / "work.json")},
            stdout=subprocess.DEVNULL, stderr=open(out / "locust.log", "w"),  # noqa: SIM115
        )  # fmt: skip
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=30)
    return report(out / "run_stats.csv", args)


def report(stats_file: Path, args: argparse.Namespace) -> int:
    if not stats_file.exists():
        print(f"locust wrote no statistics; see {stats_file.parent / 'locust.log'}")
        return 1
    rows = list(csv.DictReader(stats_file.open()))
    print(f"\n{'page':<24}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'p99 ms':>8}")  # fmt: skip
    for row in rows:
        name = "ALL" if row["Name"] == "Aggregated" else row["Name"]
        rate = float(row["Requests/s"])
        print(f"{name:<24}{row['Request Count']:>9}{row['Failure Count']:>8}{rate:>8.1f}"
              f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}")  # fmt: skip
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    work_file = stats_file.parent / "work.json"
    if work_file.exists():
        work = json.loads(work_file.read_text())
        print(f"\n{args.users} users for {args.duration} s: "
              f"{work['per_second']} req/s, p50 {work['p50']} ms, p95 {work['p95']} ms, "
              f"p99 {work['p99']} ms, {work['failures']} errors of {work['requests']}")  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
