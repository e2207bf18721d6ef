"""Billing the secondary payer: the 837P carries the primary's payment (2320/2330, 2430)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import cast

import pytest
from django.core.exceptions import ValidationError

from claims.export import claims_export_837
from claims.models import Claim, ClaimLine
from claims.state import ClaimStatus
from denials.models import Adjustment, ClaimPayment, LinePayment, Remittance
from denials.secondary import claim_bill_next_payer
from tests.factories import (
    ClaimDiagnosisFactory,
    ClaimFactory,
    ClaimLineFactory,
    CoverageFactory,
    PayerFactory,
)
from tests.x12.pyx12_check import pyx12_text_errors


@pytest.fixture
def paid_primary(practice_a):
    claim = cast(
        Claim,
        ClaimFactory(
            encounter__patient__practice=practice_a,
            status=ClaimStatus.PAID,
            total_charge=Decimal("200"),
        ),
    )
    ClaimDiagnosisFactory(claim=claim, position=1, code="E119")
    line = cast(
        ClaimLine,
        ClaimLineFactory(claim=claim, position=1, procedure_code="99214", charge=Decimal("200")),
    )
    remittance = Remittance.objects.create(
        practice=practice_a,
        payer=claim.payer,
        payer_name=claim.payer.name,
        trace_number="T1",
        payer_identifier="1999999999",
        payment_method="ACH",
        payment_amount=Decimal("120"),
        payment_date=datetime.date(2026, 10, 20),
    )
    payment = ClaimPayment.objects.create(
        practice=practice_a,
        remittance=remittance,
        claim=claim,
        control_number=claim.control_number,
        status_code="1",
        charge=Decimal("200"),
        paid=Decimal("120"),
        patient_responsibility=Decimal("30"),
    )
    line_payment = LinePayment.objects.create(
        claim_payment=payment,
        claim_line=line,
        control_number=line.control_number,
        procedure_code="99214",
        charge=Decimal("200"),
        paid=Decimal("120"),
    )
    Adjustment.objects.create(
        claim_payment=payment, line_payment=line_payment, group="CO", reason="45", amount=50
    )
    Adjustment.objects.create(
        claim_payment=payment, line_payment=line_payment, group="PR", reason="2", amount=30
    )
    return claim


@pytest.fixture
def secondary_coverage(paid_primary):
    return CoverageFactory(
        patient=paid_primary.patient,
        priority=2,
        payer=PayerFactory(name="Second Plan"),
        effective_date=datetime.date(2024, 1, 1),
    )


def test_secondary_claim_carries_the_primary_decision_and_validates(
    paid_primary, secondary_coverage, biller, tmp_path
):
    secondary = claim_bill_next_payer(primary=paid_primary, user=biller)

    assert secondary.payer == secondary_coverage.payer
    assert secondary.other_payer_paid == Decimal("120.00")
    line = secondary.lines.get()
    assert line.other_payer_adjustments == [
        {"group": "CO", "reason": "45", "amount": "50.00"},
        {"group": "PR", "reason": "2", "amount": "30.00"},
    ]
    [exported] = claims_export_837(claim_ids=[secondary.pk])
    text = exported.text
    assert pyx12_text_errors(text, tmp_path) == []
    assert "SBR*S*18*" in text  # this claim's payer is secondary
    assert "SBR*P*18*" in text  # loop 2320: the primary
    assert "AMT*D*120~" in text
    assert f"SVD*{paid_primary.payer.payer_id}*120*HC:99214" in text
    assert "CAS*PR*2*30~" in text
    assert "DTP*573*D8*20261020~" in text


def test_no_secondary_without_a_decision_or_a_second_coverage(paid_primary, biller):
    with pytest.raises(ValidationError, match="no secondary coverage"):
        claim_bill_next_payer(primary=paid_primary, user=biller)
    paid_primary.status = ClaimStatus.ACCEPTED
    paid_primary.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="once the primary payer has decided"):
        claim_bill_next_payer(primary=paid_primary, user=biller)


def test_the_next_payer_is_billed_once(paid_primary, secondary_coverage, biller):
    claim_bill_next_payer(primary=paid_primary, user=biller)
    with pytest.raises(ValidationError, match="already billed"):
        claim_bill_next_payer(primary=paid_primary, user=biller)


def test_biller_bills_the_next_payer_from_the_claim_page(
    client, paid_primary, secondary_coverage, biller
):
    from django.urls import reverse

    client.force_login(biller)
    assert (
        b"Bill the next payer"
        in client.get(reverse("claim-detail", args=[paid_primary.pk])).content
    )

    response = client.post(reverse("claim-next-payer", args=[paid_primary.pk]), follow=True)

    assert b"created as a draft" in response.content
    assert paid_primary.secondary_claims.count() == 1
    again = client.post(reverse("claim-next-payer", args=[paid_primary.pk]), follow=True)
    assert b"already billed" in again.content
