"""Demo remittances (835): payments, denials and reversals that balance line by line.

For every line: charge - adjustments = paid. Contractual write-downs are CO-45, the patient's
share PR-1 (deductible), PR-2 (coinsurance) or PR-3 (copay); denied lines carry their denial
reason for the whole charge. Claims are grouped into one remittance per payer, practice and
payment day, like a payer's weekly payment run.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from claims.models import Claim, ClaimLine, ClaimStatus
from demo.billing import ClaimPlan, Denial
from demo.catalog import PayerSpec
from demo.visits import OFFICE_VISITS
from denials.models import Adjustment, ClaimPayment, LinePayment, ProviderAdjustment, Remittance

S = ClaimStatus
CENTS = Decimal("0.01")
ZERO = Decimal("0.00")
# Preventive services, vaccines and lab tests carry no patient cost sharing.
NO_COST_SHARE = frozenset(
    {"G0439", "G0444", "G0008", "90471", "90686", "96127", "36415", "99392", "99393", "99394",
     "99395", "99396"}
)  # fmt: skip
CLAIM_STATUS_CODE: dict[str, str] = {
    S.PAID: "1",
    S.PARTIALLY_PAID: "1",
    S.DENIED: "4",
    S.REVERSED: "22",
}
Adjusted = tuple[str, str, Decimal]  # (group, reason, amount)


@dataclass
class LineOutcome:
    line: ClaimLine
    paid: Decimal
    adjustments: list[Adjusted]
    remarks: list[str] = field(default_factory=list)

    def negated(self) -> LineOutcome:
        return LineOutcome(self.line, -self.paid, [(g, r, -a) for g, r, a in self.adjustments],
                           list(self.remarks))  # fmt: skip


@dataclass
class Sharing:
    """What the patient still owes on this claim: one copay, perhaps some deductible."""

    copay: Decimal
    deductible: Decimal


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENTS, rounding=ROUND_HALF_UP)


def _line_paid(line: ClaimLine, payer: PayerSpec, sharing: Sharing) -> LineOutcome:
    allowed = _cents(line.charge * payer.allowed_ratio)
    adjustments: list[Adjusted] = []
    if line.charge > allowed:
        adjustments.append(("CO", "45", line.charge - allowed))
    owed = allowed
    shared = line.procedure_code not in NO_COST_SHARE and not line.procedure_code.startswith("8")
    if shared and line.procedure_code in OFFICE_VISITS and sharing.copay:
        copay = min(sharing.copay, owed)
        adjustments.append(("PR", "3", copay))
        sharing.copay, owed = ZERO, owed - copay
    if shared and sharing.deductible and owed:
        deductible = min(sharing.deductible, owed)
        adjustments.append(("PR", "1", deductible))
        sharing.deductible, owed = sharing.deductible - deductible, owed - deductible
    if shared and payer.coinsurance and owed:
        coinsurance = _cents(owed * payer.coinsurance)
        adjustments.append(("PR", "2", coinsurance))
        owed -= coinsurance
    return LineOutcome(line, owed, [a for a in adjustments if a[2]])


def _line_denied(line: ClaimLine, denial: Denial) -> LineOutcome:
    group, reason, remarks = denial
    return LineOutcome(line, ZERO, [(group, reason, line.charge)], list(remarks))


def claim_outcome(rng: random.Random, plan: ClaimPlan, status: str,
                  lines: list[ClaimLine]) -> list[LineOutcome]:  # fmt: skip
    """How the payer decided each line when the claim became `status` (not a reversal)."""
    if status == S.DENIED:
        assert plan.denial is not None
        return [_line_denied(line, plan.denial) for line in lines]
    deductible = Decimal(rng.choice((50, 100, 150, 250)))
    sharing = Sharing(
        copay=plan.payer.copay,
        deductible=deductible if rng.random() < plan.payer.deductible_chance else ZERO,
    )
    denied_position, denial = (
        plan.partial if status == S.PARTIALLY_PAID and plan.partial else (0, None)
    )
    return [
        _line_denied(line, denial) if line.position == denied_position and denial
        else _line_paid(line, plan.payer, sharing)
        for line in lines
    ]  # fmt: skip


@dataclass
class PostedClaim:
    """One CLP: a claim's outcome in one remittance."""

    claim: Claim
    status: str
    lines: list[LineOutcome]

    @property
    def paid(self) -> Decimal:
        return sum((o.paid for o in self.lines), ZERO)

    @property
    def patient_responsibility(self) -> Decimal:
        return sum((a for o in self.lines for g, _, a in o.adjustments if g == "PR"), ZERO)


