"""Odd input answers 4xx with a message, never 500, and writes nothing (issue 9's nine causes)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from coding.models import ProcedureLine
from patients.models import Encounter, EncounterStatus, Patient
from tests.factories import EncounterFactory, PatientFactory, ProviderFactory
from tests.patients.registration.test_api_registration import NEW_PATIENT
from tests.patients.registration.test_registration import FORM


@pytest.fixture
def api(front_desk):
    client = APIClient()
    client.force_authenticate(front_desk)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/patients/?q=Smith%00",
        "/patients/?q=%00",
        "/coding/worklist/?q=%00&provider=1",
        "/api/patients/?q=Sm%00ith",
        "/api/visits/?status=%00",
    ],
)
def test_a_nul_byte_in_a_parameter_is_refused_in_words(client, front_desk, coder, url):
    client.force_login(front_desk if "coding" not in url else coder)

    response = client.get(url)

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_byte_in_a_form_is_refused_and_nothing_is_written(client, front_desk):
    client.force_login(front_desk)

    response = client.post(reverse("patient-register"), {**FORM, "last_name": "Quill\x00"})

    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert not Patient.objects.exists()


def test_a_nul_byte_in_json_is_refused_and_nothing_is_written(api):
    response = api.post(
        reverse("api-patient-register"), {**NEW_PATIENT, "city": "Spring\x00field"}, format="json"
    )

    assert response.status_code == 400
    assert "NUL" in str(response.json())
    assert not Patient.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/coding/worklist/?provider=%C2%B2&payer=%C2%B2",
        "/api/visits/?patient=%C2%B2",
        "/patients/?page=%C2%B2",
        "/claims/queue/ready/?page=%C2%B2",
    ],
)
def test_unicode_digits_where_a_number_is_parsed(client, coder, front_desk, biller, url):
    user = {"coding": coder, "patients": front_desk, "api": front_desk}.get(url.split("/")[1])
    client.force_login(user or biller)

    response = client.get(url)

    assert response.status_code in (200, 400)


def test_unicode_digits_on_scope_and_merge(client, front_desk, practice_a):
    client.force_login(front_desk)

    scope = client.post("/scope/", {"practice": "\u00b2"})

    assert scope.status_code == 400
    assert "not a member of that practice" in scope.content.decode()


@pytest.mark.parametrize("next_url", ["http://[::1", "\\\\evil.example", "/\r\nLocation: x", "//"])
def test_a_bad_next_on_scope_goes_home(client, biller, practice_a, next_url):
    client.force_login(biller)

    response = client.post("/scope/", {"practice": str(practice_a.pk), "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("depth", [5_000, 100])
def test_deeply_nested_json_is_refused_in_words(api, depth):
    body = "[" * depth + "]" * depth

    response = api.generic(
        "POST", reverse("api-patient-register"), body, content_type="application/json"
    )

    assert response.status_code == 400
    assert "nested" in json.dumps(response.json())
    assert not Patient.objects.exists()


def test_a_date_of_birth_before_1900_is_refused(client, front_desk):
    client.force_login(front_desk)

    response = client.post(reverse("patient-register"), {**FORM, "date_of_birth": "01/01/0001"})

    assert response.status_code == 400
    assert "Date of birth must be after 01/01/1900." in response.content.decode()
    assert not Patient.objects.exists()


def test_a_visit_in_9999_is_refused(api, practice_a):
    patient = PatientFactory(practice=practice_a)
    provider = ProviderFactory(practice=practice_a)

    response = api.post(
        reverse("api-visit-list"),
        {"patient": patient.pk, "rendering_provider": provider.pk, "date_of_service": "9999-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "within" in str(response.json())
    assert not Encounter.objects.exists()


@pytest.fixture
def coding_encounter(practice_a):
    return EncounterFactory(
        patient__practice=practice_a,
        date_of_service=datetime.date(2026, 10, 1),
        status=EncounterStatus.AWAITING_CODING,
    )


@pytest.mark.parametrize(
    ("charge", "message"),
    [
        ("NaN", "is not a number"),
        ("Infinity", "is not a number"),
        ("-inf", "is not a number"),
        ("sNaN", "is not a number"),
        ("10000000000", "at most $999,999.99"),
        ("1000000000.00", "at most $999,999.99"),
        ("1e400", "at most $999,999.99"),
    ],
)
def test_odd_amounts_are_refused_in_words(client, coder, coding_encounter, charge, message):
    client.force_login(coder)
    data = {
        "dx": ["E11.9"],
        "line-count": "1",
        "line-1-code": "99213",
        "line-1-units": "1",
        "line-1-charge": charge,
        "line-1-ptr1": "1",
        "action": "save",
    }

    response = client.post(reverse("coding-encounter", args=[coding_encounter.pk]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProcedureLine.objects.exists()


@pytest.mark.parametrize("units", ["NaN", "Infinity", "1e400"])
def test_odd_units_are_refused_in_words(client, coder, coding_encounter, units):
    client.force_login(coder)
    data = {
        "dx": ["E11.9"],
        "line-count": "1",
        "line-1-code": "99213",
        "line-1-units": units,
        "line-1-charge": "10",
        "line-1-ptr1": "1",
        "action": "save",
    }

    response = client.post(reverse("coding-encounter", args=[coding_encounter.pk]), data)

    assert response.status_code == 400
    assert not ProcedureLine.objects.exists()
