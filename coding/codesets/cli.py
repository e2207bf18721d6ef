"""What the code-set commands share: reading their options, loading, and the summary line."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coding.codesets.loader import codeset_release_load
from coding.codesets.records import CodeRecord, CodeSetError, ReleaseSpec
from coding.codesets.selectors import release_get


def iso_date(value: str) -> date:
    """An argparse type: YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from error


def load_and_report(*, spec: ReleaseSpec, read: Callable[[], list[CodeRecord]]) -> str:
    """Load one release unless it is loaded already; the one-line summary of what happened.

    Reading waits until the release is known to be missing, so a second run costs one query.
    """
    label = f"{spec.system} {spec.version}"
    if release_get(system=spec.system, version=spec.version) is not None:
        return f"{label}: already loaded"
    started = time.monotonic()
    try:
        result = codeset_release_load(spec=spec, records=read())
    except CodeSetError as error:
        raise CommandError(f"{label}: {error} Nothing was written.") from error
    if not result.created:
        return f"{label}: already loaded"
    elapsed = time.monotonic() - started
    return f"{label}: {result.release.code_count:,} codes loaded ({elapsed:.1f} s)"


class ReleaseFileImportCommand(BaseCommand):
    """A command that loads one file as one release of `system`: import_hcpcs, import_cpt."""

    system: str
    source_label: str  # e.g. "CMS HCPCS Level II file"

    def read(self, path: Path) -> list[CodeRecord]:
        raise NotImplementedError

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
            system=self.system,
            version=options["release_version"],
            effective_date=options["effective_date"],
            source=f"{self.source_label} {path.name}",
        )
        self.stdout.write(load_and_report(spec=spec, read=partial(self.read, path)))
