"""Marking a draft claim ready: the scrubber moves a clean draft through the state machine."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from claims.services import claim_mark_ready
from claims.state import ClaimStatus, InvalidTransition
from tests.factories import ClaimDiagnosisFactory, ClaimFactory, ClaimLineFactory


@pytest.fixture
def draft_claim(practice_a):
    claim = ClaimFactory(encounter__patient__practice=practice_a)
    ClaimDiagnosisFactory(claim=claim)
    ClaimLineFactory(claim=claim)
    return claim


def test_a_complete_draft_becomes_ready_with_a_timeline_event(draft_claim, biller):
    claim_mark_ready(claim=draft_claim, user=biller)

    draft_claim.refresh_from_db()
    assert draft_claim.status == ClaimStatus.READY
    event = draft_claim.events.get()
    assert (event.from_status, event.to_status, event.source, event.user, event.note) == (
        ClaimStatus.DRAFT,
        ClaimStatus.READY,
        "scrubber",
        biller,
        "Scrubbed: 0 errors, 0 warnings.",
    )


def test_a_claim_without_lines_or_diagnoses_stays_a_draft(practice_a, biller):
    claim = ClaimFactory(encounter__patient__practice=practice_a)

    with pytest.raises(ValidationError) as error:
        claim_mark_ready(claim=claim, user=biller)

    assert "The claim has no diagnosis code." in error.value.messages
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT
    (event,) = claim.events.all()  # the scrub is on the timeline; the claim did not move
    assert event.to_status == ClaimStatus.DRAFT and event.note.startswith("Scrubbed: ")


def test_a_ready_claim_cannot_be_marked_ready_again(draft_claim, biller):
    claim_mark_ready(claim=draft_claim, user=biller)

    with pytest.raises(
        InvalidTransition, match="is ready to submit; it cannot become ready to submit"
    ):
        claim_mark_ready(claim=draft_claim, user=biller)

    assert draft_claim.events.count() == 1
