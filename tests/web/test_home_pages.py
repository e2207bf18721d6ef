"""Each role lands on its own home page, showing real counts; other roles' pages are closed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.state import ClaimStatus
from patients.models import EncounterStatus
from rcm.practice.models import Role
from tests.factories import ClaimFactory, EncounterFactory, MembershipFactory, UserFactory


@pytest.mark.parametrize(
    ("fixture", "url_name"),
    [
        ("front_desk", "home-front-desk"),
        ("coder", "home-coder"),
        ("biller", "home-biller"),
        ("administrator", "home-administrator"),
    ],
)
def test_each_role_lands_on_its_home(client, request, fixture, url_name):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse(url_name)
    assert client.get(response.url).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("home-biller"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_user_without_membership_is_told_so(client, db):
    client.force_login(UserFactory(username="nobody"))
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert b"not a member of any practice" in response.content


def test_a_coder_cannot_open_the_billing_home(client, coder):
    client.force_login(coder)
    assert client.get(reverse("home-biller")).status_code == 403
    assert client.get(reverse("home-administrator")).status_code == 403


def test_coder_home_counts_encounters_waiting(client, coder, practice_a, practice_b):
    EncounterFactory.create_batch(3, patient__practice=practice_a)
    EncounterFactory(patient__practice=practice_a, status=EncounterStatus.CODING_IN_PROGRESS)
    EncounterFactory.create_batch(2, patient__practice=practice_b)  # not the coder's practice
    client.force_login(coder)

    response = client.get(reverse("home-coder"))

    assert response.context["waiting_count"] == 3
    assert response.context["in_progress_count"] == 1


def test_biller_home_counts_queues(client, biller, practice_a, django_assert_max_num_queries):
    ClaimFactory.create_batch(2, encounter__patient__practice=practice_a)
    ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.REJECTED)
    ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.DENIED)
    client.force_login(biller)

    with django_assert_max_num_queries(24):
        response = client.get(reverse("home-biller"))

    queues = response.context["queues"]
    assert queues["holds"].count == 2  # drafts: held until scrubbed clean
    assert queues["ready"].count == 0
    assert queues["rejected"].count == 1
    assert queues["denied"].count == 1
    assert b'data-testid="queue-rejected">1<' in response.content


def test_claim_queue_page_has_constant_queries(
    client, biller, practice_a, django_assert_max_num_queries
):
    ClaimFactory.create_batch(5, encounter__patient__practice=practice_a, status=ClaimStatus.READY)
    client.force_login(biller)
    with django_assert_max_num_queries(12):
        small = client.get(reverse("claim-queue", args=["ready"]))
    ClaimFactory.create_batch(20, encounter__patient__practice=practice_a, status=ClaimStatus.READY)
    with django_assert_max_num_queries(12):
        large = client.get(reverse("claim-queue", args=["ready"]))
    assert small.context["page_obj"].paginator.count == 5
    assert large.context["page_obj"].paginator.count == 25


def test_administrator_home_shows_status_totals(client, administrator, practice_a):
    ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.PAID)
    client.force_login(administrator)
    response = client.get(reverse("home-administrator"))
    assert response.context["by_status"]["paid"].count == 1


def test_a_user_with_two_roles_sees_both_in_the_menu(client, practice_a):
    user = UserFactory(username="two_hats")
    MembershipFactory(user=user, practice=practice_a, role=Role.CODER)
    MembershipFactory(user=user, practice=practice_a, role=Role.BILLER)
    client.force_login(user)
    body = client.get(reverse("home-coder")).content.decode()
    assert reverse("home-coder") in body and reverse("home-biller") in body


def test_health_reports_database_and_redis(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["redis"] == "ok"


def test_api_schema_and_docs_are_served_without_a_cdn(client, biller):
    client.force_login(biller)
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200
    assert b"/api/claims/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "cdn" not in docs.lower()


def test_an_agency_billers_home_names_each_claims_practice(client, practice_a, practice_b):
    agency = UserFactory(username="agency-home")
    for practice in (practice_a, practice_b):
        MembershipFactory(user=agency, practice=practice, role=Role.BILLER)
    ClaimFactory(encounter__patient__practice=practice_b, status=ClaimStatus.DENIED)
    client.force_login(agency)

    page = client.get(reverse("home-biller")).content.decode()

    assert "<th>Practice</th>" in page and f"<td>{practice_b.name}</td>" in page


def test_one_practices_biller_sees_no_practice_column(client, biller, practice_a):
    ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.DENIED)
    client.force_login(biller)

    assert "<th>Practice</th>" not in client.get(reverse("home-biller")).content.decode()
