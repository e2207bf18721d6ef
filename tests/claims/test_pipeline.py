"""End to end through the sandbox payer: submit -> 999/277CA -> 835 -> paid, each step once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from claims.models import BatchStatus, Claim, SubmissionBatch
from claims.state import ClaimStatus
from claims.status_checks import claim_status_check, claims_due_for_status_check
from claims.submission import batch_send, batches_build, claim_submit
from claims.tasks import send_pending_batches_task, submit_practice_claims_task
from denials.inbox import inbound_file_process, inbox_poll
from denials.models import ClaimPayment, Remittance
from rcm.files.models import Direction, FileKind, FileStatus, StoredFile
from rcm.practice.clearinghouse import transport_for
from tests.factories import ClaimDiagnosisFactory, ClaimFactory, ClaimLineFactory


@pytest.fixture(autouse=True)
def sandbox_in_tmp(settings):
    settings.RCM_SANDBOX_REMIT_DELAY_SECONDS = 0


def ready_claim(practice, **kwargs):
    today = timezone.localdate()
    claim = ClaimFactory(
        status=ClaimStatus.READY,
        encounter__patient__practice=practice,
        encounter__date_of_service=today - datetime.timedelta(days=3),
        coverage__effective_date=today - datetime.timedelta(days=365),
        **kwargs,
    )
    ClaimDiagnosisFactory(claim=claim, position=1, code="E119")
    ClaimLineFactory(claim=claim, position=1, procedure_code="99213", charge=Decimal("150.00"))
    claim.total_charge = Decimal("150.00")
    claim.save(update_fields=["total_charge"])
    return claim


def test_a_claim_goes_out_once_and_comes_back_paid(db, biller, practice_a):
    claim = ready_claim(practice_a)
    claim_submit(claim=claim, user=biller)

    [batch_id] = batches_build(practice_id=practice_a.pk)
    assert batches_build(practice_id=practice_a.pk) == []  # nothing queued twice
    batch = batch_send(batch_id=batch_id)
    assert batch.status == BatchStatus.SENT
    assert batch_send(batch_id=batch_id).attempts == 1  # a second send is a no-op
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert (
        StoredFile.objects.filter(direction=Direction.OUTBOUND, kind=FileKind.CLAIM_837P).count()
        == 1
    )

    first = inbox_poll()
    claim.refresh_from_db()

    assert first.quarantined == 0, first
    kinds = set(
        StoredFile.objects.filter(direction=Direction.INBOUND).values_list("kind", flat=True)
    )
    assert {FileKind.ACK_999, FileKind.CLAIM_ACK_277CA, FileKind.REMITTANCE_835} <= kinds
    assert claim.status in (ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID)
    assert [e.source for e in claim.events.order_by("at", "id")][-3:] == ["batch", "277CA", "835"]
    payment = ClaimPayment.objects.get(claim=claim)
    assert payment.charge == Decimal("150.00")
    # Each move links to the file that caused it (the 837P it went out in); the payment to its 835.
    caused_by = {e.source: e.file.kind for e in claim.events.exclude(file=None)}
    assert caused_by == {
        "batch": FileKind.CLAIM_837P,
        "277CA": FileKind.CLAIM_ACK_277CA,
        "835": FileKind.REMITTANCE_835,
    }
    assert payment.remittance.file.kind == FileKind.REMITTANCE_835
    assert inbox_poll().fetched == 0  # acknowledged files are not fetched again


def test_processing_the_same_file_twice_posts_once(db, biller, practice_a):
    claim = ready_claim(practice_a)
    claim_submit(claim=claim, user=biller)
    for batch_id in batches_build(practice_id=practice_a.pk):
        batch_send(batch_id=batch_id)
    inbox_poll()
    remittance_file = StoredFile.objects.get(kind=FileKind.REMITTANCE_835)
    content = remittance_file.content.open("rb").read()

    again = inbound_file_process(name="again.835", content=content)

    assert again.pk == remittance_file.pk
    assert Remittance.objects.count() == 1
    assert ClaimPayment.objects.filter(claim=claim).count() == 1


def test_a_garbled_file_is_quarantined_and_changes_nothing(db, practice_a):
    stored = inbound_file_process(name="broken.x12", content=b"ISA*00*garbage~GS*HC~")
    assert stored.status == FileStatus.QUARANTINED
    assert "ISA" in stored.error
    assert not Claim.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_batch(practice_a, biller, celery_worker_on_queue):
    claim = ready_claim(practice_a)
    claim_submit(claim=claim, user=biller)  # commits: the task is enqueued on commit

    celery_worker_on_queue.wait_for(
        lambda: SubmissionBatch.objects.filter(status=BatchStatus.SENT).exists()
    )

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert submit_practice_claims_task.name == "claims.tasks.submit_practice_claims_task"


def test_a_batch_left_built_by_a_dead_worker_is_sent_once_by_beat(db, biller, practice_a):
    claim = ready_claim(practice_a)
    claim_submit(claim=claim, user=biller)
    [batch_id] = batches_build(practice_id=practice_a.pk)  # the worker died right after this

    assert send_pending_batches_task() == 1
    assert send_pending_batches_task() == 0

    batch = SubmissionBatch.objects.get(pk=batch_id)
    assert (batch.status, batch.attempts) == (BatchStatus.SENT, 1)
    assert inbox_poll().fetched >= 2  # the sandbox answered once: 999 and 277CA (and 835)


def test_status_is_asked_for_claims_waiting_past_turnaround(db, biller, practice_a):
    claim = ready_claim(practice_a)
    claim_submit(claim=claim, user=biller)
    for batch_id in batches_build(practice_id=practice_a.pk):
        batch_send(batch_id=batch_id)
    claim.refresh_from_db()
    waiting_since = timezone.now() - datetime.timedelta(days=claim.payer.turnaround_days + 1)
    Claim.objects.filter(pk=claim.pk).update(status="accepted", status_changed_at=waiting_since)

    due = claims_due_for_status_check(now=timezone.now())
    assert due == [claim.pk]
    check = claim_status_check(claim_id=claim.pk)

    assert check is not None and check.error == ""
    assert check.category  # the payer's answer, in words in check.description
    assert check.request_file.kind == FileKind.STATUS_276
    assert claims_due_for_status_check(now=timezone.now()) == []  # asked this week already


def test_a_file_kept_but_not_applied_is_applied_when_offered_again(db, biller, practice_a):
    from rcm.files.services import inbound_file_store

    claim = ready_claim(practice_a)
    claim_submit(claim=claim, user=biller)
    for batch_id in batches_build(practice_id=practice_a.pk):
        batch_send(batch_id=batch_id)
    transport = transport_for(None)
    ack = next(f for f in transport.fetch() if f.name.endswith(".277ca"))
    # A worker stored the 277CA and died before applying it.
    inbound_file_store(kind=FileKind.CLAIM_ACK_277CA, name=ack.name, content=ack.content)

    stored = inbound_file_process(name=ack.name, content=ack.content)

    claim.refresh_from_db()
    assert stored.status == FileStatus.PROCESSED
    assert claim.status == ClaimStatus.ACCEPTED
    assert inbound_file_process(name=ack.name, content=ack.content).status == FileStatus.PROCESSED
    assert claim.events.filter(source="277CA").count() == 1


def test_submitting_all_ready_claims_queues_them_in_one_go(db, biller, practice_a, practice_b):
    from claims.submission import claims_submit_ready

    ready = [ready_claim(practice_a) for _ in range(3)]
    draft = ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.DRAFT)
    elsewhere = ready_claim(practice_b)

    assert claims_submit_ready(practice_ids=[practice_a.pk], user=biller) == 3

    statuses = dict(Claim.objects.values_list("id", "status"))
    assert {statuses[c.pk] for c in ready} == {ClaimStatus.QUEUED}
    assert statuses[draft.pk] == ClaimStatus.DRAFT
    assert statuses[elsewhere.pk] == ClaimStatus.READY
    assert claims_submit_ready(practice_ids=[practice_a.pk], user=biller) == 0


def test_a_claim_whose_task_was_lost_is_sent_once_by_beat(db, biller, practice_a):
    """Redis was down when it was queued, or a dying worker's locks made the retry skip it."""
    claim = ready_claim(practice_a)
    claim_submit(claim=claim, user=biller)  # in the test's transaction: no task ever runs

    assert send_pending_batches_task() == 1
    assert send_pending_batches_task() == 0

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.submissions.count() == 1
    assert SubmissionBatch.objects.get().status == BatchStatus.SENT
