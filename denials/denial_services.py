"""The biller's work on denials: assign, resolve with an outcome, write off (with approval above
the practice's limit). Each writes the claim's timeline through `claims.work`."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.work import claim_note_add
from denials.denial_models import (
    Denial,
    DenialOutcome,
    DenialStatus,
    DenialWriteOff,
    WriteOffStatus,
)
from rcm.practice.models import Membership, Practice, User
from rcm.practice.permissions import ADMINISTRATION, BILLING
from rcm.practice.selectors import practice_ids_for, selected_rows_lock

MAX_BULK = 500
MAX_NOTE = 500
# Outcomes a person records by hand; written_off goes through a write-off.
RESOLVE_OUTCOMES = (
    DenialOutcome.OVERTURNED,
    DenialOutcome.UPHELD,
    DenialOutcome.CORRECTED_AND_PAID,
)


def note_clean(text: str | None, *, required: bool) -> str:
    value = (text or "").strip()
    if "\x00" in value:
        raise ValidationError("The note contains a NUL character.")
    if len(value) > MAX_NOTE:
        raise ValidationError(f"The note is longer than {MAX_NOTE} characters.")
    if required and not value:
        raise ValidationError("Give a note saying why.")
    return value


def amount_parse(text: str | None) -> Decimal:
    """A dollar amount typed by a person: ASCII digits, at most two decimal places, positive."""
    value = (text or "").strip(" \t\r\n").replace(",", "").removeprefix("$")
    if not value:
        raise ValidationError("Give the amount to write off.")
    if not value.isascii() or any(c not in "0123456789." for c in value):
        raise ValidationError(f"'{value[:20]}' is not an amount; write it like 150.00.")
    try:
        amount = Decimal(value)
    except InvalidOperation as error:
        raise ValidationError(f"'{value[:20]}' is not an amount; write it like 150.00.") from error
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError("An amount has at most two decimal places (cents).")
    if amount <= 0:
        raise ValidationError("The amount to write off must be more than 0.00.")
    if amount >= Decimal(10) ** 10:
        raise ValidationError("The amount is too large.")
    return amount


def _locked(denial_ids: Sequence[int], *, user: User) -> list[Denial]:
    return selected_rows_lock(
        Denial.objects.all(), denial_ids, user=user, roles=BILLING, noun="denial", limit=MAX_BULK
    )


def denials_assign(*, denial_ids: Sequence[int], assignee: User | None, user: User) -> int:
    """Assign (or, with None, unassign) denials; the assignee bills for each one's practice."""
    with transaction.atomic():
        denials = _locked(denial_ids, user=user)
        if assignee is not None:
            billing = set(
                Membership.objects.filter(
                    user=assignee, role__in=BILLING, user__is_active=True
                ).values_list("practice_id", flat=True)
            )
            if any(d.practice_id not in billing for d in denials):
                raise ValidationError(f"{assignee} does not bill for the practice of every denial.")
        resolved = [d for d in denials if d.status == DenialStatus.RESOLVED]
        if resolved:
            raise ValidationError("A resolved denial cannot be assigned.")
        for denial in denials:
            denial.assignee = assignee
            if assignee is not None and denial.status == DenialStatus.OPEN:
                denial.status = DenialStatus.IN_PROGRESS
            denial.save(update_fields=["assignee", "status"])
        return len(denials)


def _resolve(denial: Denial, *, outcome: str, note: str, user: User) -> None:
    denial.status = DenialStatus.RESOLVED
    denial.outcome = outcome
    denial.note = note
    denial.resolved_at = timezone.now()
    denial.resolved_by = user
    denial.save(update_fields=["status", "outcome", "note", "resolved_at", "resolved_by"])


def _claim_note(denial: Denial, text: str, user: User) -> None:
    reason = f"{denial.group}-{denial.carc}" if denial.carc else "no reason given"
    claim_note_add(
        claim=denial.claim, text=f"Denial {reason} (${denial.amount}): {text}", user=user
    )


def denial_resolve(*, denial: Denial, outcome: str, note: str, user: User) -> Denial:
    if outcome not in RESOLVE_OUTCOMES:
        raise ValidationError("Choose an outcome: overturned, upheld, or corrected and paid.")
    note = note_clean(note, required=False)
    with transaction.atomic():
        (denial,) = _locked([denial.pk], user=user)
        if denial.status == DenialStatus.RESOLVED:
            raise ValidationError("This denial is already resolved.")
        _resolve(denial, outcome=outcome, note=note, user=user)
        label = DenialOutcome(outcome).label.lower()
        _claim_note(denial, f"resolved, {label}" + (f". {note}" if note else "."), user)
    return denial


def _is_administrator(user: User, practice_id: int) -> bool:
    return practice_id in practice_ids_for(user=user, roles=ADMINISTRATION)


def _write_off_apply(write_off: DenialWriteOff, *, user: User) -> None:
    denial = write_off.denial
    _resolve(denial, outcome=DenialOutcome.WRITTEN_OFF, note=write_off.note, user=user)
    _claim_note(denial, f"${write_off.amount} written off. {write_off.note}", user)


def denial_write_off(*, denial: Denial, amount: Decimal, note: str, user: User) -> DenialWriteOff:
    """Write the denial off: at once up to the practice's limit (or by an administrator of the
    practice), else a request waits for an administrator's approval."""
    note = note_clean(note, required=True)
    with transaction.atomic():
        (denial,) = _locked([denial.pk], user=user)
        if denial.status == DenialStatus.RESOLVED:
            raise ValidationError("This denial is already resolved.")
        if amount > denial.amount:
            raise ValidationError(
                f"${amount} is more than the denied ${denial.amount}; write off at most that."
            )
        if denial.write_offs.filter(status=WriteOffStatus.PENDING).exists():
            raise ValidationError("A write-off of this denial is already waiting for approval.")
        limit = Practice.objects.values_list("write_off_limit", flat=True).get(
            pk=denial.practice_id
        )
        direct = amount <= limit or _is_administrator(user, denial.practice_id)
        write_off = DenialWriteOff.objects.create(
            practice_id=denial.practice_id,
            denial=denial,
            amount=amount,
            note=note,
            status=WriteOffStatus.APPROVED if direct else WriteOffStatus.PENDING,
            requested_by=user,
            decided_by=user if direct else None,
            decided_at=timezone.now() if direct else None,
        )
        if direct:
            _write_off_apply(write_off, user=user)
        elif denial.status == DenialStatus.OPEN:
            denial.status = DenialStatus.IN_PROGRESS
            denial.save(update_fields=["status"])
    return write_off


def write_off_decide(*, write_off: DenialWriteOff, approve: bool, user: User) -> DenialWriteOff:
    """An administrator of the practice approves or declines a waiting write-off."""
    with transaction.atomic():
        write_off = (
            DenialWriteOff.objects.select_for_update()
            .select_related("denial__claim")
            .get(pk=write_off.pk)
        )
        if not _is_administrator(user, write_off.practice_id):
            raise PermissionDenied("Only an administrator of the practice approves write-offs.")
        if write_off.status != WriteOffStatus.PENDING:
            raise ValidationError("This write-off was already decided.")
        write_off.status = WriteOffStatus.APPROVED if approve else WriteOffStatus.DECLINED
        write_off.decided_by = user
        write_off.decided_at = timezone.now()
        write_off.save(update_fields=["status", "decided_by", "decided_at"])
        if approve:
            Denial.objects.select_for_update().filter(pk=write_off.denial_id).first()
            _write_off_apply(write_off, user=user)
    return write_off
