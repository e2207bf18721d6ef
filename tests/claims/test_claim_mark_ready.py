"""Marking a draft claim ready: the placeholder scrubber moves it through the state machine."""

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
    assert (event.from_status, event.to_status, event.source, event.user) == (
        ClaimStatus.DRAFT,
        ClaimStatus.READY,
        "scrubber",
        biller,
    )


def test_a_claim_without_lines_or_diagnoses_stays_a_draft(practice_a, biller):
    claim = ClaimFactory(encounter__patient__practice=practice_a)

    with pytest.raises(ValidationError) as error:
        claim_mark_ready(claim=claim, user=biller)

    assert error.value.messages == ["The claim has no diagnosis.", "The claim has no service line."]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT
    assert not claim.events.exists()


def test_a_ready_claim_cannot_be_marked_ready_again(draft_claim, biller):
    claim_mark_ready(claim=draft_claim, user=biller)

    with pytest.raises(
        InvalidTransition, match="is ready to submit; it cannot become ready to submit"
    ):
        claim_mark_ready(claim=draft_claim, user=biller)

    assert draft_claim.events.count() == 1
