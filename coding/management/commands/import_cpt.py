"""`manage.py import_cpt FILE`: load a practice's licensed CPT file as a release."""

from __future__ import annotations

from argparse import ArgumentParser
from functools import partial
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coding.codesets import cpt
from coding.codesets.cli import iso_date, load_and_report
from coding.codesets.records import ReleaseSpec
from coding.models import CodeSystem


class Command(BaseCommand):
    help = (
        "Import a licensed CPT file: a header row with code and description columns "
        "(short_description optional), comma-, tab- or bar-delimited. Bad input stops the import "
        "with the line at fault and writes nothing; importing the same version again changes "
        "nothing."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Our --version names the release being loaded; it replaces Django's --version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--effective-date",
            type=iso_date,
            required=True,
            help="YYYY-MM-DD the codes apply from.",
        )
        parser.add_argument(
            "--version", dest="release_version", required=True, help="The release's name."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        spec = ReleaseSpec(
            system=CodeSystem.CPT.value,
            version=options["release_version"],
            effective_date=options["effective_date"],
            source=f"Licensed AMA CPT file {path.name}",
        )
        self.stdout.write(load_and_report(spec=spec, read=partial(cpt.records, path)))
