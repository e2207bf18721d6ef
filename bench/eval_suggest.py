"""Measure code suggestions on the labelled notes: recall@5 and precision@5, exact and category."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcm.settings")

import django

django.setup()

from coding.suggest import suggest_codes  # noqa: E402

EVAL_SET = Path(__file__).resolve().parent.parent / "coding" / "data" / "cac_eval"
K = 5


@dataclass(frozen=True)
class NoteResult:
    name: str
    gold: list[str]
    suggested: list[str]

    def hits(self, *, category: bool) -> int:
        return len(_keys(self.suggested[:K], category) & _keys(self.gold, category))

    def gold_count(self, *, category: bool) -> int:
        return len(_keys(self.gold, category))

    def suggested_count(self, *, category: bool) -> int:
        return len(_keys(self.suggested[:K], category))


def _keys(codes: list[str], category: bool) -> set[str]:
    return {code[:3] if category else code for code in codes}


@dataclass(frozen=True)
class Scores:
    recall: float
    precision: float
    micro_recall: float
    micro_precision: float


def scores(results: list[NoteResult], *, category: bool) -> Scores:
    """Macro (mean over notes) and micro (pooled counts) recall@5 and precision@5.

    A note with no suggestion has precision 0.
    """
    hits = [r.hits(category=category) for r in results]
    gold = [r.gold_count(category=category) for r in results]
    shown = [r.suggested_count(category=category) for r in results]
    recall = sum(h / g for h, g in zip(hits, gold, strict=True)) / len(results)
    precision = sum(h / s if s else 0.0 for h, s in zip(hits, shown, strict=True)) / len(results)
    return Scores(recall, precision, sum(hits) / sum(gold), sum(hits) / max(1, sum(shown)))


def evaluate(directory: Path = EVAL_SET) -> tuple[list[NoteResult], float]:
    """Suggest codes for every labelled note; the results and the slowest note's seconds."""
    labels: dict[str, list[str]] = json.loads((directory / "labels.json").read_text())
    results, slowest = [], 0.0
    for name, gold in sorted(labels.items()):
        note = (directory / name).read_text()
        started = time.perf_counter()
        suggested = [s.code for s in suggest_codes(note, limit=K)]
        slowest = max(slowest, time.perf_counter() - started)
        results.append(NoteResult(name, gold, suggested))
    return results, slowest


def evaluate_demo() -> tuple[list[NoteResult], float]:
    """The same measure on the demo's visit notes (templates written for the demo data)."""
    import random

    from demo.scenarios import SCENARIOS, note_render

    rng = random.Random(2026)
    results, slowest = [], 0.0
    for scenario in SCENARIOS:
        age = (scenario.ages[0] + scenario.ages[1]) // 2
        for copy in range(3):
            note = note_render(rng, scenario, age=age, sex=scenario.sex or "F")
            started = time.perf_counter()
            suggested = [s.code for s in suggest_codes(note, limit=K)]
            slowest = max(slowest, time.perf_counter() - started)
            results.append(
                NoteResult(f"{scenario.key}#{copy}", list(scenario.diagnoses), suggested)
            )
    return results, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=Path, default=EVAL_SET, help="notes and labels.json")
    parser.add_argument("--misses", action="store_true", help="list the notes with errors")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--demo", action="store_true", help="use the demo's visit notes instead")
    args = parser.parse_args()
    started = time.perf_counter()
    results, slowest = evaluate_demo() if args.demo else evaluate(args.dir)
    elapsed = time.perf_counter() - started
    exact, category = scores(results, category=False), scores(results, category=True)
    if args.json:
        summary = {"notes": len(results), "exact": vars(exact), "category": vars(category)}
        print(json.dumps(summary, indent=2))
        return
    print(f"{len(results)} notes, {sum(len(r.gold) for r in results)} gold codes, "
          f"{elapsed:.2f} s (slowest {slowest * 1000:.0f} ms, first call included)")  # fmt: skip
    print("| match | recall@5 | precision@5 | micro recall@5 | micro precision@5 |")
    print("|---|---|---|---|---|")
    for label, figures in (("exact code", exact), ("category (3 chars)", category)):
        print(f"| {label} | {figures.recall:.3f} | {figures.precision:.3f} | "
              f"{figures.micro_recall:.3f} | {figures.micro_precision:.3f} |")  # fmt: skip
    if args.misses:
        for result in results:
            top = result.suggested[:K]
            if set(top) != set(result.gold):
                print(f"{result.name}: gold {result.gold} got {top}")


if __name__ == "__main__":
    main()
