"""`manage.py import_837 FILE --practice ID [--json]`: import an 837P's claims into a practice.

Unknown patients, coverages, providers and payers are added (matched first by member id, then by
name and date of birth); each claim is scrubbed (held or ready). A file that cannot be read is
named on stderr with the segment and line at fault, nothing is written, and the command exits 1
without a traceback. `--json` prints the summary as one JSON object.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.import837 import ImportResult, claims_import_837
from claims.management.commands.scrub_837 import file_bytes
from rcm.practice.models import Practice
from rcm.x12.base import X12Error
from rcm.x12.read837 import read_837p


class Command(BaseCommand):
    help = "Import the claims of an 837P file (from any system) into a practice, scrubbed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--practice", type=int, required=True, metavar="ID")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            data = file_bytes(Path(name))
            read_837p(data)  # the file is judged first, whatever the practice
        except (X12Error, ValueError) as error:
            raise CommandError(f"{name}: {error}; nothing was imported.", returncode=1) from None
        practice = Practice.objects.filter(pk=options["practice"]).first()
        if practice is None:
            raise CommandError(f"No practice with id {options['practice']}.", returncode=1)
        try:
            result = claims_import_837(
                practice=practice, data=data, file_name=Path(name).name, user=None
            )
        except X12Error as error:  # not expected after the read above; said the same way
            raise CommandError(f"{name}: {error}; nothing was imported.", returncode=1) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.summary(), indent=2))
        else:
            self._text(result)

    def _text(self, result: ImportResult) -> None:
        summary = result.summary()
        self.stdout.write(
            f"{result.file_name}: {summary['claims']} claims imported ({summary['ready']} ready, "
            f"{summary['held']} held); {summary['patients_created']} patients added, "
            f"{summary['patients_matched']} matched; {summary['coverages_created']} coverages, "
            f"{summary['providers_created']} providers and {len(result.payers_created)} payers "
            f"added; {len(result.duplicates_skipped)} duplicates skipped."
        )
        for claim in result.claims:
            state = "held" if claim.held else claim.status
            self.stdout.write(
                f"  {claim.control_number} (was {claim.source_control_number}): {state}"
            )
        for line in [*result.not_imported, *result.duplicates_skipped, *result.warnings]:
            self.stdout.write(f"  {line}")
