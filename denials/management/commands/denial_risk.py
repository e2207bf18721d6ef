"""`manage.py denial_risk fit|score`: learn denial risk from 837P + 835 history, score claims.

    denial_risk fit --claims FILE.837 [...] --remits FILE.835 [...] --model-out PATH [--json]
    denial_risk score --model PATH --claims FILE.837 [...] [--json]

`fit` pairs each claim with its 835 by CLM01 = CLP01, leaves out claims with no answer (and says
how many), and writes the model (joblib) and its metadata (PATH.json). `score` prints
`{CLM01: {"risk": 0..1, "reasons": [...]}}` for every claim of the files. A file that cannot be
read is named with the segment and line at fault, the command exits 1, and nothing is written;
never a traceback. Nothing is stored in the database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from denials.management.commands.x12_check import Refused, file_read
from denials.risk import (
    ClaimFacts,
    Outcome,
    RiskError,
    facts_from_837,
    history_join,
    metadata_path,
    model_fit,
    model_load,
    model_save,
    outcomes_from_remits,
)
from rcm.x12.base import X12Error
from rcm.x12.era835 import parse_835
from rcm.x12.read837 import read_837p


def _read(name: str, kind: str) -> Any:
    """The file's transactions; CommandError naming the file (and segment and line)."""
    try:
        content = file_read(Path(name))
        if kind == "837P":
            return read_837p(content)
        return parse_835(content)
    except (Refused, X12Error) as error:
        raise CommandError(f"{name}: cannot be read as an {kind}: {error}", returncode=1) from None


def claims_read(names: list[str]) -> list[ClaimFacts]:
    claims: list[ClaimFacts] = []
    for name in names:
        claims.extend(facts_from_837(_read(name, "837P")))
    return claims


class Command(BaseCommand):
    help = (
        "Learn which claims a payer denies from 837P/835 history, and score claims before sending."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="fit|score")
        fit = actions.add_parser("fit", help="learn from sent 837Ps and their 835s")
        fit.add_argument("--claims", nargs="+", required=True, metavar="FILE.837")
        fit.add_argument("--remits", nargs="+", required=True, metavar="FILE.835")
        fit.add_argument("--model-out", required=True, metavar="PATH")
        fit.add_argument("--json", action="store_true", help="print the summary as JSON")
        score = actions.add_parser("score", help="the denial risk of each claim in 837P files")
        score.add_argument("--model", required=True, metavar="PATH")
        score.add_argument("--claims", nargs="+", required=True, metavar="FILE.837")
        score.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "fit":
                self.fit(options)
            else:
                self.score(options)
        except RiskError as error:
            raise CommandError(str(error), returncode=1) from None

    def fit(self, options: dict[str, Any]) -> None:
        claims = claims_read(options["claims"])
        outcomes: dict[str, Outcome] = {}
        numbers = {facts.control_number for facts in claims}
        for name in options["remits"]:
            found = outcomes_from_remits(_read(name, "835"))
            if found and not numbers.intersection(found):
                self.stderr.write(
                    f"{name}: none of its {len(found)} claims (CLP01) matches a claim "
                    "(CLM01) in the 837 files; it was not used"
                )
            outcomes.update(found)
        history = history_join(claims, outcomes)
        if not claims:
            raise RiskError("cannot learn from nothing: the 837 files hold no claim")
        if outcomes and not history.claims:
            raise RiskError(
                f"cannot learn: none of the {len(outcomes)} claims in the 835 files matches a "
                f"claim in the 837 files (CLP01 = CLM01); are these the remits for these claims?"
            )
        model = model_fit(history=history, when=timezone.now())
        path = Path(options["model_out"])
        model_save(model=model, path=path)
        summary = dict(model.metadata, model=str(path), metadata=str(metadata_path(path)))
        summary["unmatched_835_claims"] = history.unmatched_remits
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        meta = model.metadata
        share = meta["denied_claims"] / meta["training_claims"]
        self.stdout.write(
            f"Learned from {meta['training_claims']} claims with an 835 "
            f"({meta['denied_claims']} denied, {share:.0%}); {history.left_out} claims had no "
            f"835 and were left out; {history.unmatched_remits} claims in the 835s matched no "
            f"claim. {meta['features']} features. Model: {path} (metadata {metadata_path(path)})."
        )

    def score(self, options: dict[str, Any]) -> None:
        model = model_load(Path(options["model"]))
        claims = claims_read(options["claims"])
        scored = model.score(claims)
        if options["json"]:
            self.stdout.write(json.dumps(scored, indent=2))
            return
        for number, found in sorted(scored.items(), key=lambda item: -item[1]["risk"]):
            self.stdout.write(f"{number}: risk {found['risk']:.0%}")
            for reason in found["reasons"]:
                self.stdout.write(f"    {reason}")
