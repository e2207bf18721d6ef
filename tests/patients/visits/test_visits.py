"""The front desk's visit pages: schedule, edit, send to coding, check eligibility, worklist."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.coverage.eligibility import eligibility_check
from patients.models import EligibilityCheck, Encounter, EncounterStatus
from tests.factories import (
    CoverageFactory,
    EncounterFactory,
    MembershipFactory,
    PatientFactory,
    ProviderFactory,
)

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def patient(practice_a):
    return PatientFactory(practice=practice_a, first_name="Ada", last_name="Quill")


@pytest.fixture
def coverage(patient):
    return CoverageFactory(patient=patient, payer__name="Northwind Health")


@pytest.fixture
def provider(practice_a):
    return ProviderFactory(practice=practice_a, first_name="Grace", last_name="Hopper")


@pytest.fixture
def scheduled(patient, provider, today):
    return EncounterFactory(
        patient=patient,
        rendering_provider=provider,
        date_of_service=today,
        clinical_note="",
        status=EncounterStatus.SCHEDULED,
    )


def visit_form(provider, day, **extra):
    return {
        "rendering_provider": provider.pk,
        "date_of_service": day.isoformat(),
        "place_of_service": "11",
        "clinical_note": "",
        "prior_authorization": "",
        **extra,
    }


def test_front_desk_schedules_a_visit(client, front_desk, patient, provider, today):
    client.force_login(front_desk)
    assert client.get(reverse("visit-new", args=[patient.pk])).status_code == 200

    response = client.post(
        reverse("visit-new", args=[patient.pk]), visit_form(provider, today + 2 * DAY)
    )

    encounter = Encounter.objects.get(patient=patient)
    assert response.status_code == 302
    assert response.url == reverse("visit-detail", args=[encounter.pk])
    assert encounter.status == EncounterStatus.SCHEDULED
    assert encounter.rendering_provider == provider


def test_the_visit_form_says_what_is_missing_and_saves_nothing(
    client, front_desk, patient, provider, practice_b
):
    client.force_login(front_desk)
    url = reverse("visit-new", args=[patient.pk])

    response = client.post(url, {"rendering_provider": "", "date_of_service": ""})
    assert response.status_code == 200
    assert "Enter the date of the visit." in response.text
    assert "This field is required." in response.text

    stranger = ProviderFactory(practice=practice_b)
    response = client.post(url, visit_form(stranger, timezone.localdate()))
    assert "Choose a provider of this practice." in response.text

    response = client.post(url, visit_form(provider, datetime.date(1950, 1, 1)))
    assert "before the patient&#x27;s date of birth" in response.text
    assert not Encounter.objects.filter(patient=patient).exists()


def test_front_desk_edits_a_visit(client, front_desk, scheduled, provider, today):
    client.force_login(front_desk)
    url = reverse("visit-edit", args=[scheduled.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, visit_form(provider, today + DAY, place_of_service="02"))

    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.date_of_service == today + DAY
    assert scheduled.place_of_service == "02"


def test_a_billed_visit_cannot_be_edited(client, front_desk, scheduled, provider, today):
    Encounter.objects.filter(pk=scheduled.pk).update(status=EncounterStatus.BILLED)
    client.force_login(front_desk)

    response = client.post(
        reverse("visit-edit", args=[scheduled.pk]), visit_form(provider, today + DAY)
    )

    assert response.status_code == 200
    assert "can no longer change" in response.text
    scheduled.refresh_from_db()
    assert scheduled.date_of_service == today


def test_a_visit_that_happened_goes_to_coding_with_its_note(client, front_desk, scheduled):
    client.force_login(front_desk)
    url = reverse("visit-ready", args=[scheduled.pk])

    response = client.post(url, {"clinical_note": ""})
    assert response.status_code == 400
    assert "Write the clinical note" in response.text

    response = client.post(url, {"clinical_note": "Cough for 3 days; lungs clear."})
    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.status == EncounterStatus.AWAITING_CODING
    assert scheduled.clinical_note == "Cough for 3 days; lungs clear."


def test_a_future_visit_cannot_go_to_coding(client, front_desk, scheduled, today):
    Encounter.objects.filter(pk=scheduled.pk).update(date_of_service=today + 3 * DAY)
    client.force_login(front_desk)

    response = client.post(reverse("visit-ready", args=[scheduled.pk]), {"clinical_note": "x"})

    assert response.status_code == 400
    assert "cannot be coded before it happens" in response.text
    scheduled.refresh_from_db()
    assert scheduled.status == EncounterStatus.SCHEDULED


def test_the_visit_page_warns_then_shows_active_coverage(client, front_desk, scheduled, coverage):
    client.force_login(front_desk)
    url = reverse("visit-detail", args=[scheduled.pk])

    page = client.get(url).text
    assert "Eligibility has not been checked for this visit." in page
    assert "Check eligibility" in page
    assert "Ready for coding" in page

    response = client.post(
        reverse("coverage-eligibility-check", args=[coverage.pk]),
        {"encounter": scheduled.pk, "service_date": scheduled.date_of_service.isoformat()},
    )
    check = EligibilityCheck.objects.get()
    assert response.url == reverse("eligibility-detail", args=[check.pk])
    assert check.encounter == scheduled

    page = client.get(url).text
    assert "Coverage active on" in page
    assert "Estimated patient share" in page


def test_an_uninsured_visit_is_flagged(client, front_desk, scheduled):
    client.force_login(front_desk)

    page = client.get(reverse("visit-detail", args=[scheduled.pk])).text

    assert "No primary insurance covers" in page


def test_the_eligibility_page_reads_in_plain_words(client, front_desk, coverage):
    client.force_login(front_desk)

    response = client.post(reverse("coverage-eligibility-check", args=[coverage.pk]), {})
    page = client.get(response.url).text

    assert "Coverage active with Northwind Health" in page
    assert "Office visit (physician)" in page
    assert "$25.00" in page and "20%" in page and "$1000.00" in page
    assert "Files exchanged" not in page  # only administrators see the X12 files


def test_an_unknown_member_shows_the_reason_in_words(client, front_desk, coverage):
    coverage.member_id = "NOBODY"  # not saved: a member id the payer has never heard of
    check = eligibility_check(coverage=coverage, service_date=timezone.localdate(), user=None)
    client.force_login(front_desk)

    page = client.get(reverse("eligibility-detail", args=[check.pk])).text

    assert "Subscriber/insured not found" in page
    assert "please correct and resubmit" in page
    assert "by the daily sweep" in page


def test_administrators_get_the_kept_files(client, administrator, coverage):
    client.force_login(administrator)
    response = client.post(reverse("coverage-eligibility-check", args=[coverage.pk]), {})
    check = EligibilityCheck.objects.get()

    page = client.get(response.url).text
    assert "Files exchanged" in page
    assert check.request_file.name in page

    request_file = client.get(reverse("eligibility-file", args=[check.pk, "request"]))
    assert request_file.status_code == 200
    assert b"ST*270*" in request_file.content
    response_file = client.get(reverse("eligibility-file", args=[check.pk, "response"]))
    assert b"ST*271*" in response_file.content
    assert client.get(reverse("eligibility-file", args=[check.pk, "other"])).status_code == 404


def test_billers_read_checks_but_do_not_run_them(client, biller, front_desk, coverage):
    client.force_login(front_desk)
    client.post(reverse("coverage-eligibility-check", args=[coverage.pk]), {})
    check = EligibilityCheck.objects.get()
    client.force_login(biller)

    assert client.get(reverse("eligibility-detail", args=[check.pk])).status_code == 200
    url = reverse("coverage-eligibility-check", args=[coverage.pk])
    assert client.post(url, {}).status_code == 403
    assert client.get(reverse("eligibility-file", args=[check.pk, "request"])).status_code == 403


def test_coders_see_visits_but_do_not_manage_them(client, coder, scheduled):
    client.force_login(coder)

    page = client.get(reverse("visit-detail", args=[scheduled.pk]))

    assert page.status_code == 200
    assert "Edit visit" not in page.text
    assert client.get(reverse("visit-edit", args=[scheduled.pk])).status_code == 403


def test_other_practices_are_not_found(client, front_desk, practice_b, today):
    other = EncounterFactory(patient__practice=practice_b, status=EncounterStatus.SCHEDULED)
    other_coverage = CoverageFactory(patient=other.patient)
    other_check = EligibilityCheck.objects.create(
        practice=practice_b, coverage=other_coverage, service_date=today
    )
    client.force_login(front_desk)

    assert client.get(reverse("visit-new", args=[other.patient_id])).status_code == 404
    assert client.get(reverse("visit-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("visit-edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("visit-ready", args=[other.pk]), {}).status_code == 404
    url = reverse("coverage-eligibility-check", args=[other_coverage.pk])
    assert client.post(url, {}).status_code == 404
    assert client.get(reverse("eligibility-detail", args=[other_check.pk])).status_code == 404
    assert not EligibilityCheck.objects.exclude(pk=other_check.pk).exists()


def test_a_front_desk_in_one_practice_and_biller_in_another_cannot_schedule_there(
    client, front_desk, practice_b
):
    MembershipFactory(user=front_desk, practice=practice_b, role="biller")
    patient_b = PatientFactory(practice=practice_b)
    client.force_login(front_desk)

    assert (
        client.get(reverse("visit-new", args=[patient_b.pk])).status_code == 403
    )  # visible, but not a front-desk role there


def test_the_worklist_page_and_the_home_count(client, front_desk, scheduled, coverage):
    client.force_login(front_desk)

    page = client.get(reverse("eligibility-worklist")).text
    assert "Eligibility has not been checked for this visit." in page
    assert "Ada" in page
    home = client.get(reverse("home-front-desk")).text
    assert 'data-testid="worklist-count">1<' in home

    client.post(
        reverse("coverage-eligibility-check", args=[coverage.pk]),
        {"encounter": scheduled.pk},
    )
    page = client.get(reverse("eligibility-worklist")).text
    assert "Nothing to do" in page
    assert 'data-testid="worklist-count">0<' in client.get(reverse("home-front-desk")).text


def test_the_chart_offers_visits_and_eligibility(client, front_desk, scheduled, coverage):
    client.force_login(front_desk)

    page = client.get(reverse("patient-detail", args=[scheduled.patient_id])).text

    assert "Schedule a visit" in page
    assert reverse("visit-detail", args=[scheduled.pk]) in page
    assert "Check eligibility" in page
    assert "never checked" in page
    assert "Needs attention" in page


def test_a_bad_date_on_check_now_is_a_message_not_a_crash(client, front_desk, coverage):
    client.force_login(front_desk)

    response = client.post(
        reverse("coverage-eligibility-check", args=[coverage.pk]), {"service_date": "13/45/x"}
    )

    assert response.status_code == 302
    assert response.url == reverse("patient-detail", args=[coverage.patient_id])
    assert not EligibilityCheck.objects.exists()


def test_the_visit_page_shows_its_timeline(client, front_desk, scheduled):
    client.force_login(front_desk)
    client.post(reverse("visit-ready", args=[scheduled.pk]), {"clinical_note": "Seen today."})

    response = client.get(reverse("visit-detail", args=[scheduled.pk]))

    event = response.context["events"].get()
    assert (event.from_status, event.to_status, event.user) == (
        EncounterStatus.SCHEDULED,
        EncounterStatus.AWAITING_CODING,
        front_desk,
    )
    timeline = response.text[response.text.index('data-testid="visit-timeline"') :]
    assert front_desk.username in timeline
    assert "Scheduled" in timeline and "Waiting for coding" in timeline
