"""Editing a claim before adjudication, and correcting one after, the way payers expect.

- A claim the payer has not adjudicated (DRAFT, READY, REJECTED) is edited in place and
  scrubbed again. A READY claim goes back to DRAFT first. A REJECTED claim (refused by the 999
  or the 277CA) never entered the payer's adjudication system, so the payer has no claim to
  replace: it goes back to DRAFT and is sent again as it was, an original (frequency 1), under
  its own control number (CLM01). Keeping CLM01 is what payers and clearinghouses expect of a
  front-end rejection, and keeps the later 277CA and 835 matched to the same claim row.
  (A rejected replacement or void keeps its frequency 7 or 8: it still replaces the same claim.)
- A claim the payer adjudicated (PAID, PARTIALLY_PAID, DENIED, REVERSED, CLOSED) is never
  edited: the payer keeps its own copy. It is corrected by a new claim linked to it
  (`original_claim`): a replacement (frequency 7) or a void (frequency 8), both with the payer's
  claim number of the claim they correct in REF*F8; or a new original claim (frequency 1) with
  just the lines the payer denied, or with lines moved to another of the patient's payers. A
  replacement must send all the lines of the claim (the payer replaces the whole claim), so
  rebilling only some lines is a new original, never a frequency 7 with fewer lines.
- The corrected claim is CLOSED when its correction is created: its work now lives on the new
  claim, and it leaves the denied queue. The state machine already lets PAID, PARTIALLY_PAID,
  DENIED and REVERSED close, and a CLOSED claim still takes the payer's reversal (CLOSED →
  REVERSED) when the replacement or void is processed. No new transition is needed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.claim_drafts import (
    ClaimDraft,
    claim_draft_apply,
    claim_draft_changes,
    claim_draft_field_errors,
    claim_draft_of,
)
from claims.models import Claim, ClaimAttachment, ClaimEvent, ClaimStatus, FrequencyCode
from claims.scrubber import ERROR, ScrubEdit, claim_scrub
from claims.services import LineSnapshot, _claim_snapshot_create
from claims.state import claim_transition
from patients.models import Coverage
from rcm.practice.models import User

S = ClaimStatus
EDITABLE = frozenset({S.DRAFT, S.READY, S.REJECTED})
# The payer has decided: such a claim is corrected by a new claim, never edited.
CORRECTABLE = frozenset({S.PAID, S.PARTIALLY_PAID, S.DENIED, S.REVERSED, S.CLOSED})
# Only a claim the payer did not pay in full has denied lines to rebill.
WITH_DENIED_LINES = frozenset({S.DENIED, S.PARTIALLY_PAID})
NOTHING_CHANGED = "Nothing was changed: a corrected claim must differ from the claim it replaces."
NOTHING_FIXED = (
    "Nothing was changed: fix what the payer or the clearinghouse rejected, then send it again."
)
MAX_REASON = 500


@dataclass(frozen=True)
class EditOutcome:
    """An edited (or newly created) claim, what changed, and what the scrubber found."""

    claim: Claim
    changes: list[str]
    edits: list[ScrubEdit]

    @property
    def held(self) -> bool:
        """Held when the scrubber found an error; warnings alone let the claim go ready."""
        return any(edit.severity == ERROR for edit in self.edits)


def _locked(claim: Claim) -> Claim:
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("patient", "payer", "coverage")
        .get(pk=claim.pk)
    )


def _refuse_if_invalid(claim: Claim, draft: ClaimDraft) -> None:
    errors = claim_draft_field_errors(claim=claim, draft=draft)
    if errors:
        raise ValidationError(errors)  # by field: the API answers {field: [messages]}


def _event(claim: Claim, user: User | None, note: str, source: str = "edit") -> None:
    """A timeline entry without a status change (the claim stays where it is)."""
    ClaimEvent.objects.create(
        claim=claim, from_status=claim.status, to_status=claim.status, user=user,
        source=source, note=note,
    )  # fmt: skip


def edit_refusal(claim: Claim) -> str | None:
    """Why `claim` cannot be edited in place, or None: one rule for the page and the service."""
    if claim.status in EDITABLE:
        return None
    if claim.status in CORRECTABLE:
        return (
            f"Claim {claim.control_number} was adjudicated by the payer; it cannot be edited. "
            "Correct it as a replacement, or void it."
        )
    return (
        f"Claim {claim.control_number} is {claim.get_status_display().lower()}: it can be "
        "edited before it is sent, or after a rejection."
    )


def claim_edit(*, claim: Claim, draft: ClaimDraft, user: User | None) -> EditOutcome:
    """Change a claim the payer has not adjudicated, record what changed, and scrub it again."""
    with transaction.atomic():
        locked = _locked(claim)
        refusal = edit_refusal(locked)
        if refusal:
            raise ValidationError(refusal)
        _refuse_if_invalid(locked, draft)
        changes = claim_draft_changes(claim_draft_of(locked), draft)
        note = (
            ("Edited: " + "; ".join(changes) + ".")
            if changes
            else "Saved with no change to the claim; scrubbed again."
        )
        if locked.status == S.REJECTED:
            note += " Corrected after the rejection: it goes again as the same claim."
        if locked.status in (S.READY, S.REJECTED):
            claim_transition(claim=locked, to=S.DRAFT, user=user, source="edit", note=note)
        else:
            _event(locked, user, note)
        claim_draft_apply(claim=locked, draft=draft)
        result = claim_scrub(claim=locked, user=user)
    locked.refresh_from_db()
    return EditOutcome(claim=locked, changes=changes, edits=result.edits)


# --- corrections of adjudicated claims -----------------------------------------------------------


def correction_refusal(claim: Claim, *, needs_payer_number: bool = True) -> str | None:
    """Why `claim` cannot be corrected (replaced, voided, rebilled) now, or None if it can."""
    if claim.status not in CORRECTABLE:
        if claim.status in EDITABLE:
            return (
                f"Claim {claim.control_number} has not been adjudicated: edit it instead "
                "(it goes as the same claim)."
            )
        return (
            f"Claim {claim.control_number} is {claim.get_status_display().lower()}: correct it "
            "once the payer has decided."
        )
    if needs_payer_number and not claim.payer_claim_number:
        return (
            f"Claim {claim.control_number} has no payer claim number (from the payer's 277CA or "
            "835): a replacement or void must name it in REF*F8. Find it with a status check "
            "or on the remittance, then try again."
        )
    # Lines moved to another payer are that payer's claim, not a correction of this one.
    open_correction = (
        claim.replacements.exclude(status=S.VOID).filter(payer_id=claim.payer_id).first()
    )
    if open_correction is not None:
        return (
            f"Claim {claim.control_number} was already corrected by claim "
            f"{open_correction.control_number}: correct that one instead."
        )
    return None


def _refuse_correction(claim: Claim, *, needs_payer_number: bool = True) -> None:
    refusal = correction_refusal(claim, needs_payer_number=needs_payer_number)
    if refusal:
        raise ValidationError(refusal)


def _snapshot_fields(claim: Claim, draft: ClaimDraft) -> dict[str, Any]:
    """The new claim's row: the patient, payer and providers of `claim`, the rest from `draft`."""
    dates = [line.service_date for line in draft.lines]
    return {
        "practice_id": claim.practice_id, "encounter_id": claim.encounter_id,
        "patient_id": claim.patient_id, "coverage_id": claim.coverage_id,
        "payer_id": claim.payer_id, "rendering_provider_id": claim.rendering_provider_id,
        "primary_claim_id": claim.primary_claim_id, "other_payer_paid": claim.other_payer_paid,
        "other_coverage_id": claim.other_coverage_id,
        "other_payer_adjudicated_on": claim.other_payer_adjudicated_on,
        "other_payer_adjustments": claim.other_payer_adjustments,
        "place_of_service": draft.place_of_service,
        "service_date_from": min(dates), "service_date_to": max(dates),
        "prior_authorization": draft.prior_authorization, "note": draft.note,
        "total_charge": sum(line.charge for line in draft.lines),
        "original_claim": claim,
    }  # fmt: skip


