"""The shell's error pages say what happened in words, inside the app's own frame."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import ClaimFactory


def test_a_page_outside_the_role_says_not_allowed(client, coder):
    client.force_login(coder)

    response = client.get(reverse("home-biller"))

    assert response.status_code == 403
    assert b"Not allowed" in response.content
    assert b"Your role does not include this page." in response.content
    assert b"Sign out" in response.content  # the app's frame, not a bare error


def test_another_practices_claim_is_simply_not_found(client, biller, practice_b):
    claim = ClaimFactory(encounter__patient__practice=practice_b)
    client.force_login(biller)

    response = client.get(reverse("claim-detail", args=[claim.pk]))

    assert response.status_code == 404
    assert b"Not found" in response.content
    assert claim.control_number.encode() not in response.content


def test_an_unknown_address_is_not_found(client, biller):
    client.force_login(biller)

    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert b"Back to your home page" in response.content
