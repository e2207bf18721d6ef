"""The clinical note has a limit (20,000 characters) on every way in, with a message."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.models import EncounterStatus
from tests.factories import EncounterFactory, PatientFactory, ProviderFactory
from tests.patients.visits.test_visits import visit_form

MESSAGE = "The clinical note can be at most 20,000 characters"
TOO_LONG = "Cough for 3 days. " * 60_000  # about 1 MB


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def provider(practice_a):
    return ProviderFactory(practice=practice_a)


@pytest.fixture
def scheduled(practice_a, provider, today):
    return EncounterFactory(
        patient=PatientFactory(practice=practice_a),
        rendering_provider=provider,
        date_of_service=today,
        clinical_note="",
        status=EncounterStatus.SCHEDULED,
    )


def test_the_visit_form_refuses_a_huge_note(client, front_desk, scheduled, provider, today):
    client.force_login(front_desk)

    response = client.post(
        reverse("visit-edit", args=[scheduled.pk]),
        visit_form(provider, today, clinical_note=TOO_LONG),
    )

    assert response.status_code == 200  # the form again, with the message
    assert MESSAGE in response.text
    scheduled.refresh_from_db()
    assert scheduled.clinical_note == ""


def test_sending_to_coding_refuses_a_huge_note(client, front_desk, scheduled):
    client.force_login(front_desk)

    response = client.post(reverse("visit-ready", args=[scheduled.pk]), {"clinical_note": TOO_LONG})

    assert response.status_code == 400
    assert MESSAGE in response.text
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.clinical_note) == (EncounterStatus.SCHEDULED, "")


@pytest.mark.parametrize("route", ["update", "ready"])
def test_the_api_refuses_a_huge_note(front_desk, scheduled, route):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(front_desk)
    if route == "update":
        response = api.patch(
            reverse("api-visit-detail", args=[scheduled.pk]),
            {"clinical_note": TOO_LONG},
            format="json",
        )
    else:
        response = api.post(
            reverse("api-visit-ready", args=[scheduled.pk]),
            {"clinical_note": TOO_LONG},
            format="json",
        )

    assert response.status_code == 400
    assert MESSAGE in str(response.json()["clinical_note"])
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.clinical_note) == (EncounterStatus.SCHEDULED, "")
