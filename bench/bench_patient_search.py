"""Time patient search (patient_list and the search page's query path) on 100,000 patients."""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcm.settings")

import django

from bench.settle import settle  # before setup: connects the benchmark as the owner

django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from patients.models import Coverage, Patient  # noqa: E402
from patients.registration.selectors import patient_list  # noqa: E402
from rcm.practice.models import Payer, Practice, Role  # noqa: E402
from tests.factories import (  # noqa: E402
    MembershipFactory,
    PayerFactory,
    PracticeFactory,
    UserFactory,
)

TARGET_P95_MS = 100.0


def _words(text: str) -> list[str]:
    return text.split()


LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips "
    "Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers "
    "Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson "
    "Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo "
    "Sanders Patel Myers Long Ross Foster Jimenez Goldsmith Smithers Johnston Jonsen"
)
FIRST_NAMES = _words(
    "James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy "
    "Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew "
    "Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa Timothy "
    "Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Maria "
    "Gary Amy Nicholas Angela Eric Shirley Jonathan Anna Stephen Brenda Larry Pamela Justin Emma "
    "Scott Nicole Brandon Helen Benjamin Samantha Samuel Katherine Gregory Christine Alexander "
    "Debra Frank Rachel Patrick Carolyn Raymond Janet Jack Catherine Dennis Maria Jerry Heather"
)
SYLLABLES = _words("ka lo mi ren dor sa vel tin bra hal qui zen mor pel ash ton ric fen gar lu")


def synthetic_last_name(rng: random.Random) -> str:
    """A long tail of rarer surnames next to the common ones, as in a real patient list."""
    if rng.random() < 0.6:
        return rng.choice(LAST_NAMES)
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def patients_create(count: int, practice_id: int, payer_id: int, rng: random.Random) -> None:
    """`count` patients with one coverage each, by bulk insert (the audit triggers still run)."""
    start = datetime.date(1930, 1, 1)
    for offset in range(0, count, 10_000):
        batch = [
            Patient(
                practice_id=practice_id,
                mrn=f"{offset + n + 1:07d}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=synthetic_last_name(rng),
                date_of_birth=start + datetime.timedelta(days=rng.randint(0, 33_000)),
                sex=rng.choice("FM"),
                address1="1 Bench St",
                city="Springfield",
                state="IL",
                zip_code="62704",
            )
            for n in range(min(10_000, count - offset))
        ]
        created = Patient.objects.bulk_create(batch)
        Coverage.objects.bulk_create(
            Coverage(
                practice_id=practice_id,
                patient_id=patient.pk,
                payer_id=payer_id,
                priority=1,
                member_id=f"XW{patient.pk:010d}",
                effective_date=datetime.date(2025, 1, 1),
            )
            for patient in created
        )


def queries_by_kind(rng: random.Random) -> dict[str, list[str]]:
    """Realistic front-desk searches, drawn from the rows just created."""
    sample = list(Patient.objects.order_by("?").values_list("mrn", "date_of_birth", "pk")[:20])
    members = list(Coverage.objects.order_by("?").values_list("member_id", flat=True)[:10])
    return {
        "last-name prefix": ["smi", "Gar", "wil", "jo", "MA", "Hernan", "k"],
        "two partial terms": ["smi jo", "gar mar", "wil ja", "lee ch"],
        "full name": ["Smith John", "Garcia, Maria", "Nguyen Linda", "Lopez, J"],
        "date of birth": [f"{d:%Y-%m-%d}" for _m, d, _p in sample[:5]]
        + [f"{d:%m/%d/%Y}" for _m, d, _p in sample[5:10]],
        "MRN": [m for m, _d, _p in sample[10:15]] + [m[:5] for m, _d, _p in sample[15:18]],
        "member id": members[:6] + [m[:8].lower() for m in members[6:]],
        "misspelling": ["Smiht", "Garsia", "Willaims", "Jonsen Mary", "Hernandes"],
    }


