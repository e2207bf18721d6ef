"""The claim page: the claim as sent, its remittances in words, its timeline, actions that fit."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimAttachment, ClaimEvent, ClaimStatusCheck, EventKind
from claims.state import ClaimStatus
from coding.models import Code, CodeSetRelease
from denials.models import Adjustment, ClaimPayment, LinePayment, Remittance
from tests.factories import ClaimDiagnosisFactory, ClaimFactory, ClaimLineFactory


@pytest.fixture
def code_words(db):
    """A little of each code set: what the page turns codes into words with."""
    rows = {
        "ICD10CM": [("E11.9", "E119", "Type 2 diabetes mellitus without complications"),
                    ("I10", "I10", "Essential (primary) hypertension")],
        "CPT": [("99214", "99214", "Office or other outpatient visit, established, moderate")],
        "HCPCS": [("J3301", "J3301", "Injection, triamcinolone acetonide, 10 mg")],
        "CARC": [("45", "45", "Charge exceeds fee schedule/maximum allowable."),
                 ("2", "2", "Coinsurance Amount")],
        "RARC": [("N130", "N130", "Consult plan benefit documents/guidelines.")],
    }  # fmt: skip
    for system, codes in rows.items():
        release = CodeSetRelease.objects.create(
            system=system, version=f"test {system}", effective_date=datetime.date(2020, 1, 1),
            source="test",
        )  # fmt: skip
        Code.objects.bulk_create(
            Code(release=release, system=system, code=code, compact=compact, description=words)
            for code, compact, words in codes
        )


def paid_claim(practice):
    claim = ClaimFactory(
        encounter__patient__practice=practice, status=ClaimStatus.PARTIALLY_PAID,
        total_charge=Decimal("200.00"),
    )  # fmt: skip
    ClaimDiagnosisFactory(claim=claim, position=1, code="E119")
    ClaimDiagnosisFactory(claim=claim, position=2, code="I10")
    line = ClaimLineFactory(
        claim=claim, position=1, procedure_code="99214", modifiers=["25"], units=Decimal("1"),
        diagnosis_pointers=[2, 1], charge=Decimal("200.00"),
    )  # fmt: skip
    remittance = Remittance.objects.create(
        practice=practice, payer=claim.payer, payer_name=claim.payer.name, trace_number="T77",
        payer_identifier="1999999999", payment_method="ACH", payment_amount=Decimal("120"),
        payment_date=datetime.date(2026, 10, 20),
    )  # fmt: skip
    payment = ClaimPayment.objects.create(
        practice=practice, remittance=remittance, claim=claim, control_number=claim.control_number,
        status_code="1", charge=Decimal("200"), paid=Decimal("120"),
        patient_responsibility=Decimal("30"), remarks=["N130"],
    )  # fmt: skip
    line_payment = LinePayment.objects.create(
        claim_payment=payment, claim_line=line, control_number=line.control_number,
        procedure_code="99214", charge=Decimal("200"), paid=Decimal("120"),
    )  # fmt: skip
    Adjustment.objects.create(
        claim_payment=payment, line_payment=line_payment, group="CO", reason="45", amount=50
    )
    Adjustment.objects.create(
        claim_payment=payment, line_payment=line_payment, group="PR", reason="2", amount=30
    )
    return claim


def test_the_claim_as_sent_with_codes_in_words(client, biller, practice_a, code_words):
    claim = paid_claim(practice_a)
    client.force_login(biller)

    response = client.get(reverse("claim-detail", args=[claim.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    diagnoses = response.context["diagnoses"]
    assert [(d.letter, d.code, d.description) for d in diagnoses] == [
        ("A", "E11.9", "Type 2 diabetes mellitus without complications"),
        ("B", "I10", "Essential (primary) hypertension"),
    ]
    [line] = response.context["lines"]
    assert line.pointer_codes == ["I10", "E11.9"]  # pointers as the codes they point to
    assert "Office or other outpatient visit" in body
    assert claim.coverage.member_id in body
    assert claim.rendering_provider.npi in body


def test_a_service_date_before_the_oldest_release_reads_that_release(
    client, biller, practice_a, code_words
):
    """As the scrubber does: an installation loads the releases it bills from, and a visit from
    before the first of them is described from it, not called 'not in the code set'."""
    claim = paid_claim(practice_a)
    Claim.objects.filter(pk=claim.pk).update(
        service_date_from=datetime.date(2019, 6, 1), service_date_to=datetime.date(2019, 6, 1)
    )
    client.force_login(biller)

    diagnoses = client.get(reverse("claim-detail", args=[claim.pk])).context["diagnoses"]

    assert diagnoses[0].description == "Type 2 diabetes mellitus without complications"


def test_every_remittance_with_its_adjustments_in_words(client, biller, practice_a, code_words):
    claim = paid_claim(practice_a)
    client.force_login(biller)

    body = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()

    assert 'data-testid="remit-allowed">$150.00' in body  # paid + patient responsibility
    assert 'data-testid="remit-paid">$120.00' in body
    assert 'CO <span class="text-body-secondary">Contractual obligation</span>' in body
    assert "CARC 45: Charge exceeds fee schedule/maximum allowable." in body
    assert "CARC 2: Coinsurance Amount" in body
    assert "RARC N130: Consult plan benefit documents/guidelines." in body
    # 200 charged - 120 paid - 50 contractual = 30 left, the patient's share.
    assert 'data-testid="claim-balance">$30.00' in body


def test_a_denial_is_still_owed_not_adjusted_off(client, biller, practice_a, code_words):
    claim = paid_claim(practice_a)
    # The payer denies what it did not pay: CO-50, not a contractual write-down.
    Adjustment.objects.filter(claim_payment__claim=claim, reason="45").update(reason="50")
    client.force_login(biller)

    body = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()

    assert 'data-testid="claim-denied">$50.00' in body
    # 200 charged - 120 paid = 80 owed: the $50 denied and the patient's $30.
    assert 'data-testid="claim-balance">$80.00' in body


def test_the_timeline_shows_every_event_with_who_did_it(client, biller, practice_a, code_words):
    claim = paid_claim(practice_a)
    ClaimEvent.objects.create(claim=claim, from_status="", to_status="draft", source="user")
    ClaimEvent.objects.create(
        claim=claim, from_status="submitted", to_status="rejected", source="277CA",
        note="A7:21 Missing or invalid information",
    )  # fmt: skip
    ClaimStatusCheck.objects.create(claim=claim, category="F1", status_code="65",
                                    description="Finalized, payment issued")  # fmt: skip
    client.force_login(biller)
    client.post(reverse("claim-note", args=[claim.pk]), {"text": "Called the payer, ref 123."})
    client.post(reverse("claim-assign", args=[claim.pk]), {"assignee": str(biller.pk)})
    client.post(reverse("claim-hold", args=[claim.pk]), {"reason": "Appeal in progress"})

    response = client.get(reverse("claim-detail", args=[claim.pk]))

    entries = [(e.title, e.who) for e in response.context["timeline"]]
    assert entries[:2] == [("Draft", "user"), ("Rejected (from submitted)", "277CA")]
    assert ("Status check answered (277)", "payer") in entries
    name = biller.get_full_name()
    assert entries[-3:] == [("Note", name), ("Assignment", name), ("Put on hold", name)]
    body = response.content.decode()
    assert "A7:21 Missing or invalid information" in body
    assert "F1:65 Finalized, payment issued" in body
    assert "On hold: Appeal in progress" in body


def test_the_claim_page_costs_the_same_queries_however_long_its_history(
    client, biller, practice_a, code_words, django_assert_num_queries
):
    claim = paid_claim(practice_a)
    client.force_login(biller)
    client.get(reverse("claim-detail", args=[claim.pk]))
    # 36: the claim, its lines and codes, remittances, timeline, scrub edits, corrections, the
    # claims billed after it, the billers to assign, its attachments: a fixed number, whatever
    # the history.
    with django_assert_num_queries(36) as short:
        client.get(reverse("claim-detail", args=[claim.pk]))
    for index in range(2, 8):
        ClaimDiagnosisFactory(claim=claim, position=index + 1, code="E119")
        ClaimLineFactory(claim=claim, position=index, procedure_code="99214")
        ClaimEvent.objects.create(claim=claim, kind=EventKind.NOTE, note=f"n{index}", user=biller)
        ClaimStatusCheck.objects.create(claim=claim, category="A1", status_code="20")
        ClaimAttachment.objects.create(
            claim=claim, report_type="OZ", transmission="FX", control_number=f"F{index}",
            created_by=biller,
        )  # fmt: skip
    payment = ClaimPayment.objects.get(claim=claim)
    line_payment = payment.lines.get()
    for reason in ("45", "2", "253"):
        Adjustment.objects.create(claim_payment=payment, group="CO", reason=reason, amount=1)
        Adjustment.objects.create(
            claim_payment=payment, line_payment=line_payment, group="OA", reason=reason, amount=1
        )

    with django_assert_num_queries(len(short.captured_queries)):
        response = client.get(reverse("claim-detail", args=[claim.pk]))
    assert len(response.context["lines"]) == 7
    assert response.content.decode().count('data-testid="attachment"') == 6


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [
        (ClaimStatus.READY, ["claim-submit", "claim-hold"], ["claim-status-check"]),
        (ClaimStatus.ACCEPTED, ["claim-status-check", "claim-note"], ["claim-submit"]),
        (ClaimStatus.DENIED, ["claim-status-check", "claim-assign"], ["claim-submit"]),
        (ClaimStatus.VOID, [], ["claim-submit", "claim-hold", "claim-note"]),
    ],
)
def test_actions_fit_the_status(client, biller, practice_a, status, shown, hidden):
    claim = ClaimFactory(encounter__patient__practice=practice_a, status=status)
    client.force_login(biller)

    body = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()

    for name in shown:
        assert reverse(name, args=[claim.pk]) in body, name
    for name in hidden:
        assert reverse(name, args=[claim.pk]) not in body, name


def test_a_coder_reads_the_claim_but_sees_no_biller_action(client, coder, practice_a):
    claim = ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.READY)
    client.force_login(coder)

    body = client.get(reverse("claim-detail", args=[claim.pk])).content.decode()

    assert reverse("claim-note", args=[claim.pk]) not in body
    assert client.post(reverse("claim-note", args=[claim.pk]), {"text": "x"}).status_code == 403


def test_status_check_now_runs_after_commit_and_shows_the_answer(
    client, biller, practice_a, django_capture_on_commit_callbacks, settings
):
    from claims.tasks import claim_status_check_task

    claim = ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.ACCEPTED)
    client.force_login(biller)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("claim-status-check", args=[claim.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1
    claim_status_check_task(claim.pk)  # what the worker runs once the request committed

    page = client.get(reverse("claim-detail", args=[claim.pk]))
    titles = [e.title for e in page.context["timeline"]]
    assert "Status check requested" in titles
    assert "Status check answered (277)" in titles
    assert claim.status_checks.count() == 1


def test_a_refused_action_is_a_400_that_changes_nothing(client, biller, practice_a):
    claim = ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.DRAFT)
    client.force_login(biller)
    before = ClaimEvent.objects.count()

    for name, data in (
        ("claim-note", {"text": ""}), ("claim-hold", {"reason": "r" * 300}),
        ("claim-follow-up", {"date": "2026-13-01"}), ("claim-assign", {"assignee": "\u0661"}),
        ("claim-release", {}), ("claim-status-check", {}),
    ):  # fmt: skip
        response = client.post(reverse(name, args=[claim.pk]), data)
        assert response.status_code == 400, name
        assert response.content.startswith(b"Nothing was changed."), name
    assert ClaimEvent.objects.count() == before
    assert Claim.objects.get(pk=claim.pk).on_hold is False


def test_another_practices_claim_is_not_found(client, biller, practice_b):
    claim = ClaimFactory(encounter__patient__practice=practice_b)
    client.force_login(biller)

    assert client.get(reverse("claim-detail", args=[claim.pk])).status_code == 404
    assert client.post(reverse("claim-note", args=[claim.pk]), {"text": "x"}).status_code == 404


def test_the_primary_links_to_the_claim_billed_to_the_next_payer(client, biller, practice_a):
    primary = ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.PAID)
    secondary = ClaimFactory(
        encounter=primary.encounter, primary_claim=primary, status=ClaimStatus.READY
    )
    client.force_login(biller)

    page = client.get(reverse("claim-detail", args=[primary.pk])).content.decode()

    assert (
        f'Billed to the next payer as <a href="/claims/{secondary.pk}/">claim '
        f"{secondary.control_number}</a> (ready to submit)" in page
    )


def test_a_hcpcs_level_ii_line_reads_in_words_too(code_words, practice_a):
    from claims.selectors import claim_diagnoses_and_lines

    claim = ClaimFactory(encounter__patient__practice=practice_a)
    ClaimLineFactory(claim=claim, position=1, procedure_code="99214")
    ClaimLineFactory(claim=claim, position=2, procedure_code="J3301")

    _, lines = claim_diagnoses_and_lines(claim=claim)

    assert [row.description.split(",")[0] for row in lines] == [
        "Office or other outpatient visit",
        "Injection",
    ]
