"""Billing the next payer: the primary's posted decision, handed to claims to snapshot; and,
after an 835 posts, the secondary claims it calls for (unless the payer crossed them over)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum

from claims.models import Claim
from claims.scrubber import claim_scrub
from claims.services import PriorAdjudication, claim_create_secondary, next_payer_refusal
from denials.models import Adjustment, AdjustmentGroup, ClaimPayment
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


# CLP02 19, 20, 21: "processed as primary (secondary, tertiary), forwarded to additional
# payer(s)": the payer sent the claim on itself (a crossover). Billing it too would be a duplicate.
CROSSOVER_STATUSES = frozenset({"19", "20", "21"})
# Remarks saying the same (MA18: forwarded to the supplemental insurer; N89: forwarded to more
# than one other payer; MA07: forwarded to Medicaid).
CROSSOVER_REMARKS = frozenset({"MA18", "N89", "MA07"})
REVERSAL_STATUS = "22"


def crossed_over(payment: ClaimPayment) -> bool:
    """The 835 says the payer forwarded the claim to the next payer: CLP02 19-21, an NM1*TT
    crossover carrier, or a crossover remark (MOA/LQ)."""
    return (
        payment.status_code in CROSSOVER_STATUSES
        or bool(payment.crossover_carrier)
        or bool(CROSSOVER_REMARKS.intersection(payment.remarks))
    )


def balance_after(payment: ClaimPayment) -> Decimal:
    """What the payer left unpaid that a next payer may owe: the charge less the payment and
    the contractual write-off (CO), so patient responsibility and other adjustments remain."""
    contractual = Adjustment.objects.filter(
        claim_payment=payment, group=AdjustmentGroup.CONTRACTUAL
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return payment.charge - payment.paid - contractual


@dataclass
class SecondaryBilling:
    """What billing the next payers of one remittance did, claim by claim (primary id)."""

    billed: list[Claim] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


def _next_payer_skip(payment: ClaimPayment, claim: Claim) -> str:
    if payment.status_code == REVERSAL_STATUS:
        return "a reversal"
    if crossed_over(payment):
        return "crossed over by the payer"
    if balance_after(payment) <= 0:
        return "no balance left"
    return next_payer_refusal(claim) or ""


def secondaries_bill(*, remittance_id: int, user: User | None = None) -> SecondaryBilling:
    """Bill the next payer of every claim this posted remittance left a balance on, when another
    coverage is in force, and scrub each new claim. Idempotent: a claim already billed to its
    next payer is refused by `next_payer_refusal` (under the primary's lock)."""
    done = SecondaryBilling()
    payments = (
        ClaimPayment.objects.filter(remittance_id=remittance_id, claim__isnull=False)
        .select_related("claim__coverage", "claim__patient")
        .order_by("id")
    )
    for payment in payments:
        claim = payment.claim
        assert claim is not None  # filtered above
        skip = _next_payer_skip(payment, claim)
        if not skip:
            try:
                secondary = claim_bill_next_payer(primary=claim, user=user)
            except ValidationError as error:  # no next coverage in force, or billed meanwhile
                skip = " ".join(error.messages)
            else:
                claim_scrub(claim=secondary, user=user)
                done.billed.append(secondary)
                continue
        done.skipped[claim.pk] = skip
    return done
