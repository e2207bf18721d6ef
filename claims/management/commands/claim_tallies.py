"""`manage.py claim_tallies [--check | --rebuild]`: the biller's totals the database keeps.

With no option, folds the rows of differences (what beat does every five minutes). `--check`
counts every claim and names each practice, status and hold whose tally disagrees (exit 1);
`--rebuild` recounts them all (claim writes wait for the moment it takes).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.tallies import claim_tallies_compact, claim_tallies_drift, claim_tallies_rebuild


class Command(BaseCommand):
    help = "Fold, check or rebuild the claim tallies behind the biller's totals."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--check", action="store_true", help="compare with a full count")
        group.add_argument("--rebuild", action="store_true", help="recount from the claims")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            self.stdout.write(f"Rebuilt: {claim_tallies_rebuild()} tally rows.")
            return
        if options["check"]:
            drift = claim_tallies_drift()
            for (practice, status, on_hold, payer), (tallied, counted) in sorted(drift.items()):
                self.stdout.write(
                    f"practice {practice} {status} on_hold={on_hold} payer {payer}: "
                    f"tallied {tallied[0]} claims {tallied[1]}, "
                    f"counted {counted[0]} claims {counted[1]}"
                )
            if drift:
                raise CommandError(f"{len(drift)} tallies disagree with the claims: run --rebuild.")
            self.stdout.write("The tallies agree with the claims.")
            return
        before, after = claim_tallies_compact()
        self.stdout.write(f"Folded {before} tally rows into {after}.")
