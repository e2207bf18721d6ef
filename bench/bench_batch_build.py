"""Time building and sending a batch of 1,000 queued claims, and count its queries.

    .venv/bin/python bench/bench_batch_build.py [--claims 1000] [--repeat 3]

What a worker does when a biller presses "Submit": `batches_build` (lock the queued claims,
render the 837P, store it, record the batch, move every claim to SUBMITTED with its timeline
event) and `batch_send` (hand the file to the transport; here the sandbox clearinghouse, whose
own adjudication of the file is the payer's work, not ours, and is timed apart). Targets: the
build <= 2 s for 1,000 claims and a number of queries that does not grow with the batch (run
with --claims 100 and --claims 1000 to compare). Everything is rolled back at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcm.settings")

import django

from bench.settle import settle  # before setup: connects the benchmark as the owner

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.bench_write_837 import LOADED_TABLES, make_claims  # noqa: E402
from claims.models import Claim, ClaimStatus  # noqa: E402
from claims.submission import batch_send, batches_build  # noqa: E402

TARGET_SECONDS = 2.0


class Rollback(Exception):
    pass


def run_once(count: int) -> tuple[float, int, float, int]:
    """(build seconds, build queries, send seconds, claims submitted) of one fresh batch."""
    claim_ids = make_claims(count)
    Claim.objects.filter(pk__in=claim_ids).update(status=ClaimStatus.QUEUED)
    settle(*LOADED_TABLES)
    practice_id = Claim.objects.get(pk=claim_ids[0]).practice_id
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        batch_ids = batches_build(practice_id=practice_id)
        built = time.perf_counter() - started
    query_count = len(queries.captured_queries)
    started = time.perf_counter()
    for batch_id in batch_ids:
        batch_send(batch_id=batch_id)
    sent = time.perf_counter() - started
    submitted = Claim.objects.filter(pk__in=claim_ids, status=ClaimStatus.SUBMITTED).count()
    return built, query_count, sent, submitted


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as sandbox:
        settings.RCM_SANDBOX_DIR = sandbox
        for _ in range(args.repeat):
            try:
                with transaction.atomic():
                    runs.append(run_once(args.claims))
                    raise Rollback
            except Rollback:
                pass
    builds = [run[0] for run in runs]
    median = statistics.median(builds)
    print(f"{args.claims:,} claims per batch, {len(runs)} runs")
    print("build (s): " + " ".join(f"{t:.3f}" for t in builds) + f"   median {median:.3f} s")
    print("build queries: " + " ".join(str(run[1]) for run in runs))
    print("send to the sandbox (s): " + " ".join(f"{run[2]:.3f}" for run in runs))
    print("claims submitted: " + " ".join(str(run[3]) for run in runs))
    ok = median <= TARGET_SECONDS and all(run[3] == args.claims for run in runs)
    print(f"target build <= {TARGET_SECONDS:.1f} s: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