def postings_build(rng: random.Random, plans: list[ClaimPlan]) -> dict[tuple, list[PostedClaim]]:
    """Every adjudication of every claim, grouped by (practice, payer, payment day)."""
    claim_ids = [plan.claim.pk for plan in plans if plan.claim and plan.adjudications()]
    lines_by_claim: dict[int, list[ClaimLine]] = defaultdict(list)
    for line in ClaimLine.objects.filter(claim_id__in=claim_ids).order_by("claim_id", "position"):
        lines_by_claim[line.claim_id].append(line)
    groups: dict[tuple, list[PostedClaim]] = defaultdict(list)
    for plan in plans:
        if plan.claim is None:
            continue
        last_paid: list[LineOutcome] = []
        for status, at in plan.adjudications():
            if status == S.REVERSED:
                outcome = [o.negated() for o in last_paid]
            else:
                outcome = claim_outcome(rng, plan, status, lines_by_claim[plan.claim.pk])
                last_paid = outcome
            day = timezone.localdate(at)
            key = (plan.claim.practice_id, plan.claim.payer_id, day, plan.payer)
            groups[key].append(PostedClaim(plan.claim, status, outcome))
    return groups


def _remittance(key: tuple, posted: list[PostedClaim]) -> Remittance:
    practice_id, payer_id, day, payer = key
    total = sum((p.paid for p in posted), ZERO)
    return Remittance(
        practice_id=practice_id, payer_id=payer_id, payer_name=payer.name.upper()[:60],
        trace_number=f"{day:%Y%m%d}{practice_id:04d}", payer_identifier=payer.payer_identifier,
        payment_method=payer.payment_method if total > 0 else "NON",
        payment_amount=max(total, ZERO), payment_date=day,
    )  # fmt: skip


def _claim_payment(remittance: Remittance, posted: PostedClaim) -> ClaimPayment:
    sign = -1 if posted.status == S.REVERSED else 1
    remarks = (
        sorted({r for o in posted.lines for r in o.remarks}) if posted.status == S.DENIED else []
    )
    return ClaimPayment(
        practice_id=remittance.practice_id, remittance=remittance, claim=posted.claim,
        control_number=posted.claim.control_number, status_code=CLAIM_STATUS_CODE[posted.status],
        charge=sign * posted.claim.total_charge, paid=posted.paid,
        patient_responsibility=posted.patient_responsibility,
        payer_claim_number=posted.claim.payer_claim_number, remarks=remarks,
    )  # fmt: skip


def _line_payment(claim_payment: ClaimPayment, outcome: LineOutcome, sign: int) -> LinePayment:
    line = outcome.line
    return LinePayment(
        claim_payment=claim_payment, claim_line=line, control_number=line.control_number,
        procedure_code=line.procedure_code, modifiers=list(line.modifiers),
        charge=sign * line.charge, paid=outcome.paid, units=line.units,
        service_date=line.service_date, remarks=outcome.remarks,
    )  # fmt: skip


def remittances_save(groups: dict[tuple, list[PostedClaim]], now: datetime.datetime) -> int:
    """Write remittances, claim and line payments and adjustments in five bulk inserts."""
    keys = sorted(groups, key=lambda k: (k[2], k[0], k[1]))
    remittances = Remittance.objects.bulk_create([_remittance(k, groups[k]) for k in keys])
    payments: list[tuple[ClaimPayment, PostedClaim]] = [
        (_claim_payment(remittance, posted), posted)
        for remittance, key in zip(remittances, keys, strict=True)
        for posted in groups[key]
    ]
    ClaimPayment.objects.bulk_create([payment for payment, _ in payments])
    line_payments = [
        (_line_payment(payment, outcome, -1 if posted.status == S.REVERSED else 1), outcome)
        for payment, posted in payments
        for outcome in posted.lines
    ]
    LinePayment.objects.bulk_create([line_payment for line_payment, _ in line_payments])
    Adjustment.objects.bulk_create(
        Adjustment(
            claim_payment=lp.claim_payment,
            line_payment=lp,
            group=group,
            reason=reason,
            amount=amount,
        )
        for lp, outcome in line_payments
        for group, reason, amount in outcome.adjustments
    )
    _forwarding_balances(remittances, groups, keys)
    _received_backdate(remittances, now)
    return len(remittances)


def _forwarding_balances(remittances: list[Remittance], groups: dict[tuple, list[PostedClaim]],
                         keys: list[tuple]) -> None:  # fmt: skip
    """A run whose reversals outweigh its payments pays nothing and carries the balance (FB)."""
    ProviderAdjustment.objects.bulk_create(
        ProviderAdjustment(
            remittance=remittance, reason="FB", reference=remittance.trace_number, amount=total
        )
        for remittance, key in zip(remittances, keys, strict=True)
        if (total := sum((p.paid for p in groups[key]), ZERO)) < 0
    )


def _received_backdate(remittances: list[Remittance], now: datetime.datetime) -> None:
    tz = timezone.get_current_timezone()
    for remittance in remittances:
        assert remittance.payment_date is not None
        received = datetime.datetime.combine(
            remittance.payment_date, datetime.time(6, 0), tzinfo=tz
        )
        remittance.received_at = min(received, now - datetime.timedelta(minutes=5))
    Remittance.objects.bulk_update(remittances, ["received_at"], batch_size=1000)
