"""`manage.py import_era FILE [--dry-run] [--json]`: post (or only check) an 835 remittance file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from denials.inbox import era_post
from denials.posting import PostingRefused, PostingResult, era_check, era_preview, money
from rcm.audit.context import audit_context
from rcm.clearinghouse.gateway import INBOUND_HEAD_BYTES, inbound_max_bytes, inbound_too_large
from rcm.x12.era835 import Remittance


def _read(path: Path) -> tuple[bytes, int | None]:
    """The file's bytes, or only its head and its size when it is over the inbound limit (the
    inbox quarantines it by its size without reading the rest)."""
    size, limit = path.stat().st_size, inbound_max_bytes()
    with path.open("rb") as handle:
        if size > limit:
            return handle.read(INBOUND_HEAD_BYTES), size
        content = handle.read(limit + 1)  # never more, should the file grow meanwhile
    return (content[:INBOUND_HEAD_BYTES], len(content)) if len(content) > limit else (content, None)


class Command(BaseCommand):
    help = (
        "Import an 835 remittance: post every payment once and move its claims. With --dry-run "
        "only parse and check it (nothing is written); with --json print what was read. A "
        "malformed or unbalanced file is refused whole, and kept in the quarantine list."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the 835 file")
        parser.add_argument("--dry-run", action="store_true", help="parse and check only")
        parser.add_argument("--json", action="store_true", help="print what was read, as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content, size = _read(path)
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        try:
            result = None
            if options["dry_run"]:
                if size is not None:
                    raise PostingRefused(inbound_too_large(size))
                remittances = era_check(content=content)
            else:
                with audit_context(via="command:import_era"):
                    result = era_post(content=content, name=path.name, size=size)
                remittances = result.remittances
        except PostingRefused as refused:
            kept = " (kept in the quarantine list)" if refused.stored_file_id else ""
            raise CommandError(f"{path.name} refused: {refused}{kept}") from refused
        if options["json"]:
            self.stdout.write(json.dumps(era_preview(remittances), indent=2))
        else:
            self._summary(path.name, remittances, result)

    def _summary(
        self, name: str, remittances: list[Remittance], result: PostingResult | None
    ) -> None:
        for r in remittances:
            self.stdout.write(
                f"{r.payer_name} {r.payment_method} {r.trace_number}: {money(r.payment_amount)} "
                f"for {len(r.claims)} claims, {len(r.provider_adjustments)} provider adjustments"
            )
        if result is None:
            self.stdout.write(self.style.SUCCESS(f"{name} parses and balances (dry run)."))
            return
        if result.duplicate:
            self.stdout.write(f"{name} was imported before; nothing posted again.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Posted {len(result.remittances_posted)} payments; "
                f"{len(result.remittances_skipped)} already posted; "
                f"{result.claims_matched} claims matched, {len(result.claims_unmatched)} unmatched."
            )
        )
        if result.claims_unmatched:
            self.stdout.write("Unmatched claims: " + ", ".join(result.claims_unmatched))
        for claim_id, status in sorted(result.claims_not_moved.items()):
            self.stdout.write(self.style.WARNING(f"Claim {claim_id} stays {status}."))
