"""The claim state machine against a matrix written by hand: every allowed move, and no other.

The matrix below is the specification, written out independently of `claims.state.TRANSITIONS`
on purpose: adding or removing a move in the code without changing it here fails a test. Every
(from, to) pair of the 14 statuses is tried, through `claim_transition` and through
`claims_transition_bulk`: an allowed move changes the status, the time it changed and writes one
timeline event; any other is refused with `InvalidTransition` (or reported as refused by the
bulk move) and changes nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import Claim, ClaimEvent, ClaimStatus
from claims.state import InvalidTransition, can_transition, claim_transition, claims_transition_bulk
from rcm.files.services import stored_file_save
from tests.factories import ClaimFactory

S = ClaimStatus

ALLOWED: dict[str, set[str]] = {
    S.DRAFT: {S.READY, S.VOID},
    S.READY: {S.QUEUED, S.DRAFT, S.VOID},
    S.QUEUED: {S.SUBMITTED, S.READY},
    S.SUBMITTED: {S.ACCEPTED, S.REJECTED},
    S.ACCEPTED: {S.PENDING, S.PAID, S.PARTIALLY_PAID, S.DENIED, S.REJECTED},
    S.PENDING: {S.PAID, S.PARTIALLY_PAID, S.DENIED},
    S.REJECTED: {S.DRAFT, S.VOID},
    S.DENIED: {S.APPEALED, S.DRAFT, S.CLOSED, S.PAID, S.PARTIALLY_PAID},
    S.APPEALED: {S.PAID, S.PARTIALLY_PAID, S.DENIED, S.CLOSED},
    S.PARTIALLY_PAID: {S.PAID, S.APPEALED, S.REVERSED, S.CLOSED, S.DRAFT},
    S.PAID: {S.REVERSED, S.CLOSED},
    S.REVERSED: {S.PAID, S.PARTIALLY_PAID, S.DENIED, S.DRAFT, S.CLOSED},
    S.VOID: set(),
    S.CLOSED: {S.REVERSED},
}

ALL_STATUSES = [ClaimStatus(value) for value in ClaimStatus.values]
LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def test_the_matrix_names_every_status():
    assert set(ALLOWED) == set(ClaimStatus.values)


def test_bulk_moves_without_notes_or_user(db):
    claim = ClaimFactory(status=S.READY)
    assert claims_transition_bulk(moves={claim.pk: S.QUEUED}) == {}
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.user, event.source, event.note, event.file_id) == (None, "user", "", None)


def test_a_move_by_default_is_the_users_without_note(db):
    claim = ClaimFactory(status=S.READY)
    claim_transition(claim=claim, to=S.QUEUED)
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.user, event.source, event.note) == (None, "user", "")


def _reset(claim: Claim, status: str) -> None:
    Claim.objects.filter(pk=claim.pk).update(status=status, status_changed_at=LONG_AGO)
    ClaimEvent.objects.filter(claim=claim).delete()
    claim.refresh_from_db()


@pytest.mark.parametrize("from_status", ALL_STATUSES, ids=str)
def test_claim_transition_allows_exactly_the_matrix(db, biller, from_status):
    claim = ClaimFactory()
    wrong: list[str] = []
    for to in ALL_STATUSES:
        _reset(claim, from_status)
        assert can_transition(from_status, to) == (to in ALLOWED[from_status]), (from_status, to)
        if to in ALLOWED[from_status]:
            try:
                moved = claim_transition(claim=claim, to=to, user=biller, source="test", note="why")
            except InvalidTransition as refusal:
                wrong.append(f"{from_status}->{to} is allowed but was refused: {refusal}")
                continue
            # the caller's object and the returned row both carry the new status
            if (claim.status, moved.status, moved.pk) != (to, to, claim.pk):
                wrong.append(f"{from_status}->{to} left the caller's claim {claim.status}")
            if claim.status_changed_at != moved.status_changed_at:
                wrong.append(f"{from_status}->{to} left the caller's status_changed_at")
            claim.refresh_from_db()
            event = ClaimEvent.objects.get(claim=claim)
            if (claim.status, event.from_status, event.to_status) != (to, from_status, to):
                wrong.append(f"{from_status}->{to} ended {claim.status}, event {event}")
            if (event.user, event.source, event.note) != (biller, "test", "why"):
                wrong.append(f"{from_status}->{to} wrote the event without who, why or source")
            if claim.status_changed_at <= LONG_AGO:
                wrong.append(f"{from_status}->{to} did not stamp status_changed_at")
        else:
            with pytest.raises(InvalidTransition) as refusal:
                claim_transition(claim=claim, to=to, user=biller)
            assert str(refusal.value) == (
                f"Claim {claim.pk} is {from_status.label.lower()}; "
                f"it cannot become {to.label.lower()}."
            )
            assert (refusal.value.from_status, refusal.value.to_status) == (from_status, to)
            claim.refresh_from_db()
            if claim.status != from_status or claim.status_changed_at != LONG_AGO:
                wrong.append(f"{from_status}->{to} was refused but changed the claim")
            if ClaimEvent.objects.filter(claim=claim).exists():
                wrong.append(f"{from_status}->{to} was refused but wrote an event")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("from_status", ALL_STATUSES, ids=str)
def test_bulk_moves_allow_exactly_the_matrix(db, biller, from_status):
    remittance = stored_file_save(kind="835", direction="in", name="r.835", content=b"ISA")
    claims = {to: ClaimFactory(status=from_status) for to in ALL_STATUSES}
    Claim.objects.filter(pk__in=[c.pk for c in claims.values()]).update(status_changed_at=LONG_AGO)
    missing_id = max(c.pk for c in claims.values()) + 1000

    refused = claims_transition_bulk(
        moves={claims[to].pk: to for to in ALL_STATUSES} | {missing_id: S.PAID},
        user=biller,
        source="835",
        notes={claims[to].pk: f"to {to}" for to in ALL_STATUSES},
        file_id=remittance.pk,
    )

    expected_refused = {
        claims[to].pk: from_status for to in ALL_STATUSES if to not in ALLOWED[from_status]
    }
    assert refused == expected_refused | {missing_id: "missing"}
    for to, claim in claims.items():
        claim.refresh_from_db()
        events = list(ClaimEvent.objects.filter(claim=claim))
        if to in ALLOWED[from_status]:
            assert claim.status == to
            assert claim.status_changed_at > LONG_AGO
            assert [
                (e.from_status, e.to_status, e.user, e.source, e.note, e.file_id) for e in events
            ] == [(from_status, to, biller, "835", f"to {to}", remittance.pk)]
        else:
            assert (claim.status, claim.status_changed_at) == (from_status, LONG_AGO)
            assert events == []
