"""The coding edits (coding.edits.run_edits) run again on a claim as it goes on the wire."""

from __future__ import annotations

from datetime import date

from claims.scrub_core import first_service_date
from claims.scrub_types import ERROR, WARNING, ScrubContext, ScrubEdit
from coding.edits import LineInput, run_edits
from coding.models import CodeSetRelease, CodeSystem
from rcm.x12 import claim837 as x12

_SEVERITIES = {ERROR: ERROR, WARNING: WARNING}  # reminders (info) do not hold a claim
# Without a date of birth the age edits would measure an age of 0: leave them out.
_NEEDS_BIRTH_DATE = frozenset({"dx-age-conflict"})
# The claim edits check pointers themselves (even without code sets); and a diagnosis no line
# points at is the coder's reminder, not something a payer refuses (a line has four pointers,
# a claim up to twelve diagnoses).
_LEFT_TO_THE_CLAIM_EDITS = frozenset({"line-no-pointer", "line-pointer-invalid", "dx-not-pointed"})


def first_icd10_release() -> date | None:
    """The effective date of the earliest ICD-10-CM release loaded (None: none loaded)."""
    release = (
        CodeSetRelease.objects.filter(system=CodeSystem.ICD10CM).order_by("effective_date").first()
    )
    return release.effective_date if release else None


def _target(target: str) -> str:
    """coding's 'line:2' / 'dx:1' as the scrubber writes it: 'line 2' / 'diagnosis 1'."""
    kind, _, number = target.partition(":")
    return {"line": f"line {number}", "dx": f"diagnosis {number}"}.get(kind, target)


def coding_edits_on_claim(
    claim: x12.Claim, context: ScrubContext, *, earliest_release: date | None
) -> list[ScrubEdit]:
    """Diagnosis validity on the date of service, Excludes1, sequencing, sex and age, pointers,
    NCCI PTP and MUE: the coder's edits, for the claim as billed. ICD-9 claims are not coded in
    ICD-10-CM and are left to `diagnosis.icd9`."""
    first = first_service_date(claim)
    if first is None or context.diagnosis_code_system != "ICD10" or not claim.lines:
        return []
    earliest = earliest_release  # first_icd10_release(), asked once by the caller
    if earliest is None or first < date(2015, 10, 1):
        return []
    # A date before the oldest release we hold is read in that release rather than refused.
    on = max(first, earliest)
    person = claim.patient or claim.subscriber
    born = person.birth_date
    found = run_edits(
        date_of_service=on,
        sex=person.gender,
        date_of_birth=born or on,
        diagnoses=list(claim.diagnoses),
        lines=[
            LineInput(
                code=line.procedure_code,
                modifiers=line.modifiers,
                units=line.units,
                pointers=line.diagnosis_pointers,
            )
            for line in claim.lines
        ],
    )
    return [
        ScrubEdit(
            edit=f"coding.{edit.rule}",
            severity=_SEVERITIES[edit.severity],
            message=edit.message,
            target=_target(edit.target),
        )
        for edit in found
        if edit.severity in _SEVERITIES
        and edit.rule not in _LEFT_TO_THE_CLAIM_EDITS
        and not (born is None and edit.rule in _NEEDS_BIRTH_DATE)
    ]
