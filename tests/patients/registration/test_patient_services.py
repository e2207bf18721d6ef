"""Registering and updating patients: automatic MRNs per practice, clear refusals."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from patients.models import Patient
from patients.registration.services import patient_create, patient_update
from tests.factories import PatientFactory

DEMOGRAPHICS = {
    "first_name": "Robin",
    "last_name": "Quill",
    "date_of_birth": datetime.date(1980, 3, 14),
    "sex": "F",
    "address1": "12 Elm St",
    "city": "Springfield",
    "state": "il",
    "zip_code": "62704-1234",
    "phone": "(217) 555-0142",
}


def test_patients_get_consecutive_mrns_per_practice(practice_a, practice_b, front_desk):
    first = patient_create(practice=practice_a, user=front_desk, **DEMOGRAPHICS)
    second = patient_create(practice=practice_a, user=front_desk, **DEMOGRAPHICS)
    elsewhere = patient_create(practice=practice_b, user=front_desk, **DEMOGRAPHICS)

    assert (first.mrn, second.mrn) == ("000001", "000002")
    assert elsewhere.mrn == "000001"


def test_automatic_mrns_continue_after_the_largest_numeric_one(practice_a, front_desk):
    PatientFactory(practice=practice_a, mrn="004711")
    PatientFactory(practice=practice_a, mrn="LEGACY-9")

    patient = patient_create(practice=practice_a, user=front_desk, **DEMOGRAPHICS)

    assert patient.mrn == "004712"


def test_input_is_normalised(practice_a, front_desk):
    patient = patient_create(practice=practice_a, user=front_desk, **DEMOGRAPHICS)

    assert (patient.state, patient.zip_code, patient.phone) == ("IL", "627041234", "2175550142")


def test_a_given_mrn_already_in_use_is_refused_and_nothing_is_written(practice_a, front_desk):
    PatientFactory(practice=practice_a, mrn="A100")

    with pytest.raises(ValidationError) as error:
        patient_create(practice=practice_a, user=front_desk, mrn="A100", **DEMOGRAPHICS)

    assert "MRN" in str(error.value)
    assert Patient.objects.filter(practice=practice_a).count() == 1


def test_missing_and_invalid_fields_are_named(practice_a, front_desk):
    fields = {**DEMOGRAPHICS, "first_name": "", "state": "ZZ", "zip_code": "123"}

    with pytest.raises(ValidationError) as error:
        patient_create(practice=practice_a, user=front_desk, **fields)

    assert set(error.value.message_dict) >= {"first_name", "state", "zip_code"}
    assert not Patient.objects.filter(practice=practice_a).exists()


def test_a_birth_date_in_the_future_is_refused(practice_a, front_desk):
    fields = {**DEMOGRAPHICS, "date_of_birth": datetime.date.today() + datetime.timedelta(days=2)}

    with pytest.raises(ValidationError, match="future"):
        patient_create(practice=practice_a, user=front_desk, **fields)


def test_unknown_fields_are_a_programming_error(practice_a, front_desk):
    with pytest.raises(TypeError, match="practice_id"):
        patient_create(practice=practice_a, user=front_desk, practice_id=9, **DEMOGRAPHICS)


def test_update_changes_only_what_was_given(practice_a, front_desk):
    patient = patient_create(practice=practice_a, user=front_desk, **DEMOGRAPHICS)

    patient_update(patient=patient, user=front_desk, last_name="Quill-Baker", phone="217 555 0199")

    patient.refresh_from_db()
    assert (patient.last_name, patient.phone, patient.first_name) == (
        "Quill-Baker",
        "2175550199",
        "Robin",
    )


def test_an_invalid_update_is_refused_and_the_row_is_unchanged(practice_a, front_desk):
    patient = patient_create(practice=practice_a, user=front_desk, **DEMOGRAPHICS)

    with pytest.raises(ValidationError, match="'XX' is not a US state or territory code"):
        patient_update(patient=patient, user=front_desk, state="XX")

    assert Patient.objects.get(pk=patient.pk).state == "IL"
    assert patient.state == "IL"
