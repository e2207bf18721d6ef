"""Writes about patients: registration, insurance coverages and encounters (visits)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, Max, Q
from django.db.models.functions import Cast
from django.utils import timezone

from patients.models import (
    Coverage,
    CoveragePriority,
    Encounter,
    EncounterStatus,
    Patient,
    PlaceOfService,
    Relationship,
)
from patients.visits.state import (
    DETAILS_EDITABLE,
    encounter_transition,
    encounter_transition_check,
)
from rcm.practice.models import Payer, Practice, Provider, User

PATIENT_FIELDS = frozenset(
    {
        "mrn", "first_name", "middle_name", "last_name", "date_of_birth", "sex", "address1",
        "address2", "city", "state", "zip_code", "phone", "email", "is_active",
    }
)  # fmt: skip
ENCOUNTER_EDITABLE_FIELDS = frozenset(
    {"rendering_provider", "date_of_service", "place_of_service", "clinical_note",
     "prior_authorization"}
)  # fmt: skip
# Encounters whose visit details may still change: once coded, the codes describe this visit.
ENCOUNTER_EDITABLE_STATUSES = DETAILS_EDITABLE
COVERAGE_DETAIL_FIELDS = frozenset(
    {
        "group_number", "plan_name", "relationship", "subscriber_first_name",
        "subscriber_last_name", "subscriber_date_of_birth", "subscriber_sex",
        "subscriber_address1", "subscriber_city", "subscriber_state", "subscriber_zip_code",
    }
)  # fmt: skip
MRN_WIDTH = 6
_DIGITS_ONLY = re.compile(r"[^0-9]")


def _normalized(fields: dict[str, Any]) -> dict[str, Any]:
    """Trim text, upper-case the state, and keep only the digits of ZIP codes and phones."""
    clean = {key: (v.strip() if isinstance(v, str) else v) for key, v in fields.items()}
    for key in ("state", "subscriber_state"):
        if isinstance(clean.get(key), str):
            clean[key] = clean[key].upper()
    for key in ("zip_code", "phone", "subscriber_zip_code"):
        if isinstance(clean.get(key), str):
            clean[key] = _DIGITS_ONLY.sub("", clean[key])
    return clean


def _refuse_unknown(fields: dict[str, Any], allowed: frozenset[str], service: str) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise TypeError(f"{service}() got unexpected fields: {', '.join(unknown)}")


def _check_birth_date(patient: Patient) -> None:
    if patient.date_of_birth and patient.date_of_birth > timezone.localdate():
        raise ValidationError({"date_of_birth": "A date of birth cannot be in the future."})


def patient_next_mrn(*, practice: Practice) -> str:
    """The next automatic MRN in `practice`: one more than the largest all-digit MRN in use.

    Call it inside a transaction that has locked the practice row, or two registrations may
    race for the same number (the unique constraint would then refuse the second).
    """
    largest = (
        Patient.objects.filter(practice=practice, mrn__regex=r"^[0-9]{1,18}$")
        .annotate(number=Cast("mrn", BigIntegerField()))
        .aggregate(largest=Max("number"))["largest"]
    )
    return f"{(largest or 0) + 1:0{MRN_WIDTH}d}"


def patient_create(*, practice: Practice, user: User | None, **fields: Any) -> Patient:
    """Register a patient in `practice`; an MRN is assigned when none is given."""
    _refuse_unknown(fields, PATIENT_FIELDS, "patient_create")
    fields = _normalized(fields)
    with transaction.atomic():
        # Serialises automatic MRNs within the practice.
        Practice.objects.select_for_update().filter(pk=practice.pk).first()
        if not fields.get("mrn"):
            fields["mrn"] = patient_next_mrn(practice=practice)
        patient = Patient(practice=practice, **fields)
        patient.full_clean()
        _check_birth_date(patient)
        patient.save()
    return patient


def patient_update(*, patient: Patient, user: User | None, **fields: Any) -> Patient:
    """Change a patient's demographics; the practice never changes."""
    _refuse_unknown(fields, PATIENT_FIELDS, "patient_update")
    fields = _normalized(fields)
    changed = [name for name, value in fields.items() if getattr(patient, name) != value]
    if not changed:
        return patient
    before = {name: getattr(patient, name) for name in changed}
    for name in changed:
        setattr(patient, name, fields[name])
    try:
        patient.full_clean()
        _check_birth_date(patient)
    except ValidationError:
        for name, value in before.items():  # the caller keeps the row as it is in the database
            setattr(patient, name, value)
        raise
    patient.save(update_fields=[*changed, "updated_at"])
    return patient


