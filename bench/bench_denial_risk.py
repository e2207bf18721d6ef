"""Measure denial risk on held-out synthetic history: AUC, denied dollars in the riskiest 10%.

    python bench/bench_denial_risk.py [--train 6000] [--test 3000] [--variant drift]

Trains on one history (seed 1, the base rules) and tests on another (seed 2, the drifted rules
by default: other rates, payer mix, more late claims); labels on both sides come from the 835s,
read as `denial_risk fit` reads them. Also times the whole `manage.py denial_risk fit` command
(file reading included) on the training files, and shows the mean risk per hidden rule.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script; denials.risk needs no Django

from bench.denial_history import VARIANTS, history_write  # noqa: E402
from denials.risk import auc, facts_from_837, history_join, model_fit, outcomes_from_remits  # noqa: E402
from rcm.x12.era835 import parse_835  # noqa: E402
from rcm.x12.read837 import read_837p  # noqa: E402


def read_history(folder: Path):
    claims = [
        f for p in sorted(folder.glob("*.837")) for f in facts_from_837(read_837p(p.read_bytes()))
    ]
    remits = [r for p in sorted(folder.glob("*.835")) for r in parse_835(p.read_bytes())]
    return claims, outcomes_from_remits(remits)


def top_share(risks, dollars, share: float = 0.10) -> float:
    order = sorted(range(len(risks)), key=lambda i: -risks[i])
    top = order[: max(1, round(len(order) * share))]
    total = sum(dollars, Decimal(0))
    return float(sum((dollars[i] for i in top), Decimal(0)) / total) if total else float("nan")


def _without_background(claims, labels, risks, truth):
    kept = [i for i, c in enumerate(claims) if truth[c.control_number]["rules"] != ["background"]]
    return [labels[i] for i in kept], [risks[i] for i in kept]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--train", type=int, default=6000)
    parser.add_argument("--test", type=int, default=3000)
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="drift")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        train_dir, test_dir = Path(tmp) / "train", Path(tmp) / "test"
        history_write(train_dir, claims=args.train, seed=1, rules=VARIANTS["base"])
        truth = history_write(test_dir, claims=args.test, seed=2, rules=VARIANTS[args.variant])

        start = time.perf_counter()
        claims, outcomes = read_history(train_dir)
        model = model_fit(history=history_join(claims, outcomes), when=datetime.now(UTC))
        fit_seconds = time.perf_counter() - start

        command = [
            sys.executable,
            str(ROOT / "manage.py"),
            "denial_risk",
            "fit",
            "--model-out",
            str(Path(tmp) / "m.joblib"),
        ]
        command += ["--claims", *map(str, sorted(train_dir.glob("*.837")))]
        command += ["--remits", *map(str, sorted(train_dir.glob("*.835")))]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
        command_seconds = time.perf_counter() - start
        if done.returncode:
            sys.exit(f"denial_risk fit failed: {done.stderr}")

        test_claims, test_outcomes = read_history(test_dir)
        test = history_join(test_claims, test_outcomes)
        risks = [float(r) for r in model.risks(test.claims)]
        labels = [int(v) for v in test.labels]
        dollars = [test_outcomes[c.control_number].denied_dollars for c in test.claims]
        by_rule: dict[str, list[float]] = {}
        for facts, risk in zip(test.claims, risks, strict=True):
            rules = truth[facts.control_number]["rules"] or ["none (paid)"]
            for rule in rules:
                by_rule.setdefault(str(rule), []).append(risk)
        result = {
            "train_claims": len(claims),
            "train_denied": model.metadata["denied_claims"],
            "test_claims": len(test.claims),
            "test_denied": sum(labels),
            "test_variant": args.variant,
            "auc": round(auc(labels, risks), 4),
            # Background denials are random by design: without them, how well are the rules found?
            "auc_rule_denials_vs_paid": round(
                auc(*_without_background(test.claims, labels, risks, truth)), 4
            ),
            "denied_dollars_in_riskiest_10pct": round(top_share(risks, dollars), 4),
            "denied_claims_in_riskiest_10pct": round(
                top_share(risks, [Decimal(v) for v in labels]), 4
            ),
            "fit_seconds_read_and_fit": round(fit_seconds, 2),
            "fit_seconds_manage_py_command": round(command_seconds, 2),
            "mean_risk_by_hidden_rule": {
                rule: {"claims": len(r), "mean_risk": round(sum(r) / len(r), 3)}
                for rule, r in sorted(by_rule.items())
            },
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
