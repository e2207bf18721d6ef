"""Registering and editing patients at the front desk: validation, duplicates, roles, tenancy."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.models import Patient
from patients.registration.selectors import patient_duplicates_find
from patients.registration.services import PossibleDuplicates, patient_register
from rcm.practice.models import Role
from tests.factories import MembershipFactory, PatientFactory

FORM = {
    "first_name": "  Robin ",
    "last_name": " Quill",
    "date_of_birth": "03/14/1980",
    "sex": "F",
    "address1": "12 Elm St",
    "city": "Springfield",
    "state": "il",
    "zip_code": "62704-1234",
    "phone": "(217) 555-0142",
}


def _post(client, data, url=None):
    return client.post(url or reverse("patient-register"), data)


def test_front_desk_registers_a_patient_with_clean_values(client, front_desk, practice_a):
    client.force_login(front_desk)

    response = _post(client, FORM)

    patient = Patient.objects.get(practice=practice_a)
    assert response.status_code == 302
    assert response.url == reverse("patient-detail", args=[patient.pk])
    assert (patient.first_name, patient.last_name) == ("Robin", "Quill")
    assert (patient.state, patient.zip_code, patient.phone) == ("IL", "627041234", "2175550142")
    assert patient.date_of_birth == datetime.date(1980, 3, 14)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "FUTURE", "Date of birth can&#x27;t be in the future."),
        ("date_of_birth", "14/03/1980", "Enter the date of birth as MM/DD/YYYY."),
        ("state", "Illinois", "Use the two-letter state code, e.g. IL."),
        ("state", "ZZ", "Use the two-letter state code, e.g. IL."),
        ("zip_code", "6270", "ZIP is 5 or 9 digits."),
        ("zip_code", "62704-12", "ZIP is 5 or 9 digits."),
        ("phone", "555-1234", "Phone is 10 digits"),
        ("phone", "call me", "Phone is 10 digits"),
        ("last_name", "   ", "Enter the last name."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, front_desk, field, value, message):
    if value == "FUTURE":
        value = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%m/%d/%Y")
    client.force_login(front_desk)

    response = _post(client, {**FORM, field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].data[field] == value  # the user's input comes back
    assert not Patient.objects.exists()


def test_an_empty_form_lists_every_required_field(client, front_desk):
    client.force_login(front_desk)
    response = _post(client, {})
    body = response.content.decode()
    assert response.status_code == 400
    for message in ("Enter the first name.", "Enter the date of birth.", "Enter the ZIP."):
        assert message in body


@pytest.mark.parametrize(
    "phone", ["(555) 123-4567", "555-123-4567", "555.123.4567", "+1 555 123 4567"]
)
def test_phone_is_accepted_as_people_write_it(client, front_desk, phone):
    client.force_login(front_desk)
    _post(client, {**FORM, "phone": phone})
    assert Patient.objects.get().phone == "5551234567"


def test_a_likely_duplicate_is_shown_and_needs_create_anyway(client, front_desk, practice_a):
    existing = PatientFactory(
        practice=practice_a, first_name="Quill", last_name="Robin",  # transposed
        date_of_birth=datetime.date(1980, 3, 14), mrn="MRN777",
    )  # fmt: skip
    client.force_login(front_desk)

    warned = _post(client, FORM)

    assert warned.status_code == 200
    assert warned.context["duplicates"] == [existing]
    body = warned.content.decode()
    assert "MRN777" in body and "Create anyway" in body
    assert 'name="confirm_not_duplicate" value="on"' in body
    assert Patient.objects.count() == 1

    created = _post(client, {**FORM, "confirm_not_duplicate": "on"})

    assert created.status_code == 302
    assert Patient.objects.count() == 2


@pytest.mark.parametrize(
    ("first", "last", "born", "found"),
    [
        ("Robin", "Quill", datetime.date(1980, 3, 14), True),
        ("robin", "QUILL", datetime.date(1980, 3, 14), True),
        ("Robyn", "Quil", datetime.date(1980, 3, 14), True),  # typos
        ("Quill", "Robin", datetime.date(1980, 3, 14), True),  # transposed
        ("Robin", "Quill", datetime.date(1980, 3, 15), False),  # another birthday
        ("Maria", "Gonzalez", datetime.date(1980, 3, 14), False),  # another person
    ],
)
def test_duplicates_need_the_same_birthday_and_a_similar_name(practice_a, first, last, born, found):
    PatientFactory(
        practice=practice_a, first_name="Robin", last_name="Quill",
        date_of_birth=datetime.date(1980, 3, 14),
    )  # fmt: skip
    candidates = patient_duplicates_find(
        practice=practice_a, first_name=first, last_name=last, date_of_birth=born
    )
    assert bool(candidates) is found


def test_duplicates_are_looked_for_in_the_same_practice_only(front_desk, practice_a, practice_b):
    PatientFactory(
        practice=practice_b, first_name="Robin", last_name="Quill",
        date_of_birth=datetime.date(1980, 3, 14),
    )  # fmt: skip
    patient = patient_register(
        practice=practice_a, user=front_desk, first_name="Robin", last_name="Quill",
        date_of_birth=datetime.date(1980, 3, 14), sex="F", address1="1 A St", city="X",
        state="IL", zip_code="62704",
    )  # fmt: skip
    assert patient.pk


def test_the_service_refuses_unconfirmed_duplicates(front_desk, practice_a):
    PatientFactory(practice=practice_a, first_name="Ann", last_name="Lee")
    with pytest.raises(PossibleDuplicates, match=r"^1 possible duplicate\(s\)$"):
        patient_register(
            practice=practice_a, user=front_desk, first_name="Ann", last_name="Lee",
            date_of_birth=datetime.date(1970, 5, 17), sex="F", address1="1 A St", city="X",
            state="IL", zip_code="62704",
        )  # fmt: skip


def test_a_member_of_two_practices_picks_where_to_register(client, front_desk, practice_b):
    MembershipFactory(user=front_desk, practice=practice_b, role=Role.ADMINISTRATOR)
    client.force_login(front_desk)

    page = client.get(reverse("patient-register"))
    assert "Bravo Pediatrics" in page.content.decode()
    refused = _post(client, FORM)
    assert "Choose the practice." in refused.content.decode()

    _post(client, {**FORM, "practice": practice_b.pk})
    assert Patient.objects.get().practice == practice_b


def test_only_practices_where_the_user_registers_are_offered(client, front_desk, practice_b):
    MembershipFactory(user=front_desk, practice=practice_b, role=Role.BILLER)
    client.force_login(front_desk)

    offered = client.get(reverse("patient-register")).context["form"].fields["practice"].choices
    assert [name for _pk, name in offered] == ["Alpha Family Medicine"]
    response = _post(client, {**FORM, "practice": practice_b.pk})

    assert response.status_code == 400
    assert "Choose one of the practices where you register patients." in response.content.decode()
    assert not Patient.objects.exists()


@pytest.mark.parametrize("role", ["coder", "biller"])
def test_coders_and_billers_cannot_register_or_edit(client, request, role, practice_a):
    client.force_login(request.getfixturevalue(role))
    patient = PatientFactory(practice=practice_a)
    assert client.get(reverse("patient-register")).status_code == 403
    assert client.get(reverse("patient-edit", args=[patient.pk])).status_code == 403


def test_editing_saves_the_changes(client, front_desk, practice_a):
    patient = PatientFactory(practice=practice_a, phone="2175550100")
    client.force_login(front_desk)
    url = reverse("patient-edit", args=[patient.pk])
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["date_of_birth"] = patient.date_of_birth.strftime("%m/%d/%Y")

    response = client.post(url, {**data, "last_name": " Newname ", "phone": "217-555-0199"})

    patient.refresh_from_db()
    assert response.status_code == 302
    assert (patient.last_name, patient.phone) == ("Newname", "2175550199")


def test_a_bad_edit_changes_nothing(client, front_desk, practice_a):
    patient = PatientFactory(practice=practice_a, last_name="Kept")
    client.force_login(front_desk)
    url = reverse("patient-edit", args=[patient.pk])

    response = client.post(url, {**FORM, "last_name": "Changed", "zip_code": "1"})

    patient.refresh_from_db()
    assert response.status_code == 400
    assert "ZIP is 5 or 9 digits." in response.content.decode()
    assert patient.last_name == "Kept"


def test_another_practices_patient_cannot_be_edited(client, front_desk, practice_b):
    other = PatientFactory(practice=practice_b, last_name="Kept")
    client.force_login(front_desk)
    assert client.get(reverse("patient-edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("patient-edit", args=[other.pk]), FORM).status_code == 404
    other.refresh_from_db()
    assert other.last_name == "Kept"


def test_the_chart_offers_edit_to_the_front_desk_and_merge_to_administrators(
    client, front_desk, administrator, practice_a
):
    patient = PatientFactory(practice=practice_a)
    chart = reverse("patient-detail", args=[patient.pk])

    client.force_login(front_desk)
    body = client.get(chart).content.decode()
    assert reverse("patient-edit", args=[patient.pk]) in body
    assert reverse("patient-merge", args=[patient.pk]) not in body

    client.force_login(administrator)
    body = client.get(chart).content.decode()
    assert body.count(reverse("patient-edit", args=[patient.pk])) == 1
    assert reverse("patient-merge", args=[patient.pk]) in body
