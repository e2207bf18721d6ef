"""What a payer's decision does to our claims: the new status and the payer's claim number.

Two answers decide a claim: the 277CA (accepted into adjudication, or rejected before it) and the
835's claim payment (CLP: paid, partly paid, denied, reversed). Both are read here and nowhere
else; acknowledgments and remittance posting hand their parsed answers over and get back the
claims that could not move. "What counts as a denial" is also answered here, once, for posting
and for the dashboards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Q

from claims.models import Claim, ClaimStatus
from claims.state import claims_transition_bulk
from rcm.x12.claimack277 import ClaimAcknowledgment
from rcm.x12.era835 import ClaimPayment, ServiceLine

if TYPE_CHECKING:
    from rcm.practice.models import User

ZERO = Decimal("0")
DENIED_STATUS_CODE = "4"  # CLP02 4: denied
IMPLIED_NOTE = "implied by the 835"

# --- what counts as a denial -------------------------------------------------------------------


def adjustment_is_denial(*, group: str, reason: str) -> bool:
    """A reason for not paying that is neither the contractual write-down (CO-45) nor the
    patient's share (any PR adjustment)."""
    return group != "PR" and not (group == "CO" and reason == "45")


# The same rule as a filter on rows with `group` and `reason` columns (posted adjustments).
DENIAL_ADJUSTMENTS = ~Q(group="PR") & ~Q(group="CO", reason="45")


def _is_denial(adjustment: Any) -> bool:
    return adjustment_is_denial(group=adjustment.group, reason=adjustment.reason)


def _line_denied(line: ServiceLine) -> bool:
    return line.paid == ZERO and any(_is_denial(a) for a in line.adjustments)


def claim_status_for(clp: ClaimPayment) -> str:
    """The status one CLP puts its claim in.

    CLP02 22 → reversed; nothing paid and CLP02 4, or every line (or, without lines, the claim)
    denied → denied; something paid but a line denied, or a claim-level denial adjustment →
    partially paid; otherwise paid (the patient's share and CO-45 are a normal payment).
    """
    if clp.is_reversal:
        return ClaimStatus.REVERSED
    claim_denial = any(_is_denial(a) for a in clp.adjustments)
    if clp.paid == ZERO:
        lines = clp.service_lines
        all_denied = all(_line_denied(s) for s in lines) if lines else claim_denial
        if clp.status_code == DENIED_STATUS_CODE or all_denied:
            return ClaimStatus.DENIED
    if clp.paid > ZERO and (claim_denial or any(_line_denied(s) for s in clp.service_lines)):
        return ClaimStatus.PARTIALLY_PAID
    return ClaimStatus.PAID


# --- the payer's claim number ------------------------------------------------------------------

# One UPDATE from two arrays: bulk_update's CASE WHEN took 4 s of a 10,000-claim remittance.
_PAYER_CLAIM_NUMBERS_SET = (
    "UPDATE claims_claim AS c SET payer_claim_number = v.number "
    "FROM unnest(%s::bigint[], %s::text[]) AS v(id, number) WHERE c.id = v.id"
)
_ONLY_WHERE_NONE = " AND c.payer_claim_number = ''"


def payer_claim_numbers_record(*, numbers: Mapping[int, str], overwrite: bool) -> None:
    """Store the payer's claim numbers ({claim id: number}); without `overwrite`, only where we
    had none (an 835 does not replace what the 277CA said)."""
    if not numbers:
        return
    sql = _PAYER_CLAIM_NUMBERS_SET + ("" if overwrite else _ONLY_WHERE_NONE)
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(numbers), [n[:50] for n in numbers.values()]])


# --- applying decisions ------------------------------------------------------------------------

Step = tuple[str, str]  # (to status, timeline note)


def _claims_step(
    steps: Mapping[int, list[Step]], *, source: str, user: User | None, file_id: int | None
) -> dict[int, str]:
    """Move every claim through its steps, one bulk call per step; {claim id: status} refused."""
    refused: dict[int, str] = {}
    depth = max((len(s) for s in steps.values()), default=0)
    for index in range(depth):
        due = {
            claim_id: claim_steps[index]
            for claim_id, claim_steps in steps.items()
            if len(claim_steps) > index and claim_id not in refused
        }
        if due:
            refused |= claims_transition_bulk(
                moves={claim_id: to for claim_id, (to, _) in due.items()},
                user=user,
                source=source,
                notes={claim_id: note for claim_id, (_, note) in due.items()},
                file_id=file_id,
            )
    return refused


