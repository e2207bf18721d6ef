"""Billing the next payer: the primary's posted decision, handed to claims to snapshot."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from claims.models import Claim
from claims.services import PriorAdjudication, claim_create_secondary
from denials.models import Adjustment, ClaimPayment
from rcm.practice.models import User


def _cas(rows: list[Adjustment]) -> list[dict[str, str]]:
    return [{"group": a.group, "reason": a.reason, "amount": str(a.amount)} for a in rows]


def prior_adjudication_of(primary: Claim) -> PriorAdjudication:
    """The primary payer's latest posted (not reversed) payment of `primary`, as 2320/2430 need."""
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
    return PriorAdjudication(
        paid=payment.paid,
        adjudicated_on=payment.remittance.payment_date,
        claim_adjustments=_cas([a for a in payment.adjustments.all() if a.line_payment_id is None]),
        lines={
            lp.claim_line_id: (lp.paid, _cas(list(lp.adjustments.all())))
            for lp in payment.lines.all()
            if lp.claim_line_id
        },
    )


def claim_bill_next_payer(*, primary: Claim, user: User | None) -> Claim:
    """A DRAFT claim to the patient's next payer, carrying what the primary payer decided."""
    return claim_create_secondary(primary=primary, adjudication_of=prior_adjudication_of, user=user)
