"""Time era_post on a balanced 835 of N claims (default 10,000) against the 10 s target."""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import sys
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcm.settings")

import django

from bench.settle import settle  # before setup: connects the benchmark as the owner

django.setup()

from django.db import connection, transaction  # noqa: E402

from claims.models import (  # noqa: E402
    Claim,
    ClaimLine,
    ClaimStatus,
)
from denials.inbox import era_post  # noqa: E402
from denials.posting import PostingResult  # noqa: E402
from patients.models import Coverage, Encounter  # noqa: E402
from rcm.audit.models import AuditEvent  # noqa: E402
from rcm.files.models import StoredFile  # noqa: E402
from rcm.practice.models import Payer  # noqa: E402
from tests.factories import CoverageFactory, EncounterFactory, PayerFactory  # noqa: E402

TARGET_SECONDS = 10.0
AUDITED_TABLES = (
    "denials_claimpayment",
    "denials_linepayment",
    "denials_adjustment",
    "claims_claim",
)
CHARGE = Decimal("125.00")


class RollBack(Exception):
    """Raised at the end of a run so that nothing it wrote stays in the database."""


@dataclass
class Run:
    seconds: float
    result: PostingResult
    audit_rows: int
    statuses: dict[str, int]


def _visits_like(encounter: Encounter, count: int) -> list[Encounter]:
    """`count` billed visits of `encounter`'s patient, provider and day, by bulk insert."""
    return Encounter.objects.bulk_create(
        [
            Encounter(
                practice_id=encounter.practice_id,
                patient_id=encounter.patient_id,
                rendering_provider_id=encounter.rendering_provider_id,
                date_of_service=encounter.date_of_service,
                status="billed",
            )
            for _ in range(count)
        ],
        batch_size=2000,
    )


def claims_create(count: int, prefix: str) -> list[str]:
    """`count` accepted claims of one line each, one patient's visits, by bulk insert (a visit
    has one original claim per coverage)."""
    # factory_boy's types are the factories', not the models they create.
    payer = cast(Payer, PayerFactory(payer_id=f"BENCH{prefix}", name="BENCH HEALTH"))
    encounter = cast(Encounter, EncounterFactory())
    coverage = cast(Coverage, CoverageFactory(patient=encounter.patient, payer=payer))
    numbers = [f"{prefix}{n:06d}" for n in range(count)]
    visits = _visits_like(encounter, count)
    claims = Claim.objects.bulk_create(
        [
            Claim(
                practice_id=encounter.practice_id,
                encounter=visit,
                patient_id=encounter.patient_id,
                coverage=coverage,
                payer=payer,
                rendering_provider_id=encounter.rendering_provider_id,
                control_number=number,
                place_of_service="11",
                service_date_from=encounter.date_of_service,
                service_date_to=encounter.date_of_service,
                total_charge=CHARGE,
                status=ClaimStatus.ACCEPTED,
            )
            for number, visit in zip(numbers, visits, strict=True)
        ],
        batch_size=2000,
    )
    ClaimLine.objects.bulk_create(
        [
            ClaimLine(
                claim=claim,
                position=1,
                control_number=f"{claim.control_number}-1",
                procedure_code="99213",
                diagnosis_pointers=[1],
                charge=CHARGE,
                service_date=encounter.date_of_service,
            )
            for claim in claims
        ],
        batch_size=2000,
    )
    return numbers


def claim_segments(index: int, number: str) -> tuple[list[str], Decimal]:
    """One CLP loop: 8 in 10 paid (CO-45, PR-2), 1 partially paid (CO-253), 1 denied (CO-50)."""
    kind = index % 10
    if kind == 0:
        clp, cas, paid = f"CLP*{number}*4*125*0*0*12*P{number}", ["CAS*CO*50*125"], Decimal(0)
    else:
        clp, paid = f"CLP*{number}*1*125*80*20*12*P{number}", Decimal(80)
        cas = ["CAS*CO*45*25", "CAS*PR*2*20"]
    segments = [clp, f"NM1*QC*1*DOE*JANE****MI*M{index:09d}"]
    if kind == 1:
        segments.append("CAS*CO*253*2")
        paid -= 2
        segments[0] = f"CLP*{number}*1*125*78*20*12*P{number}"
    segments += ["SVC*HC:99213*125*" + ("0" if kind == 0 else "80"), "DTM*472*20261001", *cas]
    segments += [f"REF*6R*{number}-1"]
    return segments, paid


