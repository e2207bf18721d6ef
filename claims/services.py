"""Writes about claims: creating one (from a coded visit or to the next payer), marking it ready."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from claims.models import Claim, ClaimDiagnosis, ClaimEvent, ClaimLine, ClaimStatus
from claims.scrubber import claim_scrub
from claims.state import claim_transition
from coding.models import EncounterDiagnosis, ProcedureLine
from patients.coverage.selectors import coverage_primary_on
from patients.models import Coverage, Encounter, EncounterStatus
from patients.visits.state import encounter_transition
from rcm.practice.models import User

CONTROL_NUMBER_PREFIX = "C"


def claim_control_number_next() -> tuple[int, str]:
    """Reserve the next claim id and the control number (CLM01) derived from it.

    The number comes from the claim table's own id sequence, taken before the insert: a
    PostgreSQL sequence never hands out a value twice, even across rolled-back transactions, so
    the control number is unique for ever without a second sequence or a second write, and a
    biller reading 'C000001234' on a payer's letter finds claim 1234.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Claim._meta.db_table])
        claim_id = int(cursor.fetchone()[0])
    return claim_id, f"{CONTROL_NUMBER_PREFIX}{claim_id:09d}"


def _billable_encounter(encounter: Encounter) -> Encounter:
    locked = (
        Encounter.objects.select_for_update(of=("self",))
        .select_related("patient", "practice", "rendering_provider")
        .get(pk=encounter.pk)
    )
    if locked.status != EncounterStatus.CODED:
        raise ValidationError(
            f"Only a coded encounter can be billed; this one is "
            f"{locked.get_status_display().lower()}."
        )
    return locked


def _billing_coverage(encounter: Encounter) -> Coverage:
    coverage = coverage_primary_on(patient=encounter.patient, day=encounter.date_of_service)
    if coverage is None:
        raise ValidationError(
            f"{encounter.patient.full_name} has no primary insurance in force on "
            f"{encounter.date_of_service:%m/%d/%Y}: add or correct their coverage before billing."
        )
    return coverage


@dataclass(frozen=True)
class LineSnapshot:
    """A service line as it will be billed; `other_payer_*` for a claim to a later payer."""

    position: int
    procedure_code: str
    modifiers: list[str]
    units: Decimal
    diagnosis_pointers: list[int]
    charge: Decimal
    service_date: datetime.date
    other_payer_paid: Decimal | None = None
    other_payer_adjustments: list[dict[str, str]] = field(default_factory=list)


def _claim_snapshot_create(
    *,
    fields: dict[str, Any],
    diagnoses: list[tuple[int, str]],
    lines: list[LineSnapshot],
    user: User | None,
    note: str,
) -> Claim:
    """The one writer of a new claim: the claim row, its diagnoses and lines, and the timeline's
    first event, all under a control number reserved for it (CLM01, and CLM01-n per line)."""
    claim_id, control_number = claim_control_number_next()
    claim = Claim.objects.create(
        id=claim_id, control_number=control_number, status=ClaimStatus.DRAFT, **fields
    )
    ClaimDiagnosis.objects.bulk_create(
        ClaimDiagnosis(claim=claim, position=position, code=code) for position, code in diagnoses
    )
    ClaimLine.objects.bulk_create(
        ClaimLine(
            claim=claim,
            control_number=f"{control_number}-{line.position}",
            **{name: getattr(line, name) for name in LINE_FIELDS},
        )
        for line in lines
    )
    # The timeline starts here; claim_transition writes every later event. Without a user the
    # claim was made by billing's task (the timeline shows the source where it has no person).
    ClaimEvent.objects.create(
        claim=claim, from_status="", to_status=ClaimStatus.DRAFT, user=user, note=note,
        source="user" if user is not None else "billing",
    )  # fmt: skip
    return claim


LINE_FIELDS = tuple(f.name for f in dataclass_fields(LineSnapshot))


def claim_create_from_encounter(
    *, encounter: Encounter, user: User | None, coverage: Coverage | None = None
) -> Claim:
    """Snapshot a coded encounter into a DRAFT claim to its primary payer; it becomes BILLED.

    `coverage` is the responsible payer's coverage when the caller (`claims.billing`) has
    decided it; by default, the primary coverage in force on the date of service.
    """
    with transaction.atomic():
        locked = _billable_encounter(encounter)
        coverage = coverage or _billing_coverage(locked)
        diagnoses = list(EncounterDiagnosis.objects.filter(encounter=locked).order_by("position"))
        lines = list(ProcedureLine.objects.filter(encounter=locked).order_by("position"))
        if not diagnoses or not lines:
            raise ValidationError("The coded encounter has no diagnosis or no procedure line.")
        uncharged = [line for line in lines if line.charge is None]
        if uncharged:  # completion needs every charge; this guards a row changed since
            raise ValidationError(
                f"Line {uncharged[0].position} ({uncharged[0].code}) has no charge."
            )
        charges = [line.charge or Decimal("0.00") for line in lines]
        claim = _claim_snapshot_create(
            fields={
                "practice_id": locked.practice_id, "encounter": locked, "patient": locked.patient,
                "coverage": coverage, "payer": coverage.payer,
                "rendering_provider": locked.rendering_provider,
                "place_of_service": locked.place_of_service,
                "service_date_from": locked.date_of_service,
                "service_date_to": locked.date_of_service,
                "prior_authorization": locked.prior_authorization,
                "total_charge": sum(charges, Decimal("0.00")),
            },
            # X12 sends diagnosis codes without the dot (HI*ABK:E119).
            diagnoses=[(dx.position, dx.code.replace(".", "")) for dx in diagnoses],
            lines=[
                LineSnapshot(
                    position=line.position, procedure_code=line.code,
                    modifiers=list(line.modifiers), units=line.units,
                    diagnosis_pointers=list(line.diagnosis_pointers), charge=charge,
                    service_date=locked.date_of_service,
                )
                for line, charge in zip(lines, charges, strict=True)
            ],
            user=user,
            note=f"Created from the encounter of {locked.date_of_service:%m/%d/%Y}.",
        )  # fmt: skip
        encounter_transition(
            encounter=locked,
            to=EncounterStatus.BILLED,
            user=user,
            source="claim",
            note=f"Claim {claim.control_number}.",
        )
    encounter.status = locked.status
    return claim


