"""The claim state machine: legal moves only, each locked and written to the timeline."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from claims.models import Claim
from claims.state import TRANSITIONS, ClaimStatus, InvalidTransition, claim_transition
from tests.factories import ClaimFactory


def test_a_legal_move_changes_status_and_writes_one_event(db, biller):
    claim = ClaimFactory()

    claim_transition(claim=claim, to=ClaimStatus.READY, user=biller, source="scrubber")

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.READY
    event = claim.events.get()
    assert (event.from_status, event.to_status, event.user, event.source) == (
        ClaimStatus.DRAFT,
        ClaimStatus.READY,
        biller,
        "scrubber",
    )


def test_an_illegal_move_changes_nothing(db, biller):
    claim = ClaimFactory()
    with pytest.raises(InvalidTransition, match="cannot become paid"):
        claim_transition(claim=claim, to=ClaimStatus.PAID, user=biller)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT
    assert not claim.events.exists()


def test_queueing_twice_queues_once(db, biller):
    claim = ClaimFactory(status=ClaimStatus.READY)
    claim_transition(claim=claim, to=ClaimStatus.QUEUED, user=biller)
    with pytest.raises(
        InvalidTransition, match="is queued for the next batch; it cannot become queued"
    ):
        claim_transition(claim=claim, to=ClaimStatus.QUEUED, user=biller)
    assert claim.events.filter(to_status=ClaimStatus.QUEUED).count() == 1


def test_every_status_is_reachable_from_draft():
    reached, frontier = {ClaimStatus.DRAFT.value}, [ClaimStatus.DRAFT.value]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt not in reached:
                reached.add(nxt)
                frontier.append(nxt)
    assert reached == set(ClaimStatus.values)


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_to_submit_submit_once(biller):
    claim = ClaimFactory(status=ClaimStatus.QUEUED)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            claim_transition(claim=Claim.objects.get(pk=claim.pk), to=ClaimStatus.SUBMITTED)
            outcomes.append("submitted")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "refused", "refused", "submitted"]
    assert claim.events.filter(to_status=ClaimStatus.SUBMITTED).count() == 1