@dataclass(frozen=True)
class PaymentDecision:
    """One CLP of an 835 for one of our claims; `trace` is its remittance's TRN02."""

    claim_id: int
    payment: ClaimPayment
    trace: str


def _payment_steps(decisions: Sequence[PaymentDecision]) -> dict[int, list[Step]]:
    """Per claim, the statuses its CLPs imply, in file order, after an implied accept."""
    current = dict(
        Claim.objects.filter(pk__in={d.claim_id for d in decisions}).values_list("id", "status")
    )
    steps: dict[int, list[Step]] = {}
    for decision in decisions:
        claim_steps = steps.setdefault(decision.claim_id, [])
        was = current.get(decision.claim_id, "")
        if not claim_steps and was == ClaimStatus.SUBMITTED:
            claim_steps.append((ClaimStatus.ACCEPTED, IMPLIED_NOTE))
        to = claim_status_for(decision.payment)
        last = claim_steps[-1][0] if claim_steps else was
        if to != last:
            clp = decision.payment
            note = f"835 {decision.trace}: CLP02 {clp.status_code}, paid {_money(clp.paid)}"
            claim_steps.append((to, note))
    return steps


def _money(value: Decimal) -> str:
    cents = value.quantize(Decimal("0.01"))
    return str(cents.copy_abs() if cents.is_zero() else cents)


def claims_adjudicate_payments(
    *, decisions: Sequence[PaymentDecision], user: User | None, file_id: int | None
) -> dict[int, str]:
    """Apply an 835's claim payments to their claims: the payer's claim number (CLP07) where we
    had none, and each claim moved through the statuses its CLPs imply. A claim paid in several
    CLPs of one file (a reversal, then a correction) moves through each in order; one already in
    the status a CLP implies is not refused. Returns {claim id: its status} for claims that could
    not move (left unchanged)."""
    numbers: dict[int, str] = {}
    for decision in decisions:
        if decision.payment.payer_claim_number:
            numbers.setdefault(decision.claim_id, decision.payment.payer_claim_number)
    with transaction.atomic():
        payer_claim_numbers_record(numbers=numbers, overwrite=False)
        return _claims_step(_payment_steps(decisions), source="835", user=user, file_id=file_id)


def _rejection_reason_277ca(ack: ClaimAcknowledgment) -> str:
    parts = []
    for detail in ack.details:
        words = f"{detail.category} {detail.category_description}"
        if detail.status:
            words += f": {detail.status} {detail.status_description}"
        if detail.entity:
            words += f" ({detail.entity_description})"
        parts.append(words)
    return "Rejected by the payer (277CA): " + "; ".join(parts)


def claims_adjudicate_acknowledgments(
    *, answers: Mapping[int, ClaimAcknowledgment], file_id: int | None
) -> tuple[dict[int, str], dict[int, str]]:
    """Apply 277CA answers ({claim id: answer}): accepted claims become ACCEPTED with the
    payer's claim number, rejected ones REJECTED with the reason in words; a claim already past
    SUBMITTED is left as it is. Returns (the moves asked, {claim id: status} of those refused)."""
    moves: dict[int, str] = {}
    notes: dict[int, str] = {}
    numbers: dict[int, str] = {}
    for claim_id, ack in answers.items():
        if ack.rejected:
            moves[claim_id], notes[claim_id] = ClaimStatus.REJECTED, _rejection_reason_277ca(ack)
        elif ack.accepted:
            moves[claim_id] = ClaimStatus.ACCEPTED
            notes[claim_id] = "Accepted for adjudication (277CA)."
            if ack.payer_claim_number:
                numbers[claim_id] = ack.payer_claim_number
    with transaction.atomic():
        refused = claims_transition_bulk(moves=moves, source="277CA", notes=notes, file_id=file_id)
        payer_claim_numbers_record(
            numbers={k: v for k, v in numbers.items() if k not in refused}, overwrite=True
        )
    return moves, refused
