"""Celery tasks for what comes back from payers: the inbox poll (beat)."""

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
