"""Scheduling a visit, sending it to coding, editing and cancelling it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.models import Encounter, EncounterStatus, PlaceOfService
from patients.visits.services import (
    encounter_cancel,
    encounter_create,
    encounter_mark_ready_for_coding,
    encounter_update,
)
from tests.factories import EncounterFactory, PatientFactory, ProviderFactory


@pytest.fixture
def patient(practice_a):
    return PatientFactory(practice=practice_a)


@pytest.fixture
def provider(practice_a):
    return ProviderFactory(practice=practice_a)


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def test_a_new_encounter_is_scheduled_in_the_patients_practice(patient, provider, front_desk):
    encounter = encounter_create(
        patient=patient,
        rendering_provider=provider,
        date_of_service=_yesterday(),
        place_of_service=PlaceOfService.TELEHEALTH_HOME,
        user=front_desk,
    )

    assert encounter.status == EncounterStatus.SCHEDULED
    assert encounter.practice_id == patient.practice_id
    assert encounter.place_of_service == "10"


def test_a_provider_of_another_practice_is_refused(patient, practice_b, front_desk):
    stranger = ProviderFactory(practice=practice_b)

    with pytest.raises(ValidationError, match="does not work for"):
        encounter_create(
            patient=patient,
            rendering_provider=stranger,
            date_of_service=_yesterday(),
            user=front_desk,
        )

    assert not Encounter.objects.filter(patient=patient).exists()


def test_a_visit_before_birth_is_refused(patient, provider, front_desk):
    with pytest.raises(ValidationError, match="before the patient's date of birth"):
        encounter_create(
            patient=patient,
            rendering_provider=provider,
            date_of_service=datetime.date(1960, 1, 1),
            user=front_desk,
        )


def test_marking_ready_puts_the_visit_on_the_coders_worklist(patient, provider, front_desk):
    encounter = encounter_create(
        patient=patient, rendering_provider=provider, date_of_service=_yesterday(), user=front_desk
    )

    encounter_mark_ready_for_coding(
        encounter=encounter, user=front_desk, clinical_note="Follow-up of hypertension."
    )

    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.AWAITING_CODING
    assert Encounter.objects.awaiting_coding().filter(pk=encounter.pk).exists()


def test_a_visit_without_a_note_cannot_go_to_coding(patient, provider, front_desk):
    encounter = encounter_create(
        patient=patient, rendering_provider=provider, date_of_service=_yesterday(), user=front_desk
    )

    with pytest.raises(ValidationError, match="clinical note"):
        encounter_mark_ready_for_coding(encounter=encounter, user=front_desk)

    assert Encounter.objects.get(pk=encounter.pk).status == EncounterStatus.SCHEDULED


def test_a_future_visit_cannot_go_to_coding(patient, provider, front_desk):
    encounter = encounter_create(
        patient=patient,
        rendering_provider=provider,
        clinical_note="Planned visit.",
        date_of_service=timezone.localdate() + datetime.timedelta(days=3),
        user=front_desk,
    )

    with pytest.raises(ValidationError, match="before it happens"):
        encounter_mark_ready_for_coding(encounter=encounter, user=front_desk)


def test_visit_details_can_change_until_coded(patient, provider, front_desk):
    encounter = EncounterFactory(
        patient=patient, rendering_provider=provider, status=EncounterStatus.AWAITING_CODING
    )

    encounter_update(encounter=encounter, user=front_desk, prior_authorization="PA-991")
    assert Encounter.objects.get(pk=encounter.pk).prior_authorization == "PA-991"

    Encounter.objects.filter(pk=encounter.pk).update(status=EncounterStatus.CODED)
    with pytest.raises(ValidationError, match="can no longer change"):
        encounter_update(encounter=encounter, user=front_desk, prior_authorization="PA-992")


def test_a_billed_visit_cannot_be_cancelled(patient, provider, front_desk):
    open_visit = EncounterFactory(patient=patient, rendering_provider=provider)
    billed = EncounterFactory(
        patient=patient, rendering_provider=provider, status=EncounterStatus.BILLED
    )

    encounter_cancel(encounter=open_visit, user=front_desk)
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        encounter_cancel(encounter=billed, user=front_desk)

    assert Encounter.objects.get(pk=open_visit.pk).status == EncounterStatus.CANCELLED
    assert Encounter.objects.get(pk=billed.pk).status == EncounterStatus.BILLED