def timed(run: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def first_fifty(user: object, query: str) -> None:
    """What the API and other callers run: the first 50 matches."""
    list(patient_list(user=user, query=query)[:50])


def search_page(user: object, query: str) -> None:
    """What the patient search page runs: the page of 50 and the count for the pager."""
    page = Paginator(patient_list(user=user, query=query), 50).get_page(1)
    list(page.object_list)
    _ = page.paginator.num_pages


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(label: str, times: list[float]) -> str:
    return (
        f"{label:<38} n={len(times):<4} p50={statistics.median(times):7.1f} ms "
        f"p95={percentile(times, 0.95):7.1f} ms  max={max(times):7.1f} ms"
    )


def _indexes_in(plan: str) -> str:
    """Every index the plan reads (ours end in _idx, primary keys in _pkey); NONE: a table scan."""
    names = {w.strip('",') for w in plan.split()}
    return ", ".join(sorted(n for n in names if n.endswith(("_idx", "_pkey")))) or "NONE"


def explain(user: object, kinds: dict[str, list[str]]) -> None:
    """The indexes each kind of search uses (EXPLAIN); a digit term first looks up its ids."""
    for kind, queries in kinds.items():
        plan = patient_list(user=user, query=queries[0])[:50].explain()
        print(f"  {kind:<20} {queries[0]!r:<16} indexes: {_indexes_in(plan)}")
    # The digit terms' id lookups, as patients.registration.selectors._ids_by_number runs them.
    practice_ids = list(Practice.objects.values_list("id", flat=True))
    for label, term in (("MRN", kinds["MRN"][0]), ("MRN", kinds["MRN"][-1])):
        plan = (
            Patient.objects.filter(practice_id__in=practice_ids, mrn__istartswith=term)
            .values_list("id", flat=True)[:500]
            .explain()
        )
        print(f"  {'  ' + label + ' -> ids':<20} {term!r:<16} indexes: {_indexes_in(plan)}")
    for term in (kinds["member id"][0], kinds["member id"][-1]):
        plan = (
            Coverage.objects.filter(practice_id__in=practice_ids, member_id__istartswith=term)
            .values_list("patient_id", flat=True)[:500]
            .explain()
        )
        print(f"  {'  member id -> ids':<20} {term!r:<16} indexes: {_indexes_in(plan)}")


class RollBack(Exception):
    """Raised at the end so that nothing the benchmark wrote stays in the database."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--explain", action="store_true", help="print the indexes each kind uses")
    args = parser.parse_args()
    rng = random.Random(20261127)
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {connection.vendor}")
    passed = False
    try:
        with transaction.atomic():
            # factory_boy's types are the factories', not the models they create.
            practice = cast(Practice, PracticeFactory(name="Bench Family Medicine"))
            payer = cast(Payer, PayerFactory())
            user = UserFactory(username="bench-front-desk")
            MembershipFactory(user=user, practice=practice, role=Role.FRONT_DESK)
            started = time.perf_counter()
            patients_create(args.patients, practice.pk, payer.pk, rng)
            settle("patients_patient", "patients_coverage")  # as autovacuum would
            print(f"setup: {args.patients:,} patients in {time.perf_counter() - started:.1f} s")
            kinds = queries_by_kind(rng)
            if args.explain:
                explain(user, kinds)
            passed = run_all(user, kinds, args.repeat)
            raise RollBack
    except RollBack:
        pass
    return 0 if passed else 1


def run_all(user: object, kinds: dict[str, list[str]], repeat: int) -> bool:
    overall: dict[str, list[float]] = {"patient_list[:50]": [], "search page": []}
    for kind, queries in kinds.items():
        for label, run in (
            ("patient_list[:50]", first_fifty),
            ("search page", search_page),
        ):
            times = [t for q in queries for t in timed(partial(run, user, q), repeat)]
            overall[label].extend(times)
            print(report(f"{kind} / {label}", times))
    print()
    verdicts = []
    for label, times in overall.items():
        p95 = percentile(times, 0.95)
        verdicts.append(p95 <= TARGET_P95_MS)
        print(report(f"all kinds / {label}", times))
    ok = all(verdicts)
    print(f"\n{'PASS' if ok else 'FAIL'} (target: p95 <= {TARGET_P95_MS:.0f} ms per search)")
    return ok


if __name__ == "__main__":
    sys.exit(main())
