"""Sign-in: a wrong password says so; five in a row from one address lock that username there."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import UserFactory

FAILURE_LIMIT = 5


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_repeated_wrong_passwords_lock_the_account_from_that_address(client, biller):
    for _ in range(FAILURE_LIMIT - 1):
        response = sign_in(client, biller.username, "wrong")
        assert b"didn&#x27;t match" in response.content or b"didn't match" in response.content
    assert b"Too many failed sign-ins" in sign_in(client, biller.username, "wrong").content

    locked = sign_in(client, biller.username, "test-password-1")

    assert locked.status_code == 200  # the form again, not a redirect home
    assert b"Too many failed sign-ins" in locked.content
    assert "_auth_user_id" not in client.session


def test_nobody_can_lock_out_a_user_from_another_address(client, biller):
    """The lock is per username and client address: an attacker elsewhere locks only himself."""
    for _ in range(FAILURE_LIMIT + 3):
        sign_in(client, biller.username, "wrong", address="203.0.113.66")

    from django.test import Client

    at_work = Client()
    response = sign_in(at_work, biller.username, "test-password-1", address="10.0.0.1")

    assert response.status_code == 302
    assert "_auth_user_id" in at_work.session


def test_a_good_password_clears_earlier_failures(client, db):
    UserFactory(username="forgetful")
    for _ in range(FAILURE_LIMIT - 1):
        sign_in(client, "forgetful", "wrong")
    assert sign_in(client, "forgetful", "test-password-1").status_code == 302
    client.logout()
    for _ in range(FAILURE_LIMIT - 1):
        sign_in(client, "forgetful", "wrong")
    assert sign_in(client, "forgetful", "test-password-1").status_code == 302
