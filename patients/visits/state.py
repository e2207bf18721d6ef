"""The visit state machine: every status of an encounter, every allowed move, and the one mover.

Nothing else sets `Encounter.status`. Each move runs in a transaction, locks the encounter row
and writes an `EncounterEvent` (who, when, from, to) in that same transaction, so two clerks or
coders racing on one visit move it once, and the visit's timeline always matches its status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

if TYPE_CHECKING:
    from patients.models import Encounter
    from rcm.practice.models import User


class EncounterStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    AWAITING_CODING = "awaiting_coding", "Waiting for coding"
    CODING_IN_PROGRESS = "coding", "Coding in progress"
    CODED = "coded", "Coded"
    BILLED = "billed", "Billed"
    CANCELLED = "cancelled", "Cancelled"


S = EncounterStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    # The front desk sends a visit that happened to coding, or cancels it.
    S.SCHEDULED: frozenset({S.AWAITING_CODING, S.CANCELLED}),
    # A coder saves codes (in progress) or completes a visit whose codes are already there.
    S.AWAITING_CODING: frozenset({S.CODING_IN_PROGRESS, S.CODED, S.CANCELLED}),
    S.CODING_IN_PROGRESS: frozenset({S.CODED, S.CANCELLED}),
    # Saving a coded visit's codes again reopens its coding; billing snapshots it into a claim.
    S.CODED: frozenset({S.CODING_IN_PROGRESS, S.BILLED, S.CANCELLED}),
    # A billed visit is corrected through its claim, never here.
    S.BILLED: frozenset(),
    S.CANCELLED: frozenset(),
}

# The named groups of statuses, defined once.
WAITING_FOR_CODING: tuple[str, ...] = (S.AWAITING_CODING, S.CODING_IN_PROGRESS)  # coder worklist
CODABLE: frozenset[str] = frozenset({*WAITING_FOR_CODING, S.CODED})  # a coder may (re)save codes
# Visit details (provider, date, note ...) may still change: once coded, the codes describe it.
DETAILS_EDITABLE: frozenset[str] = frozenset({S.SCHEDULED, *WAITING_FOR_CODING})
CANCELLABLE: frozenset[str] = frozenset(
    status for status, moves in TRANSITIONS.items() if S.CANCELLED in moves
)

# What a refused move says, by the status it aimed at; {status} is where the visit stands.
REFUSALS: dict[str, str] = {
    S.AWAITING_CODING: "Only a scheduled encounter can be sent to coding; this one is {status}.",
    S.CODING_IN_PROGRESS: "This encounter is {status}; it cannot be coded.",
    S.CODED: "This encounter is {status}; it cannot be coded.",
    S.BILLED: "Only a coded encounter can be billed; this one is {status}.",
    S.CANCELLED: "This encounter is {status}; it cannot be cancelled.",
    S.SCHEDULED: "This encounter is {status}; it cannot be scheduled again.",
}


class InvalidVisitTransition(ValidationError):
    """A move the visit's status does not allow; a ValidationError, so forms and the API show it."""

    def __init__(self, from_status: str, to_status: str) -> None:
        self.from_status, self.to_status = from_status, to_status
        if from_status == to_status == S.CODED:
            message = "This encounter is already coded."
        else:
            status = EncounterStatus(from_status).label.lower()
            message = REFUSALS[to_status].format(status=status)
        super().__init__(message)


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS[from_status]


def encounter_transition_check(*, encounter: Encounter, to: str) -> None:
    """Raise InvalidVisitTransition unless `encounter` may move to `to` (for early refusals)."""
    if not can_transition(encounter.status, to):
        raise InvalidVisitTransition(encounter.status, to)


def encounter_transition(
    *,
    encounter: Encounter,
    to: str,
    user: User | None,
    source: str = "user",
    note: str = "",
    fields: Mapping[str, Any] | None = None,
) -> Encounter:
    """Move `encounter` to `to`, or raise InvalidVisitTransition; returns the locked, saved row.

    `fields` are other columns the same move writes (the clinical note sent to coding, the
    coder who completed it), saved in the one UPDATE. `source` says what caused the move.
    `encounter` itself is refreshed with the new status and those fields.
    """
    fields = dict(fields or {})
    with transaction.atomic():
        locked = type(encounter).objects.select_for_update(of=("self",)).get(pk=encounter.pk)
        encounter_transition_check(encounter=locked, to=to)
        from_status = locked.status
        locked.status = to
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", *fields, "updated_at"])
        locked.events.create(
            from_status=from_status, to_status=to, user=user, source=source, note=note
        )
    for name in ["status", *fields, "updated_at"]:
        setattr(encounter, name, getattr(locked, name))
    return locked
