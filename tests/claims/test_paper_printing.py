"""Paper payers: their claims skip the 837P batch, wait on "To print", and printing sends them."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from claims.models import Claim, ClaimEvent, SubmissionBatch
from claims.paper import MAX_CLAIMS_PER_PRINT, PRINTED_NOTE
from claims.state import ClaimStatus
from claims.submission import batches_build, claim_submit
from claims.tasks import send_pending_batches_task
from tests.claims.test_paper import paper_claim
from tests.claims.test_pipeline import ready_claim
from tests.factories import ClaimFactory, PayerFactory


@pytest.fixture(autouse=True)
def sandbox_in_tmp(settings):
    settings.RCM_SANDBOX_REMIT_DELAY_SECONDS = 0


def queued_on_paper(practice, biller):
    claim = paper_claim(practice, status=ClaimStatus.READY)
    claim_submit(claim=claim, user=biller)
    return claim


def pdf_pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def test_a_paper_payers_claim_is_left_out_of_the_837p_batch(db, biller, practice_a):
    electronic = ready_claim(practice_a)
    claim_submit(claim=electronic, user=biller)
    paper = queued_on_paper(practice_a, biller)

    [_batch_id] = batches_build(practice_id=practice_a.pk)

    paper.refresh_from_db()
    electronic.refresh_from_db()
    assert paper.status == ClaimStatus.QUEUED
    assert electronic.status == ClaimStatus.SUBMITTED
    assert not paper.submissions.exists()
    assert batches_build(practice_id=practice_a.pk) == []  # and no empty batch for it later


def test_beats_sweep_leaves_paper_claims_queued(db, biller, practice_a):
    claim = queued_on_paper(practice_a, biller)

    send_pending_batches_task()

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.QUEUED
    assert not SubmissionBatch.objects.exists()


def test_the_to_print_list_holds_paper_claims_only(client, biller, practice_a):
    paper = queued_on_paper(practice_a, biller)
    electronic = ready_claim(practice_a)
    claim_submit(claim=electronic, user=biller)
    client.force_login(biller)

    page = client.get(reverse("claims-to-print")).content.decode()

    assert paper.control_number in page
    assert electronic.control_number not in page


def test_printing_the_to_print_list_marks_each_claim_submitted(client, biller, practice_a):
    first, second = queued_on_paper(practice_a, biller), queued_on_paper(practice_a, biller)
    client.force_login(biller)

    response = client.post(reverse("claims-print"), {"queue": "to-print"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    pages = pdf_pages(response)
    assert len(pages) == 2
    for claim in (first, second):
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.SUBMITTED
        assert claim.submitted_at is not None
        event = claim.events.order_by("at", "id").last()
        assert (event.source, event.note, event.user) == ("paper", PRINTED_NOTE, biller)
    assert client.post(reverse("claims-print"), {"queue": "to-print"}).status_code == 400


def test_printing_selected_claims_moves_only_those_on_the_to_print_list(client, biller, practice_a):
    paper = queued_on_paper(practice_a, biller)
    other = queued_on_paper(practice_a, biller)
    ready = ready_claim(practice_a)  # an electronic claim printed as a copy
    client.force_login(biller)

    response = client.post(reverse("claims-print"), {"claim": [paper.pk, ready.pk], "plain": "1"})

    pages = pdf_pages(response)
    assert "HEALTH INSURANCE CLAIM FORM" in pages[0]
    assert [Claim.objects.get(pk=c.pk).status for c in (paper, other, ready)] == [
        ClaimStatus.SUBMITTED,
        ClaimStatus.QUEUED,
        ClaimStatus.READY,
    ]


def test_printing_a_biller_queue_prints_it_without_moving_it(client, biller, practice_a):
    ready = ready_claim(practice_a)
    client.force_login(biller)

    response = client.post(reverse("claims-print"), {"queue": "ready"})

    assert len(pdf_pages(response)) == 1
    ready.refresh_from_db()
    assert ready.status == ClaimStatus.READY


def test_a_claims_form_opens_from_its_page(client, biller, coder, practice_a):
    claim = paper_claim(practice_a)
    client.force_login(coder)  # coders read claims too

    detail = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()
    red = client.get(reverse("claim-cms1500", args=[claim.pk]))
    plain = client.get(reverse("claim-cms1500", args=[claim.pk]) + "?plain=1")

    assert reverse("claim-cms1500", args=[claim.pk]) in detail
    assert claim.control_number in pdf_pages(red)[0]
    assert "HEALTH INSURANCE CLAIM FORM" not in pdf_pages(red)[0]
    assert "HEALTH INSURANCE CLAIM FORM" in pdf_pages(plain)[0]
    assert red["Cache-Control"] == "no-store"
    assert not ClaimEvent.objects.filter(claim=claim, source="paper").exists()


def test_another_practices_claim_is_not_found(client, biller_b, practice_a, biller):
    claim = queued_on_paper(practice_a, biller)
    client.force_login(biller_b)

    assert client.get(reverse("claim-cms1500", args=[claim.pk])).status_code == 404
    assert client.post(reverse("claims-print"), {"claim": [claim.pk]}).status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.QUEUED


def test_a_claim_of_another_practice_among_the_selected_prints_nothing(
    client, biller, biller_b, practice_a, practice_b
):
    ours = queued_on_paper(practice_a, biller)
    theirs = ClaimFactory(encounter__patient__practice=practice_b)
    client.force_login(biller)

    response = client.post(reverse("claims-print"), {"claim": [ours.pk, theirs.pk]})

    assert response.status_code == 404
    ours.refresh_from_db()
    assert ours.status == ClaimStatus.QUEUED


def test_the_wrong_role_is_forbidden(client, front_desk, coder, biller, practice_a):
    claim = queued_on_paper(practice_a, biller)
    client.force_login(front_desk)
    assert client.get(reverse("claim-cms1500", args=[claim.pk])).status_code == 403
    client.force_login(coder)
    assert client.post(reverse("claims-print"), {"claim": [claim.pk]}).status_code == 403
    assert client.get(reverse("claims-to-print")).status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.QUEUED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"claim": ["\u00b2"]}, "digits 0-9 only"),
        ({"claim": ["\u0663"]}, "digits 0-9 only"),
        ({"claim": ["99999999999"]}, "digits 0-9 only"),
        ({"claim": ["-1"]}, "digits 0-9 only"),
        ({"claim": [""]}, "digits 0-9 only"),
        ({"claim": [str(n) for n in range(1, MAX_CLAIMS_PER_PRINT + 2)]}, "at most 500"),
        ({}, "Tick the claims to print"),
        ({"queue": "everything"}, "Select a valid choice"),
        ({"queue": "to-print", "plain": "yes"}, "Select a valid choice"),
        ({"claim": ["1\x00"]}, "NUL"),
    ],
)
def test_hostile_print_requests_are_refused_in_words(client, biller, practice_a, data, message):
    claim = queued_on_paper(practice_a, biller)
    client.force_login(biller)

    response = client.post(reverse("claims-print"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.QUEUED


@pytest.mark.parametrize("plain", ["2", "yes", "\u00b9"])
def test_a_bad_plain_flag_is_refused(client, biller, practice_a, plain):
    claim = paper_claim(practice_a)
    client.force_login(biller)

    response = client.get(reverse("claim-cms1500", args=[claim.pk]), {"plain": plain})

    assert response.status_code == 400
    assert "plain must be 1" in response.content.decode()


def test_a_payer_is_electronic_unless_set_to_paper(db):
    assert PayerFactory().submission_method == "electronic"
