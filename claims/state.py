"""The claim state machine: every allowed move, and the only functions that move a claim.

The statuses themselves are `claims.models.ClaimStatus`. Nothing else sets `Claim.status`, and an
import-linter contract keeps every module outside `claims` from importing this one. Each
transition runs in a transaction, locks the claim row and writes a timeline event in the same
transaction, so two workers can never both submit, and the timeline always matches the status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from claims.models import Claim, ClaimEvent, ClaimStatus
from rcm.bulk import among, objects_insert

if TYPE_CHECKING:
    from rcm.practice.models import User

__all__ = [
    "TRANSITIONS",
    "ClaimStatus",
    "InvalidTransition",
    "can_transition",
    "claim_transition",
    "claims_transition_bulk",
]

S = ClaimStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.READY, S.VOID}),
    # READY means scrubbed with no error left; a change sends it back to DRAFT.
    S.READY: frozenset({S.QUEUED, S.DRAFT, S.VOID}),
    S.QUEUED: frozenset({S.SUBMITTED, S.READY}),
    # 999 / 277CA answer a submission.
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REJECTED}),
    S.ACCEPTED: frozenset({S.PENDING, S.PAID, S.PARTIALLY_PAID, S.DENIED, S.REJECTED}),
    S.PENDING: frozenset({S.PAID, S.PARTIALLY_PAID, S.DENIED}),
    # A rejected claim never reached adjudication: correct it and send it again.
    S.REJECTED: frozenset({S.DRAFT, S.VOID}),
    S.DENIED: frozenset({S.APPEALED, S.DRAFT, S.CLOSED, S.PAID, S.PARTIALLY_PAID}),
    S.APPEALED: frozenset({S.PAID, S.PARTIALLY_PAID, S.DENIED, S.CLOSED}),
    S.PARTIALLY_PAID: frozenset({S.PAID, S.APPEALED, S.REVERSED, S.CLOSED, S.DRAFT}),
    S.PAID: frozenset({S.REVERSED, S.CLOSED}),
    S.REVERSED: frozenset({S.PAID, S.PARTIALLY_PAID, S.DENIED, S.DRAFT, S.CLOSED}),
    S.VOID: frozenset(),
    S.CLOSED: frozenset({S.REVERSED}),
}


class InvalidTransition(Exception):
    def __init__(self, claim_id: int, from_status: str, to_status: str) -> None:
        self.from_status, self.to_status = from_status, to_status
        super().__init__(
            f"Claim {claim_id} is {ClaimStatus(from_status).label.lower()}; "
            f"it cannot become {ClaimStatus(to_status).label.lower()}."
        )


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS[from_status]


def claim_transition(
    *, claim: Claim, to: str, user: User | None = None, source: str = "user", note: str = ""
) -> Claim:
    """Move `claim` to `to`, or raise InvalidTransition; returns the locked, updated row.

    `source` says what caused the move (user, scrubber, batch, 999, 277CA, 835, status check).
    """
    with transaction.atomic():
        locked = type(claim).objects.select_for_update().get(pk=claim.pk)
        if not can_transition(locked.status, to):
            raise InvalidTransition(locked.pk, locked.status, to)
        from_status = locked.status
        locked.status = to
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "status_changed_at"])
        locked.events.create(
            from_status=from_status, to_status=to, user=user, source=source, note=note
        )
    claim.status, claim.status_changed_at = locked.status, locked.status_changed_at
    return locked


def claims_transition_bulk(
    *,
    moves: Mapping[int, str],
    user: User | None = None,
    source: str = "user",
    notes: dict[int, str] | None = None,
    file_id: int | None = None,
) -> dict[int, str]:
    """Move many claims at once ({claim id: to status}), each only if its move is legal.

    For posting a remittance of thousands of claims: one locking SELECT, one UPDATE per target
    status and one bulk insert of timeline events, all in the caller's transaction. Returns
    {claim id: the status it had} for the claims that could not move (left unchanged).
    """
    notes = notes or {}
    now = timezone.now()
    refused: dict[int, str] = {}
    by_target: dict[str, list[int]] = {}
    events = []
    with transaction.atomic():
        current = dict(
            Claim.objects.select_for_update()
            .filter(among("id", list(moves)))
            .values_list("id", "status")
        )
        for claim_id, to in moves.items():
            from_status = current.get(claim_id)
            if from_status is None or not can_transition(from_status, to):
                refused[claim_id] = from_status or "missing"
                continue
            by_target.setdefault(to, []).append(claim_id)
            events.append(
                ClaimEvent(
                    claim_id=claim_id,
                    from_status=from_status,
                    to_status=to,
                    user=user,
                    source=source,
                    note=notes.get(claim_id, ""),
                    file_id=file_id,
                )
            )
        for to, claim_ids in by_target.items():
            Claim.objects.filter(among("id", claim_ids)).update(status=to, status_changed_at=now)
        objects_insert(events)  # column arrays: 10,000 events of a remittance in one statement
    return refused
