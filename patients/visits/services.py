"""Writes about visits: schedule, edit the details, send to coding, cancel (moves via state.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from patients.models import (
    CLINICAL_NOTE_MAX_LENGTH,
    CLINICAL_NOTE_TOO_LONG,
    Encounter,
    EncounterStatus,
    Patient,
    PlaceOfService,
)
from patients.normalize import refuse_unknown
from patients.visits.state import DETAILS_EDITABLE, encounter_transition, encounter_transition_check
from rcm.practice.models import Provider, User

ENCOUNTER_EDITABLE_FIELDS = frozenset(
    {"rendering_provider", "date_of_service", "place_of_service", "clinical_note",
     "prior_authorization", "self_pay"}
)  # fmt: skip


def _check_provider(encounter: Encounter) -> None:
    provider: Provider = encounter.rendering_provider
    if provider.practice_id != encounter.practice_id:
        raise ValidationError(
            {"rendering_provider": f"{provider} does not work for {encounter.practice}."}
        )
    if not provider.is_active:
        raise ValidationError({"rendering_provider": f"{provider} is no longer active."})


# A visit further away than this is a typo (9999 for 2026), and no payer would take its claim.
VISIT_YEARS_BACK = 10
VISIT_YEARS_AHEAD = 2


def _check_service_date(encounter: Encounter) -> None:
    if encounter.date_of_service < encounter.patient.date_of_birth:
        raise ValidationError(
            {"date_of_service": "The date of service is before the patient's date of birth."}
        )
    today = timezone.localdate()
    earliest = today.replace(year=today.year - VISIT_YEARS_BACK, day=min(today.day, 28))
    latest = today.replace(year=today.year + VISIT_YEARS_AHEAD, day=min(today.day, 28))
    if not earliest <= encounter.date_of_service <= latest:
        raise ValidationError(
            {
                "date_of_service": f"The date of service must be within {VISIT_YEARS_BACK} years "
                f"before and {VISIT_YEARS_AHEAD} years after today "
                f"({earliest:%m/%d/%Y} to {latest:%m/%d/%Y})."
            }
        )


def encounter_create(*, patient: Patient, rendering_provider: Provider,
                     date_of_service: datetime.date, user: User | None,
                     place_of_service: str = PlaceOfService.OFFICE, clinical_note: str = "",
                     prior_authorization: str = "", self_pay: bool = False,
                     ) -> Encounter:  # fmt: skip
    """Schedule (or record) a visit; it waits as SCHEDULED until marked ready for coding."""
    if not patient.is_active:
        raise ValidationError(f"{patient.full_name} is inactive; reactivate them first.")
    encounter = Encounter(
        practice_id=patient.practice_id, patient=patient, rendering_provider=rendering_provider,
        date_of_service=date_of_service, place_of_service=place_of_service,
        clinical_note=clinical_note.strip(), prior_authorization=prior_authorization.strip(),
        self_pay=self_pay, status=EncounterStatus.SCHEDULED,
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
    refuse_unknown(fields, ENCOUNTER_EDITABLE_FIELDS, "encounter_update")
    with transaction.atomic():
        locked = _locked_encounter(encounter)
        if locked.status not in DETAILS_EDITABLE:
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
        if len(note) > CLINICAL_NOTE_MAX_LENGTH:
            message = CLINICAL_NOTE_TOO_LONG % {"show_value": len(note)}
            raise ValidationError({"clinical_note": message})
        encounter_transition(
            encounter=encounter, to=EncounterStatus.AWAITING_CODING, user=user,
            fields={"clinical_note": note},
        )  # fmt: skip
    return encounter


def encounter_cancel(*, encounter: Encounter, user: User | None) -> Encounter:
    """Cancel a visit that has not been billed."""
    encounter_transition(encounter=encounter, to=EncounterStatus.CANCELLED, user=user)
    return encounter
