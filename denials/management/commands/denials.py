"""`manage.py denials categorize KEY ...`: the root-cause category of adjustments, for scripts."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from denials.categories import BadAdjustmentKey, adjustment_key_parse, denial_category
from denials.denial_records import denials_backfill
from rcm.practice.validators import ascii_int


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
        'read maps to {"error": ...} and the others are still answered (exit status 0). '
        "`denials backfill [--practice ID]`: the denial queue's rows of 835s posted before it."
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
        backfill_parser = commands.add_parser(
            "backfill",
            help="Make the denial queue's rows of 835s posted before it existed (idempotent).",
        )
        backfill_parser.add_argument(
            "--practice", action="append", metavar="ID", help="Only this practice (repeatable)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "backfill":
            self._backfill(options["practice"])
            return
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

    def _backfill(self, practices: list[str] | None) -> None:
        ids = None
        if practices is not None:
            parsed = [ascii_int(text) for text in practices]
            if any(pk is None for pk in parsed):
                raise CommandError("--practice takes a practice id: digits 0-9 only.")
            ids = [pk for pk in parsed if pk is not None]
        with transaction.atomic():
            made = denials_backfill(practice_ids=ids)
        self.stdout.write(f"{made} denial{'s' if made != 1 else ''} made.")
