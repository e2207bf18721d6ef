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

from django.db.models import Exists, OuterRef, Prefetch, Q
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
        if denial.pk is not None:  # else made from this same file: inserted resolved
            denial.save(update_fields=["status", "outcome", "resolved_at", "resolved_by_payment"])


def _read_back(payment: ClaimPayment, unresolved: dict[int, list[Denial]]) -> None:
    """A later payment settles the claim's (or its original's) open denials; `unresolved` is
    every unresolved denial of the posted claims and their originals, by claim id."""
    if payment.status_code not in PAYING or payment.paid <= 0:
        return
    claim = payment.claim
    assert claim is not None
    paid_lines = {line.claim_line_id for line in payment.lines.all() if line.paid > 0}
    own = unresolved.get(claim.pk, [])
    settled = [
        d
        for d in own
        if d.claim_payment_id != payment.pk
        and (d.claim_line_id is None or d.claim_line_id in paid_lines)
    ]
    _resolve(settled, outcome=DenialOutcome.OVERTURNED, payment=payment)
    unresolved[claim.pk] = [d for d in own if d not in settled]
    if claim.original_claim_id is not None:
        originals = unresolved.pop(claim.original_claim_id, [])
        _resolve(originals, outcome=DenialOutcome.CORRECTED_AND_PAID, payment=payment)


def _unresolved_of(payments: list[ClaimPayment]) -> dict[int, list[Denial]]:
    """One locked read, not one per claim: a large 835 posts 10,000 claims."""
    claim_ids = {p.claim_id for p in payments} | {
        p.claim.original_claim_id for p in payments if p.claim and p.claim.original_claim_id
    }
    found: dict[int, list[Denial]] = {}
    rows = (
        Denial.objects.select_for_update()
        .filter(claim_id__in=list(claim_ids))
        .exclude(status=DenialStatus.RESOLVED)
        .order_by("id")
    )
    for denial in rows:
        found.setdefault(denial.claim_id, []).append(denial)
    return found


def _payments(scope: Q) -> list[ClaimPayment]:
    """The claim payments in `scope` that may make or settle a denial, whole (lines and
    adjustments), in date order. Most payments of a large 835 do neither: they are not loaded
    (10,000 claims cost 3 s more loaded whole)."""
    in_scope = ClaimPayment.objects.filter(scope, claim__isnull=False)
    zero_line = LinePayment.objects.filter(claim_payment=OuterRef("pk"), paid=0)
    denying = in_scope.filter(
        Q(status_code=DENIED) | Q(Exists(zero_line), status_code__in=PAID)
    ).values_list("pk", "claim_id")
    denying_ids = {pk for pk, _ in denying}
    claims = {claim_id for _, claim_id in denying}
    paying = in_scope.filter(status_code__in=PAYING, paid__gt=0).values("claim_id")
    claims |= set(
        Denial.objects.filter(Q(claim_id__in=paying) | Q(claim__replacements__in=paying))
        .exclude(status=DenialStatus.RESOLVED)
        .values_list("claim_id", flat=True)
    )
    settling = Q(status_code__in=PAYING, paid__gt=0) & (
        Q(claim_id__in=claims) | Q(claim__original_claim_id__in=claims)
    )
    if not claims:
        return []
    return list(
        in_scope.filter(Q(pk__in=denying_ids) | settling)
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


def _made_from(payments: list[ClaimPayment]) -> set[tuple[int, int | None]]:
    """(claim payment, claim line) of the denials these payments made before (a backfill run
    again after some were resolved)."""
    return set(
        Denial.objects.filter(claim_payment_id__in=[p.pk for p in payments]).values_list(
            "claim_payment_id", "claim_line_id"
        )
    )


def _record(payments: Iterable[ClaimPayment]) -> int:
    payments = list(payments)
    unresolved = _unresolved_of(payments)
    made_before = _made_from(payments)
    new: list[Denial] = []
    for payment in payments:
        _read_back(payment, unresolved)
        for denial in _denials_found(payment):
            open_ones = unresolved.setdefault(denial.claim.pk, [])
            if any(d.claim_line_id == denial.claim_line_id for d in open_ones):
                continue
            if (payment.pk, denial.claim_line_id) in made_before:
                continue
            new.append(denial)
            open_ones.append(denial)
    # One INSERT for a file's denials; a later payment of the same file that settles one of
    # them has resolved it in memory before this.
    Denial.objects.bulk_create(new, batch_size=2000)
    return len(new)


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
