"""The claim scrubber: every edit on a claim row, its findings kept, the claim held or released.

`claim_scrub` builds the claim as it would go on the wire (claims.x12_mapping), runs the pure
edits of `claims.scrub_core` and the coding edits again, with what only the database knows
(coverage dates, the payer's filing limit, prior-authorization codes and rules, duplicates) in a
`ScrubContext`, stores the findings, and moves the claim: a DRAFT with no error becomes READY,
a READY claim with an error goes back to DRAFT. A warning overridden with a reason stays
overridden while the same warning comes back.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, ClaimEdit, ClaimEvent, ClaimLine, ClaimStatus
from claims.scrub_coding import coding_edits_on_claim, first_icd10_release
from claims.scrub_core import claim_edits
from claims.scrub_types import ERROR, WARNING, ScrubContext, ScrubEdit, ScrubResult
from claims.state import claim_transition
from claims.x12_mapping import claim_on_wire
from rcm.practice.models import PayerRule, User
from rcm.practice.payer_rules import PayerRuleSpec, code_ranges_parse
from rcm.x12 import claim837 as x12

# A biller may scrub these again by hand (claim page, API); later statuses are corrected.
SCRUBBABLE = frozenset({ClaimStatus.DRAFT, ClaimStatus.READY})

__all__ = [
    "SCRUBBABLE",
    "ScrubEdit",
    "ScrubResult",
    "claim_edit_override",
    "claim_scrub",
    "payer_rule_specs",
]

MAX_REASON_LENGTH = 500
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def payer_rule_specs(*, practice_id: int, payer_id: int) -> tuple[PayerRuleSpec, ...]:
    """A practice's active rules for one payer, as the pure scrubber reads them."""
    specs = []
    for rule in PayerRule.objects.filter(
        practice_id=practice_id, payer_id=payer_id, is_active=True
    ):
        try:
            ranges = code_ranges_parse(rule.codes)
        except ValidationError:  # saved through the form, so valid; an admin edit may not be
            continue
        specs.append(
            PayerRuleSpec(
                rule_id=rule.pk,
                code_ranges=ranges,
                action=rule.action,
                severity=rule.severity,
                modifier=rule.modifier,
                place_of_service=rule.place_of_service,
                message=rule.message,
            )
        )
    return tuple(specs)


def _line_signature(claim_id: int) -> list[tuple[object, ...]]:
    return sorted(
        (service_date, code, tuple(modifiers))
        for service_date, code, modifiers in ClaimLine.objects.filter(
            claim_id=claim_id
        ).values_list("service_date", "procedure_code", "modifiers")
    )


def claim_duplicates(claim: Claim) -> tuple[str, ...]:
    """Other open claims to the same payer for the same patient, provider, dates and codes.

    A secondary claim (another payer) and a correction (frequency 7/8) are not duplicates.
    """
    candidates = (
        Claim.objects.open()
        .filter(
            patient_id=claim.patient_id,
            rendering_provider_id=claim.rendering_provider_id,
            payer_id=claim.payer_id,
            service_date_from=claim.service_date_from,
            service_date_to=claim.service_date_to,
            frequency_code="1",
        )
        .exclude(pk=claim.pk)
        .exclude(status=ClaimStatus.VOID)
        .values_list("pk", "control_number")
    )
    mine = _line_signature(claim.pk)
    return tuple(number for pk, number in candidates if _line_signature(pk) == mine)


def claim_context(
    claim: Claim, on_wire: x12.Claim, *, today: datetime.date | None = None
) -> ScrubContext:
    """What the database knows about this claim (its coverage and payer fetched with it)."""
    coverage, payer = claim.coverage, claim.payer
    return ScrubContext(
        today=today or timezone.localdate(),
        stated_total=claim.total_charge,
        coverage_start=coverage.effective_date,
        coverage_end=coverage.termination_date,
        timely_filing_days=payer.timely_filing_days,
        prior_auth_codes=frozenset(str(code).strip().upper() for code in payer.prior_auth_codes),
        payer_rules=payer_rule_specs(practice_id=claim.practice_id, payer_id=payer.pk),
        duplicates=claim_duplicates(claim) if claim.frequency_code == "1" else (),
        attachments=tuple(a.report_type for a in on_wire.attachments),
    )


