"""Sending claims: queue them, build 837P batches, hand the batches to the clearinghouse.

A claim is sent at most once per submission: QUEUED -> SUBMITTED happens under a row lock in the
same transaction that writes the batch and its file, and sending a batch that was already sent is
a no-op for every transport (they dedupe by file name). A worker dying between the two steps
leaves a BUILT batch that the next run sends; a claim whose task was lost (Redis down, a worker
killed holding its lock) stays QUEUED until beat's sweep builds it (claims/tasks.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.models import BatchStatus, Claim, ClaimSubmission, SubmissionBatch
from claims.state import ClaimStatus, claim_transition, claims_transition_bulk
from claims.x12_mapping import ClaimRow, claim_837_problem, claims_837_render, claims_for_837
from rcm.clearinghouse.gateway import OutboundFile, TransportError
from rcm.files.models import Direction, FileKind
from rcm.files.services import stored_file_read, stored_file_save
from rcm.practice.clearinghouse import connection_for, connections_of, transport_for
from rcm.practice.models import ClearinghouseConnection, Practice, User
from rcm.x12.base import X12Error

log = logging.getLogger(__name__)
MAX_CLAIMS_PER_BATCH = 5000
T = TypeVar("T")


def claim_submit(*, claim: Claim, user: User | None) -> Claim:
    """Put a READY claim in the queue for the next batch; a worker builds and sends it."""
    with transaction.atomic():
        if Claim.objects.filter(pk=claim.pk, on_hold=True).exists():
            raise ClaimOnHold(claim.control_number)
        claim = claim_transition(claim=claim, to=ClaimStatus.QUEUED, user=user)
        # robust: with Redis down the claim stays QUEUED (committed) and beat's sweep sends it;
        # the biller is not shown an error for a submission that did happen.
        transaction.on_commit(_submission_enqueuer(claim.practice_id), robust=True)
    return claim


def _submission_enqueuer(practice_id: int) -> Callable[[], None]:
    """The on-commit callback that asks a worker to build and send the practice's queue.

    A named function, not a partial: Django names the callable when it logs a robust failure.
    """
    from claims.tasks import submit_practice_claims_task

    def enqueue_submission() -> None:
        submit_practice_claims_task.delay(practice_id)

    return enqueue_submission


def claims_submit_ready(*, practice_ids: list[int], user: User | None) -> int:
    """Queue every READY claim of these practices at once; one batch task per practice."""
    with transaction.atomic():
        ready = dict(
            Claim.objects.filter(
                practice_id__in=practice_ids, status=ClaimStatus.READY, on_hold=False
            ).values_list("id", "practice_id")
        )
        # A claim someone else moved meanwhile is simply not queued.
        refused = claims_transition_bulk(
            moves=dict.fromkeys(ready, ClaimStatus.QUEUED), user=user, source="user"
        )
        practices = {ready[claim_id] for claim_id in ready if claim_id not in refused}
        for practice_id in sorted(practices):
            transaction.on_commit(_submission_enqueuer(practice_id), robust=True)
    return len(ready) - len(refused)


class ClaimOnHold(Exception):
    def __init__(self, control_number: str) -> None:
        super().__init__(f"Claim {control_number} is on hold; release it before submitting.")


Route = tuple[int, int | None]  # (practice id, clearinghouse connection id or None: sandbox)


def claims_route(
    claims: Iterable[tuple[int, int, T]],
) -> dict[Route, tuple[ClearinghouseConnection | None, list[T]]]:
    """Group (practice id, payer id, item) by the connection each claim goes through."""
    claims = list(claims)
    connection_of = connections_of(practice_ids={practice_id for practice_id, _, _ in claims})
    routes: dict[Route, tuple[ClearinghouseConnection | None, list[T]]] = {}
    for practice_id, payer_id, item in claims:
        connection = connection_of(practice_id, payer_id)
        key = (practice_id, connection.pk if connection else None)
        routes.setdefault(key, (connection, []))[1].append(item)
    return routes


def batches_build(*, practice_id: int) -> list[int]:
    """Write the practice's QUEUED claims into 837P batches, one per connection; their ids.

    Claims to payers set to paper are left out: they are sent by being printed."""
    with transaction.atomic():
        # A paper payer's claims wait on the "To print" list instead (claims/paper.py).
        queued = list(
            # A biller's hold keeps a queued claim out of every batch until it is released.
            Claim.objects.filter(practice_id=practice_id, status=ClaimStatus.QUEUED, on_hold=False)
            .electronic()
            .select_for_update(skip_locked=True)
            .order_by("id")
            .values_list("id", "payer_id")[:MAX_CLAIMS_PER_BATCH]
        )
        if not queued:
            return []
        practice = Practice.objects.get(pk=practice_id)
        routes = claims_route((practice_id, payer_id, pk) for pk, payer_id in queued)
        batches = (
            _batch_write(practice=practice, connection=connection, claim_ids=claim_ids)
            for connection, claim_ids in routes.values()
        )
        return [batch.pk for batch in batches if batch is not None]


def _claims_hold(
    *, practice: Practice, connection: ClearinghouseConnection | None, claims: list[ClaimRow]
) -> list[ClaimRow]:
    """Send back to DRAFT, with the reason on the timeline, each claim the 837P cannot carry
    (a name with an X12 delimiter, typed before names were checked); the claims that remain.

    One such claim must not stop the practice's whole batch. Only called after the batch
    failed to render, so a clean batch is rendered once.
    """
    writable = []
    for claim in claims:
        problem = claim_837_problem(practice=practice, connection=connection, claim=claim)
        if not problem:
            writable.append(claim)
            continue
        # The reason quotes what was typed (PHI): it goes on the timeline, not in the log.
        log.warning("claim %s held back from its batch; the reason is on its timeline", claim.pk)
        held = Claim.objects.get(pk=claim.pk)
        claim_transition(claim=held, to=ClaimStatus.READY, source="batch", note=problem)
        claim_transition(claim=held, to=ClaimStatus.DRAFT, source="batch", note=problem)
    return writable


def _batch_write(
    *, practice: Practice, connection: ClearinghouseConnection | None, claim_ids: list[int]
) -> SubmissionBatch | None:
    """The batch of these claims, without those that cannot be written; None if none can."""
    now = timezone.now()
    claims = list(claims_for_837(claim_ids))
    try:
        rendered = claims_837_render(
            practice=practice, connection=connection, claims=claims, created=now
        )
    except X12Error:
        claims = _claims_hold(practice=practice, connection=connection, claims=claims)
        if not claims:
            return None
        rendered = claims_837_render(
            practice=practice, connection=connection, claims=claims, created=now
        )
        claim_ids = [claim.pk for claim in claims]
    transport = connection.transport if connection else "sandbox"
    stored = stored_file_save(
        kind=FileKind.CLAIM_837P,
        direction=Direction.OUTBOUND,
        name=rendered.name,
        content=rendered.text.encode(),
        practice_id=practice.pk,
        transport=transport,
    )
    batch = SubmissionBatch.objects.create(
        practice=practice,
        payer=connection.payer if connection else None,
        transport=transport,
        interchange_control_number=rendered.interchange,
        group_control_number=rendered.group,
        transaction_control_number=rendered.transaction,
        file=stored,
    )
    ClaimSubmission.objects.bulk_create(
        ClaimSubmission(claim_id=claim.pk, batch=batch, position=index)
        for index, claim in enumerate(claims, start=1)
    )
    # One locking SELECT, one UPDATE and one bulk INSERT of events for the whole batch: the
    # claims are already locked by batches_build, and each is still QUEUED.
    note = f"In batch {batch.interchange_control_number:09d} via {transport}."
    refused = claims_transition_bulk(
        moves=dict.fromkeys(claim_ids, ClaimStatus.SUBMITTED),
        source="batch",
        notes=dict.fromkeys(claim_ids, note),
        file_id=stored.pk,
    )
    if refused:  # cannot happen under batches_build's locks; never send a claim it did not move
        raise RuntimeError(f"claims {sorted(refused)} left the queue while their batch was built")
    Claim.objects.filter(pk__in=claim_ids).update(submitted_at=now)
    if settings.RCM_FAULT_PAUSE_IN_BATCH_SECONDS:  # the fault tests' window to kill a worker
        time.sleep(settings.RCM_FAULT_PAUSE_IN_BATCH_SECONDS)
    return batch


def batch_send(*, batch_id: int) -> SubmissionBatch:
    """Hand a built batch to its transport; a failure is recorded and retried later."""
    with transaction.atomic():
        batch = (
            SubmissionBatch.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("file", "payer")
            .filter(pk=batch_id, status__in=[BatchStatus.BUILT, BatchStatus.FAILED])
            .first()
        )
        if batch is None:
            return SubmissionBatch.objects.get(pk=batch_id)  # sent already, or being sent
        connection = connection_for(practice_id=batch.practice_id, payer_id=batch.payer_id)
        batch.attempts += 1
        try:
            receipt = transport_for(connection).submit(
                OutboundFile(name=batch.file.name, content=stored_file_read(stored=batch.file))
            )
        except TransportError as error:
            batch.status, batch.error = BatchStatus.FAILED, str(error)
            batch.save(update_fields=["status", "error", "attempts"])
            log.warning("batch %s not sent: %s", batch.pk, error)
            return batch
        batch.status, batch.error = BatchStatus.SENT, ""
        batch.receipt_reference, batch.sent_at = receipt.reference, receipt.submitted_at
        batch.save(update_fields=["status", "error", "attempts", "receipt_reference", "sent_at"])
    return batch