def _snapshot_lines(draft: ClaimDraft) -> list[LineSnapshot]:
    snapshots = []
    for position, line in enumerate(draft.lines, start=1):
        paid, adjustments = draft.carried.get(line.line_id or 0, (None, []))
        snapshots.append(
            LineSnapshot(
                position=position, procedure_code=line.procedure_code,
                modifiers=list(line.modifiers), units=line.units,
                diagnosis_pointers=list(line.diagnosis_pointers), charge=line.charge,
                service_date=line.service_date, other_payer_paid=paid,
                other_payer_adjustments=adjustments,
            )
        )  # fmt: skip
    return snapshots


def _correction_create(
    *, original: Claim, draft: ClaimDraft, frequency: str, user: User | None, note: str,
    fields: dict[str, Any] | None = None, close: bool = True,
) -> EditOutcome:  # fmt: skip
    """The new claim that corrects `original` (locked by the caller), then the original CLOSED
    (see the module's docstring), then the new claim scrubbed."""
    new = _claim_snapshot_create(
        fields=_snapshot_fields(original, draft) | {"frequency_code": frequency} | (fields or {}),
        diagnoses=list(enumerate(draft.diagnoses, start=1)),
        lines=_snapshot_lines(draft),
        user=user,
        note=note,
    )
    what = {"7": "Replaced by", "8": "Voided by"}.get(frequency, "Lines billed again on")
    if new.payer_id != original.payer_id:
        what = f"Lines moved to {new.payer.name} on"
    closing = f"{what} claim {new.control_number}."
    if not close or original.status == S.CLOSED:
        _event(original, user, closing, source="correction")
    else:
        claim_transition(claim=original, to=S.CLOSED, user=user, source="correction", note=closing)
    if frequency != FrequencyCode.VOID and new.payer_id == original.payer_id:
        # The same payer still needs the paperwork it was told of; a void needs none, another
        # payer is asked afresh.
        ClaimAttachment.objects.bulk_create(
            ClaimAttachment(
                claim=new, report_type=a.report_type, transmission=a.transmission,
                control_number=a.control_number, description=a.description, created_by=user,
            )
            for a in ClaimAttachment.objects.filter(claim=original).order_by("id")
        )  # fmt: skip
    result = claim_scrub(claim=new, user=user)
    new.refresh_from_db()
    return EditOutcome(claim=new, changes=[], edits=result.edits)


