"""Two-factor sign-in: administrators must enrol and then give a code; others may enrol."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _required_for_administrators(settings):
    settings.RCM_ADMIN_2FA = True
    # django-otp delays the next try after a wrong code (2^n seconds); the tests try at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": "test-password-1"})


def test_an_administrator_who_has_not_enrolled_must_enrol_first(client, administrator):
    sign_in(client, administrator)

    home = client.get(reverse("home-administrator"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("two-factor-enrol"))
    enrol = client.get(home["Location"])
    body = enrol.content.decode()
    assert "<svg" in body  # the QR code, drawn inline by segno
    device = TOTPDevice.objects.get(user=administrator, confirmed=False)
    assert enrol.context["secret"] in body

    wrong = client.post(reverse("two-factor-enrol"), {"code": "000000"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    confirmed = client.post(reverse("two-factor-enrol"), {"code": code_for(device)})

    assert confirmed.status_code == 302
    assert client.get(reverse("home-administrator")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_every_sign_in_of_an_enrolled_user_asks_for_the_code(client, administrator):
    device = TOTPDevice.objects.create(user=administrator, name="phone", confirmed=True)
    sign_in(client, administrator)

    asked = client.get(reverse("home-administrator"))
    assert asked["Location"].startswith(reverse("two-factor-verify"))
    assert client.get(reverse("patient-list")).status_code == 302
    assert client.post(reverse("two-factor-verify"), {"code": "000000"}).status_code == 400

    verified = client.post(
        reverse("two-factor-verify"), {"code": code_for(device), "next": "/administration/"}
    )

    assert verified["Location"] == "/administration/"
    assert client.get(reverse("home-administrator")).status_code == 200


def test_two_factor_is_optional_for_other_roles(client, biller):
    sign_in(client, biller)
    assert client.get(reverse("home-biller")).status_code == 200
    security = client.get(reverse("security"))
    assert "Two-factor sign-in is <strong>off</strong>" in security.content.decode()

    client.get(reverse("two-factor-enrol"))
    device = TOTPDevice.objects.get(user=biller)
    client.post(reverse("two-factor-enrol"), {"code": code_for(device)})
    client.post(reverse("logout"))
    sign_in(client, biller)

    assert client.get(reverse("home-biller"))["Location"].startswith(reverse("two-factor-verify"))


def test_the_api_sign_in_of_an_enrolled_user_needs_the_code(biller):
    device = TOTPDevice.objects.create(user=biller, name="phone", confirmed=True)
    api = APIClient()
    url = reverse("api-token")
    credentials = {"username": biller.username, "password": "test-password-1"}

    without = api.post(url, credentials, format="json")
    assert without.status_code == 400
    assert without.json() == {"otp": ["Enter the code from your authenticator app."]}
    assert api.post(url, {**credentials, "otp": code_for(device)}, format="json").status_code == 200


def test_the_switch_turns_the_requirement_off(settings, client, administrator):
    settings.RCM_ADMIN_2FA = False
    sign_in(client, administrator)
    assert client.get(reverse("home-administrator")).status_code == 200
