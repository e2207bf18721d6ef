"""The front desk marks a visit self-pay (form and API); billing then bills the patient."""

from __future__ import annotations

import datetime

from django.urls import reverse
from rest_framework.test import APIClient

from claims.billing import encounter_bill
from claims.models import Claim, SelfPayCharge
from patients.models import Encounter, EncounterStatus
from tests.factories import (
    EncounterDiagnosisFactory,
    EncounterFactory,
    PatientFactory,
    ProcedureLineFactory,
    ProviderFactory,
)


def test_the_front_desk_marks_a_visit_self_pay_in_the_form(client, front_desk, practice_a):
    patient = PatientFactory(practice=practice_a)
    provider = ProviderFactory(practice=practice_a)
    client.force_login(front_desk)
    assert b'name="self_pay"' in client.get(reverse("visit-new", args=[patient.pk])).content

    response = client.post(
        reverse("visit-new", args=[patient.pk]),
        {
            "rendering_provider": provider.pk,
            "date_of_service": "2026-11-20",
            "place_of_service": "11",
            "self_pay": "on",
        },
    )

    encounter = Encounter.objects.get(patient=patient)
    assert response.status_code == 302 and encounter.self_pay
    detail = client.get(reverse("visit-detail", args=[encounter.pk])).content.decode()
    assert "Self-pay: the patient pays; no claim goes to insurance" in detail

    client.post(
        reverse("visit-edit", args=[encounter.pk]),
        {"rendering_provider": provider.pk, "date_of_service": "2026-11-20",
         "place_of_service": "11"},
    )  # fmt: skip
    encounter.refresh_from_db()
    assert not encounter.self_pay  # unticked


def test_the_api_sets_and_shows_self_pay(front_desk, practice_a):
    encounter = EncounterFactory(patient__practice=practice_a, status=EncounterStatus.SCHEDULED)
    api = APIClient()
    api.force_authenticate(front_desk)

    response = api.patch(
        reverse("api-visit-detail", args=[encounter.pk]), {"self_pay": True}, format="json"
    )

    assert response.status_code == 200 and response.json()["self_pay"] is True
    assert Encounter.objects.get(pk=encounter.pk).self_pay
    refused = api.patch(
        reverse("api-visit-detail", args=[encounter.pk]), {"self_pay": "maybe"}, format="json"
    )
    assert refused.status_code == 400
    assert Encounter.objects.get(pk=encounter.pk).self_pay


def test_a_self_pay_visit_without_any_coverage_is_billed_to_the_patient(practice_a):
    encounter = EncounterFactory(
        patient__practice=practice_a,
        status=EncounterStatus.CODED,
        self_pay=True,
        date_of_service=datetime.date(2026, 10, 1),
    )
    EncounterDiagnosisFactory(encounter=encounter)
    ProcedureLineFactory(encounter=encounter)

    encounter_bill(encounter_id=encounter.pk, user=None)

    assert SelfPayCharge.objects.get(encounter=encounter).amount == 125
    assert not Claim.objects.exists()
