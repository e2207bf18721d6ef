"""The clearinghouse inbox: fetch what came back, keep every file, and apply each by its kind.

999 and 277CA move claims to accepted or rejected; an 835 is posted; a 277 answers a status
check. A file that is garbled, truncated or does not balance is kept and quarantined for a
person to see, and nothing of it is applied. Fetching is at-least-once; storing by checksum
makes processing a file twice a no-op.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction

from claims.acknowledgments import AckOutcome, ack277ca_apply, ack999_apply
from claims.status_checks import StatusOutcome, status_responses_apply
from denials.posting import PostingRefused, era_post
from rcm.clearinghouse.gateway import InboundFile, TransportError
from rcm.files.models import FileKind, FileStatus, StoredFile
from rcm.files.services import inbound_file_store, stored_file_mark, stored_file_quarantine
from rcm.practice.clearinghouse import transport_for
from rcm.practice.models import ClearinghouseConnection
from rcm.x12.ack999 import parse_999
from rcm.x12.base import X12Error
from rcm.x12.claimack277 import parse_277ca
from rcm.x12.reader import read_interchanges
from rcm.x12.status import parse_277

log = logging.getLogger(__name__)


def kind_of(content: bytes) -> str:
    """999, 277CA, 277, 835 … from the first transaction's ST01 and GS08; X12Error if garbled."""
    interchange = read_interchanges(content)[0]
    group = interchange.groups[0]
    transaction_set = group.transactions[0].type
    if transaction_set == "277":
        return FileKind.CLAIM_ACK_277CA if "X214" in group.version else FileKind.STATUS_277
    if transaction_set in FileKind.values:
        return transaction_set
    raise X12Error(f"a {transaction_set} transaction is not something we receive", segment_id="ST")


def _apply(kind: str, content: bytes, file_id: int) -> tuple[int | None, dict[str, object]]:
    outcome: AckOutcome | StatusOutcome
    if kind == FileKind.ACK_999:
        outcome = ack999_apply(acks=parse_999(content), file_id=file_id)
    elif kind == FileKind.CLAIM_ACK_277CA:
        outcome = ack277ca_apply(acks=parse_277ca(content), file_id=file_id)
    elif kind == FileKind.STATUS_277:
        outcome = status_responses_apply(statuses=parse_277(content), response_file_id=file_id)
    else:
        raise X12Error(f"no handler for {kind} files")
    return outcome.practice_id, outcome.as_summary()


def inbound_file_process(*, name: str, content: bytes, transport: str = "") -> StoredFile:
    """Keep one received file and apply it; quarantine it with the reason if it is bad."""
    try:
        kind = kind_of(content)
    except X12Error as error:
        stored, created = inbound_file_store(
            kind=FileKind.UNKNOWN, name=name, content=content, transport=transport
        )
        return stored_file_quarantine(stored=stored, error=str(error)) if created else stored
    if kind == FileKind.REMITTANCE_835:
        try:
            result = era_post(content=content, name=name, transport=transport)
        except PostingRefused as refused:
            log.warning("835 %s refused: %s", name, refused)
            if refused.stored_file_id is None:
                raise
            return StoredFile.objects.get(pk=refused.stored_file_id)
        return StoredFile.objects.get(pk=result.stored_file_id)
    stored, _created = inbound_file_store(
        kind=kind, name=name, content=content, transport=transport
    )
    try:
        with transaction.atomic():
            # Locked, and applied only while still merely stored: a file kept by a worker that
            # died before applying it is applied now; one applied or quarantined is left alone,
            # and two pollers never apply the same file twice.
            locked = StoredFile.objects.select_for_update().get(pk=stored.pk)
            if locked.status != FileStatus.STORED:
                return locked
            practice_id, summary = _apply(kind, content, locked.pk)
            if practice_id is not None:
                locked.practice_id = practice_id
                locked.save(update_fields=["practice_id"])
            return stored_file_mark(stored=locked, status=FileStatus.PROCESSED, summary=summary)
    except X12Error as error:
        return stored_file_quarantine(stored=stored, error=str(error))


@dataclass
class PollResult:
    fetched: int = 0
    processed: int = 0
    quarantined: int = 0
    errors: list[str] = field(default_factory=list)


def _transports() -> list[tuple[str, ClearinghouseConnection | None]]:
    """Each distinct inbox to read: the sandbox's, and each configured connection's."""
    inboxes: list[tuple[str, ClearinghouseConnection | None]] = [("sandbox", None)]
    for connection in ClearinghouseConnection.objects.filter(is_active=True).exclude(
        transport="sandbox"
    ):
        inboxes.append((f"{connection.transport}:{connection.pk}", connection))
    return inboxes


# Acknowledgments first, remittances last: a 999 or 277CA fetched in the same poll as the 835
# for the same claim must move the claim before the payment is posted to it.
_ORDER = {"999": 0, "277": 1, "835": 2}


def processing_order(content: bytes) -> int:
    """Where a file goes in a poll's processing order, from its ST01 (garbled files last)."""
    head = content[:4096].decode("latin-1").lstrip("\ufeff \r\n\t")
    if not head.startswith("ISA") or len(head) < 4:
        return len(_ORDER)
    marker = f"ST{head[3]}"
    at = head.find(marker)
    return _ORDER.get(head[at + 3 : at + 6], len(_ORDER)) if at >= 0 else len(_ORDER)


def inbox_poll() -> PollResult:
    """Fetch every inbox once, keep and apply each file, then acknowledge what was kept."""
    result = PollResult()
    for label, connection in _transports():
        try:
            transport = transport_for(connection)
            files: list[InboundFile] = transport.fetch()
        except TransportError as error:
            result.errors.append(f"{label}: {error}")
            continue
        result.fetched += len(files)
        kept = []
        for inbound in sorted(files, key=lambda f: (processing_order(f.content), f.name)):
            try:
                stored = inbound_file_process(
                    name=inbound.name, content=inbound.content, transport=transport.name
                )
            except Exception as error:  # one file must not block the others; retried next poll
                log.exception("inbox %s: %s could not be processed", label, inbound.name)
                result.errors.append(f"{label}: {inbound.name}: {error}")
                continue
            kept.append(inbound.name)
            if stored.status == FileStatus.QUARANTINED:
                result.quarantined += 1
            else:
                result.processed += 1
        if kept:
            transport.acknowledge(kept)
    return result