def claim_replace(*, original: Claim, draft: ClaimDraft, user: User | None) -> EditOutcome:
    """A replacement claim (frequency 7) for an adjudicated claim, with the changes in `draft`."""
    with transaction.atomic():
        locked = _locked(original)
        _refuse_correction(locked)
        _refuse_if_invalid(locked, draft)
        before = claim_draft_of(locked)
        changes = claim_draft_changes(before, draft)
        if not changes:
            raise ValidationError(NOTHING_CHANGED)
        draft = replace(draft, carried=before.carried)
        outcome = _correction_create(
            original=locked, draft=draft, frequency=FrequencyCode.CORRECTED, user=user,
            note=f"Replacement (frequency 7) of claim {locked.control_number}, payer claim "
            f"# {locked.payer_claim_number}: " + "; ".join(changes) + ".",
        )  # fmt: skip
    return replace(outcome, changes=changes)


def claim_correct(*, claim: Claim, draft: ClaimDraft, user: User | None) -> EditOutcome:
    """Correct a claim after the payer's answer, with the changes in `draft` (at least one).

    A REJECTED claim never reached adjudication: it is fixed in place and goes again as the
    same original (`claim_edit`). An adjudicated one is replaced by a frequency 7 claim
    (`claim_replace`). Anything else is refused with the reason (edit it, or wait).
    """
    with transaction.atomic():
        locked = _locked(claim)
        if locked.status != S.REJECTED:
            return claim_replace(original=locked, draft=draft, user=user)
        _refuse_if_invalid(locked, draft)
        if not claim_draft_changes(claim_draft_of(locked), draft):
            raise ValidationError(NOTHING_FIXED)
        return claim_edit(claim=locked, draft=draft, user=user)


def reason_cleaned(reason: str) -> str:
    """A reason typed for the timeline: printable, at most MAX_REASON characters."""
    reason = reason.strip()
    if len(reason) > MAX_REASON or not reason.replace("\n", " ").replace("\r", "").isprintable():
        raise ValidationError(
            f"The reason is at most {MAX_REASON} characters of text, without control characters."
        )
    return reason


def claim_void(*, claim: Claim, user: User | None, reason: str = "") -> EditOutcome:
    """Void a claim. One not yet adjudicated (draft, ready, rejected) is simply VOID: the payer
    has nothing to cancel. An adjudicated one gets a void claim (frequency 8) with the lines as
    originally sent and REF*F8, and is CLOSED."""
    reason = reason_cleaned(reason)
    with transaction.atomic():
        locked = _locked(claim)
        because = f" Reason: {reason}" if reason else ""
        if locked.status in EDITABLE:
            claim_transition(
                claim=locked, to=S.VOID, user=user, source="correction",
                note=f"Voided before the payer adjudicated it.{because}",
            )  # fmt: skip
            return EditOutcome(claim=locked, changes=[], edits=[])
        _refuse_correction(locked)
        return _correction_create(
            original=locked, draft=claim_draft_of(locked), frequency=FrequencyCode.VOID,
            user=user, note=f"Void (frequency 8) of claim {locked.control_number}, payer claim "
            f"# {locked.payer_claim_number}.{because}",
        )  # fmt: skip


