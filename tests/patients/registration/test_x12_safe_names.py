"""Names and addresses that X12 cannot carry are refused where they are typed, with a message."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from patients.models import Coverage, Patient
from tests.factories import PatientFactory, PayerFactory, ProviderFactory
from tests.patients.coverage.test_api_coverage import body
from tests.patients.registration.test_api_registration import NEW_PATIENT, api_for
from tests.patients.registration.test_registration import FORM, _post

HOSTILE = [
    ("last_name", "O*Brien", "Names may not contain * ~ : ^ | or line breaks."),
    ("last_name", "Smith~ISA", "Names may not contain * ~ : ^ | or line breaks."),
    ("first_name", "Ann:Marie", "Names may not contain * ~ : ^ | or line breaks."),
    ("middle_name", "^", "Names may not contain * ~ : ^ | or line breaks."),
    ("first_name", "Ann|Marie", "Names may not contain * ~ : ^ | or line breaks."),
    ("address1", "12 Main St\r\nApt 4", "Addresses may not contain * ~ : ^ | or line breaks"),
    ("city", "Spring\x0bfield", "Addresses may not contain * ~ : ^ | or line breaks"),
]


@pytest.mark.parametrize(("field", "value", "message"), HOSTILE)
def test_the_register_form_refuses_x12_delimiters(client, front_desk, field, value, message):
    client.force_login(front_desk)

    response = _post(client, {**FORM, field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Patient.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), HOSTILE)
def test_the_register_api_refuses_x12_delimiters(front_desk, field, value, message):
    response = api_for(front_desk).post(
        reverse("api-patient-register"), {**NEW_PATIENT, field: value}, format="json"
    )

    assert response.status_code == 400
    assert any(message in text for text in response.json()[field])
    assert not Patient.objects.exists()


def test_typographic_apostrophes_and_dashes_are_saved_plain(client, front_desk):
    client.force_login(front_desk)

    _post(client, {**FORM, "last_name": "O\u2019Brien\u2013Smith", "first_name": "Ann\u00a0Marie"})

    patient = Patient.objects.get()
    assert (patient.first_name, patient.last_name) == ("Ann Marie", "O'Brien-Smith")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subscriber_last_name", "Doe*Jr"),
        ("subscriber_address1", "1 Main\nSt"),
        ("member_id", "NW~1"),
    ],
)
def test_the_coverage_api_refuses_x12_delimiters(front_desk, practice_a, field, value):
    patient = PatientFactory(practice=practice_a)
    PayerFactory(name="Northwind Health", payer_id="NWH01")
    subscriber = {
        "relationship": "01",
        "subscriber_first_name": "Pat",
        "subscriber_last_name": "Doe",
        "subscriber_date_of_birth": "1970-01-01",
        "subscriber_sex": "M",
        "subscriber_address1": "1 Main St",
        "subscriber_city": "Springfield",
        "subscriber_state": "IL",
        "subscriber_zip_code": "62704",
    }

    response = api_for(front_desk).post(
        reverse("api-coverage-create", args=[patient.pk]),
        body(**{**subscriber, field: value}),
        format="json",
    )

    assert response.status_code == 400, response.json()
    assert "may not contain * ~ : ^ | or line breaks" in str(response.json()[field])
    assert not Coverage.objects.exists()


def test_providers_practices_and_payers_refuse_x12_delimiters(practice_a):
    provider = ProviderFactory.build(practice=practice_a, last_name="Who*")
    payer = PayerFactory.build(name="Acme~Health", payer_id="AC:1")
    practice_a.address1 = "1 Main\nSt"

    for obj, field in ((provider, "last_name"), (payer, "name"), (payer, "payer_id")):
        with pytest.raises(ValidationError) as refused:
            obj.full_clean()
        assert "may not contain * ~ : ^ | or line breaks" in str(refused.value.message_dict[field])
    with pytest.raises(ValidationError) as refused:
        practice_a.full_clean()
    assert refused.value.message_dict["address1"] == [
        "Addresses may not contain * ~ : ^ | or line breaks: use address line 2."
    ]