def _check_subscriber(coverage: Coverage) -> None:
    """When the patient is not the subscriber, the claim must name the subscriber (2010BA)."""
    if coverage.relationship == Relationship.SELF:
        return
    required = {
        "subscriber_first_name": coverage.subscriber_first_name,
        "subscriber_last_name": coverage.subscriber_last_name,
        "subscriber_date_of_birth": coverage.subscriber_date_of_birth,
    }
    missing = {
        name: "Required when the patient is not the subscriber."
        for name, value in required.items()
        if not value
    }
    if missing:
        raise ValidationError(missing)


def _check_no_overlap(coverage: Coverage) -> None:
    """One coverage per priority at a time, so 'the primary coverage on a date' is one row."""
    end = coverage.termination_date or datetime.date.max
    clash = (
        Coverage.objects.filter(patient=coverage.patient, priority=coverage.priority)
        .exclude(pk=coverage.pk)
        .filter(effective_date__lte=end)
        .filter(Q(termination_date__isnull=True) | Q(termination_date__gte=coverage.effective_date))
        .select_related("payer")
        .first()
    )
    if clash is not None:
        ends = "with no end"
        if clash.termination_date:
            ends = f"until {clash.termination_date:%m/%d/%Y}"
        priority = CoveragePriority(coverage.priority).label.lower()
        raise ValidationError(
            f"{coverage.patient.full_name} already has {priority} coverage with {clash.payer} "
            f"from {clash.effective_date:%m/%d/%Y} {ends}; end that coverage first."
        )


def coverage_primary_on(*, patient: Patient, day: datetime.date) -> Coverage | None:
    """The patient's primary coverage in force on `day`, the one a claim for that day bills."""
    return (
        Coverage.objects.filter(
            patient=patient, priority=CoveragePriority.PRIMARY, effective_date__lte=day
        )
        .filter(Q(termination_date__isnull=True) | Q(termination_date__gte=day))
        .select_related("payer")
        .order_by("-effective_date", "-id")
        .first()
    )


def coverage_add(*, patient: Patient, payer: Payer, priority: int, member_id: str,
                 effective_date: datetime.date, user: User | None,
                 termination_date: datetime.date | None = None,
                 **details: Any) -> Coverage:  # fmt: skip
    """Add an insurance coverage; `details` are the group, plan and subscriber fields."""
    _refuse_unknown(details, COVERAGE_DETAIL_FIELDS, "coverage_add")
    if not payer.is_active:
        raise ValidationError({"payer": f"{payer} is no longer active; choose another payer."})
    _check_dates(effective_date, termination_date)
    coverage = Coverage(
        practice_id=patient.practice_id, patient=patient, payer=payer, priority=priority,
        member_id=member_id.strip(), effective_date=effective_date,
        termination_date=termination_date, **_normalized(details),
    )  # fmt: skip
    coverage.full_clean()
    _check_subscriber(coverage)
    with transaction.atomic():
        # Two front-desk clerks adding coverage for one patient must not both pass the check.
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        _check_no_overlap(coverage)
        coverage.save()
    return coverage


def _check_dates(effective_date: datetime.date, termination_date: datetime.date | None) -> None:
    if termination_date is not None and termination_date < effective_date:
        raise ValidationError(
            {"termination_date": "A coverage cannot end before it starts "
             f"({effective_date:%m/%d/%Y})."}
        )  # fmt: skip


