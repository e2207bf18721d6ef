"""Writes about claims: creating one from a coded encounter, and marking it ready to submit."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from claims.models import Claim, ClaimDiagnosis, ClaimEvent, ClaimLine
from claims.state import ClaimStatus, claim_transition
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


def _claim_lines(claim: Claim, lines: list[ProcedureLine]) -> list[ClaimLine]:
    return [
        ClaimLine(
            claim=claim,
            position=line.position,
            control_number=f"{claim.control_number}-{line.position}",
            procedure_code=line.code,
            modifiers=list(line.modifiers),
            units=line.units,
            diagnosis_pointers=list(line.diagnosis_pointers),
            charge=line.charge,
            service_date=claim.service_date_from,
        )
        for line in lines
    ]


def claim_create_from_encounter(*, encounter: Encounter, user: User | None) -> Claim:
    """Snapshot a coded encounter into a DRAFT claim to its primary payer; it becomes BILLED."""
    with transaction.atomic():
        locked = _billable_encounter(encounter)
        coverage = _billing_coverage(locked)
        diagnoses = list(EncounterDiagnosis.objects.filter(encounter=locked).order_by("position"))
        lines = list(ProcedureLine.objects.filter(encounter=locked).order_by("position"))
        if not diagnoses or not lines:
            raise ValidationError("The coded encounter has no diagnosis or no procedure line.")
        claim_id, control_number = claim_control_number_next()
        claim = Claim.objects.create(
            id=claim_id, control_number=control_number, practice_id=locked.practice_id,
            encounter=locked, patient=locked.patient, coverage=coverage, payer=coverage.payer,
            rendering_provider=locked.rendering_provider,
            place_of_service=locked.place_of_service,
            service_date_from=locked.date_of_service, service_date_to=locked.date_of_service,
            prior_authorization=locked.prior_authorization,
            total_charge=sum((line.charge for line in lines), Decimal("0.00")),
            status=ClaimStatus.DRAFT,
        )  # fmt: skip
        ClaimDiagnosis.objects.bulk_create(
            # X12 sends diagnosis codes without the dot (HI*ABK:E119).
            ClaimDiagnosis(claim=claim, position=dx.position, code=dx.code.replace(".", ""))
            for dx in diagnoses
        )
        ClaimLine.objects.bulk_create(_claim_lines(claim, lines))
        # The timeline starts here; claim_transition writes every later event.
        ClaimEvent.objects.create(
            claim=claim, from_status="", to_status=ClaimStatus.DRAFT, user=user,
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


def claim_mark_ready(*, claim: Claim, user: User | None) -> Claim:
    """Move a draft claim to READY. A placeholder for the scrubber: it only checks the shape."""
    with transaction.atomic():
        errors: list[str] = []
        if not claim.diagnoses.exists():
            errors.append("The claim has no diagnosis.")
        if not claim.lines.exists():
            errors.append("The claim has no service line.")
        if errors:
            raise ValidationError(errors)
        return claim_transition(claim=claim, to=ClaimStatus.READY, user=user, source="scrubber")
