"""Time code search (coding.search.engine.code_search) over the full ICD-10-CM on coder queries."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcm.settings")

import django

from bench.settle import settle  # before setup: connects the benchmark as the owner

django.setup()

from coding.codesets.selectors import release_in_force  # noqa: E402
from coding.models import CodeSystem  # noqa: E402
from coding.search.engine import code_search  # noqa: E402
from coding.search.index import code_search_index_ensure  # noqa: E402

TARGET_P95_MS = 30.0

QUERIES: dict[str, list[str]] = {
    "code": [
        "E11.9", "e119", "E11", "e11.6", "I10", "i48.91", "J44.1", "M54.50", "S52.5", "s52501a",
        "Z00.00", "N39", "F32.A", "R10", "K21.9",
    ],
    "abbreviation": [
        "HTN", "CHF", "afib", "UTI", "COPD", "GERD", "DM2 w/ hyperglycemia", "T2DM", "CAD",
        "CKD 3", "LBP", "SOB", "n/v", "h/o MI", "URI", "BPH", "DVT lt leg", "OA rt knee",
        "fx right radius", "pna", "sz", "HLD", "MDD", "OSA",
    ],
    "words": [
        "type 2 diabetes without complications", "low back pain", "pneumonia",
        "COPD exacerbation", "essential hypertension", "high blood pressure", "chest pain",
        "urinary tract infection", "atrial fibrillation", "major depressive disorder recurrent",
        "vitamin d deficiency", "acute sinusitis", "sprain of left ankle", "abdominal pain",
        "migraine without aura", "anxiety", "fracture", "fx right forearm initial",
    ],
    "prefix": ["hyperten", "diab mell", "pneum", "atr fib", "chron kid dis", "osteoarth knee"],
    "misspelling": [
        "diabetis", "hypertenson", "pnuemonia", "athritis", "asthama", "bronchitus",
        "cellulitus", "gastroenteritus", "hypothyroidsm",
    ],
}  # fmt: skip


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--limit", type=int, default=10)
    args = parser.parse_args()
    release = release_in_force(system=CodeSystem.ICD10CM)
    if release is None:
        print("no ICD-10-CM release: run manage.py load_codesets first")
        return 2
    code_search_index_ensure(release=release)  # untimed: a first search would build it
    settle("coding_code", "coding_codesearchterm", "coding_codesearchword")  # as autovacuum would
    for queries in QUERIES.values():  # warm-up: caches, vocabulary, plans
        for query in queries:
            code_search(query=query, limit=args.limit)
    timings: dict[str, list[float]] = {kind: [] for kind in QUERIES}
    for _ in range(args.repeat):
        for kind, queries in QUERIES.items():
            for query in queries:
                started = time.perf_counter()
                code_search(query=query, limit=args.limit)
                timings[kind].append((time.perf_counter() - started) * 1000)
    report(timings=timings, release=str(release), repeat=args.repeat)
    every = [value for values in timings.values() for value in values]
    return 0 if percentile(every, 0.95) <= TARGET_P95_MS else 1


def report(*, timings: dict[str, list[float]], release: str, repeat: int) -> None:
    every = [value for values in timings.values() for value in values]
    count = sum(len(queries) for queries in QUERIES.values())
    print(f"{release}; {count} queries x {repeat}; Python {platform.python_version()}")
    print(f"{'kind':<14}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind, values in [*timings.items(), ("all", every)]:
        print(
            f"{kind:<14}{len(values):>6}{statistics.median(values):>9.1f}"
            f"{percentile(values, 0.95):>9.1f}{max(values):>9.1f}"
        )
    p95 = percentile(every, 0.95)
    verdict = "PASS" if p95 <= TARGET_P95_MS else "FAIL"
    print(f"{verdict}: p95 {p95:.1f} ms (target <= {TARGET_P95_MS:.0f} ms)")


if __name__ == "__main__":
    sys.exit(main())
