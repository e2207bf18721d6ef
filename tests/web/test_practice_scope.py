"""A billing agency's user narrows the whole app to one practice, and only to their own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rcm.practice.models import Role
from rcm.practice.services import membership_grant
from tests.factories import ClaimFactory


@pytest.fixture
def agency_biller(biller, practice_b):
    membership_grant(user=biller, practice=practice_b, role=Role.BILLER)
    return biller


def queue_practices(client):
    page = client.get(reverse("claim-queue", args=["holds"])).context["page_obj"]  # drafts
    return {claim.practice_id for claim in page.object_list}


def test_choosing_a_practice_narrows_every_page(client, agency_biller, practice_a, practice_b):
    ClaimFactory(encounter__patient__practice=practice_a)
    ClaimFactory(encounter__patient__practice=practice_b)
    client.force_login(agency_biller)
    assert queue_practices(client) == {practice_a.pk, practice_b.pk}

    response = client.post(
        reverse("practice-scope"), {"practice": practice_b.pk, "next": "/billing/"}
    )

    assert response.status_code == 302 and response.url == "/billing/"
    assert queue_practices(client) == {practice_b.pk}
    client.post(reverse("practice-scope"), {"practice": ""})
    assert queue_practices(client) == {practice_a.pk, practice_b.pk}


def test_a_practice_one_is_not_a_member_of_cannot_be_chosen(client, biller, practice_b):
    ClaimFactory(encounter__patient__practice=practice_b)
    client.force_login(biller)
    response = client.post(reverse("practice-scope"), {"practice": practice_b.pk})
    assert response.status_code == 400
    assert queue_practices(client) == set()


def test_the_menu_offers_the_choice_only_to_members_of_several(client, biller, agency_biller):
    client.force_login(agency_biller)
    assert b"All my practices" in client.get(reverse("home-biller")).content


def test_an_offsite_next_is_ignored(client, agency_biller, practice_b):
    client.force_login(agency_biller)
    response = client.post(
        reverse("practice-scope"), {"practice": practice_b.pk, "next": "https://evil.example/"}
    )
    assert response.url == "/"
