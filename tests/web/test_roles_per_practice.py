"""A role holds only in its own practice: a user with different roles in two practices gets, in
each practice, what that practice's role allows and nothing of the other role."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims.models import ClaimStatus
from patients.models import EligibilityCheck, EncounterStatus
from rcm.practice.models import Role
from rcm.web.authentication import api_token_issue
from tests.factories import (
    ClaimFactory,
    CoverageFactory,
    EncounterFactory,
    MembershipFactory,
    PatientFactory,
    UserFactory,
)


def mixed_user(username, *, role_in_a, practice_a, role_in_b, practice_b):
    user = UserFactory(username=username)
    MembershipFactory(user=user, practice=practice_a, role=role_in_a)
    MembershipFactory(user=user, practice=practice_b, role=role_in_b)
    return user


def api_client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user).key}")
    return client


# --- claims --------------------------------------------------------------------------------------
@pytest.fixture
def coder_a_biller_b(practice_a, practice_b):
    return mixed_user(
        "coder_a_biller_b",
        role_in_a=Role.CODER, practice_a=practice_a,
        role_in_b=Role.BILLER, practice_b=practice_b,
    )  # fmt: skip


@pytest.fixture
def ready_claims(practice_a, practice_b):
    a = ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.READY)
    b = ClaimFactory(encounter__patient__practice=practice_b, status=ClaimStatus.READY)
    return a, b


def test_a_coder_of_a_who_bills_for_b_cannot_submit_as_claim(
    client, coder_a_biller_b, ready_claims
):
    a_claim, _b_claim = ready_claims
    client.force_login(coder_a_biller_b)

    response = client.post(reverse("claim-submit", args=[a_claim.pk]))

    assert response.status_code == 403
    a_claim.refresh_from_db()
    assert a_claim.status == ClaimStatus.READY
    assert not a_claim.events.filter(to_status=ClaimStatus.QUEUED).exists()


def test_submit_ready_queues_only_the_practices_where_the_user_bills(
    client, coder_a_biller_b, ready_claims
):
    a_claim, b_claim = ready_claims
    client.force_login(coder_a_biller_b)

    client.post(reverse("claims-submit-ready"))

    a_claim.refresh_from_db()
    b_claim.refresh_from_db()
    assert a_claim.status == ClaimStatus.READY
    assert b_claim.status == ClaimStatus.QUEUED


def test_the_claim_queues_hold_only_the_practices_where_the_user_bills(
    client, coder_a_biller_b, ready_claims
):
    a_claim, b_claim = ready_claims
    client.force_login(coder_a_biller_b)

    body = client.get(reverse("claim-queue", args=["ready"])).content.decode()
    home = client.get(reverse("home-biller"))

    assert b_claim.control_number in body
    assert a_claim.control_number not in body
    assert home.context["queues"]["ready"].count == 1


def test_a_coder_reads_the_claim_of_the_practice_they_code_for(
    client, coder_a_biller_b, ready_claims
):
    a_claim, _b = ready_claims
    client.force_login(coder_a_biller_b)
    page = client.get(reverse("claim-detail", args=[a_claim.pk]))
    assert page.status_code == 200
    assert page.context["can_submit"] is False  # the button is the biller's, not in practice A


def test_the_claims_api_lists_only_the_practices_where_the_role_reads_claims(
    practice_a, practice_b, ready_claims
):
    a_claim, b_claim = ready_claims
    front_desk_a_biller_b = mixed_user(
        "fd_a_biller_b",
        role_in_a=Role.FRONT_DESK, practice_a=practice_a,
        role_in_b=Role.BILLER, practice_b=practice_b,
    )  # fmt: skip
    api = api_client_for(front_desk_a_biller_b)

    listed = api.get(reverse("api-claim-list")).json()["results"]

    assert {row["id"] for row in listed} == {b_claim.pk}
    assert api.get(reverse("api-claim-detail", args=[a_claim.pk])).status_code == 403
    assert api.get(reverse("api-claim-detail", args=[b_claim.pk])).status_code == 200


def test_the_front_desk_does_not_read_claims_through_the_api(front_desk, ready_claims):
    a_claim, _b = ready_claims
    api = api_client_for(front_desk)

    listing = api.get(reverse("api-claim-list"))
    detail = api.get(reverse("api-claim-detail", args=[a_claim.pk]))

    assert listing.status_code == 403
    assert "role" in listing.json()["detail"]
    assert detail.status_code == 403


# --- patients, coverage, visits, eligibility ------------------------------------------------------
@pytest.fixture
def coder_a_front_desk_b(practice_a, practice_b):
    return mixed_user(
        "coder_a_fd_b",
        role_in_a=Role.CODER, practice_a=practice_a,
        role_in_b=Role.FRONT_DESK, practice_b=practice_b,
    )  # fmt: skip


@pytest.fixture
def a_patient(practice_a):
    return PatientFactory(practice=practice_a, last_name="Alvarez")


def test_a_coder_of_a_cannot_edit_as_patient(client, coder_a_front_desk_b, a_patient):
    client.force_login(coder_a_front_desk_b)
    before = a_patient.last_name

    page = client.get(reverse("patient-edit", args=[a_patient.pk]))
    posted = client.post(reverse("patient-edit", args=[a_patient.pk]), {"last_name": "Changed"})
    api = api_client_for(coder_a_front_desk_b).patch(
        reverse("api-patient-update", args=[a_patient.pk]), {"last_name": "Changed"}, format="json"
    )

    assert (page.status_code, posted.status_code, api.status_code) == (403, 403, 403)
    a_patient.refresh_from_db()
    assert a_patient.last_name == before


def test_a_coder_of_a_cannot_add_coverage_or_see_cards_in_a(
    client, coder_a_front_desk_b, a_patient
):
    coverage = CoverageFactory(patient=a_patient)
    client.force_login(coder_a_front_desk_b)

    assert client.get(reverse("coverage-create", args=[a_patient.pk])).status_code == 403
    assert client.get(reverse("coverage-update", args=[coverage.pk])).status_code == 403
    api = api_client_for(coder_a_front_desk_b)
    created = api.post(
        reverse("api-coverage-create", args=[a_patient.pk]),
        {"payer_id": coverage.payer.payer_id, "member_id": "NEW1"},
        format="json",
    )
    assert created.status_code == 403
    assert a_patient.coverages.count() == 1


def test_a_coder_of_a_does_not_read_as_eligibility(client, coder_a_front_desk_b, a_patient):
    coverage = CoverageFactory(patient=a_patient)
    check = EligibilityCheck.objects.create(
        practice=a_patient.practice, coverage=coverage, service_date=datetime.date.today()
    )
    client.force_login(coder_a_front_desk_b)

    assert client.get(reverse("eligibility-detail", args=[check.pk])).status_code in (403, 404)
    api = api_client_for(coder_a_front_desk_b)
    assert api.get(reverse("api-eligibility-detail", args=[check.pk])).status_code == 403
    assert api.post(reverse("api-coverage-eligibility", args=[coverage.pk])).status_code == 403
    assert coverage.eligibility_checks.count() == 1


def test_a_coder_of_a_cannot_schedule_or_change_as_visits(client, coder_a_front_desk_b, a_patient):
    visit = EncounterFactory(patient=a_patient, status=EncounterStatus.SCHEDULED)
    client.force_login(coder_a_front_desk_b)

    assert client.get(reverse("visit-new", args=[a_patient.pk])).status_code in (403, 404)
    assert client.get(reverse("visit-edit", args=[visit.pk])).status_code in (403, 404)
    api = api_client_for(coder_a_front_desk_b)
    patched = api.patch(
        reverse("api-visit-detail", args=[visit.pk]), {"prior_authorization": "X"}, format="json"
    )
    assert patched.status_code == 403
    visit.refresh_from_db()
    assert visit.prior_authorization == ""


# --- coding --------------------------------------------------------------------------------------
@pytest.fixture
def biller_a_coder_b(practice_a, practice_b):
    return mixed_user(
        "biller_a_coder_b",
        role_in_a=Role.BILLER, practice_a=practice_a,
        role_in_b=Role.CODER, practice_b=practice_b,
    )  # fmt: skip


def test_a_biller_of_a_does_not_code_as_visits(client, biller_a_coder_b, practice_a, practice_b):
    a_visit = EncounterFactory(
        patient__practice=practice_a, status=EncounterStatus.AWAITING_CODING, clinical_note="x"
    )
    b_visit = EncounterFactory(
        patient__practice=practice_b, status=EncounterStatus.AWAITING_CODING, clinical_note="x"
    )
    client.force_login(biller_a_coder_b)

    assert client.get(reverse("coding-encounter", args=[a_visit.pk])).status_code == 403
    assert client.post(reverse("coding-assign", args=[a_visit.pk])).status_code in (403, 404)
    home = client.get(reverse("home-coder"))
    worklist = client.get(reverse("coding-worklist")).content.decode()

    assert home.context["waiting_count"] == 1
    assert [e.pk for e in home.context["oldest"]] == [b_visit.pk]
    assert b_visit.patient.last_name in worklist
    a_visit.refresh_from_db()
    assert a_visit.assigned_coder is None
