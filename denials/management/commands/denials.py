"""`manage.py denials categorize KEY ...`: the root-cause category of adjustments, for scripts."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from denials.categories import BadAdjustmentKey, adjustment_key_parse, denial_category


def categorize(keys: list[str]) -> dict[str, dict[str, Any]]:
    """Each key as given -> its category, or {"error": why it was refused}."""
    found: dict[str, dict[str, Any]] = {}
    for key in keys:
        try:
            parsed = adjustment_key_parse(key)
        except BadAdjustmentKey as error:
            found[key] = {"error": str(error)}
            continue
        found[key] = denial_category(parsed.group, parsed.carc, parsed.rarcs).as_dict()
    return found


class Command(BaseCommand):
    help = (
        "Denial tools. `denials categorize KEY [KEY ...] [--json]`: the root-cause category of "
        "each adjustment key (CO-197, CO-16:N290, PR-1), with its next step; a key that cannot be "
        'read maps to {"error": ...} and the others are still answered (exit status 0).'
    )
    # Reads a table in code: no database, no URL or admin checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        categorize_parser = commands.add_parser(
            "categorize", help="The root-cause category and next step of adjustment keys."
        )
        categorize_parser.add_argument(
            "keys", nargs="+", metavar="KEY", help="GROUP-CARC[:RARC ...], e.g. CO-16:N290"
        )
        categorize_parser.add_argument("--json", action="store_true", help="One JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        found = categorize(options["keys"])
        if options["json"]:
            self.stdout.write(json.dumps(found, ensure_ascii=True))
            return
        for key, answer in found.items():
            shown = key.encode("unicode_escape").decode("ascii")
            if "error" in answer:
                self.stdout.write(f"{shown}: cannot read it: {answer['error']}")
            else:
                self.stdout.write(f"{shown}: {answer['label']} ({answer['category']})")
                self.stdout.write(f"    {answer['next_step']}")
