"""Benchmark: write the 837P for 10,000 claims from the database (target <= 1 s), then validate.

    .venv/bin/python bench/bench_write_837.py [--claims 10000] [--repeat 3] [--no-validate]

Everything is created inside a transaction that is rolled back at the end: the database is left
as it was. The timed part is what `export_837` does: the queries, mapping our models to the
837P dataclasses, and writing the X12 text. pyx12 then validates the file (not timed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcm.settings")

import django

from bench.settle import settle  # before setup: connects the benchmark as the owner

django.setup()

from django.db import transaction  # noqa: E402

from claims.export import claims_export_837  # noqa: E402
from claims.models import (  # noqa: E402
    Claim,
    ClaimDiagnosis,
    ClaimLine,
    ClaimStatus,
)
from patients.models import Coverage, Encounter  # noqa: E402
from rcm.practice.models import Practice  # noqa: E402
from tests.factories import CoverageFactory, EncounterFactory, PracticeFactory  # noqa: E402

TARGET_SECONDS = 1.0  # issue 10: the 837P for 10,000 claims in <= 1 s
PROCEDURES = ["99213", "99214", "36415", "85025", "80053"]
DIAGNOSES = ["E119", "I10", "E785", "J069", "M545", "Z0000"]


class Rollback(Exception):
    pass


def make_claims(count: int) -> list[int]:
    practice = cast(Practice, PracticeFactory(name="Benchmark Clinic"))
    encounter = cast(Encounter, EncounterFactory(patient__practice=practice, status="billed"))
    coverage = cast(Coverage, CoverageFactory(patient=encounter.patient))
    # One visit per claim: a visit has one original claim per coverage.
    visits = Encounter.objects.bulk_create(
        [
            Encounter(
                practice=practice,
                patient_id=encounter.patient_id,
                rendering_provider_id=encounter.rendering_provider_id,
                date_of_service=encounter.date_of_service,
                status="billed",
            )
            for _ in range(count)
        ],
        batch_size=5000,
    )
    claims = Claim.objects.bulk_create(
        Claim(
            practice=practice,
            encounter=visits[n],
            patient=encounter.patient,
            coverage=coverage,
            payer=coverage.payer,
            rendering_provider=encounter.rendering_provider,
            control_number=f"B{n:09d}",
            place_of_service="11",
            service_date_from=encounter.date_of_service,
            service_date_to=encounter.date_of_service,
            total_charge=Decimal("0"),
            status=ClaimStatus.READY,
        )
        for n in range(count)
    )
    lines, diagnoses = [], []
    for index, claim in enumerate(claims):
        codes = [DIAGNOSES[(index + k) % len(DIAGNOSES)] for k in range(1 + index % 3)]
        diagnoses += [
            ClaimDiagnosis(claim=claim, position=p, code=c) for p, c in enumerate(codes, 1)
        ]
        for position in range(1, 2 + index % 3):
            lines.append(
                ClaimLine(
                    claim=claim,
                    position=position,
                    control_number=f"{claim.control_number}-{position}",
                    procedure_code=PROCEDURES[(index + position) % len(PROCEDURES)],
                    modifiers=["25"] if position == 1 and index % 7 == 0 else [],
                    diagnosis_pointers=list(range(1, len(codes) + 1))[:4],
                    charge=Decimal("95.00") + position,
                    service_date=claim.service_date_from,
                )
            )
    ClaimDiagnosis.objects.bulk_create(diagnoses, batch_size=5000)
    ClaimLine.objects.bulk_create(lines, batch_size=5000)
    return [claim.pk for claim in claims]


def pyx12_errors(path: Path) -> list[str]:
    from tests.x12.pyx12_check import pyx12_errors as check

    return check(path)


# What make_claims fills (bulk): their statistics are refreshed before timing.
LOADED_TABLES = (
    "patients_patient",
    "patients_coverage",
    "patients_encounter",
    "claims_claim",
    "claims_claimdiagnosis",
    "claims_claimline",
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-validate", action="store_true")
    args = parser.parse_args()
    timings: list[float] = []
    try:
        with transaction.atomic():
            started = time.perf_counter()
            claim_ids = make_claims(args.claims)
            settle(*LOADED_TABLES)  # as autovacuum would, before people export
            print(f"created {len(claim_ids):,} claims in {time.perf_counter() - started:.1f} s")
            for _ in range(args.repeat):
                started = time.perf_counter()
                [exported] = claims_export_837(claim_ids=claim_ids)
                timings.append(time.perf_counter() - started)
            text = exported.text
            raise Rollback
    except Rollback:
        pass
    median = statistics.median(timings)
    segments = text.count("\n")
    print(f"837P: {exported.claim_count:,} claims, {len(text):,} bytes, {segments:,} segments")
    print("runs (s): " + " ".join(f"{t:.3f}" for t in timings))
    print(f"median {median:.3f} s, min {min(timings):.3f} s, {args.claims / median:,.0f} claims/s")
    print(f"target <= {TARGET_SECONDS:.1f} s: {'PASS' if median <= TARGET_SECONDS else 'FAIL'}")
    if not args.no_validate:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.837"
            path.write_text(text)
            started = time.perf_counter()
            errors = pyx12_errors(path)
            took = time.perf_counter() - started
        verdict = "OK, zero errors" if not errors else f"{len(errors)} errors: {errors[:3]}"
        print(f"pyx12 validation ({took:.0f} s): {verdict}")
        return 0 if not errors else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