def coverage_terminate(*, coverage: Coverage, termination_date: datetime.date,
                       user: User | None) -> Coverage:  # fmt: skip
    """End a coverage on `termination_date` (the last day it covers)."""
    _check_dates(coverage.effective_date, termination_date)
    coverage.termination_date = termination_date
    coverage.save(update_fields=["termination_date", "updated_at"])
    return coverage


def _check_provider(encounter: Encounter) -> None:
    provider: Provider = encounter.rendering_provider
    if provider.practice_id != encounter.practice_id:
        raise ValidationError(
            {"rendering_provider": f"{provider} does not work for {encounter.practice}."}
        )
    if not provider.is_active:
        raise ValidationError({"rendering_provider": f"{provider} is no longer active."})


def _check_service_date(encounter: Encounter) -> None:
    if encounter.date_of_service < encounter.patient.date_of_birth:
        raise ValidationError(
            {"date_of_service": "The date of service is before the patient's date of birth."}
        )


def encounter_create(*, patient: Patient, rendering_provider: Provider,
                     date_of_service: datetime.date, user: User | None,
                     place_of_service: str = PlaceOfService.OFFICE, clinical_note: str = "",
                     prior_authorization: str = "") -> Encounter:  # fmt: skip
    """Schedule (or record) a visit; it waits as SCHEDULED until marked ready for coding."""
    if not patient.is_active:
        raise ValidationError(f"{patient.full_name} is inactive; reactivate them first.")
    encounter = Encounter(
        practice_id=patient.practice_id, patient=patient, rendering_provider=rendering_provider,
        date_of_service=date_of_service, place_of_service=place_of_service,
        clinical_note=clinical_note.strip(), prior_authorization=prior_authorization.strip(),
        status=EncounterStatus.SCHEDULED,
    )  # fmt: skip
    encounter.full_clean()
    _check_provider(encounter)
    _check_service_date(encounter)
    encounter.save()
    return encounter


def _locked_encounter(encounter: Encounter) -> Encounter:
    return Encounter.objects.select_for_update().select_related("patient").get(pk=encounter.pk)


def _refresh_from(encounter: Encounter, locked: Encounter, names: list[str]) -> None:
    for name in names:
        setattr(encounter, name, getattr(locked, name))


def encounter_update(*, encounter: Encounter, user: User | None, **fields: Any) -> Encounter:
    """Change the visit details of an encounter that has not been coded yet."""
    _refuse_unknown(fields, ENCOUNTER_EDITABLE_FIELDS, "encounter_update")
    with transaction.atomic():
        locked = _locked_encounter(encounter)
        if locked.status not in ENCOUNTER_EDITABLE_STATUSES:
            raise ValidationError(
                f"This encounter is {locked.get_status_display().lower()}; "
                "its visit details can no longer change."
            )
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, fields[name])
        if changed:
            locked.full_clean()
            _check_provider(locked)
            _check_service_date(locked)
            locked.save(update_fields=[*changed, "updated_at"])
    _refresh_from(encounter, locked, [*changed, "status", "updated_at"])
    return encounter


def encounter_mark_ready_for_coding(*, encounter: Encounter, user: User | None,
                                    clinical_note: str | None = None) -> Encounter:  # fmt: skip
    """The visit happened and its note is written: put it on the coders' worklist."""
    with transaction.atomic():
        locked = _locked_encounter(encounter)
        encounter_transition_check(encounter=locked, to=EncounterStatus.AWAITING_CODING)
        if locked.date_of_service > timezone.localdate():
            raise ValidationError(
                f"The visit is on {locked.date_of_service:%m/%d/%Y}: it cannot be coded before "
                "it happens."
            )
        note = locked.clinical_note if clinical_note is None else clinical_note.strip()
        if not note:
            raise ValidationError({"clinical_note": "Coders need the clinical note: write it."})
        encounter_transition(
            encounter=encounter, to=EncounterStatus.AWAITING_CODING, user=user,
            fields={"clinical_note": note},
        )  # fmt: skip
    return encounter


def encounter_cancel(*, encounter: Encounter, user: User | None) -> Encounter:
    """Cancel a visit that has not been billed."""
    encounter_transition(encounter=encounter, to=EncounterStatus.CANCELLED, user=user)
    return encounter