# --- billing the next payer ----------------------------------------------------------------------

# The payer has decided (paid something, or nothing) and the claim is not being reworked.
ADJUDICATED = frozenset(
    {ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED, ClaimStatus.CLOSED}
)


def next_payer_refusal(claim: Claim) -> str | None:
    """Why `claim` cannot be billed to the patient's next payer yet, or None if it can: the one
    rule for the claim page's button and for the service."""
    if claim.status not in ADJUDICATED:
        return "Bill the next payer once the primary payer has decided."
    correction = (
        claim.replacements.exclude(status=ClaimStatus.VOID).filter(payer_id=claim.payer_id).first()
    )
    if correction is not None:
        return f"Claim {correction.control_number} corrects this one: bill the next payer from it."
    if claim.secondary_claims.exclude(status=ClaimStatus.VOID).exists():
        return "This claim was already billed to the next payer."
    return None


@dataclass(frozen=True)
class PriorAdjudication:
    """What the payer before decided, from its posted remittance (loops 2320/2330/2430)."""

    paid: Decimal
    adjudicated_on: datetime.date | None
    claim_adjustments: list[dict[str, str]]  # claim-level CAS: [{"group", "reason", "amount"}]
    lines: dict[int, tuple[Decimal, list[dict[str, str]]]]  # claim line id -> (paid, its CAS)


def _next_coverage(primary: Claim) -> Coverage:
    day = primary.service_date_from
    coverage = (
        Coverage.objects.in_force_on(day)
        .filter(patient_id=primary.patient_id, priority=primary.coverage.priority + 1)
        .select_related("payer")
        .first()
    )
    if coverage is None:
        raise ValidationError(
            f"{primary.patient.full_name} has no "
            f"{'secondary' if primary.coverage.priority == 1 else 'tertiary'} coverage in force on "
            f"{day:%m/%d/%Y}."
        )
    return coverage


def claim_create_secondary(
    *,
    primary: Claim,
    adjudication_of: Callable[[Claim], PriorAdjudication],
    user: User | None,
) -> Claim:
    """A DRAFT claim to the next payer in line, carrying the previous payer's payment and CAS.

    `adjudication_of` reads the primary's posted decision (remittances are not claims' to
    read); it raises ValidationError when none is posted yet.
    """
    with transaction.atomic():
        primary = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("patient", "coverage", "payer")
            .get(pk=primary.pk)
        )
        refusal = next_payer_refusal(primary)
        if refusal:
            raise ValidationError(refusal)
        coverage = _next_coverage(primary)
        decided = adjudication_of(primary)
        lines = []
        for line in primary.lines.all():
            paid, adjustments = decided.lines.get(line.pk, (Decimal("0"), []))
            lines.append(
                LineSnapshot(
                    position=line.position, procedure_code=line.procedure_code,
                    modifiers=line.modifiers, units=line.units,
                    diagnosis_pointers=line.diagnosis_pointers, charge=line.charge,
                    service_date=line.service_date, other_payer_paid=paid,
                    other_payer_adjustments=adjustments,
                )
            )  # fmt: skip
        return _claim_snapshot_create(
            fields={
                "practice_id": primary.practice_id, "encounter_id": primary.encounter_id,
                "patient_id": primary.patient_id, "coverage": coverage, "payer": coverage.payer,
                "rendering_provider_id": primary.rendering_provider_id,
                "place_of_service": primary.place_of_service,
                "service_date_from": primary.service_date_from,
                "service_date_to": primary.service_date_to,
                "prior_authorization": primary.prior_authorization,
                "total_charge": primary.total_charge, "primary_claim": primary,
                "other_payer_paid": decided.paid,
                "other_payer_adjudicated_on": decided.adjudicated_on,
                "other_payer_adjustments": decided.claim_adjustments,
            },
            diagnoses=[(dx.position, dx.code) for dx in primary.diagnoses.all()],
            lines=lines,
            user=user,
            note=f"Billed to {coverage.payer.name} after {primary.payer.name} "
            f"(claim {primary.control_number}) paid {decided.paid}.",
        )  # fmt: skip


def claim_mark_ready(
    *, claim: Claim, user: User | None, as_of: datetime.date | None = None
) -> Claim:
    """Scrub a draft claim into READY; ValidationError with the scrubber's errors when held.

    The findings and the timeline event are kept even when the claim is held; `as_of` as in
    `claim_scrub`.
    """
    if claim.status != ClaimStatus.DRAFT:  # the state machine says why in its own words
        claim_transition(claim=claim, to=ClaimStatus.READY, user=user, source="scrubber")
    result = claim_scrub(claim=claim, user=user, as_of=as_of)
    if result.held:
        raise ValidationError([edit.message for edit in result.edits if edit.severity == "error"])
    return Claim.objects.get(pk=claim.pk)
