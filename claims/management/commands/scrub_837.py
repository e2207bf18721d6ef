"""`manage.py scrub_837 FILE [FILE ...] [--json]`: scrub the claims of 837P files from any system.

Prints one JSON object `{FILE: {CLM01: [{"edit", "severity", "message"}]}}` (a clean claim maps
to `[]`). A file that cannot be read as an 837P is named on stderr with the segment and line at
fault, and the command exits 1; it never prints a traceback. Nothing is stored.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.scrub_file import scrub_837_data
from rcm.x12.base import X12Error

MAX_BYTES = 64 * 1024 * 1024


def file_bytes(path: Path) -> bytes:
    """The file's bytes; ValueError with the reason when it is no readable regular file."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ValueError("cannot be read: it is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("cannot be read: not a regular file")
        if info.st_size > MAX_BYTES:
            raise ValueError(f"cannot be read: {info.st_size:,} bytes is over the limit")
        content = path.read_bytes()
    except FileNotFoundError:
        raise ValueError("cannot be read: no such file") from None
    except OSError as error:
        raise ValueError(f"cannot be read: {error.strerror or error}") from None
    if not content.strip():
        raise ValueError("the file is empty")
    return content


class Command(BaseCommand):
    help = "Scrub the claims of 837P files (from any system) and print the edits found."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        found: dict[str, dict[str, list[dict[str, str]]]] = {}
        refused: list[str] = []
        for name in options["files"]:
            try:
                findings = scrub_837_data(file_bytes(Path(name)))
            except (X12Error, ValueError) as error:
                refused.append(f"{name}: {error}")
                continue
            found[name] = {
                number: [
                    {"edit": e.edit, "severity": e.severity, "message": e.message} for e in edits
                ]
                for number, edits in findings.claims.items()
            }
        if options["json"]:
            self.stdout.write(json.dumps(found, indent=2))
        else:
            self._text(found)
        if refused:
            raise CommandError("\n".join(refused), returncode=1)

    def _text(self, found: dict[str, dict[str, list[dict[str, str]]]]) -> None:
        for name, claims in found.items():
            self.stdout.write(f"{name}: {len(claims)} claims")
            for number, edits in claims.items():
                self.stdout.write(f"  {number}: {'clean' if not edits else ''}")
                for edit in edits:
                    self.stdout.write(f"    {edit['severity']:7} {edit['edit']}: {edit['message']}")