def era_text(numbers: list[str], trace: str) -> bytes:
    """A balanced 835: one payment of every claim, one PLB (interest, -12.34)."""
    body: list[str] = []
    total = Decimal(0)
    for index, number in enumerate(numbers):
        segments, paid = claim_segments(index, number)
        body += segments
        total += paid
    plb = Decimal("-12.34")
    head = [
        f"BPR*I*{total - plb}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765"
        "*20261127",
        f"TRN*1*{trace}*1512345678",
        "N1*PR*BENCH HEALTH*XV*BENCH",
        "N1*PE*BENCH PRACTICE*XX*1999999999",
        "LX*1",
    ]
    segments = ["ST*835*0001", *head, *body, f"PLB*1999999999*20261231*L6:{trace}*{plb}"]
    segments.append(f"SE*{len(segments) + 1}*0001")
    isa = (
        "ISA*00*          *00*          *ZZ*BENCH          *ZZ*RCM            *261127*1200*^*"
        "00501*000000001*0*P*:"
    )
    gs = "GS*HP*BENCH*RCM*20261127*1200*1*X*005010X221A1"
    return ("~\n".join([isa, gs, *segments, "GE*1*1", "IEA*1*000000001"]) + "~\n").encode()


def triggers_set(*, enabled: bool) -> None:
    """ALTER TABLE is transactional in PostgreSQL: the rollback at the end restores them."""
    with connection.cursor() as cursor:
        for table in AUDITED_TABLES:
            action = "ENABLE" if enabled else "DISABLE"
            cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {table}_audit")


# What claims_create fills (bulk): their statistics are refreshed before timing.
LOADED_TABLES = (
    "patients_patient",
    "patients_coverage",
    "patients_encounter",
    "claims_claim",
    "claims_claimline",
)


def run_once(count: int, *, audit: bool, profile: bool) -> Run:
    """Set up, post and measure inside one transaction, then roll everything back."""
    outcome: Run | None = None
    try:
        with transaction.atomic():
            if not audit:  # before any write: ALTER TABLE refuses while FK checks are pending
                triggers_set(enabled=False)
            prefix = f"B{uuid.uuid4().hex[:8].upper()}"
            numbers = claims_create(count, prefix)
            settle(*LOADED_TABLES)  # as autovacuum would, before the 835 arrives
            content = era_text(numbers, trace=prefix)
            audit_before = AuditEvent.objects.count()
            profiler = cProfile.Profile() if profile else None
            start = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            result = era_post(content=content, name=f"{prefix}.835")
            if profiler is not None:
                profiler.disable()
            seconds = time.perf_counter() - start
            statuses: dict[str, int] = {}
            for status in Claim.objects.filter(control_number__in=numbers).values_list(
                "status", flat=True
            ):
                statuses[status] = statuses.get(status, 0) + 1
            outcome = Run(seconds, result, AuditEvent.objects.count() - audit_before, statuses)
            StoredFile.objects.get(pk=result.stored_file_id).content.delete(save=False)
            if profiler is not None:
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            raise RollBack
    except RollBack:
        pass
    assert outcome is not None
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=10_000, help="claims in the 835")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of era_post")
    parser.add_argument(
        "--no-trigger-run", action="store_true", help="skip the comparison without audit triggers"
    )
    args = parser.parse_args()
    print(f"python {platform.python_version()}, nproc {os.cpu_count()}, {args.claims:,} claims")
    with_audit = run_once(args.claims, audit=True, profile=args.profile)
    r = with_audit.result
    print(
        f"posted {len(r.remittances_posted)} payment, {r.claims_matched:,} claims matched, "
        f"{len(r.claims_unmatched)} unmatched, {len(r.claims_not_moved)} not moved; "
        f"statuses {with_audit.statuses}; {with_audit.audit_rows:,} audit rows"
    )
    rate = args.claims / with_audit.seconds
    verdict = "PASS" if with_audit.seconds <= TARGET_SECONDS else "FAIL"
    print(
        f"era_post: {with_audit.seconds:.2f} s, {rate:,.0f} claims/s   "
        f"{verdict} (target <= {TARGET_SECONDS:.0f} s)"
    )
    if not args.no_trigger_run:
        without = run_once(args.claims, audit=False, profile=False)
        share = (with_audit.seconds - without.seconds) / with_audit.seconds
        print(
            f"without audit triggers: {without.seconds:.2f} s ({without.audit_rows} audit rows); "
            f"the triggers' share: {share:.0%}"
        )
    print("database unchanged: every run was rolled back")


if __name__ == "__main__":
    main()