def scrub_on_wire(
    claim: x12.Claim, billing: x12.BillingProvider, context: ScrubContext
) -> list[ScrubEdit]:
    """Every edit on one claim as it goes on the wire: the claim edits, then the coding edits."""
    coding = coding_edits_on_claim(claim, context, earliest_release=first_icd10_release())
    return [*claim_edits(claim, billing, context), *coding]


def _key(edit: ScrubEdit | ClaimEdit) -> tuple[str, str]:
    return edit.edit, edit.target


def _findings_store(claim: Claim, edits: list[ScrubEdit]) -> list[ClaimEdit]:
    """Replace the claim's findings; a warning overridden before keeps its override."""
    overrides = {
        _key(row): row
        for row in ClaimEdit.objects.filter(
            claim=claim, severity=WARNING, overridden_at__isnull=False
        )
    }
    ClaimEdit.objects.filter(claim=claim).delete()
    rows = []
    for edit in edits:
        before = overrides.get(_key(edit)) if edit.severity == WARNING else None
        rows.append(
            ClaimEdit(
                claim=claim,
                edit=edit.edit,
                severity=edit.severity,
                message=edit.message,
                target=edit.target,
                overridden_by_id=before.overridden_by_id if before else None,
                overridden_at=before.overridden_at if before else None,
                override_reason=before.override_reason if before else "",
            )
        )
    return ClaimEdit.objects.bulk_create(rows)


def _summary(edits: list[ScrubEdit], rows: list[ClaimEdit]) -> str:
    overridden = sum(1 for row in rows if not row.is_open)
    text = f"Scrubbed: {ScrubResult(edits=edits).counts}"
    if overridden:
        text += f" ({overridden} overridden)"
    firsts = [edit.message for edit in edits if edit.severity == ERROR][:2]
    return text + (". " + " ".join(firsts) if firsts else ".")


def claim_scrub(
    *, claim: Claim, user: User | None, as_of: datetime.date | None = None
) -> ScrubResult:
    """Scrub a claim row: store its findings, hold or release it, and say so on its timeline.

    Findings never raise; a DRAFT claim with no error becomes READY and a READY claim with an
    error goes back to DRAFT (source "scrubber"); other statuses keep theirs. `as_of` is the
    day the scrub counts from (today; the demo loader replays claims scrubbed in the past).
    """
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("coverage", "payer")
            .get(pk=claim.pk)
        )
        on_wire, billing = claim_on_wire(locked.pk)
        edits = scrub_on_wire(on_wire, billing, claim_context(locked, on_wire, today=as_of))
        rows = _findings_store(locked, edits)
        result = ScrubResult(edits=edits)
        note = _summary(edits, rows)
        move = None
        if locked.status == ClaimStatus.DRAFT and not result.held:
            move = ClaimStatus.READY
        elif locked.status == ClaimStatus.READY and result.held:
            move = ClaimStatus.DRAFT
        if move is not None:
            claim_transition(claim=claim, to=move, user=user, source="scrubber", note=note)
        else:
            ClaimEvent.objects.create(
                claim=locked,
                from_status=locked.status,
                to_status=locked.status,
                user=user,
                source="scrubber",
                note=note,
            )
    return result


def claim_edit_override(*, claim_edit: ClaimEdit, user: User, reason: str) -> ClaimEdit:
    """Override an open warning with a reason; the timeline keeps who and why. Errors hold."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why this warning does not apply to this claim."})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError({"reason": f"Keep the reason under {MAX_REASON_LENGTH} characters."})
    if _CONTROLS.search(reason):
        raise ValidationError({"reason": "The reason may not contain control characters."})
    with transaction.atomic():
        locked = ClaimEdit.objects.select_for_update().select_related("claim").get(pk=claim_edit.pk)
        if locked.severity != WARNING:
            raise ValidationError("An error cannot be overridden: correct the claim instead.")
        if locked.overridden_at is not None:
            raise ValidationError("This warning is already overridden.")
        locked.overridden_by, locked.overridden_at = user, timezone.now()
        locked.override_reason = reason
        locked.save(update_fields=["overridden_by", "overridden_at", "override_reason"])
        status = locked.claim.status
        ClaimEvent.objects.create(
            claim=locked.claim,
            from_status=status,
            to_status=status,
            user=user,
            source="override",
            note=f"Warning overridden ({locked.edit}): {locked.message} Reason: {reason}",
        )
    return locked
