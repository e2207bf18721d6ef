"""Billing the next payer: a claim to the secondary coverage carrying the primary's decision."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from claims.models import Claim, ClaimDiagnosis, ClaimEvent, ClaimLine
from claims.services import claim_control_number_next
from claims.state import ClaimStatus
from denials.models import Adjustment, ClaimPayment
from patients.models import Coverage
from rcm.practice.models import User

# The primary has decided (paid something, or nothing) and the claim is not being reworked.
ADJUDICATED = (ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED, ClaimStatus.CLOSED)


def _next_coverage(primary: Claim) -> Coverage:
    day = primary.service_date_from
    coverage = (
        Coverage.objects.filter(
            patient_id=primary.patient_id, priority=primary.coverage.priority + 1
        )
        .filter(effective_date__lte=day)
        .filter(Q(termination_date__isnull=True) | Q(termination_date__gte=day))
        .select_related("payer")
        .first()
    )
    if coverage is None:
        raise ValidationError(
            f"{primary.patient.full_name} has no "
            f"{'secondary' if primary.coverage.priority == 1 else 'tertiary'} coverage in force on "
            f"{day:%m/%d/%Y}."
        )
    return coverage


def _latest_payment(primary: Claim) -> ClaimPayment:
    payment = (
        ClaimPayment.objects.filter(claim=primary)
        .exclude(status_code="22")
        .select_related("remittance")
        .prefetch_related("lines__adjustments", "adjustments")
        .order_by("-remittance__received_at", "-id")
        .first()
    )
    if payment is None:
        raise ValidationError("The primary payer's remittance for this claim is not posted yet.")
    return payment


def _cas(rows: list[Adjustment]) -> list[dict[str, str]]:
    return [{"group": a.group, "reason": a.reason, "amount": str(a.amount)} for a in rows]


def claim_create_secondary(*, primary: Claim, user: User | None) -> Claim:
    """A DRAFT claim to the next payer in line, with the previous payer's payment and CAS."""
    with transaction.atomic():
        primary = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("patient", "coverage")
            .get(pk=primary.pk)
        )
        if primary.status not in ADJUDICATED:
            raise ValidationError("Bill the next payer once the primary payer has decided.")
        if primary.secondary_claims.exclude(status=ClaimStatus.VOID).exists():
            raise ValidationError("This claim was already billed to the next payer.")
        coverage = _next_coverage(primary)
        payment = _latest_payment(primary)
        claim_adjustments = [a for a in payment.adjustments.all() if a.line_payment_id is None]
        claim_id, control_number = claim_control_number_next()
        claim = Claim.objects.create(
            id=claim_id,
            control_number=control_number,
            practice_id=primary.practice_id,
            encounter_id=primary.encounter_id,
            patient_id=primary.patient_id,
            coverage=coverage,
            payer=coverage.payer,
            rendering_provider_id=primary.rendering_provider_id,
            place_of_service=primary.place_of_service,
            service_date_from=primary.service_date_from,
            service_date_to=primary.service_date_to,
            prior_authorization=primary.prior_authorization,
            total_charge=primary.total_charge,
            primary_claim=primary,
            other_payer_paid=payment.paid,
            other_payer_adjudicated_on=payment.remittance.payment_date,
            other_payer_adjustments=_cas(claim_adjustments),
        )
        _copy_lines(primary=primary, claim=claim, payment=payment)
        ClaimEvent.objects.create(
            claim=claim,
            to_status=ClaimStatus.DRAFT,
            user=user,
            note=f"Billed to {coverage.payer.name} after {primary.payer.name} "
            f"(claim {primary.control_number}) paid {payment.paid}.",
        )
    return claim


def _copy_lines(*, primary: Claim, claim: Claim, payment: ClaimPayment) -> None:
    ClaimDiagnosis.objects.bulk_create(
        ClaimDiagnosis(claim=claim, position=dx.position, code=dx.code)
        for dx in primary.diagnoses.all()
    )
    decided = {lp.claim_line_id: lp for lp in payment.lines.all() if lp.claim_line_id}
    rows = []
    for line in primary.lines.all():
        line_payment = decided.get(line.pk)
        rows.append(
            ClaimLine(
                claim=claim,
                position=line.position,
                control_number=f"{claim.control_number}-{line.position}",
                procedure_code=line.procedure_code,
                modifiers=line.modifiers,
                units=line.units,
                diagnosis_pointers=line.diagnosis_pointers,
                charge=line.charge,
                service_date=line.service_date,
                other_payer_paid=line_payment.paid if line_payment else Decimal("0"),
                other_payer_adjustments=(
                    _cas(list(line_payment.adjustments.all())) if line_payment else []
                ),
            )
        )
    ClaimLine.objects.bulk_create(rows)
