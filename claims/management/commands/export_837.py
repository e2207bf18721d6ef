"""`manage.py export_837 --out DIR [--claim ID ...]`: write the 837P files the app would send."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from claims.export import claims_export_837
from claims.models import Claim
from rcm.x12.base import X12Error


class Command(BaseCommand):
    help = (
        "Write the 837P files the app would send, one per practice and clearinghouse connection, "
        "into DIR. Without --claim: every claim ready to submit or queued. No claim changes state."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--out", type=Path, required=True, help="Directory for the files.")
        parser.add_argument("--claim", type=int, action="append", dest="claims", metavar="ID")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        claim_ids: list[int] | None = options["claims"]
        if claim_ids:
            found = set(Claim.objects.filter(pk__in=claim_ids).values_list("id", flat=True))
            missing = sorted(set(claim_ids) - found)
            if missing:
                raise CommandError(f"No claim with id {', '.join(map(str, missing))}.")
        try:
            files = claims_export_837(claim_ids=claim_ids)
        except X12Error as error:
            raise CommandError(f"Cannot write the 837P: {error}") from error
        if not files:
            self.stdout.write("No claims to export.")
            return
        out.mkdir(parents=True, exist_ok=True)
        for exported in files:
            (out / exported.name).write_text(exported.text)
            self.stdout.write(f"{out / exported.name}  {exported.claim_count} claims")
