"""Time the biller's pages (server time, p50/p95, queries) as claims grow from 10k to 1M.

Loads a billing agency's volume by SQL (`bench/scale_data.py`: 100,000 patients, then claims in
steps up to 1,000,000, in two practices), settles the statistics as autovacuum would, and at
each step requests every page through Django's test client as a biller of one practice and as
an agency biller of both: the biller home, each queue's first page (and a search), a claim page,
"Next claim" where it exists, the API claim list, and the coder's worklist. Everything runs in
one transaction that is rolled back, or with --committed in a database of its own, each step
committed and vacuumed as autovacuum would leave a live database (the visibility map set, so
index-only scans read no table pages), dropped at the end. Target: p95 <= 100 ms per page at 1M
claims.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcm.settings")

import django

from bench.settle import settle  # before setup: connects the benchmark as the owner

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import scale_data  # noqa: E402
from claims.models import Claim  # noqa: E402
from rcm.practice.models import Practice, Role  # noqa: E402
from tests.factories import (  # noqa: E402
    MembershipFactory,
    PayerFactory,
    PracticeFactory,
    ProviderFactory,
    UserFactory,
)

TARGET_P95_MS = 100.0
COMMITTED_DATABASE = "rcm_bench_claim_pages"  # --committed: made and dropped by the run
SHARE_OF_FIRST_PRACTICE = 0.7
SHARES = (SHARE_OF_FIRST_PRACTICE, 1 - SHARE_OF_FIRST_PRACTICE)


class RollBack(Exception):
    """Raised at the end so that nothing the benchmark wrote stays in the database."""


@dataclass
class Measured:
    label: str
    who: str
    times: list[float]
    queries: int
    status: int

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _url(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _denied_filtered(query: str = "amount_min=200&age=31-60&sort=amount") -> str | None:
    url = _url("claim-queue", queue="denied")
    return f"{url}?{query}" if url else None


def _month_of_service(queue_url: str | None) -> str | None:
    """All claims with a date of service in the last full month (what a biller filters by)."""
    if not queue_url:
        return None
    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return (
        f"{queue_url}?service_from={last.replace(day=1).isoformat()}&service_to={last.isoformat()}"
    )


def pages(claim_id: int) -> list[tuple[str, str, str]]:
    """(label, method, url) of every page measured; pages a build lacks are left out."""
    from claims.queues import QUEUES

    found: list[tuple[str, str, str | None]] = [("biller home", "GET", _url("home-biller"))]
    for queue in QUEUES:
        found.append((f"queue {queue}", "GET", _url("claim-queue", queue=queue)))
    queue_url = _url("claim-queue", queue="all")
    found += [
        ("queue all, patient search", "GET", f"{queue_url}?q=SMITHX1" if queue_url else None),
        ("queue all, claim number", "GET", f"{queue_url}?q=K1-777" if queue_url else None),
        ("queue all, by payer", "GET", f"{queue_url}?sort=payer" if queue_url else None),
        ("queue all, by patient", "GET", f"{queue_url}?sort=patient" if queue_url else None),
        ("queue all, a month of service", "GET", _month_of_service(queue_url)),
        ("queue denied, amount+age", "GET", _denied_filtered()),
        ("queue denied, reason", "GET", _denied_filtered("reason=197")),
        ("claim page", "GET", _url("claim-detail", pk=claim_id)),
        ("next claim (denied)", "POST", _url("claim-next", queue="denied")),
        ("coded, not billed", "GET", _url("claims-unbilled")),
        ("API claim list", "GET", _url("api-claim-list")),
        ("coder worklist", "GET", _url("coding-worklist")),
    ]
    return [(label, method, url) for label, method, url in found if url]


def measure(client: Client, who: str, method: str, label: str, url: str, repeat: int) -> Measured:
    call = client.post if method == "POST" else client.get
    extra = {"secure": True, "HTTP_HOST": settings.ALLOWED_HOSTS[0].lstrip(".") or "localhost"}
    call(url, **extra)  # warm: templates compiled, caches filled
    times = []
    with CaptureQueriesContext(connection) as queries:
        response = call(url, **extra)
    count = len(queries.captured_queries)  # now: later requests empty the log it reads
    for _ in range(repeat):
        started = time.perf_counter()
        call(url, **extra)
        times.append((time.perf_counter() - started) * 1000)
    return Measured(label, who, times, count, response.status_code)


def setup() -> tuple[list[scale_data.PracticeSetup], dict[str, Any]]:
    practices = []
    for index in range(2):
        practice = cast(Practice, PracticeFactory(name=f"Bench Practice {index + 1}"))
        provider = ProviderFactory(practice=practice)
        payers = tuple(
            PayerFactory(payer_id=f"BENCH{index}{n}").pk
            for n in range(scale_data.PAYERS_PER_PRACTICE)
        )
        practices.append(scale_data.PracticeSetup(practice.pk, provider.pk, payers))
    users = {
        "one practice": UserFactory(username="bench-biller"),
        "agency (2 practices)": UserFactory(username="bench-agency"),
        "coder": UserFactory(username="bench-coder"),
    }
    first, second = (Practice.objects.get(pk=p.practice_id) for p in practices)
    MembershipFactory(user=users["one practice"], practice=first, role=Role.BILLER)
    for practice in (first, second):
        MembershipFactory(user=users["agency (2 practices)"], practice=practice, role=Role.BILLER)
    MembershipFactory(user=users["coder"], practice=first, role=Role.CODER)
    return practices, users


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument(
        "--steps", type=int, nargs="+", default=[10_000, 100_000, 1_000_000], help="claims"
    )
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--committed",
        action="store_true",
        help="load into a database of its own, committed and vacuumed at each step as "
        "autovacuum would leave it (index-only scans see the visibility map), dropped at the end",
    )
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {connection.vendor}")
    if args.committed:
        return _report(_committed(args))
    results: dict[int, list[Measured]] = {}
    try:
        with transaction.atomic():
            practices, users = setup()
            scale_data.triggers_set(enabled=False)
            started = time.perf_counter()
            blocks = [
                scale_data.patients_load(
                    practice=practice,
                    count=int(args.patients * share),
                    tag=f"B{index}",
                )
                for index, (practice, share) in enumerate(zip(practices, SHARES, strict=True))
            ]
            print(f"load: {args.patients:,} patients in {time.perf_counter() - started:.1f} s")
            loaded = 0
            today = timezone.localdate()
            for step in args.steps:
                started = time.perf_counter()
                _load_up_to(blocks, loaded, step, today)
                scale_data.triggers_set(enabled=True)
                settle(*scale_data.LOADED_TABLES)
                print(f"load: {step:,} claims ({time.perf_counter() - started:.1f} s this step)")
                loaded = step
                results[step] = _measure_all(users, args.repeat)
                scale_data.triggers_set(enabled=False)
            raise RollBack
    except RollBack:
        pass
    return _report(results)


def _committed(args: argparse.Namespace) -> dict[int, list[Measured]]:
    """The same steps, each committed and vacuumed, in a database made (migrated) for the run."""
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = COMMITTED_DATABASE
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    results: dict[int, list[Measured]] = {}
    try:
        with transaction.atomic():
            practices, users = setup()
            scale_data.triggers_set(enabled=False)
            blocks = [
                scale_data.patients_load(
                    practice=practice, count=int(args.patients * share), tag=f"B{index}"
                )
                for index, (practice, share) in enumerate(zip(practices, SHARES, strict=True))
            ]
            scale_data.triggers_set(enabled=True)
        loaded, today = 0, timezone.localdate()
        for step in args.steps:
            started = time.perf_counter()
            with transaction.atomic():
                scale_data.triggers_set(enabled=False)
                _load_up_to(blocks, loaded, step, today)
                scale_data.triggers_set(enabled=True)
            with connection.cursor() as cursor:
                for table in scale_data.LOADED_TABLES:
                    cursor.execute(f'VACUUM ANALYZE "{table}"')
            print(f"load: {step:,} claims, committed ({time.perf_counter() - started:.1f} s)")
            loaded = step
            results[step] = _measure_all(users, args.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return results


def _load_up_to(
    blocks: list[scale_data.PatientBlock], loaded: int, step: int, today: datetime.date
) -> None:
    for index, block in enumerate(blocks):
        share = SHARE_OF_FIRST_PRACTICE if index == 0 else 1 - SHARE_OF_FIRST_PRACTICE
        before, after = int(loaded * share), int(step * share)
        scale_data.claims_load(patients=block, count=after - before, offset=before, today=today)


def _measure_all(users: dict[str, Any], repeat: int) -> list[Measured]:
    claim = Claim.objects.filter(practice__name="Bench Practice 1", status="denied").first()
    assert claim is not None
    measured = []
    for who, user in users.items():
        client = Client()
        client.force_login(user)
        for label, method, url in pages(claim.pk):
            if (who == "coder") != (label == "coder worklist"):
                continue
            row = measure(client, who, method, label, url, repeat)
            measured.append(row)
            print(
                f"  {label:<28} {who:<22} p50={statistics.median(row.times):7.1f} ms "
                f"p95={row.p95:7.1f} ms  queries={row.queries:<3} HTTP {row.status}"
            )
    return measured


def _report(results: dict[int, list[Measured]]) -> int:
    steps = sorted(results)
    if not steps:
        return 1
    print("\np95 (ms) by claims loaded, and growth from the first step to the last:")
    print(f"  {'page':<28} {'who':<22} " + " ".join(f"{s:>10,}" for s in steps) + "   growth")
    by_key: dict[tuple[str, str], dict[int, Measured]] = {
        (m.label, m.who): {} for m in results[steps[0]]
    }
    for step in steps:
        for m in results[step]:
            by_key.setdefault((m.label, m.who), {})[step] = m
    failed = []
    for (label, who), row in by_key.items():
        cells = " ".join(f"{row[s].p95:10.1f}" if s in row else f"{'-':>10}" for s in steps)
        first, last = row.get(steps[0]), row.get(steps[-1])
        growth = f"{last.p95 / first.p95:6.2f}x" if first and last and first.p95 else "     -"
        print(f"  {label:<28} {who:<22} {cells}   {growth}")
        if last and (last.p95 > TARGET_P95_MS or last.status >= 400):
            failed.append(f"{label} ({who}): p95 {last.p95:.1f} ms, HTTP {last.status}")
    print()
    for line in failed:
        print(f"FAIL {line}")
    print(f"{'PASS' if not failed else 'FAIL'} (target: p95 <= {TARGET_P95_MS:.0f} ms per page)")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
