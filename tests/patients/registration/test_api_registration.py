"""The front-desk API: register (409 on likely duplicates), edit, duplicates check, merge."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from patients.models import Patient
from rcm.practice.models import Role
from rcm.web.authentication import api_token_issue
from tests.factories import EncounterFactory, MembershipFactory, PatientFactory

NEW_PATIENT = {
    "first_name": " Robin ",
    "last_name": "Quill",
    "date_of_birth": "1980-03-14",
    "sex": "F",
    "address1": "12 Elm St",
    "city": "Springfield",
    "state": "il",
    "zip_code": "62704",
    "phone": "(217) 555-0142",
}


def _unchanged(patient: Patient) -> bool:
    """The row as the test made it: same fields, still active, merged into nothing."""
    row = Patient.objects.get(pk=patient.pk)
    same = (row.city, row.state, row.zip_code, row.first_name, row.last_name) == (
        patient.city,
        patient.state,
        patient.zip_code,
        patient.first_name,
        patient.last_name,
    )
    return same and row.is_active and row.merged_into_id is None


def api_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user).key}")
    return client


def test_front_desk_registers_a_patient(front_desk, practice_a):
    response = api_for(front_desk).post(reverse("api-patient-register"), NEW_PATIENT, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["first_name"], body["state"], body["phone"]) == ("Robin", "IL", "2175550142")
    assert body["practice_id"] == practice_a.pk
    assert Patient.objects.get(pk=body["id"]).mrn == body["mrn"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2999-01-01", "Date of birth can't be in the future."),
        ("state", "Illinois", "Use the two-letter state code, e.g. IL."),
        ("zip_code", "1234", "ZIP is 5 or 9 digits."),
        ("phone", "12345", "Phone is 10 digits, e.g. (555) 123-4567."),
    ],
)
def test_bad_fields_get_a_400_with_the_message(front_desk, field, value, message):
    response = api_for(front_desk).post(
        reverse("api-patient-register"), {**NEW_PATIENT, field: value}, format="json"
    )
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not Patient.objects.exists()


def test_missing_fields_get_a_400(front_desk):
    response = api_for(front_desk).post(reverse("api-patient-register"), {}, format="json")
    assert response.status_code == 400
    assert {"first_name", "last_name", "date_of_birth"} <= set(response.json())
    assert not Patient.objects.exists()


def test_a_likely_duplicate_gets_a_409_until_confirmed(front_desk, practice_a):
    existing = PatientFactory(
        practice=practice_a, first_name="Robyn", last_name="Quill",
        date_of_birth=datetime.date(1980, 3, 14),
    )  # fmt: skip
    api = api_for(front_desk)

    conflict = api.post(reverse("api-patient-register"), NEW_PATIENT, format="json")

    assert conflict.status_code == 409
    assert [c["id"] for c in conflict.json()["candidates"]] == [existing.pk]
    assert Patient.objects.count() == 1

    confirmed = api.post(
        reverse("api-patient-register"),
        {**NEW_PATIENT, "confirm_not_duplicate": True},
        format="json",
    )
    assert confirmed.status_code == 201
    assert Patient.objects.count() == 2


def test_the_duplicates_check_lists_candidates(front_desk, practice_a):
    existing = PatientFactory(
        practice=practice_a, first_name="Quill", last_name="Robin",
        date_of_birth=datetime.date(1980, 3, 14),
    )  # fmt: skip
    response = api_for(front_desk).post(
        reverse("api-patient-duplicates"),
        {"first_name": "Robin", "last_name": "Quill", "date_of_birth": "03/14/1980"},
        format="json",
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [existing.pk]


def test_a_member_of_two_practices_names_one_they_register_in(front_desk, practice_b):
    MembershipFactory(user=front_desk, practice=practice_b, role=Role.FRONT_DESK)
    api = api_for(front_desk)

    unnamed = api.post(reverse("api-patient-register"), NEW_PATIENT, format="json")
    assert unnamed.status_code == 400
    assert "practice_id" in unnamed.json()
    assert not Patient.objects.exists()

    named = api.post(
        reverse("api-patient-register"),
        {**NEW_PATIENT, "practice_id": practice_b.pk},
        format="json",
    )
    assert named.status_code == 201
    assert named.json()["practice_id"] == practice_b.pk


def test_registering_in_someone_elses_practice_is_refused(front_desk, practice_b):
    response = api_for(front_desk).post(
        reverse("api-patient-register"),
        {**NEW_PATIENT, "practice_id": practice_b.pk},
        format="json",
    )
    assert response.status_code == 400
    assert not Patient.objects.exists()


def test_billers_cannot_register_edit_or_merge(biller, practice_a):
    patient = PatientFactory(practice=practice_a)
    api = api_for(biller)
    assert api.post(reverse("api-patient-register"), NEW_PATIENT, format="json").status_code == 403
    edit = api.patch(reverse("api-patient-update", args=[patient.pk]), {"city": "X"}, format="json")
    assert edit.status_code == 403
    merge_url = reverse("api-patient-merge", args=[patient.pk])
    assert api.post(merge_url, {"duplicate_id": patient.pk}, format="json").status_code == 403
    assert Patient.objects.get() == patient
    assert _unchanged(patient)


def test_front_desk_edits_some_fields(front_desk, practice_a):
    patient = PatientFactory(practice=practice_a, city="Springfield")
    response = api_for(front_desk).patch(
        reverse("api-patient-update", args=[patient.pk]),
        {"city": " Peoria ", "zip_code": "61602-1234"},
        format="json",
    )
    patient.refresh_from_db()
    assert response.status_code == 200
    assert (patient.city, patient.zip_code) == ("Peoria", "616021234")


def test_a_bad_edit_gets_a_400_and_changes_nothing(front_desk, practice_a):
    patient = PatientFactory(practice=practice_a, city="Springfield")
    response = api_for(front_desk).patch(
        reverse("api-patient-update", args=[patient.pk]),
        {"city": "Peoria", "state": "XX"},
        format="json",
    )
    patient.refresh_from_db()
    assert response.status_code == 400
    assert response.json() == {"state": ["Use the two-letter state code, e.g. IL."]}
    assert patient.city == "Springfield"


def test_another_practices_patient_is_not_found(front_desk, administrator, practice_b):
    other = PatientFactory(practice=practice_b)
    url = reverse("api-patient-update", args=[other.pk])
    assert api_for(front_desk).patch(url, {"city": "X"}, format="json").status_code == 404
    merge_url = reverse("api-patient-merge", args=[other.pk])
    admin_api = api_for(administrator)
    assert admin_api.post(merge_url, {"duplicate_id": other.pk}, format="json").status_code == 404
    assert _unchanged(other)


def test_an_administrator_merges_through_the_api(administrator, practice_a):
    kept = PatientFactory(practice=practice_a, mrn="KEEP9")
    duplicate = PatientFactory(practice=practice_a, mrn="DUP9")
    EncounterFactory(patient=duplicate)
    url = reverse("api-patient-merge", args=[kept.pk])

    response = api_for(administrator).post(url, {"duplicate_id": duplicate.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["encounters_moved"] == 1
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    again = api_for(administrator).post(url, {"duplicate_id": duplicate.pk}, format="json")
    assert again.status_code == 400
    assert "already been merged" in again.json()["non_field_errors"][0]


def test_merging_with_another_practices_chart_is_not_found(administrator, practice_a, practice_b):
    kept = PatientFactory(practice=practice_a)
    other = PatientFactory(practice=practice_b)
    url = reverse("api-patient-merge", args=[kept.pk])
    response = api_for(administrator).post(url, {"duplicate_id": other.pk}, format="json")
    assert response.status_code == 404
    assert _unchanged(kept) and _unchanged(other)


def test_merging_into_itself_is_a_400(administrator, practice_a):
    kept = PatientFactory(practice=practice_a)
    url = reverse("api-patient-merge", args=[kept.pk])
    response = api_for(administrator).post(url, {"duplicate_id": kept.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A chart cannot be merged into itself."]}
    assert _unchanged(kept)


def test_the_operations_are_in_the_openapi_schema(front_desk):
    schema = api_for(front_desk).get(reverse("api-schema"), {"format": "json"}).json()
    operations = {op["operationId"] for item in schema["paths"].values() for op in item.values()}
    assert {"patient_register", "patient_update", "patient_duplicates", "patient_merge"} <= (
        operations
    )
    register = schema["paths"]["/api/patients/register/"]["post"]
    assert {"201", "400", "403", "409"} <= set(register["responses"])