def _draft_of_lines(claim: Claim, line_ids: Collection[int]) -> ClaimDraft:
    """The claim with only the chosen lines, and only the diagnoses they point at (renumbered)."""
    whole = claim_draft_of(claim)
    chosen = [line for line in whole.lines if line.line_id in set(line_ids)]
    if not line_ids or len(chosen) != len(set(line_ids)):
        raise ValidationError("Choose one or more lines of this claim.")
    pointed = sorted({pointer for line in chosen for pointer in line.diagnosis_pointers})
    renumbered = {old: new for new, old in enumerate(pointed, start=1)}
    return replace(
        whole,
        diagnoses=tuple(whole.diagnoses[old - 1] for old in pointed),
        lines=tuple(
            replace(
                line,
                diagnosis_pointers=tuple(renumbered[p] for p in line.diagnosis_pointers),
            )
            for line in chosen
        ),
    )


def claim_rebill_lines(
    *, original: Claim, line_ids: Sequence[int], user: User | None
) -> EditOutcome:
    """A new original claim (frequency 1) with only `line_ids` of an adjudicated claim: the
    lines the payer denied, which the caller (denials, which reads the remittances) names."""
    with transaction.atomic():
        locked = _locked(original)
        _refuse_correction(locked, needs_payer_number=False)
        draft = _draft_of_lines(locked, line_ids)
        if len(draft.lines) == locked.lines.count():
            raise ValidationError(
                f"{NOTHING_CHANGED} These are all of its lines: correct the claim as a "
                "replacement instead."
            )
        positions = ", ".join(
            str(position) for position, line in enumerate(claim_draft_of(locked).lines, 1)
            if line.line_id in set(line_ids)
        )  # fmt: skip
        return _correction_create(
            original=locked, draft=draft, frequency=FrequencyCode.ORIGINAL, user=user,
            note=f"Lines {positions} of claim {locked.control_number} billed again on their "
            "own, as a new claim.",
        )  # fmt: skip


def _split_coverage(claim: Claim, coverage_id: int) -> Coverage:
    coverage = (
        Coverage.objects.in_force_on(claim.service_date_from)
        .filter(pk=coverage_id, patient_id=claim.patient_id)
        .select_related("payer")
        .first()
    )
    if coverage is None:
        raise ValidationError(
            "Choose another coverage of this patient, in force on the date of service."
        )
    if coverage.payer_id == claim.payer_id:
        raise ValidationError(f"These lines are already billed to {coverage.payer.name}.")
    billed = (
        Claim.objects.filter(encounter_id=claim.encounter_id, payer_id=coverage.payer_id)
        .exclude(status=S.VOID)
        .first()
    )
    if billed is not None:
        raise ValidationError(
            f"This visit is already billed to {coverage.payer.name} on claim "
            f"{billed.control_number}: correct that claim instead."
        )
    return coverage


def claim_split_lines(
    *, claim: Claim, line_ids: Sequence[int], coverage_id: int, user: User | None
) -> EditOutcome:
    """Move `line_ids` to a new original claim (frequency 1) to another coverage of the patient.

    From a claim not yet adjudicated the lines leave it (it is edited and scrubbed again, and
    keeps at least one line). From an adjudicated claim (say its payer denied them as another
    payer's, CARC 109) they are billed to the other payer, and the claim is CLOSED.
    """
    with transaction.atomic():
        locked = _locked(claim)
        if locked.status not in EDITABLE:
            _refuse_correction(locked, needs_payer_number=False)
        coverage = _split_coverage(locked, coverage_id)
        moving = _draft_of_lines(locked, line_ids)
        whole = claim_draft_of(locked)
        if locked.status in EDITABLE and len(moving.lines) == len(whole.lines):
            raise ValidationError("Leave at least one line on this claim, or void it instead.")
        # A plain claim to the other payer: no earlier payer's decision travels with it.
        moving = replace(moving, carried={})
        other: dict[str, Any] = {
            "coverage_id": coverage.pk, "payer_id": coverage.payer_id, "primary_claim_id": None,
            "other_coverage_id": None, "other_payer_paid": None, "other_payer_adjudicated_on": None,
            "other_payer_adjustments": [],
        }  # fmt: skip
        words = ", ".join(_line_words_of(whole, line_ids))
        outcome = _correction_create(
            original=locked, draft=moving, frequency=FrequencyCode.ORIGINAL, user=user,
            note=f"Lines {words} of claim {locked.control_number} billed to "
            f"{coverage.payer.name}.", fields=other, close=locked.status not in EDITABLE,
        )  # fmt: skip
        if locked.status in EDITABLE:
            staying = replace(
                whole, lines=tuple(line for line in whole.lines if line.line_id not in line_ids)
            )
            claim_edit(claim=locked, draft=staying, user=user)
    return outcome


def _line_words_of(draft: ClaimDraft, line_ids: Collection[int]) -> list[str]:
    return [
        f"{position} ({line.procedure_code})"
        for position, line in enumerate(draft.lines, start=1)
        if line.line_id in set(line_ids)
    ]
