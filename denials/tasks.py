"""Celery tasks for what comes back from payers: the inbox poll (beat), billing next payers."""

from __future__ import annotations

from celery import shared_task

from denials.inbox import inbox_poll
from rcm.audit.context import audit_context


@shared_task(name="denials.tasks.poll_inbox_task", acks_late=True)
def poll_inbox_task() -> dict[str, object]:
    """Fetch every clearinghouse inbox, keep and apply each file. Safe to run twice at once:
    a file is stored once by checksum, and a payment is posted once by its trace number."""
    with audit_context(via="task:poll_inbox"):
        result = inbox_poll()
    return {
        "fetched": result.fetched,
        "processed": result.processed,
        "quarantined": result.quarantined,
        "errors": result.errors,
    }


@shared_task(name="denials.tasks.bill_secondaries_task", acks_late=True)
def bill_secondaries_task(remittance_id: int) -> dict[str, object]:
    """After an 835 posts: bill the next payer of each claim it left a balance on (unless the
    payer crossed it over). Safe to run twice: a primary is billed to its next payer once."""
    from denials.secondary import secondaries_bill

    with audit_context(via="task:bill_secondaries"):
        done = secondaries_bill(remittance_id=remittance_id)
    return {
        "billed": [claim.control_number for claim in done.billed],
        "skipped": {str(pk): why for pk, why in done.skipped.items()},
    }
