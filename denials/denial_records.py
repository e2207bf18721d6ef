"""Denials made from posted 835s: which claims and lines were denied, and outcomes read back.

Decisions:
- A claim payment with CLP02 = 4 is a claim-level denial. On a paid claim (CLP02 1, 2, 3, 19,
  20, 21), a line paid 0 with a CO, OA or PI adjustment and no PR one is a line-level denial,
  unless its deciding adjustment is only a contractual write-down (CO-45 of the whole charge).
- The deciding adjustment is the largest one not of group PR (claim and line level together
  for a denied claim); its group, CARC and the remarks give the category.
- The denied amount is the sum of the non-PR adjustments (the charge when the payer gave none).
- One unresolved denial per claim and line: a later 835 denying it again adds nothing.
- A later payment (CLP02 1, 2, 3 paying more than 0) of the same claim resolves its open
  claim-level denial, and of a line paying it more than 0 that line's, as "overturned"; a paid
  replacement (frequency 7) of a denied claim resolves the original's as "corrected_and_paid".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from denials.categories import denial_category
from denials.denial_models import Denial, DenialOutcome, DenialStatus
from denials.models import Adjustment, ClaimPayment, LinePayment

DENIED = "4"
PAID = frozenset({"1", "2", "3", "19", "20", "21"})
PAYING = frozenset({"1", "2", "3"})
NOT_PATIENT = ("CO", "OA", "PI")
NOT_DENIALS = frozenset({"contractual", "patient_responsibility"})


def _deciding(adjustments: Iterable[Adjustment]) -> Adjustment | None:
    candidates = [a for a in adjustments if a.group != "PR"]
    return max(candidates, key=lambda a: a.amount, default=None)


def _denial_of(
    *,
    payment: ClaimPayment,
    adjustments: list[Adjustment],
    rarcs: list[str],
    line: LinePayment | None,
) -> Denial:
    deciding = _deciding(adjustments)
    group, carc = (deciding.group, deciding.reason) if deciding else ("", "")
    category = denial_category(group, carc, rarcs).id if deciding else "other"
    denied = sum((a.amount for a in adjustments if a.group != "PR"), Decimal("0"))
    if denied <= 0:
        denied = line.charge if line is not None else payment.charge
    remittance = payment.remittance
    denied_on = remittance.payment_date or timezone.localdate()
    claim = payment.claim
    assert claim is not None
    return Denial(
        practice_id=payment.practice_id,
        claim=claim,
        claim_payment=payment,
        line_payment=line,
        claim_line_id=line.claim_line_id if line is not None else None,
        group=group,
        carc=carc,
        rarcs=list(dict.fromkeys(rarcs))[:10],
        category=category,
        amount=denied,
        denied_on=denied_on,
        due_on=denied_on + datetime.timedelta(days=claim.payer.appeal_days),
    )


def _denials_found(payment: ClaimPayment) -> list[Denial]:
    """The denials one claim payment makes (none for a payment that denies nothing)."""
    claim_level = [a for a in payment.adjustments.all() if a.line_payment_id is None]
    lines = list(payment.lines.all())
    if payment.status_code == DENIED:
        every = [*claim_level, *(a for line in lines for a in line.adjustments.all())]
        rarcs = [*payment.remarks, *(code for line in lines for code in line.remarks)]
        return [_denial_of(payment=payment, adjustments=every, rarcs=rarcs, line=None)]
    if payment.status_code not in PAID:
        return []
    found = []
    for line in lines:
        adjustments = list(line.adjustments.all())
        groups = {a.group for a in adjustments}
        if line.paid != 0 or "PR" in groups or not groups & set(NOT_PATIENT):
            continue
        if line.claim_line_id is None:
            continue  # a line we cannot match to ours: the claim page shows it
        denial = _denial_of(
            payment=payment,
            adjustments=adjustments,
            rarcs=[*line.remarks, *payment.remarks],
            line=line,
        )
        if denial.category not in NOT_DENIALS:
            found.append(denial)
    return found


def _resolve(denials: Iterable[Denial], *, outcome: str, payment: ClaimPayment) -> None:
    now = timezone.now()
    for denial in denials:
        denial.status = DenialStatus.RESOLVED
        denial.outcome = outcome
        denial.resolved_at = now
        denial.resolved_by_payment = payment
        denial.save(update_fields=["status", "outcome", "resolved_at", "resolved_by_payment"])


def _read_back(payment: ClaimPayment) -> None:
    """A later payment settles the claim's (or its original's) open denials."""
    if payment.status_code not in PAYING or payment.paid <= 0:
        return
    claim = payment.claim
    assert claim is not None
    unresolved = Denial.objects.select_for_update().exclude(status=DenialStatus.RESOLVED)
    paid_lines = {line.claim_line_id for line in payment.lines.all() if line.paid > 0}
    own = unresolved.filter(claim=claim).exclude(claim_payment=payment)
    _resolve(
        own.filter(Q(claim_line__isnull=True) | Q(claim_line__in=paid_lines - {None})),
        outcome=DenialOutcome.OVERTURNED,
        payment=payment,
    )
    if claim.original_claim_id is not None:
        _resolve(
            unresolved.filter(claim_id=claim.original_claim_id),
            outcome=DenialOutcome.CORRECTED_AND_PAID,
            payment=payment,
        )


def _payments(query: Q) -> Iterable[ClaimPayment]:
    return (
        ClaimPayment.objects.filter(query, claim__isnull=False)
        .select_related("remittance", "claim__payer")
        .prefetch_related(
            Prefetch("adjustments", queryset=Adjustment.objects.order_by("id")),
            Prefetch(
                "lines",
                queryset=LinePayment.objects.order_by("id").prefetch_related("adjustments"),
            ),
        )
        .order_by("remittance__payment_date", "remittance_id", "id")
    )


def _record(payments: Iterable[ClaimPayment]) -> int:
    made = 0
    for payment in payments:
        _read_back(payment)
        for denial in _denials_found(payment):
            already = Denial.objects.filter(
                claim_id=denial.claim.pk, claim_line=denial.claim_line_id
            )
            if already.exclude(status=DenialStatus.RESOLVED).exists():
                continue
            # A resolved denial made from this very payment (a backfill run again) stays one.
            if already.filter(claim_payment=payment).exists():
                continue
            denial.save()
            made += 1
    return made


def denials_record(*, remittance_ids: list[int]) -> int:
    """Make the denials of just-posted remittances and read back outcomes; in the caller's
    transaction (the posting's). Returns how many denials were made."""
    if not remittance_ids:
        return 0
    return _record(_payments(Q(remittance_id__in=remittance_ids)))


def denials_backfill(*, practice_ids: list[int] | None = None) -> int:
    """Make the denials of every remittance posted before the queue existed; running it again
    makes none. In the caller's transaction."""
    query = Q(practice_id__in=practice_ids) if practice_ids is not None else Q()
    return _record(_payments(query))
