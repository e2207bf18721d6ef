"""Posting exceptions: a biller matches an unapplied claim payment to a claim by hand (posted
through the same path as automatic posting), or resolves it with a note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.adjudication import PaymentDecision, claims_adjudicate_payments
from claims.models import Claim, ClaimLine, ClaimStatus
from denials import models as posted
from denials.posting import LineRow, lines_match, secondaries_enqueuer
from rcm.x12 import era835

if TYPE_CHECKING:
    from rcm.practice.models import User

NOTE_MAX = 500


def _clp_of(payment: posted.ClaimPayment) -> era835.ClaimPayment:
    """The stored claim payment as the 835 reader gave it, for `claims.adjudication`."""
    adjustments = list(payment.adjustments.all())

    def triplets(line_id: int | None) -> list[era835.Adjustment]:
        return [
            era835.Adjustment(group=a.group, reason=a.reason, amount=a.amount, quantity=a.quantity)
            for a in adjustments
            if a.line_payment_id == line_id
        ]

    return era835.ClaimPayment(
        control_number=payment.control_number,
        status_code=payment.status_code,
        charge=payment.charge,
        paid=payment.paid,
        patient_responsibility=payment.patient_responsibility,
        payer_claim_number=payment.payer_claim_number,
        crossover_carrier=payment.crossover_carrier,
        adjustments=triplets(None),
        remark_codes=list(payment.remarks),
        service_lines=[
            era835.ServiceLine(
                qualifier="HC",
                procedure_code=line.procedure_code,
                modifiers=list(line.modifiers),
                charge=line.charge,
                paid=line.paid,
                units=line.units if line.units is not None else era835.ONE,
                service_date=line.service_date,
                control_number=line.control_number,
                adjustments=triplets(line.pk),
                remark_codes=list(line.remarks),
            )
            for line in payment.lines.all()
        ],
    )


def _open_locked(exception: posted.PostingException) -> posted.PostingException:
    locked = (
        posted.PostingException.objects.select_for_update()
        .select_related("claim_payment__remittance")
        .get(pk=exception.pk)
    )
    if locked.status != posted.ExceptionStatus.OPEN:
        raise ValidationError("This exception is already resolved; nothing was changed.")
    return locked


def _resolved(
    exception: posted.PostingException, *, user: User, note: str, claim: Claim | None = None
) -> posted.PostingException:
    exception.status = posted.ExceptionStatus.RESOLVED
    exception.resolved_by = user
    exception.resolved_at = timezone.now()
    exception.resolution_note = note
    exception.matched_claim = claim
    exception.save(
        update_fields=["status", "resolved_by", "resolved_at", "resolution_note", "matched_claim"]
    )
    return exception


def posting_exception_match(
    *, exception: posted.PostingException, claim_id: int, user: User
) -> posted.PostingException:
    """Post the exception's claim payment to claim `claim_id` of the same practice: the claim
    moves through `claims.adjudication` as automatic posting moves it, the payment, its lines
    and adjustments are attached, and the exception is resolved. ValidationError (nothing
    changed) when the claim is not the practice's or cannot take the payment."""
    with transaction.atomic():
        exception = _open_locked(exception)
        claim = Claim.objects.filter(pk=claim_id, practice_id=exception.practice_id).first()
        if claim is None:
            raise ValidationError(
                f"No claim with id {claim_id} in this practice; nothing was posted."
            )
        payment = (
            posted.ClaimPayment.objects.select_related("remittance")
            .prefetch_related("adjustments", "lines")
            .get(pk=exception.claim_payment_id)
        )
        remittance = payment.remittance
        decision = PaymentDecision(
            claim_id=claim.pk, payment=_clp_of(payment), trace=remittance.trace_number
        )
        refused = claims_adjudicate_payments(
            decisions=[decision], user=user, file_id=remittance.file_id
        )
        if refused:
            status = ClaimStatus(refused[claim.pk]).label.lower()
            # Raising inside the atomic block undoes the payer's claim number written above.
            raise ValidationError(
                f"Claim {claim.control_number} is {status}: it cannot take this payment; "
                "nothing was posted."
            )
        _attach(payment, claim)
        note = f"matched by hand to claim {claim.control_number}"
        transaction.on_commit(secondaries_enqueuer(remittance.pk), robust=True)
        return _resolved(exception, user=user, note=note, claim=claim)


def _attach(payment: posted.ClaimPayment, claim: Claim) -> None:
    payment.claim = claim
    payment.save(update_fields=["claim"])
    lines = list(payment.lines.all())
    claim_lines = [
        LineRow(pk, control_number, procedure_code)
        for pk, control_number, procedure_code in ClaimLine.objects.filter(claim=claim)
        .order_by("position")
        .values_list("id", "control_number", "procedure_code")
    ]
    services = [
        era835.ServiceLine(
            qualifier="HC",
            procedure_code=line.procedure_code,
            modifiers=[],
            charge=line.charge,
            paid=line.paid,
            control_number=line.control_number,
        )
        for line in lines
    ]
    for line, line_id in zip(lines, lines_match(services, claim_lines), strict=True):
        line.claim_line_id = line_id
        line.save(update_fields=["claim_line"])
    posted.Adjustment.objects.filter(claim_payment=payment).update(claim=claim)


def posting_exception_resolve(
    *, exception: posted.PostingException, user: User, note: str
) -> posted.PostingException:
    """Close the exception without posting ("posted by hand", "not ours: returned to the
    payer"): the payment stays unattached. ValidationError when the note is empty or unfit."""
    note = note.strip()
    if not note:
        raise ValidationError("Say why it is resolved (e.g. “not ours: returned to the payer”).")
    if len(note) > NOTE_MAX:
        raise ValidationError(f"The note is {len(note)} characters; keep it to {NOTE_MAX}.")
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in note):
        raise ValidationError("The note holds a control character (such as NUL); remove it.")
    with transaction.atomic():
        return _resolved(_open_locked(exception), user=user, note=note)
