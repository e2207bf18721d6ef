"""Claims to edit and correct: small code sets, a claim of two lines, its remittance, its 837P."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

import pytest

from claims.claim_drafts import ClaimDraft, LineDraft, claim_draft_of
from claims.export import claims_export_837
from claims.models import Claim, ClaimEvent, ClaimLine
from claims.state import ClaimStatus
from coding.models import Code, CodeSetRelease, CodeSystem
from denials.models import Adjustment, ClaimPayment, LinePayment, Remittance
from tests.factories import ClaimDiagnosisFactory, ClaimFactory, ClaimLineFactory
from tests.x12.pyx12_check import pyx12_text_errors

SERVICE_DATE = datetime.date(2026, 10, 1)
PAYER_CLAIM_NUMBER = "2026331000123"
# An effective date no shipped release has, so these releases sit beside a loaded ICD-10-CM.
RELEASES_FROM = datetime.date(2026, 9, 15)
CODES = {
    CodeSystem.ICD10CM: [("E11.9", True), ("E11", False), ("I10", True), ("Z79.4", True),
                         ("M54.50", True)],
    CodeSystem.CPT: [("99213", True), ("99214", True), ("97110", True), ("20610", True)],
}  # fmt: skip


@pytest.fixture
def code_sets(db) -> None:
    """Small ICD-10-CM and CPT releases in force on the claims' date of service."""
    for system, codes in CODES.items():
        release = CodeSetRelease.objects.create(
            system=system, version=f"test {RELEASES_FROM}", effective_date=RELEASES_FROM,
            source="tests", code_count=len(codes),
        )  # fmt: skip
        Code.objects.bulk_create(
            Code(
                release=release,
                system=system,
                code=code,
                compact=code.replace(".", ""),
                description=f"{code} for tests",
                billable=billable,
                parent=code.split(".")[0] if "." in code else "",
            )
            for code, billable in codes
        )


def two_line_claim(practice: Any, status: str = ClaimStatus.DRAFT, **kwargs: Any) -> Claim:
    """A claim of 99214 (pointing at E11.9) and 97110 (at I10), $200 and $80."""
    claim = cast(
        Claim,
        ClaimFactory(
            encounter__patient__practice=practice, encounter__date_of_service=SERVICE_DATE,
            coverage__effective_date=datetime.date(2025, 1, 1), status=status,
            total_charge=Decimal("280.00"), **kwargs,
        ),
    )  # fmt: skip
    ClaimDiagnosisFactory(claim=claim, position=1, code="E119")
    ClaimDiagnosisFactory(claim=claim, position=2, code="I10")
    ClaimLineFactory(
        claim=claim, position=1, procedure_code="99214", charge=Decimal("200.00"),
        control_number=f"{claim.control_number}-1",
    )  # fmt: skip
    ClaimLineFactory(
        claim=claim, position=2, procedure_code="97110", diagnosis_pointers=[2],
        charge=Decimal("80.00"), control_number=f"{claim.control_number}-2",
    )  # fmt: skip
    return claim


def adjudicated_claim(practice: Any, status: str = ClaimStatus.DENIED, **kwargs: Any) -> Claim:
    kwargs.setdefault("payer_claim_number", PAYER_CLAIM_NUMBER)
    return two_line_claim(practice, status=status, **kwargs)


def remit(claim: Claim, paid_by_line: dict[int, Decimal]) -> None:
    """The payer's 835 for `claim`: each line (by position) paid as given, the rest adjusted
    CO-16 (a line paid 0 is denied)."""
    remittance = Remittance.objects.create(
        practice=claim.practice, payer=claim.payer, payer_name=claim.payer.name,
        trace_number=f"T{claim.pk}", payer_identifier="1999999999", payment_method="ACH",
        payment_amount=sum(paid_by_line.values()), payment_date=datetime.date(2026, 10, 20),
    )  # fmt: skip
    payment = ClaimPayment.objects.create(
        practice=claim.practice, remittance=remittance, claim=claim,
        control_number=claim.control_number, status_code="1", charge=claim.total_charge,
        paid=sum(paid_by_line.values()), payer_claim_number=claim.payer_claim_number,
    )  # fmt: skip
    for line in claim.lines.all():
        paid = paid_by_line.get(line.position, Decimal("0"))
        line_payment = LinePayment.objects.create(
            claim_payment=payment, claim_line=line, control_number=line.control_number,
            procedure_code=line.procedure_code, charge=line.charge, paid=paid,
        )  # fmt: skip
        Adjustment.objects.create(
            claim_payment=payment, line_payment=line_payment, group="CO",
            reason="16" if paid == 0 else "45", amount=line.charge - paid,
        )  # fmt: skip


def draft_with(claim: Claim, line: int = 1, **changes: Any) -> ClaimDraft:
    """The claim as a draft with one line changed (`line` by position)."""
    draft = claim_draft_of(claim)
    lines = list(draft.lines)
    lines[line - 1] = LineDraft(**{**lines[line - 1].__dict__, **changes})
    return ClaimDraft(
        diagnoses=draft.diagnoses, lines=tuple(lines), place_of_service=draft.place_of_service,
        prior_authorization=draft.prior_authorization, note=draft.note,
    )  # fmt: skip


def snapshot(claim: Claim) -> tuple[object, ...]:
    """Everything an edit could change, to check a refused one changed nothing."""
    fresh = Claim.objects.get(pk=claim.pk)
    return (
        fresh.status, fresh.total_charge, fresh.place_of_service, fresh.note,
        fresh.prior_authorization, fresh.service_date_from,
        list(fresh.diagnoses.values_list("position", "code")),
        list(ClaimLine.objects.filter(claim=fresh).order_by("position").values_list(
            "id", "position", "procedure_code", "modifiers", "units", "diagnosis_pointers",
            "charge", "service_date", "control_number")),
        ClaimEvent.objects.filter(claim=fresh).count(), Claim.objects.count(),
    )  # fmt: skip


def exported_837(claim: Claim, tmp_path: Any) -> str:
    """The 837P the app would send for `claim`, checked by pyx12."""
    [exported] = claims_export_837(claim_ids=[claim.pk])
    assert pyx12_text_errors(exported.text, tmp_path) == []
    return exported.text
