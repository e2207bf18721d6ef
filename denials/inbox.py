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
from claims.selectors import claims_by_control_number
from claims.status_checks import StatusOutcome, status_responses_apply
from denials.posting import PostingRefused, PostingResult, era_apply, era_check, era_plan
from rcm.clearinghouse.gateway import (
    INBOUND_HEAD_BYTES,
    InboundFile,
    TransportError,
    inbound_max_bytes,
    inbound_too_large,
)
from rcm.files.models import FileKind, FileStatus, StoredFile
from rcm.files.services import inbound_file_store, stored_file_mark, stored_file_quarantine
from rcm.practice.clearinghouse import transport_for
from rcm.practice.models import ClearinghouseConnection, Practice, User
from rcm.x12.ack999 import parse_999
from rcm.x12.base import X12Error
from rcm.x12.claimack277 import parse_277ca
from rcm.x12.reader import read_interchanges
from rcm.x12.status import parse_277
from rcm.x12.survey import identifiers_in

log = logging.getLogger(__name__)


def kind_of(content: bytes) -> str:
    """999, 277CA, 277, 835 … from the first transaction's ST01 and GS08; X12Error if garbled."""
    interchanges = read_interchanges(content)
    if not interchanges:
        raise X12Error("the file holds no interchange")
    interchange = interchanges[0]
    if not interchange.groups:
        raise X12Error(
            f"the interchange holds no functional group (ISA13 {interchange.control})",
            segment_id="ISA",
        )
    group = interchange.groups[0]
    if not group.transactions:
        raise X12Error(f"functional group {group.control} holds no transaction", segment_id="GS")
    transaction_set = group.transactions[0].type
    if transaction_set == "277":
        return FileKind.CLAIM_ACK_277CA if "X214" in group.version else FileKind.STATUS_277
    if transaction_set in FileKind.values:
        return transaction_set
    raise X12Error(f"a {transaction_set} transaction is not something we receive", segment_id="ST")


# A file in one of these states is (re)applied when it arrives; processed or dismissed: never.
APPLICABLE = (FileStatus.STORED, FileStatus.QUARANTINED)


@dataclass
class _Applied:
    """What applying one file did: the practice it was for, and its summary for the file row."""

    practice_id: int | None
    summary: dict[str, object]
    posting: PostingResult | None = None


def _apply(kind: str, content: bytes, file_id: int, user: User | None) -> _Applied:
    """Hand a file to its owner: acknowledgments and status answers to claims, 835s to posting.

    Raises X12Error or PostingRefused when the file must be quarantined; writes nothing then.
    """
    if kind == FileKind.REMITTANCE_835:
        plans = era_plan(era_check(content=content))
        result = era_apply(plans=plans, stored_file_id=file_id, user=user)
        practices = {plan.practice_id for plan in plans}
        practice_id = practices.pop() if len(practices) == 1 else None
        return _Applied(practice_id, dict(result.summary()), result)
    outcome: AckOutcome | StatusOutcome
    if kind == FileKind.ACK_999:
        outcome = ack999_apply(acks=parse_999(content), file_id=file_id)
    elif kind == FileKind.CLAIM_ACK_277CA:
        outcome = ack277ca_apply(acks=parse_277ca(content), file_id=file_id)
    elif kind == FileKind.STATUS_277:
        outcome = status_responses_apply(statuses=parse_277(content), response_file_id=file_id)
    else:
        raise X12Error(f"no handler for {kind} files")
    return _Applied(outcome.practice_id, outcome.as_summary())


def _reason(error: Exception, *, name: str, stage: str) -> str:
    """Why a file is quarantined. Our own refusals say it in words; anything else is a bug or
    an input nobody foresaw: the file is quarantined all the same, so that it is neither
    applied half nor fetched again every minute, and the traceback goes to the log."""
    if isinstance(error, X12Error | PostingRefused):
        log.warning("%s: %s quarantined: %s", stage, name, error)
        return str(error)
    log.exception("%s: %s could not be processed", stage, name)
    return f"could not be processed: {type(error).__name__}"


def _practice_of(content: bytes, connection: ClearinghouseConnection | None) -> int | None:
    """Whose a file to be quarantined is, so that the practice's billers see it (staff see
    unassigned files only). The strongest evidence found decides: our claims' control numbers
    in it, else the 835 payee's NPI, else the receiver id (ISA08/GS03) as a practice's NPI or a
    connection's submitter id, else the connection it came from. Evidence that points to
    several practices attributes nothing: a file is shown to one practice or to staff."""
    found = identifiers_in(content)
    claims = claims_by_control_number(found.claim_numbers) if found.claim_numbers else {}
    receivers = found.receivers
    for practices in (
        {claim.practice_id for claim in claims.values()},
        set(Practice.objects.filter(npi__in=found.payee_npis).values_list("id", flat=True)),
        set(Practice.objects.filter(npi__in=receivers).values_list("id", flat=True))
        | set(
            ClearinghouseConnection.objects.filter(submitter_id__in=receivers).values_list(
                "practice_id", flat=True
            )
        ),
        {connection.practice_id} if connection is not None else set(),
    ):
        if practices:
            return practices.pop() if len(practices) == 1 else None
    return None


