"""Storing exchanged files and handing out X12 control numbers that are never reused."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from rcm.files.models import Direction, FileStatus, StoredFile

# One PostgreSQL sequence per control number (migration 0002): unique across processes,
# never reused even when a transaction rolls back, and never cycling past 999,999,999.
CONTROL_SEQUENCES = {
    "interchange": "x12_interchange_control_seq",
    "group": "x12_group_control_seq",
    "transaction": "x12_transaction_control_seq",
}


def control_number_next(*, kind: str) -> int:
    """The next ISA13 ("interchange"), GS06 ("group") or ST02 ("transaction") number."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [CONTROL_SEQUENCES[kind]])
        return int(cursor.fetchone()[0])


def _text(value: str) -> str:
    """What PostgreSQL text holds: no NUL (a file name or reason from outside may have one)."""
    return value.replace("\x00", "\\x00")


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def stored_file_save(
    *,
    kind: str,
    direction: str,
    name: str,
    content: bytes,
    practice_id: int | None = None,
    transport: str = "",
) -> StoredFile:
    """Keep `content` as it is, with its checksum; the caller's transaction covers the row."""
    name = _text(name) or "unnamed"
    stored = StoredFile(
        kind=kind,
        direction=direction,
        name=name[:200],
        sha256=sha256_of(content),
        size=len(content),
        practice_id=practice_id,
        transport=transport,
    )
    stored.content.save(name.replace("/", "_")[-100:], ContentFile(content), save=False)
    try:
        stored.save()
    except Exception:
        stored.content.delete(save=False)  # no row, so no file: storage keeps no orphan
        raise
    return stored


def inbound_file_store(
    *, kind: str, name: str, content: bytes, transport: str = ""
) -> tuple[StoredFile, bool]:
    """Store a received file once: (the stored file, True if new; False if seen before).

    Two processes storing the same file at once both find none; the unique constraint lets
    one insert and the other, blocked until that commits, takes the row it made.
    """
    seen = StoredFile.objects.filter(direction=Direction.INBOUND, sha256=sha256_of(content))
    existing = seen.first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return (
                stored_file_save(
                    kind=kind,
                    direction=Direction.INBOUND,
                    name=name,
                    content=content,
                    transport=transport,
                ),
                True,
            )
    except IntegrityError:
        existing = seen.first()
        if existing is None:
            raise
        return existing, False


def stored_file_mark(
    *, stored: StoredFile, status: str, error: str = "", summary: dict[str, object] | None = None
) -> StoredFile:
    stored.status = status
    stored.error = _text(error)
    if summary is not None:
        stored.summary = summary
    stored.processed_at = timezone.now()
    stored.save(update_fields=["status", "error", "summary", "processed_at"])
    return stored


def stored_file_quarantine(*, stored: StoredFile, error: str) -> StoredFile:
    return stored_file_mark(stored=stored, status=FileStatus.QUARANTINED, error=error)


def stored_file_read(*, stored: StoredFile) -> bytes:
    with stored.content.open("rb") as handle:
        return handle.read()
