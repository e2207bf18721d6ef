"""After a new ICD-10-CM release: the open encounters and claims whose codes it no longer has.

Older releases stay loaded, so a visit before the new release's effective date is still checked
against the release in force on its date; only work dated on or after the new release can hold
codes that stopped being valid.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import chain

from claims.models import ClaimDiagnosis, ClaimStatus
from coding.models import Code, CodeSetRelease, CodeSystem, EncounterDiagnosis
from patients.visits.state import CODABLE

OPEN_ENCOUNTERS = tuple(sorted(CODABLE))
# A claim already with the payer is answered by the payer; these are the ones we may still send.
UNSENT_CLAIMS = (
    ClaimStatus.DRAFT,
    ClaimStatus.READY,
    ClaimStatus.QUEUED,
    ClaimStatus.REJECTED,
    ClaimStatus.DENIED,
)


@dataclass(frozen=True)
class InvalidCode:
    kind: str  # "encounter" or "claim"
    object_id: int
    label: str
    code: str
    date_of_service: datetime.date
    practice_id: int


def _valid_codes(release: CodeSetRelease) -> set[str]:
    return set(
        Code.objects.filter(release=release, billable=True).values_list("compact", flat=True)
    )


def codeset_impact(
    *, practice_ids: list[int], release: CodeSetRelease | None = None
) -> list[InvalidCode]:
    """Open work of these practices coded with codes the newest (or given) release lacks."""
    release = release or (
        CodeSetRelease.objects.filter(system=CodeSystem.ICD10CM).order_by("-effective_date").first()
    )
    if release is None:
        return []
    valid = _valid_codes(release)
    diagnoses = EncounterDiagnosis.objects.filter(
        practice_id__in=practice_ids,
        encounter__status__in=OPEN_ENCOUNTERS,
        encounter__date_of_service__gte=release.effective_date,
    ).select_related("encounter__patient")
    claim_diagnoses = ClaimDiagnosis.objects.filter(
        claim__practice_id__in=practice_ids,
        claim__status__in=UNSENT_CLAIMS,
        claim__service_date_from__gte=release.effective_date,
    ).select_related("claim")
    rows = chain(
        (
            InvalidCode(
                "encounter",
                dx.encounter.pk,
                str(dx.encounter.patient),
                dx.code,
                dx.encounter.date_of_service,
                dx.encounter.practice_id,
            )
            for dx in diagnoses
        ),
        (
            InvalidCode(
                "claim",
                dx.claim.pk,
                dx.claim.control_number,
                dx.code,
                dx.claim.service_date_from,
                dx.claim.practice_id,
            )
            for dx in claim_diagnoses
        ),
    )
    return [row for row in rows if row.code.replace(".", "").upper() not in valid]
