"""`manage.py load_codesets`: load every shipped code set once; running it again changes nothing."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coding.codesets import icd10cm
from coding.codesets.cli import iso_date, load_and_report
from coding.codesets.records import CodeSetError
from coding.codesets.shipped import CodeSetSource, icd10cm_source, shipped_sources
from coding.models import CodeSystem


class Command(BaseCommand):
    help = (
        "Load the shipped code sets (ICD-10-CM, HCPCS subset, CPT demo, modifiers, place of "
        "service, CARC, RARC, claim status and adjustment group codes), each as a release "
        "versioned by effective date. A release already loaded is skipped; older releases stay."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Our --version names the release being loaded; it replaces Django's --version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--system",
            action="append",
            choices=CodeSystem.values,
            help="Load only this system (repeatable). Default: all.",
        )
        icd = parser.add_argument_group("another ICD-10-CM release (e.g. a CDC October file)")
        icd.add_argument("--icd10cm-tabular", type=Path, help="The CDC tabular XML.")
        icd.add_argument(
            "--icd10cm-codes", type=Path, help="The list of valid codes (first word a line)."
        )
        icd.add_argument("--effective-date", type=iso_date, help="Default: from the file name.")
        icd.add_argument("--version", dest="release_version", help="Default: FY2027 and so on.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sources = self._sources(options)
        except CodeSetError as error:
            raise CommandError(str(error)) from error
        for source in sources:
            self.stdout.write(load_and_report(spec=source.spec, read=source.read))

    def _sources(self, options: dict[str, Any]) -> list[CodeSetSource]:
        tabular, codes = options["icd10cm_tabular"], options["icd10cm_codes"]
        if bool(tabular) != bool(codes):
            raise CommandError("Give both --icd10cm-tabular and --icd10cm-codes, or neither.")
        if tabular:
            files = icd10cm.Icd10cmFiles(tabular=tabular, code_list=codes)
            return [
                icd10cm_source(
                    files=files,
                    effective_date=options["effective_date"],
                    version=options["release_version"],
                )
            ]
        if options["effective_date"] or options["release_version"]:
            raise CommandError("--effective-date and --version go with --icd10cm-tabular.")
        return shipped_sources(systems=options["system"])
