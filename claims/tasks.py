"""Celery tasks for claims: build and send batches. Each takes ids and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from claims.models import BatchStatus, Claim, ClaimStatus, SubmissionBatch
from claims.submission import batch_send, batches_build
from rcm.audit.context import audit_context

MAX_SEND_ATTEMPTS = 20


@shared_task(name="claims.tasks.submit_practice_claims_task", acks_late=True)
def submit_practice_claims_task(practice_id: int) -> list[int]:
    """Build the practice's queued claims into batches and send them."""
    with audit_context(via="task:submit_claims"):
        batch_ids = batches_build(practice_id=practice_id)
        for batch_id in batch_ids:
            batch_send(batch_id=batch_id)
    return batch_ids


@shared_task(name="claims.tasks.send_batch_task", acks_late=True)
def send_batch_task(batch_id: int) -> str:
    with audit_context(via="task:send_batch"):
        return batch_send(batch_id=batch_id).status


@shared_task(name="claims.tasks.send_pending_batches_task", acks_late=True)
def send_pending_batches_task() -> int:
    """Beat: build claims left queued, send batches left built or failed; batches sent.

    A claim stays QUEUED when its task never ran: Redis was down when it was queued, or a worker
    died holding the claims' locks so that the retried task skipped them. Building here is safe
    beside a running task: each claim is taken under a row lock, and only while still QUEUED.
    A batch stays BUILT when a worker died after writing it, FAILED when the clearinghouse was down.
    """
    practices = (
        Claim.objects.filter(status=ClaimStatus.QUEUED)
        .electronic()  # paper claims wait to be printed, not built
        .values_list("practice_id", flat=True)
        .distinct()
        .order_by("practice_id")
    )
    with audit_context(via="task:send_pending_batches"):
        for practice_id in practices:
            batches_build(practice_id=practice_id)
    pending = SubmissionBatch.objects.filter(
        status__in=[BatchStatus.BUILT, BatchStatus.FAILED], attempts__lt=MAX_SEND_ATTEMPTS
    ).values_list("id", flat=True)
    with audit_context(via="task:send_pending_batches"):
        for batch_id in pending:
            batch_send(batch_id=batch_id)
    return len(pending)


@shared_task(name="claims.tasks.poll_claim_status_task", acks_late=True)
def poll_claim_status_task() -> int:
    """Beat: ask payers (276) about claims waiting longer than their usual turnaround."""
    from claims.status_checks import claim_status_check, claims_due_for_status_check

    due = claims_due_for_status_check(now=timezone.now())
    with audit_context(via="task:claim_status"):
        for claim_id in due:
            claim_status_check(claim_id=claim_id)
    return len(due)


@shared_task(name="claims.tasks.claim_status_check_task", acks_late=True)
def claim_status_check_task(claim_id: int) -> int | None:
    """A biller's "Status check now": one 276 for one claim; its answer is on the claim page.

    Run twice, it asks twice: a status check changes nothing but the answer's record.
    """
    from claims.status_checks import claim_status_check

    with audit_context(via="task:claim_status_now"):
        check = claim_status_check(claim_id=claim_id)
    return check.pk if check is not None else None


@shared_task(name="claims.tasks.bill_encounter_task", acks_late=True)
def bill_encounter_task(encounter_id: int) -> str:
    """Bill one coded visit (enqueued by coding on completion). Safe to run twice: a visit
    already billed is left alone."""
    from claims.billing import encounter_bill

    with audit_context(via="task:bill_encounter"):
        outcome = encounter_bill(encounter_id=encounter_id, user=None)
    if outcome.issue is not None:
        return f"not billed: {outcome.issue.message}"
    if outcome.self_pay is not None:
        return f"self-pay: {outcome.self_pay.amount}"
    return outcome.skipped or f"billed: {', '.join(c.control_number for c in outcome.claims)}"


@shared_task(name="claims.tasks.bill_coded_visits_task", acks_late=True)
def bill_coded_visits_task() -> int:
    """Beat: bill coded visits that have neither a claim nor an open billing issue (their task
    was never run: Redis down when coding completed, a worker lost). Returns how many tried."""
    from claims.billing import encounters_bill_sweep

    with audit_context(via="task:bill_coded_visits"):
        return len(encounters_bill_sweep())


@shared_task(name="claims.tasks.compact_claim_tallies_task")
def compact_claim_tallies_task() -> int:
    """Beat: fold the claim tallies' rows of differences (claims.tallies); rows left."""
    from claims.tallies import claim_tallies_compact

    return claim_tallies_compact()[1]


@shared_task(name="claims.tasks.claim_import_837_task", acks_late=True)
def claim_import_837_task(import_id: int) -> str:
    """Import the claims of an uploaded 837P (claims/import837_jobs.py); safe to run twice."""
    from claims.import837_jobs import claim_import_run

    with audit_context(via="task:import_837"):
        return claim_import_run(import_id=import_id).status


@shared_task(name="claims.tasks.claim_imports_resume_task")
def claim_imports_resume_task() -> int:
    """Beat: run the 837P imports whose task was lost (Redis down at upload, a worker killed);
    how many it ran."""
    from claims.import837_jobs import claim_imports_resume

    with audit_context(via="task:import_837"):
        return len(claim_imports_resume())
