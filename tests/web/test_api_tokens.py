"""The API's sign-in: locked like the page, throttled, tokens that expire and die at sign-out."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _generous_throttle(settings):
    """The throttle counts in the shared Redis across tests; here only its own test trips it."""
    rates = {"api-token": "1000/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def token_for(api, username, password, address="10.0.0.7"):
    return api.post(
        reverse("api-token"),
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def test_thirty_wrong_passwords_then_the_right_one_is_refused(biller):
    api = APIClient()
    for _ in range(30):
        wrong = token_for(api, biller.username, "wrong")
        assert wrong.status_code in (400, 429)

    right = token_for(api, biller.username, "test-password-1")

    assert right.status_code == 429
    assert "Too many failed sign-ins" in right.json()["detail"]
    assert not Token.objects.filter(user=biller).exists()


def test_the_token_lock_leaves_other_addresses_alone(biller):
    api = APIClient()
    for _ in range(10):
        token_for(api, biller.username, "wrong", address="203.0.113.9")
    assert token_for(api, biller.username, "test-password-1").status_code == 200


def test_the_token_endpoint_is_throttled_per_address(settings, biller):
    rates = {"api-token": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    api = APIClient()
    address = f"198.51.100.{timezone.now().microsecond % 250}"
    answers = [token_for(api, f"nobody{n}", "wrong", address=address).status_code for n in range(5)]
    assert answers[:3] == [400, 400, 400]
    assert answers[3:] == [429, 429]


def test_a_token_works_until_it_expires(settings, biller):
    settings.RCM_API_TOKEN_HOURS = 8
    key = token_for(APIClient(), biller.username, "test-password-1").json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-patient-list")).status_code == 200

    Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(hours=9))
    expired = api.get(reverse("api-patient-list"))

    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]
    assert not Token.objects.filter(key=key).exists()


def test_a_new_sign_in_gives_a_fresh_token(biller):
    first = token_for(APIClient(), biller.username, "test-password-1").json()["token"]
    Token.objects.filter(key=first).update(created=timezone.now() - datetime.timedelta(hours=7))
    second = token_for(APIClient(), biller.username, "test-password-1").json()["token"]
    assert second != first
    assert Token.objects.get(user=biller).created > timezone.now() - datetime.timedelta(minutes=1)


def test_signing_out_of_the_web_revokes_the_token(client, biller):
    key = token_for(APIClient(), biller.username, "test-password-1").json()["token"]
    client.force_login(biller)

    client.post(reverse("logout"))

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-patient-list")).status_code == 401


def test_deleting_the_token_signs_the_api_out(biller):
    key = token_for(APIClient(), biller.username, "test-password-1").json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api.delete(reverse("api-token")).status_code == 204
    assert api.get(reverse("api-patient-list")).status_code == 401


@pytest.mark.parametrize("url", ["/admin/authtoken/tokenproxy/", "/admin/authtoken/token/"])
def test_the_admin_never_shows_token_keys(client, biller, url):
    from tests.factories import UserFactory

    key = Token.objects.create(user=biller).key
    client.force_login(UserFactory(username="operator_t", is_staff=True, is_superuser=True))

    assert client.get(url).status_code == 404
    assert key not in client.get("/admin/").content.decode()
    assert "Tokens" not in client.get("/admin/").content.decode()