def _quarantine(
    stored: StoredFile, reason: str, content: bytes, connection: ClearinghouseConnection | None
) -> StoredFile:
    """Quarantine the file with the reason, attributed to its practice when that can be told."""
    if stored.practice_id is None:
        try:
            with transaction.atomic():  # a savepoint: a failed query must not spoil the rest
                practice_id = _practice_of(content, connection)
        except Exception:  # attributing is a courtesy: it must not keep the file unquarantined
            log.exception("could not tell whose quarantined file %s is", stored.name)
            practice_id = None
        if practice_id is not None:
            stored.practice_id = practice_id
            stored.save(update_fields=["practice_id"])
    return stored_file_quarantine(stored=stored, error=reason)


def _too_large(
    name: str,
    content: bytes,
    size: int,
    transport: str,
    connection: ClearinghouseConnection | None,
) -> StoredFile:
    """Keep the head of a file over the limit, quarantined by its size; none of it is read."""
    head = content[:INBOUND_HEAD_BYTES]
    stored, created = inbound_file_store(
        kind=FileKind.UNKNOWN, name=name, content=head, transport=transport
    )
    if not created:
        return stored
    reason = f"{inbound_too_large(size)}; it was not read, only its first {len(head):,} bytes kept"
    return _quarantine(stored, reason, head, connection)


def _receive(
    *,
    name: str,
    content: bytes,
    transport: str,
    kind: str | None,
    user: User | None = None,
    connection: ClearinghouseConnection | None = None,
    size: int | None = None,
) -> tuple[StoredFile, _Applied | None]:
    """The one way a received file is kept and applied: stored once by checksum, then applied
    under a row lock only while not yet applied, so a file kept by a worker that died before
    applying it is applied now, one applied or dismissed is left alone, and two pollers never
    apply the same file twice. A quarantined file offered again is tried again: what refused it
    may have been fixed since (the payee's practice set up, say). A bad file is quarantined with
    the reason and nothing of it is applied. Returns the stored file and what applying it did
    (None when it was not applied now). `size` is the file's size when `content` is only its
    head (a transport does not download a file over the limit)."""
    full_size = max(size or 0, len(content))
    if full_size > inbound_max_bytes():
        return _too_large(name, content, full_size, transport, connection), None
    if kind is None:
        try:
            kind = kind_of(content)
        except Exception as error:  # an unreadable file is quarantined, whatever broke
            stored, created = inbound_file_store(
                kind=FileKind.UNKNOWN, name=name, content=content, transport=transport
            )
            reason = _reason(error, name=name, stage="read")
            return (_quarantine(stored, reason, content, connection) if created else stored), None
    stored, _created = inbound_file_store(
        kind=kind, name=name, content=content, transport=transport
    )
    with transaction.atomic():
        locked = StoredFile.objects.select_for_update().get(pk=stored.pk)
        if locked.status not in APPLICABLE:
            return locked, None
        try:
            with transaction.atomic():  # a savepoint: a refusal leaves nothing applied
                applied = _apply(kind, content, locked.pk, user)
        except Exception as error:  # every file ends applied or quarantined
            reason = _reason(error, name=name, stage=f"apply {kind}")
            return _quarantine(locked, reason, content, connection), None
        if applied.practice_id is not None and locked.practice_id is None:
            locked.practice_id = applied.practice_id
            locked.save(update_fields=["practice_id"])
        return stored_file_mark(
            stored=locked, status=FileStatus.PROCESSED, summary=applied.summary
        ), applied


def inbound_file_process(
    *,
    name: str,
    content: bytes,
    transport: str = "",
    connection: ClearinghouseConnection | None = None,
    size: int | None = None,
) -> StoredFile:
    """Keep one received file and apply it; quarantine it with the reason if it is bad (for
    the practice it can be told to be for, `connection` being where it came from). `size` is
    the file's size when `content` is only its first bytes (see `InboundFile.size`)."""
    stored, _applied = _receive(
        name=name,
        content=content,
        transport=transport,
        kind=None,
        connection=connection,
        size=size,
    )
    return stored


def era_post(
    *,
    content: bytes,
    name: str,
    user: User | None = None,
    transport: str = "",
    size: int | None = None,
) -> PostingResult:
    """Receive an 835 (from `import_era`, an upload, a test) through the inbox's one path.

    Every payment is posted once and its claims moved; a file already processed is reported as
    a duplicate. A refused file (bad X12, unbalanced, payee unknown, several practices) is kept
    quarantined and PostingRefused, naming segment and line, says why; nothing of it is posted.
    Leaves the audit context to the caller (the command, a task, a view).
    """
    stored, applied = _receive(
        name=name,
        content=content,
        transport=transport,
        kind=FileKind.REMITTANCE_835,
        user=user,
        size=size,
    )
    if applied is not None and applied.posting is not None:
        return applied.posting
    if stored.status in (FileStatus.QUARANTINED, FileStatus.DISMISSED):
        raise PostingRefused(stored.error, stored_file_id=stored.pk)
    # Processed before (by this file or its twin): report what it holds, post nothing.
    result = PostingResult(stored_file_id=stored.pk, duplicate=True)
    result.remittances = era_check(content=content)
    return result


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
                    name=inbound.name,
                    content=inbound.content,
                    transport=transport.name,
                    connection=connection,
                    size=inbound.size,
                )
            except Exception as error:  # not even kept (storage down?): retried next poll
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
