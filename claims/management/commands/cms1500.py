"""`manage.py cms1500 --claim ID [ID ...] --out FILE.pdf [--plain]`: the paper claim (CMS-1500)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from claims.paper import claims_cms1500_pdf, claims_for_paper


class Command(BaseCommand):
    help = (
        "Write the CMS-1500 (02/12) of the claims into one PDF, in the order given: the data "
        "only, for the red pre-printed form, or with --plain the form drawn on plain paper. "
        "No claim changes state (printing the 'To print' list is done from the biller's page)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--claim", type=int, nargs="+", required=True, metavar="ID")
        parser.add_argument("--out", type=Path, required=True, help="The PDF file to write.")
        parser.add_argument(
            "--plain", action="store_true", help="Draw the form's boxes and labels too."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        claim_ids: list[int] = list(dict.fromkeys(options["claim"]))
        found = {claim.pk: claim for claim in claims_for_paper(claim_ids)}
        missing = [str(pk) for pk in claim_ids if pk not in found]
        if missing:
            raise CommandError(f"No claim {', '.join(missing)}.")
        pdf = claims_cms1500_pdf(claims=[found[pk] for pk in claim_ids], plain=options["plain"])
        out: Path = options["out"]
        out.write_bytes(pdf)
        self.stdout.write(f"{out}  {len(claim_ids)} claims")
