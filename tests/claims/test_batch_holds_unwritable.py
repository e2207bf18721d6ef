"""One claim that X12 cannot carry is held back with the reason; the rest of the batch goes."""

from __future__ import annotations

import pytest

from claims.models import Claim, SubmissionBatch
from claims.state import ClaimStatus
from claims.submission import batch_send, batches_build, claim_submit
from rcm.files.services import stored_file_read
from tests.claims.test_pipeline import ready_claim
from tests.x12.pyx12_check import pyx12_text_errors


@pytest.fixture(autouse=True)
def sandbox_in_tmp(settings):
    settings.RCM_SANDBOX_REMIT_DELAY_SECONDS = 0


def _rename(claim: Claim, **fields: str) -> None:
    """Data that got in before names were validated (an import, an old row): bypass the form."""
    type(claim.patient).objects.filter(pk=claim.patient_id).update(**fields)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"last_name": "O*Brien"}, "patient's last name"),
        ({"last_name": "Smith~ISA"}, "patient's last name"),
        ({"first_name": "Ann:Marie"}, "patient's first name"),
        ({"middle_name": "^"}, "patient's middle name"),
        ({"address1": "12 Main St\nApt 4"}, "patient's address"),
    ],
)
def test_an_unwritable_claim_is_held_and_the_others_are_sent(
    db, biller, practice_a, tmp_path, fields, reason
):
    good = ready_claim(practice_a)
    bad = ready_claim(practice_a)
    _rename(bad, **fields)
    for claim in (good, bad):
        claim_submit(claim=claim, user=biller)

    [batch_id] = batches_build(practice_id=practice_a.pk)

    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == ClaimStatus.SUBMITTED
    assert bad.status == ClaimStatus.DRAFT
    held = bad.events.order_by("at", "id").last()
    assert held.source == "batch"
    assert reason in held.note
    assert "may not contain" in held.note
    batch = SubmissionBatch.objects.get(pk=batch_id)
    assert list(batch.entries.values_list("claim_id", flat=True)) == [good.pk]
    text = stored_file_read(stored=batch.file).decode()
    assert good.control_number in text and bad.control_number not in text
    assert pyx12_text_errors(text, tmp_path) == []
    assert batch_send(batch_id=batch_id).error == ""


def test_when_no_claim_can_be_written_no_batch_is_made(db, biller, practice_a):
    claim = ready_claim(practice_a)
    _rename(claim, last_name="O*Brien")
    claim_submit(claim=claim, user=biller)

    assert batches_build(practice_id=practice_a.pk) == []

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT
    assert SubmissionBatch.objects.count() == 0
    assert batches_build(practice_id=practice_a.pk) == []  # nothing left queued to retry
