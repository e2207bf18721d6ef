"""Per-file figures of the last `make mutation` run: killed / tested, read from mutants/*.meta.

Run by the Makefile after mutmut; `--survivors` also lists each surviving mutant's name
(`.venv/bin/mutmut show NAME` prints its diff).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

KILLED = {1, 3, 36, 24, -24, 152, 255, 37}  # failed a test, timed out, or failed the type check
SURVIVED = {0}
NO_TESTS = {5, 33}


def mutation_database_url() -> str:
    """The embedded server's URL with its own database name, so mutmut's test database
    (test_<name>_mutation) is not the one `make test` uses at the same time."""
    import os

    from rcm import embedded

    url = os.environ.get("DATABASE_URL") or embedded.postgres_url(Path("var").resolve())
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_mutation"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--survivors", action="store_true")
    parser.add_argument("--root", default="mutants")
    parser.add_argument(
        "--database-url", action="store_true", help="print the database URL mutmut should use"
    )
    args = parser.parse_args()
    if args.database_url:
        print(mutation_database_url())
        return
    print_summary(Path(args.root), survivors=args.survivors)


def print_summary(root: Path, *, survivors: bool = False) -> None:
    """killed / survived / no test / not run yet, per mutated file and in all."""
    totals: Counter[str] = Counter()
    print(f"{'file':32} {'killed':>7} {'survived':>8} {'no test':>7} {'unrun':>6} {'score':>7}")
    for meta in sorted(root.rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        if not codes:
            continue
        counts = Counter(
            "killed"
            if code in KILLED
            else "survived"
            if code in SURVIVED
            else "no tests"
            if code in NO_TESTS
            else "unrun"
            if code is None
            else "other"
            for code in codes.values()
        )
        tried = counts["killed"] + counts["survived"] + counts["no tests"]
        if not tried:
            continue
        totals.update(counts)
        name = str(meta.relative_to(root)).removesuffix(".meta")
        print(
            f"{name:32} {counts['killed']:7} {counts['survived']:8} {counts['no tests']:7} "
            f"{counts['unrun']:6} {counts['killed'] / tried:7.1%}"
        )
        if survivors:
            for key, code in sorted(codes.items()):
                if code in SURVIVED or code in NO_TESTS:
                    print(f"    {key}")
    tried = totals["killed"] + totals["survived"] + totals["no tests"]
    if tried:
        print(
            f"{'all tried':32} {totals['killed']:7} {totals['survived']:8} "
            f"{totals['no tests']:7} {totals['unrun']:6} {totals['killed'] / tried:7.1%}"
        )


if __name__ == "__main__":
    main()
