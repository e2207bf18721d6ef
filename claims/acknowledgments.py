"""What 999 and 277CA acknowledgments do to our claims: accepted, or rejected with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from claims.adjudication import claims_adjudicate_acknowledgments
from claims.models import ClaimStatus, SubmissionBatch
from claims.selectors import claims_by_control_number
from claims.state import claims_transition_bulk
from rcm.x12.ack999 import FunctionalAck, TransactionResponse
from rcm.x12.claimack277 import ClaimAcknowledgment


@dataclass
class AckOutcome:
    """What an acknowledgment file did, for its stored file's summary and the biller."""

    practice_id: int | None = None
    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def as_summary(self) -> dict[str, object]:
        return {
            "accepted": len(self.accepted),
            "rejected": len(self.rejected),
            "unknown": self.unknown,
            "unchanged": len(self.unchanged),
        }


def _rejection_reason_999(response: TransactionResponse) -> str:
    reasons = [response.status_description, *response.error_descriptions]
    for error in response.segment_errors:
        reasons.append(f"segment {error.segment_id} #{error.position}: {error.description}")
        reasons.extend(f"  element {e.position}: {e.description}" for e in error.element_errors)
    return "Rejected by the clearinghouse (999): " + "; ".join(r for r in reasons if r)


def ack999_apply(*, acks: list[FunctionalAck], file_id: int | None = None) -> AckOutcome:
    """A rejected transaction set rejects every claim of its batch; acceptance waits for 277CA."""
    outcome = AckOutcome()
    for ack in acks:
        batch = SubmissionBatch.objects.filter(
            group_control_number=int(ack.group_control_number or 0)
        ).first()
        if batch is None:
            outcome.unknown.append(f"group {ack.group_control_number}")
            continue
        outcome.practice_id = batch.practice_id
        response = ack.response_for(str(batch.transaction_control_number))
        claim_ids = list(batch.entries.values_list("claim_id", flat=True))
        if response is None and ack.accepted:
            outcome.accepted.extend(str(i) for i in claim_ids)
            continue
        if response is not None and response.accepted:
            outcome.accepted.extend(str(i) for i in claim_ids)
            continue
        reason = _rejection_reason_999(response) if response else "Rejected by the clearinghouse"
        refused = claims_transition_bulk(
            moves=dict.fromkeys(claim_ids, ClaimStatus.REJECTED),
            source="999",
            notes=dict.fromkeys(claim_ids, reason),
            file_id=file_id,
        )
        outcome.rejected.extend(str(i) for i in claim_ids if i not in refused)
        outcome.unchanged.extend(str(i) for i in refused)
    return outcome


def ack277ca_apply(*, acks: list[ClaimAcknowledgment], file_id: int | None = None) -> AckOutcome:
    """Each acknowledged claim moves SUBMITTED -> ACCEPTED (with the payer's claim number) or
    -> REJECTED with the reason in words. A claim already past SUBMITTED is left as it is."""
    outcome = AckOutcome()
    by_control = claims_by_control_number(a.control_number for a in acks)
    answers: dict[int, ClaimAcknowledgment] = {}
    control_of: dict[int, str] = {}
    for ack in acks:
        claim = by_control.get(ack.control_number)
        if claim is None:
            outcome.unknown.append(ack.control_number)
            continue
        outcome.practice_id = claim.practice_id
        answers[claim.pk], control_of[claim.pk] = ack, claim.control_number
    moves, refused = claims_adjudicate_acknowledgments(answers=answers, file_id=file_id)
    for claim_id, to in moves.items():
        if claim_id in refused:
            outcome.unchanged.append(control_of[claim_id])
        elif to == ClaimStatus.ACCEPTED:
            outcome.accepted.append(control_of[claim_id])
        else:
            outcome.rejected.append(control_of[claim_id])
    return outcome
