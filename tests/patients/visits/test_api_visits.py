"""The visits and eligibility API: happy paths, errors in words, roles and tenancy."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from patients.models import EligibilityCheck, Encounter, EncounterStatus
from rcm.practice.models import FeeSchedule, FeeScheduleEntry
from tests.factories import CoverageFactory, EncounterFactory, PatientFactory, ProviderFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def patient(practice_a):
    return PatientFactory(practice=practice_a)


@pytest.fixture
def coverage(patient):
    return CoverageFactory(patient=patient)


@pytest.fixture
def provider(practice_a):
    return ProviderFactory(practice=practice_a)


@pytest.fixture
def scheduled(patient, provider, today):
    return EncounterFactory(
        patient=patient,
        rendering_provider=provider,
        date_of_service=today,
        clinical_note="",
        status=EncounterStatus.SCHEDULED,
    )


def test_front_desk_creates_lists_and_updates_a_visit(api, front_desk, patient, provider, today):
    api.force_authenticate(front_desk)

    created = api.post(
        reverse("api-visit-list"),
        {"patient": patient.pk, "rendering_provider": provider.pk,
         "date_of_service": str(today + DAY)},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.data
    assert created.data["status"] == "scheduled"
    assert created.data["eligibility"]["ok"] is False
    pk = created.data["id"]

    listed = api.get(reverse("api-visit-list"), {"patient": patient.pk})
    assert [row["id"] for row in listed.data["results"]] == [pk]

    changed = api.patch(
        reverse("api-visit-detail", args=[pk]), {"place_of_service": "10"}, format="json"
    )
    assert changed.status_code == 200
    assert changed.data["place_of_service"] == "10"
    assert api.get(reverse("api-visit-detail", args=[pk])).data["place_of_service"] == "10"


def test_create_errors_are_in_words(api, front_desk, patient, practice_b, today):
    api.force_authenticate(front_desk)
    stranger = ProviderFactory(practice=practice_b)

    response = api.post(
        reverse("api-visit-list"),
        {"patient": patient.pk, "rendering_provider": stranger.pk, "date_of_service": str(today)},
        format="json",
    )

    assert response.status_code == 400
    assert response.data == {"rendering_provider": ["Choose a provider of this practice."]}
    missing = api.post(reverse("api-visit-list"), {"patient": patient.pk}, format="json")
    assert missing.status_code == 400
    assert "date_of_service" in missing.data
    assert not Encounter.objects.exists()


def test_ready_for_coding_needs_the_note(api, front_desk, scheduled):
    api.force_authenticate(front_desk)
    url = reverse("api-visit-ready", args=[scheduled.pk])

    refused = api.post(url, {}, format="json")
    assert refused.status_code == 400
    assert refused.data == {"clinical_note": ["Coders need the clinical note: write it."]}
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.clinical_note) == ("scheduled", "")

    done = api.post(url, {"clinical_note": "Sore throat; rapid strep negative."}, format="json")
    assert done.status_code == 200
    assert done.data["status"] == "awaiting_coding"
    again = api.post(url, {}, format="json")
    assert again.status_code == 400
    assert "Only a scheduled encounter" in again.data["non_field_errors"][0]


def test_checking_a_visit_and_reading_the_check(api, front_desk, scheduled, coverage):
    api.force_authenticate(front_desk)

    checked = api.post(reverse("api-visit-eligibility", args=[scheduled.pk]))

    assert checked.status_code == 201
    assert checked.data["status"] == "active"
    assert checked.data["summary"]["office_visit"]["copay"] == "25.00"
    read = api.get(reverse("api-eligibility-detail", args=[checked.data["id"]]))
    assert read.data["encounter_id"] == scheduled.pk
    visit = api.get(reverse("api-visit-detail", args=[scheduled.pk])).data
    assert visit["eligibility"]["ok"] is True
    assert visit["eligibility"]["check"]["id"] == checked.data["id"]


def test_checking_a_coverage_for_a_date(api, front_desk, coverage, today):
    api.force_authenticate(front_desk)

    checked = api.post(
        reverse("api-coverage-eligibility", args=[coverage.pk]),
        {"service_date": str(today + DAY)},
        format="json",
    )

    assert checked.status_code == 201
    assert checked.data["service_date"] == str(today + DAY)
    assert EligibilityCheck.objects.get().requested_by == front_desk


def test_a_visit_without_coverage_cannot_be_checked(api, front_desk, scheduled):
    api.force_authenticate(front_desk)

    response = api.post(reverse("api-visit-eligibility", args=[scheduled.pk]))

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["No primary insurance covers the visit date."]}
    assert not EligibilityCheck.objects.exists()


def test_the_worklist(api, front_desk, scheduled, biller):
    api.force_authenticate(front_desk)

    rows = api.get(reverse("api-eligibility-worklist")).data

    assert [row["id"] for row in rows] == [scheduled.pk]
    assert "No primary insurance covers" in rows[0]["eligibility"]["problem"]
    api.force_authenticate(biller)
    assert api.get(reverse("api-eligibility-worklist")).status_code == 403


def test_estimates(api, front_desk, scheduled, coverage, practice_a, today):
    schedule = FeeSchedule.objects.create(practice=practice_a, name="S", effective_from=today)
    FeeScheduleEntry.objects.create(schedule=schedule, code="99213", charge=Decimal("150.00"))
    FeeScheduleEntry.objects.create(schedule=schedule, code="99203", charge=Decimal("200.00"))
    api.force_authenticate(front_desk)
    api.post(reverse("api-visit-eligibility", args=[scheduled.pk]))

    visit = api.get(reverse("api-visit-estimate", args=[scheduled.pk])).data
    assert visit["lines"] == [{"code": "99203", "fee": "200.00"}]
    assert visit["patient_share"] == "200.00"  # $25 copay + $175 toward the $1,000 deductible

    coded = api.post(
        reverse("api-coverage-estimate", args=[coverage.pk]),
        {"codes": ["99213"], "service_date": str(today)},
        format="json",
    ).data
    assert coded["patient_share"] == "150.00"
    assert coded["steps"][-1] == "Estimated patient share: $150.00; the plan would pay $0.00."


def test_roles(api, biller, coder, scheduled, coverage, patient, provider, today):
    api.force_authenticate(biller)
    create = {"patient": patient.pk, "rendering_provider": provider.pk,
              "date_of_service": str(today)}  # fmt: skip
    assert api.post(reverse("api-visit-list"), create, format="json").status_code == 403
    assert api.post(reverse("api-coverage-eligibility", args=[coverage.pk])).status_code == 403
    api.force_authenticate(coder)
    assert api.get(reverse("api-visit-detail", args=[scheduled.pk])).status_code == 200
    assert api.post(reverse("api-visit-ready", args=[scheduled.pk])).status_code == 403
    assert list(Encounter.objects.values_list("pk", "status")) == [(scheduled.pk, "scheduled")]
    assert not EligibilityCheck.objects.exists()


def test_other_practices_are_not_found(api, front_desk, practice_b, provider, today):
    other = EncounterFactory(patient__practice=practice_b, status=EncounterStatus.SCHEDULED)
    other_coverage = CoverageFactory(patient=other.patient)
    other_check = EligibilityCheck.objects.create(
        practice=practice_b, coverage=other_coverage, service_date=today
    )
    api.force_authenticate(front_desk)

    create = {"patient": other.patient_id, "rendering_provider": provider.pk,
              "date_of_service": str(today)}  # fmt: skip
    assert api.post(reverse("api-visit-list"), create, format="json").status_code == 404
    assert api.get(reverse("api-visit-detail", args=[other.pk])).status_code == 404
    assert api.patch(reverse("api-visit-detail", args=[other.pk]), {}).status_code == 404
    assert api.post(reverse("api-visit-ready", args=[other.pk])).status_code == 404
    assert api.post(reverse("api-visit-eligibility", args=[other.pk])).status_code == 404
    assert api.get(reverse("api-visit-estimate", args=[other.pk])).status_code == 404
    url = reverse("api-coverage-eligibility", args=[other_coverage.pk])
    assert api.post(url).status_code == 404
    assert api.get(reverse("api-eligibility-detail", args=[other_check.pk])).status_code == 404
    assert api.get(reverse("api-visit-list")).data["results"] == []
    other.refresh_from_db()
    assert other.status == EncounterStatus.SCHEDULED
    assert Encounter.objects.count() == 1
    assert list(EligibilityCheck.objects.all()) == [other_check]


def test_anonymous_callers_are_refused(api, scheduled):
    assert api.get(reverse("api-visit-list")).status_code in (401, 403)
