"""Time rcm's 835 parser against x12sdk's X12ModelReader on one synthetic 835 of N claims."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script, no Django

from x12sdk import __version__ as x12sdk_version
from x12sdk.generate import generate_835
from x12sdk.io import X12ModelReader

from rcm.x12.era835 import parse_835

TARGET_RATIO = 5.0
SEED = 7


def ours(path: Path) -> list[Any]:
    """rcm.x12.era835.parse_835 on the file's bytes (the read is timed too)."""
    return parse_835(path.read_bytes())


def theirs(path: Path) -> list[Any]:
    """x12sdk's documented model reader: X12ModelReader(path).models(), every model kept."""
    with X12ModelReader(str(path)) as reader:
        return list(reader.models())


def our_claims(remittances: list[Any]) -> list[tuple[str, Decimal, int]]:
    return [(c.control_number, c.paid, len(c.service_lines)) for r in remittances for c in r.claims]


def their_claims(models: list[Any]) -> list[tuple[str, Decimal, int]]:
    return [
        (c.patient_control_number, c.paid, len(c.service_lines)) for m in models for c in m.claims()
    ]


def check_same(path: Path) -> tuple[int, Decimal]:
    """Correctness guard: both parsers see the same claims, payments and line counts."""
    mine, other = our_claims(ours(path)), their_claims(theirs(path))
    if len(mine) != len(other):
        sys.exit(f"FAIL guard: {len(mine)} claims (rcm) != {len(other)} claims (x12sdk)")
    paid_mine = sum((p for _, p, _ in mine), Decimal(0))
    paid_other = sum((p for _, p, _ in other), Decimal(0))
    if paid_mine != paid_other:
        sys.exit(f"FAIL guard: total paid {paid_mine} (rcm) != {paid_other} (x12sdk)")
    if mine != other:
        first = next(i for i, (a, b) in enumerate(zip(mine, other, strict=True)) if a != b)
        sys.exit(f"FAIL guard: claim {first + 1} differs: {mine[first]} != {other[first]}")
    return len(mine), paid_mine


def timed(parse: Callable[[Path], list[Any]], path: Path) -> float:
    start = time.perf_counter()
    parse(path)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=10_000, help="claims in the 835")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each parser")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"synthetic_{args.claims}.835"
        start = time.perf_counter()
        path.write_text(generate_835(seed=SEED, claims=args.claims), encoding="ascii")
        generated = time.perf_counter() - start
        data = path.read_bytes()
        terminator = data[105:106]  # ISA16 is followed by the segment terminator
        segments = data.count(terminator)
        claims, paid = check_same(path)  # also the untimed warm-up of both parsers

        times: dict[str, list[float]] = {"rcm": [], "x12sdk": []}
        for _ in range(args.repeat):
            times["rcm"].append(timed(ours, path))
            times["x12sdk"].append(timed(theirs, path))

    print(f"python {platform.python_version()}, nproc {_nproc()}, x12sdk {x12sdk_version}")
    print(
        f"file: x12sdk generate_835(seed={SEED}, claims={args.claims}) in {generated:.2f} s, "
        f"{len(data):,} bytes, {segments:,} segments, 1 interchange / 1 transaction"
    )
    print(f"guard: both parsers read {claims:,} claims, total paid {paid}, same lines: OK")
    print(f"timed runs: {args.repeat} of each, alternating rcm, x12sdk, ...")
    for name, runs in times.items():
        print(
            f"  {name:<7} median {statistics.median(runs):.3f} s   min {min(runs):.3f} s   "
            f"runs {' '.join(f'{t:.3f}' for t in runs)}"
        )
    ratio = statistics.median(times["x12sdk"]) / statistics.median(times["rcm"])
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    print(f"ratio x12sdk/rcm (median): {ratio:.1f}x   {verdict} (target >= {TARGET_RATIO:.0f}x)")


def _nproc() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


if __name__ == "__main__":
    main()
