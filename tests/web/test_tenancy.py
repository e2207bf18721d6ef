"""A member of practice A never reads practice B's patients, encounters or claims."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rcm.web.authentication import api_token_issue
from tests.factories import ClaimFactory, PatientFactory


@pytest.fixture
def b_claim(practice_b):
    return ClaimFactory(encounter__patient__practice=practice_b)


@pytest.fixture
def a_claim(practice_a):
    return ClaimFactory(encounter__patient__practice=practice_a)


def api_client_for(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user).key}")
    return client


def test_pages_of_another_practice_are_not_found(client, biller, a_claim, b_claim):
    client.force_login(biller)
    assert client.get(reverse("patient-detail", args=[a_claim.patient_id])).status_code == 200
    assert client.get(reverse("claim-detail", args=[a_claim.pk])).status_code == 200

    # Guessing the ids of practice B's rows gets the same answer as ids that do not exist.
    assert client.get(reverse("patient-detail", args=[b_claim.patient_id])).status_code == 404
    assert client.get(reverse("claim-detail", args=[b_claim.pk])).status_code == 404
    assert client.get(reverse("patient-detail", args=[999_999_999])).status_code == 404


def test_search_and_queues_show_only_own_practice(client, biller, a_claim, b_claim):
    client.force_login(biller)
    b_patient = b_claim.patient

    by_mrn = client.get(reverse("patient-list"), {"q": b_patient.mrn})
    assert b_patient.last_name not in by_mrn.content.decode()

    queue = client.get(reverse("claim-queue", args=["holds"]))
    body = queue.content.decode()
    assert a_claim.control_number in body
    assert b_claim.control_number not in body


@pytest.mark.parametrize(
    ("name", "attr"),
    [
        ("api-patient-detail", "patient_id"),
        ("api-encounter-detail", "encounter_id"),
        ("api-claim-detail", "pk"),
    ],
)
def test_api_detail_of_another_practice_is_not_found(biller, a_claim, b_claim, name, attr):
    api = api_client_for(biller)
    assert api.get(reverse(name, args=[getattr(a_claim, attr)])).status_code == 200
    assert api.get(reverse(name, args=[getattr(b_claim, attr)])).status_code == 404


@pytest.mark.parametrize("name", ["api-patient-list", "api-encounter-list", "api-claim-list"])
def test_api_lists_hold_only_own_practice(biller, a_claim, b_claim, name):
    response = api_client_for(biller).get(reverse(name))
    assert response.status_code == 200
    practice_ids = {row["practice_id"] for row in response.json()["results"]}
    assert practice_ids == {a_claim.practice_id}


def test_a_member_of_both_practices_sees_both(biller, practice_b, a_claim, b_claim):
    from rcm.practice.models import Role
    from rcm.practice.services import membership_grant

    membership_grant(user=biller, practice=practice_b, role=Role.BILLER)
    response = api_client_for(biller).get(reverse("api-claim-list"))
    assert {row["practice_id"] for row in response.json()["results"]} == {
        a_claim.practice_id,
        b_claim.practice_id,
    }


def test_api_refuses_writes_and_anonymous_callers(biller, a_claim):
    from rest_framework.test import APIClient

    assert APIClient().get(reverse("api-patient-list")).status_code == 401
    api = api_client_for(biller)
    url = reverse("api-patient-detail", args=[a_claim.patient_id])
    assert api.put(url, {"last_name": "X"}, format="json").status_code == 405
    assert api.delete(url).status_code == 405
    a_claim.patient.refresh_from_db()
    assert a_claim.patient.last_name != "X"


def test_an_inactive_practice_hides_its_data(client, biller, practice_a, a_claim):
    practice_a.is_active = False
    practice_a.save(update_fields=["is_active"])
    client.force_login(biller)
    assert client.get(reverse("claim-detail", args=[a_claim.pk])).status_code in (403, 404)


def test_patients_created_elsewhere_stay_invisible(client, biller, practice_b):
    other = PatientFactory(practice=practice_b, last_name="Zzyzx")
    client.force_login(biller)
    found = client.get(reverse("patient-list"), {"q": "Zzyzx"}).context["page_obj"]
    assert found.paginator.count == 0
    assert client.get(reverse("api-patient-detail", args=[other.pk])).status_code == 404
