"""`manage.py x12_check FILE [FILE ...] [--json]`: what each X12 file holds, or why it is refused.

For operators looking at what a clearinghouse sent (or what we would send): envelopes, groups,
transaction types and counts, or the reason the inbox would refuse the file, naming segment and
line. Reads only; nothing is stored. Exit 0 when every file is readable, 1 when any is refused.
Never a traceback: whatever a file holds (binary, empty, huge, not X12 at all), it gets a line.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from denials.posting import era_refusal
from rcm.x12.base import X12Error
from rcm.x12.reader import Interchange
from rcm.x12.survey import Survey, TransactionSummary, money, survey

log = logging.getLogger(__name__)

MAX_BYTES = 64 * 1024 * 1024  # reading takes up to ~60 times the size in memory (dense files)
TRANSACTIONS_LISTED = 20  # per group, in the text output; --json lists them all


class Refused(Exception):
    """The file is not readable X12; `details` go into the JSON (segment, index, line)."""

    def __init__(self, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.details = details


def file_read(path: Path) -> bytes:
    """The file's bytes; Refused with the reason when it is no regular file or cannot be read."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise Refused("cannot be read: no such file") from None
    except OSError as error:
        raise Refused(f"cannot be read: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise Refused("cannot be read: it is a directory")
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        raise Refused("cannot be read: not a regular file")
    if info.st_size > MAX_BYTES:
        raise Refused(f"cannot be read: {info.st_size:,} bytes is over the {MAX_BYTES:,} limit")
    try:
        with path.open("rb") as handle:
            content = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise Refused(f"cannot be read: {error.strerror or error}") from None
    if len(content) > MAX_BYTES:
        raise Refused(f"cannot be read: over the {MAX_BYTES:,} byte limit")
    if not content.strip():
        raise Refused("the file is empty")
    return content


def check(content: bytes) -> Survey:
    """The survey of a readable file; Refused naming segment and line otherwise."""
    try:
        result = survey(content)
    except X12Error as error:
        raise Refused(
            str(error),
            message=error.message,
            segment=error.segment_id,
            segment_index=error.segment_index,
            line=error.line,
        ) from None
    if result.remittances:
        refusal = era_refusal(result.remittances)
        if refusal:
            raise Refused(refusal)
    return result


def _value(value: Any) -> Any:
    return money(value) if isinstance(value, Decimal) else value


def _holds(holds: dict[str, Any]) -> dict[str, Any]:
    return {key: _value(value) for key, value in holds.items()}


def _transaction_json(t: TransactionSummary) -> dict[str, Any]:
    return {"type": t.kind, "control": t.control, "segments": t.segments, "holds": _holds(t.holds)}


def _interchange_json(
    interchange: Interchange, groups: list[list[TransactionSummary]]
) -> dict[str, Any]:
    return {
        "control": interchange.control,
        "sender": {"qualifier": interchange.sender_qualifier, "id": interchange.sender_id},
        "receiver": {"qualifier": interchange.receiver_qualifier, "id": interchange.receiver_id},
        "date": interchange.date,
        "time": interchange.time,
        "usage": interchange.usage_indicator,
        "version": interchange.version,
        "groups": [
            {
                "control": group.control,
                "functional_id": group.functional_id,
                "sender": group.sender,
                "receiver": group.receiver,
                "version": group.version,
                "transactions": [_transaction_json(t) for t in summaries],
            }
            for group, summaries in zip(interchange.groups, groups, strict=True)
        ],
    }


def report(path: Path) -> dict[str, Any]:
    """What x12_check says of one file, as JSON-ready data; never raises."""
    try:
        content = file_read(path)
        result = check(content)
        return {
            "readable": True,
            "size": len(content),
            "interchanges": [_interchange_json(ic, groups) for ic, groups in result.interchanges],
            "transactions": dict(sorted(result.kinds().items())),
            "holds": {kind: _holds(holds) for kind, holds in sorted(result.totals().items())},
        }
    except Refused as refused:
        return {"readable": False, "error": str(refused), **refused.details}
    except Exception as error:  # a bug or an input nobody foresaw: the file gets its line
        log.debug("x12_check %s", path, exc_info=True)
        return {"readable": False, "error": f"cannot be read: {type(error).__name__}: {error}"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _holds_text(holds: dict[str, Any]) -> str:
    return ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in holds.items())


def text_lines(name: str, result: dict[str, Any]) -> list[str]:
    """The report of one file for a person: a headline and, when readable, the envelopes."""
    if not result["readable"]:
        return [f"{name}: REFUSED: {result['error']}"]
    kinds = ", ".join(f"{_plural(n, kind)}" for kind, n in result["transactions"].items())
    lines = [f"{name}: readable, {_plural(len(result['interchanges']), 'interchange')}: {kinds}"]
    for ic in result["interchanges"]:
        sender, receiver = ic["sender"], ic["receiver"]
        lines.append(
            f"  interchange {ic['control']} from {sender['qualifier']}:{sender['id']} to "
            f"{receiver['qualifier']}:{receiver['id']}, {ic['date']} {ic['time']}, "
            f"usage {ic['usage']}, version {ic['version']}"
        )
        for group in ic["groups"]:
            lines.append(
                f"    group {group['control']} {group['functional_id']} from {group['sender']} "
                f"to {group['receiver']}, {group['version']}"
            )
            transactions = group["transactions"]
            for t in transactions[:TRANSACTIONS_LISTED]:
                lines.append(
                    f"      {t['type']} {t['control']} ({t['segments']} segments): "
                    f"{_holds_text(t['holds'])}"
                )
            if len(transactions) > TRANSACTIONS_LISTED:
                lines.append(f"      … and {len(transactions) - TRANSACTIONS_LISTED} more")
    for kind, holds in result["holds"].items():
        lines.append(f"  all {kind}: {_holds_text(holds)}")
    return lines


def _printable(text: str) -> str:
    """Text any terminal takes: file names may hold bytes that are no UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class Command(BaseCommand):
    help = (
        "Check X12 files (what a clearinghouse sent, or what we send): for each, the "
        "interchanges, groups, transaction types and what they hold, or why it is refused "
        "(naming segment and line). Exit status 1 when any file is refused. Writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="X12 files to check")
        parser.add_argument("--json", action="store_true", help="one JSON object {FILE: report}")

    def handle(self, *args: Any, **options: Any) -> None:
        names: list[str] = options["files"]
        results = {name: report(Path(os.fsdecode(name))) for name in names}
        if options["json"]:
            self.stdout.write(json.dumps(results, indent=2))
        else:
            for name, result in results.items():
                for line in text_lines(name, result):
                    self.stdout.write(_printable(line))
        refused = sum(not r["readable"] for r in results.values())
        if refused:
            raise CommandError(
                f"{refused} of {_plural(len(results), 'file')} refused", returncode=1
            )
